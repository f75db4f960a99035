"""The plain input of a report: everything one document needs, gathered before rendering.

The report core never reads a database. The web layer (``wijkbeeld.web.reports``) or a script
fills a :class:`ReportData` from whatever store it has; the renderers only read it. Keeping it a
frozen dataclass of plain values (dicts, strings, bytes) makes a report reproducible from its
inputs and lets a municipality build one without Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wijkbeeld.urgency.persistence import Timeline

__all__ = ["AreaInfo", "MapImage", "ReportData"]


@dataclass(frozen=True)
class AreaInfo:
    """The area the report is about: CBS code, name, level, municipality (code and name) and
    the boundary year (indeling) of its figures and shapes."""

    code: str
    name: str
    level: str
    municipality: str
    municipality_name: str
    boundary_year: int | None = None


@dataclass(frozen=True)
class MapImage:
    """A map as image bytes (``image/svg+xml`` preferred, else ``image/png``) with its caption
    parts; embedded as a data URI so the report makes no request."""

    data: bytes
    mime: str
    title: str
    source: str
    period: str
    alt: str


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows.

    ``profile``: the dict of :meth:`wijkbeeld.compare.Profile.to_dict`. ``voices``: ``None`` or
    ``{"minimum": int, "groups": {key: label}, "themes": [{"theme", "counts": {group: int|None},
    "total": int|None, "quotes": [{"text", "group", "date"}]}]}`` with the small-number rule
    already applied (``None`` = withheld). ``urgency``: ``None`` or the dict of
    :meth:`wijkbeeld.urgency.UrgencyMatrix.to_dict`. ``theme_labels``: display names of theme
    keys. ``versions``: package name → version, printed under method and sources.

    ``trends``: indicator key → ``[{"period", "value"}]`` (oldest first; the area's own series
    in its indeling, a break already left out). ``peers``: ``None`` or ``{"explanation",
    "areas": [{"code", "name", "distance"}], "figures": [{"indicator", "value",
    "peer_mean", "n"}]}``. ``triggers``: the aanleidingen, ``[{"date", "source", "themes",
    "status", "description", "status_since"}]`` (description already scrubbed;
    ``status_since`` optional: the date of the current status).
    """

    area: AreaInfo
    profile: Mapping[str, Any]
    generated_at: datetime
    maps: tuple[MapImage, ...] = ()
    voices: Mapping[str, Any] | None = None
    urgency: Mapping[str, Any] | None = None
    theme_labels: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    versions: Mapping[str, str] = field(default_factory=dict)
    language: str = "nl"
    trends: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    peers: Mapping[str, Any] | None = None
    triggers: tuple[Mapping[str, Any], ...] = ()
    #: ``None`` or the area's agreed buurtagenda as plain data (see
    #: :mod:`wijkbeeld.report.agenda_section`; drafts never reach a report).
    agenda: Mapping[str, Any] | None = None
    #: The area's timelines (one per theme: figure years, rounds, triggers), drawn as one
    #: picture in the occasions section; empty: no picture.
    timelines: tuple[Timeline, ...] = ()

    def theme_label(self, key: str) -> str:
        """The display name of a theme key (the key itself, readable, when unknown)."""
        if not key:
            return "Achtergrond" if self.language == "nl" else "Background"
        return self.theme_labels.get(key) or key.replace("_", " ").capitalize()
