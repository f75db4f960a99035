"""Pages of the rounds app: the respondent form (no account) and the urgency dashboard.

* ``/peiling/<token>/``: the respondent form in three steps, in
  :mod:`wijkbeeld.web.urgency.respondent`.
* ``/urgentie/``: the rounds the user may see; ``/urgentie/<code>/``: the matrix of themes ×
  groups of an area (every signed-in role may read; a user tied to a municipality sees only its
  areas). Withheld cells show "te weinig antwoorden (<5)" and no number at all. Every row links
  to its figures (the theme on the area page) and its timeline; every cell to the voices of that
  theme and group, when there are at least the small-number minimum of them (analysts: the
  filtered voices list; other readers: the quotes on the area's voices page).
* ``/urgentie/<code>/tijdlijn/`` (``?thema=``): the timeline of rounds, figure years, triggers
  and alerts (:mod:`wijkbeeld.web.urgency.timeline`), with the same role and municipality check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import THEME_KEYS, load_catalogue
from wijkbeeld.urgency import (
    GROUP_LABELS,
    GROUPS,
    GroupMeasures,
    MatrixRow,
    PictureShift,
    UrgencyError,
    UrgencyMatrix,
)
from wijkbeeld.urgency.timeline_picture import timeline_svg
from wijkbeeld.web.accounts.access import (
    ANALYSTS,
    READERS,
    has_role,
    municipality_of,
    require_municipality,
    role_required,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.areas.naming import AreaNaming, naming_of
from wijkbeeld.web.pages.labels import core_text, english
from wijkbeeld.web.urgency.models import Round
from wijkbeeld.web.urgency.reading import area_matrix, area_timelines, site_options
from wijkbeeld.web.urgency.timeline import timeline_events

__all__ = ["area_timeline", "dashboard", "round_list"]


@lru_cache(maxsize=1)
def _theme_names() -> tuple[tuple[str, str, str], ...]:
    # Parsing the catalogue's TOML costs ~40 ms: once per process, not per respondent's request
    # (benchmarks/load.py).
    return tuple((k, t.name_nl, t.name_en) for k, t in load_catalogue().themes.items())


def theme_names() -> dict[str, str]:
    """Theme names from the bundled catalogue (key → name), in the reader's language."""
    en = english()
    return {k: (name_en if en and name_en else name_nl) for k, name_nl, name_en in _theme_names()}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _nl(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}".replace(".", ",").replace("-", "−")


def _cell(cell: GroupMeasures | None) -> dict[str, Any]:
    """What a dashboard cell shows; a withheld cell carries no number at all."""
    if cell is None:
        return {"state": "none"}
    if cell.withheld or cell.share_urgent is None:
        return {"state": "withheld"}
    return {
        "state": "shown", "n": cell.n, "share": _pct(cell.share_urgent),
        "mean": _nl(cell.mean, 1), "rwg": _nl(cell.r_wg),
        "recognition": None if cell.recognition_withheld else _pct(cell.recognition),
        "recognition_withheld": cell.recognition_withheld,
    }


@dataclass(frozen=True)
class _Links:
    """Where a dashboard row and its cells link to (see :func:`_links`)."""

    area_url: str
    timeline_url: str
    voices: Callable[[str, str], str | None]


def _links(request: HttpRequest, code: str) -> _Links:
    """The area page (latest boundary year), the timeline, and per theme × group the voices
    behind a cell: only when that group has at least the minimum number of voices on the theme
    (:func:`wijkbeeld.web.voices.services.counts`, which withholds smaller counts)."""
    from wijkbeeld.web.voices import services as voices

    area = (Area.objects.defer("geometry", "geometry_web").filter(code=code)
            .order_by("-boundary_year").first())
    if area is None:
        return _Links("", reverse("urgency-timeline", args=[code]), lambda t, g: None)
    grid = voices.counts(area, viewer=request.user)
    analyst = has_role(request.user, *ANALYSTS)

    def voices_url(theme: str, group: str) -> str | None:
        if grid.count(theme, group) is None:
            return None
        if analyst:
            return reverse("voices-list") + "?" + urlencode(
                {"gebied": code, "thema": theme, "groep": group})
        return reverse("voices-area", args=[code]) + f"#citaten-{theme}"

    return _Links(reverse("area", args=[code, area.boundary_year]),
                  reverse("urgency-timeline", args=[code]), voices_url)


def _row(row: MatrixRow, names: dict[str, str], links: _Links | None = None) -> dict[str, Any]:
    m = row.measures
    cls = row.classification
    fig = cls.figures
    cells = []
    for g in GROUPS:
        cell = _cell(row.cell(g))
        voices_url = None if links is None else links.voices(row.theme, g)
        if voices_url is not None:
            cell["voices_url"] = voices_url
        cells.append((core_text(GROUP_LABELS[g]), cell))
    return {
        "theme": row.theme, "name": names.get(row.theme, row.theme),
        "class_key": cls.key, "class_label": core_text(cls.label),
        "consensus": None if m is None or m.consensus is None else _nl(m.consensus),
        "cells": cells,
        "figures": None if fig is None else {"score": _nl(fig.score), "year": fig.year},
        "figures_url": f"{links.area_url}#thema-{row.theme}" if links and links.area_url
        else None,
        "timeline_url": None if links is None else
        f"{links.timeline_url}?{urlencode({'thema': row.theme})}",
        "notes": [core_text(n) for n in cls.notes],
    }


def _shift(shift: PictureShift | None) -> dict[str, Any]:
    """What the dashboard shows of a group's change after the picture (no number when
    withheld)."""
    if shift is None:
        return {"state": "none"}
    if shift.withheld or shift.mean_shift is None:
        return {"state": "withheld"}
    sign = "+" if shift.mean_shift > 0 else ""
    return {"state": "shown", "before": _nl(shift.mean_before, 1),
            "after": _nl(shift.mean_after, 1),
            "shift": sign + _nl(shift.mean_shift, 1), "changes": bool(shift.changes),
            "up": shift.mean_shift > 0}


def _matrix_context(matrix: UrgencyMatrix, links: _Links | None = None) -> dict[str, Any]:
    names = theme_names()
    rows = [_row(r, names, links) for r in matrix.rows]
    for row in rows:
        row["shifts"] = [(core_text(GROUP_LABELS[g]), _shift(matrix.shift(row["theme"], g)))
                         for g in GROUPS]
        row["has_shift"] = any(s["state"] != "none" for _g, s in row["shifts"])
    return {
        "matrix": matrix, "groups": [core_text(GROUP_LABELS[g]) for g in GROUPS],
        "rows": rows, "has_notes": any(r["notes"] for r in rows),
        "alerts": [{"theme": names.get(a.theme, a.theme), "label": core_text(a.label),
                    "message": core_text(a.message)}
                   for a in matrix.alerts],
        "min_n": matrix.options.min_n,
        "blind": matrix.round.blind,
        "has_shifts": any(r["has_shift"] for r in rows),
    }


@role_required(*READERS)
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds with their areas (only the user's municipality when tied to one)."""
    own = municipality_of(request.user)
    rounds = Round.objects.prefetch_related("areas").order_by("-held_on", "key")
    if own is not None:
        rounds = rounds.filter(areas__municipality=own).distinct()
    return render(request, "wijkbeeld/urgency/rounds.html",
                  {"rounds": rounds, "can_setup": has_role(request.user, *ANALYSTS)})


def _no_round(request: HttpRequest, naming: AreaNaming) -> HttpResponse:
    """The page of a stored area without answers or timeline: "Nog geen peiling voor …", with
    a link to start one for the roles that may (analysts, admins); no dead end, no 404."""
    start_url = None
    if has_role(request.user, *ANALYSTS):
        start_url = f"{reverse('urgency-round-new')}?{urlencode({'gebied': naming.code})}"
    held = Round.objects.filter(areas__code=naming.code).exists()  # open, too few answers yet
    return render(request, "wijkbeeld/urgency/no_round.html",
                  {"naming": naming, "area_code": naming.code, "start_url": start_url,
                   "held": held})


@role_required(*READERS)
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The urgency matrix of an area in one round (``?ronde=``, default the latest)."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    require_municipality(request.user, parsed.municipality or "")
    try:
        matrix = area_matrix(parsed.code, round_key=request.GET.get("ronde") or None)
    except UrgencyError as exc:
        naming = naming_of(parsed.code)
        round_key = request.GET.get("ronde")
        unknown_round = bool(round_key) and not Round.objects.filter(
            key=round_key, areas__code=parsed.code).exists()
        # An unknown round, or an area that is not stored: 404. A round of this area that has
        # no answers (yet) is no dead end: it says so (the rounds list links to it).
        if naming is None or unknown_round:
            raise Http404(_("Voor dit gebied zijn nog geen antwoorden.")) from exc
        return _no_round(request, naming)
    links = _links(request, parsed.code)
    context = _matrix_context(matrix, links)
    context["area_code"] = parsed.code
    context["naming"] = naming_of(parsed.code)
    context["timeline_url"] = links.timeline_url
    if has_role(request.user, *ANALYSTS):  # the set-up page of the shown round
        context["round_url"] = next((reverse("urgency-round", args=[pk]) for pk in
                                     Round.objects.filter(key=matrix.round.key)
                                     .values_list("pk", flat=True)), None)
    return render(request, "wijkbeeld/urgency/dashboard.html", context)


@role_required(*READERS)
def area_timeline(request: HttpRequest, code: str) -> HttpResponse:
    """Rounds, figure years, triggers and alerts of an area in date order (``?thema=``)."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    require_municipality(request.user, parsed.municipality or "")
    theme = request.GET.get("thema") or None
    if theme is not None and theme not in THEME_KEYS:
        return HttpResponseBadRequest(_("Onbekend thema."))
    all_lines = area_timelines(parsed.code)
    if not all_lines:
        naming = naming_of(parsed.code)
        if naming is None:
            raise Http404(_("Voor dit gebied zijn nog geen peilingen of aanleidingen."))
        return _no_round(request, naming)
    lines = all_lines if theme is None else area_timelines(parsed.code, theme=theme)
    names = theme_names()
    context = {
        "area_code": parsed.code, "naming": naming_of(parsed.code),
        "theme": theme, "theme_name": names.get(theme or "", ""),
        "events": timeline_events(lines, names),
        # The core draws it (escaped text inside); the list beneath says the same in words.
        "picture": mark_safe(timeline_svg(
            lines, names, lang="en" if english() else "nl", translate=core_text)),
        "themes": [(t.theme, names.get(t.theme, t.theme)) for t in all_lines],
        "min_n": site_options().min_n,
    }
    return render(request, "wijkbeeld/urgency/timeline.html", context)
