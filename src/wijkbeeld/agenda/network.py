"""Learning network: the same theme scores, urgency classes and agenda progress side by side for
several municipalities of one installation (DESIGN.md §2, "other cities in a learning network").

Only aggregates per municipality × theme leave this module, never a voice, a rating or an area of
another municipality:

* **theme scores**: the mean compare theme score over the municipality's areas. Scores are only
  comparable when the municipalities measure the theme with the *same indicator set*; when the
  sets differ, the theme is marked ``comparable=False`` and no score is shown for it;
* **urgency**: the number of areas per urgency class at their latest round, and per stakeholder
  group the pooled share rating the theme urgent. The **small-number rule** applies to every
  aggregate: when the municipality's respondents on the theme number fewer than ``min_n`` in
  total, the whole urgency block is withheld. A pooled figure (a group share, the number of
  respondents) is a pool over the municipality's areas and goes through
  :func:`wijkbeeld.disclosure.check_pool`: at least 3 areas with answers, each with at least
  ``min_n``, else it is withheld (None), because the pool minus an area's own figures (shown on
  its page) would give the other areas' small groups back (issue 18);
* **progress**: the number of targets of the *agreed* agenda items per progress status (drafts
  never count; the caller passes agreed items only).

>>> e = AreaEntry("GM0001", "WK000101", "wonen", -0.6, frozenset({"a"}), "gedeeld",
...               {"residents": (3, 2)}, ("vooruit",))
>>> cell = compare_network([e], min_n=5).cell("GM0001", "wonen")
>>> cell.urgency_withheld, cell.score
(True, -0.6)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wijkbeeld.agenda.progress import PROGRESS_STATUSES
from wijkbeeld.disclosure import DisclosureOptions, check_pool
from wijkbeeld.urgency.options import CLASS_LABELS, GROUPS

__all__ = ["AreaEntry", "NetworkCell", "NetworkComparison", "compare_network"]


@dataclass(frozen=True)
class AreaEntry:
    """What one area contributes to the network on one theme.

    ``score``: compare theme score (None: not computed); ``indicators``: the indicator keys
    behind it; ``urgency_class``: class key at the area's latest round (None: no round);
    ``respondents``: group → (answers, of which urgent) in that round; ``progress``: statuses of
    the agreed agenda targets on the theme."""

    municipality: str
    area_code: str
    theme: str
    score: float | None
    indicators: frozenset[str]
    urgency_class: str | None
    respondents: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    progress: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.urgency_class is not None and self.urgency_class not in CLASS_LABELS:
            raise ValueError(f"{self.area_code}: klasse {self.urgency_class!r} onbekend")
        for group, (n, k) in self.respondents.items():
            if group not in GROUPS or n < 0 or not 0 <= k <= n:
                raise ValueError(f"{self.area_code}: antwoorden {group}={n, k} ongeldig")
        bad = [s for s in self.progress if s not in PROGRESS_STATUSES]
        if bad:
            raise ValueError(f"{self.area_code}: voortgang {bad} onbekend")


@dataclass(frozen=True)
class NetworkCell:
    """One municipality × theme of the comparison (see the module docstring)."""

    municipality: str
    theme: str
    areas: int
    score: float | None
    scored_areas: int
    comparable: bool
    classes: Mapping[str, int] | None
    group_shares: Mapping[str, float | None] | None
    respondents: int | None
    progress: Mapping[str, int]

    @property
    def urgency_withheld(self) -> bool:
        return self.classes is None

    def to_dict(self) -> dict[str, Any]:
        return {"municipality": self.municipality, "theme": self.theme, "areas": self.areas,
                "score": self.score, "scored_areas": self.scored_areas,
                "comparable": self.comparable,
                "classes": None if self.classes is None else dict(self.classes),
                "group_shares": None if self.group_shares is None else dict(self.group_shares),
                "respondents": self.respondents, "urgency_withheld": self.urgency_withheld,
                "progress": dict(self.progress)}


@dataclass(frozen=True)
class NetworkComparison:
    """Every municipality × theme cell, with the rule's parameters."""

    municipalities: tuple[str, ...]
    themes: tuple[str, ...]
    cells: tuple[NetworkCell, ...]
    min_n: int
    notes: tuple[str, ...] = ()

    def cell(self, municipality: str, theme: str) -> NetworkCell | None:
        return next((c for c in self.cells
                     if c.municipality == municipality and c.theme == theme), None)

    def to_dict(self) -> dict[str, Any]:
        return {"municipalities": list(self.municipalities), "themes": list(self.themes),
                "min_n": self.min_n, "cells": [c.to_dict() for c in self.cells],
                "notes": list(self.notes)}


def _urgency(entries: Sequence[AreaEntry], min_n: int) -> tuple[
        dict[str, int] | None, dict[str, float | None] | None, int | None]:
    """Classes per area, and the pooled shares and respondents where the pool may be shown."""
    rule = DisclosureOptions(threshold=min_n)
    pooled: dict[str, list[int]] = {g: [0, 0] for g in GROUPS}
    members: dict[str, dict[str, int]] = {g: {} for g in GROUPS}
    per_area: dict[str, int] = {}
    for e in entries:
        for group, (n, k) in e.respondents.items():
            pooled[group][0] += n
            pooled[group][1] += k
            members[group][e.area_code] = members[group].get(e.area_code, 0) + n
            per_area[e.area_code] = per_area.get(e.area_code, 0) + n
    total = sum(n for n, _ in pooled.values())
    if total < min_n:
        return None, None, None
    classes = Counter(e.urgency_class for e in entries if e.urgency_class is not None)
    shares = {g: check_pool(members[g], rule).value(k / n)
              for g, (n, k) in pooled.items() if n > 0}
    return dict(sorted(classes.items())), shares, check_pool(per_area, rule).total


def compare_network(entries: Sequence[AreaEntry], *, min_n: int = 5) -> NetworkComparison:
    """Aggregate the entries per municipality × theme under the small-number rule."""
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    groups: dict[tuple[str, str], list[AreaEntry]] = {}
    for e in entries:
        groups.setdefault((e.municipality, e.theme), []).append(e)
    municipalities = tuple(sorted({m for m, _ in groups}))
    themes = tuple(sorted({t for _, t in groups}))
    sets: dict[str, set[frozenset[str]]] = {}
    for (_muni, theme), own in groups.items():
        used = frozenset().union(*(e.indicators for e in own if e.score is not None))
        if used:
            sets.setdefault(theme, set()).add(used)
    notes = [f"{t}: gemeenten meten dit thema met verschillende indicatoren; "
             "themascores niet vergeleken" for t in themes if len(sets.get(t, set())) > 1]
    cells = []
    for (muni, theme), own in sorted(groups.items()):
        comparable = len(sets.get(theme, set())) <= 1
        scored = [e.score for e in own if e.score is not None]
        score = sum(scored) / len(scored) if scored and comparable else None
        classes, shares, total = _urgency(own, min_n)
        progress = Counter(s for e in own for s in e.progress)
        cells.append(NetworkCell(muni, theme, len(own), score, len(scored), comparable,
                                 classes, shares, total,
                                 {s: progress[s] for s in PROGRESS_STATUSES if progress[s]}))
    return NetworkComparison(municipalities, themes, tuple(cells), min_n, tuple(notes))
