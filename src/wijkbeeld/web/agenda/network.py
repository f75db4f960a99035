"""The learning network from the database: which areas take part, and what each contributes to
:func:`wijkbeeld.agenda.compare_network` (theme scores, urgency classes, agenda progress).

An area takes part when it has an **agreed** agenda or a round. Per area and theme:

* the latest compare theme score of the area against its municipality's areas of the same level
  (:func:`wijkbeeld.web.urgency.reading.figure_scores`), and the indicators of that theme with
  a value in the municipality that year (the "indicator set": scores of municipalities with
  different sets are not compared);
* the class of the area's latest round on the theme (:func:`area_matrix`) and per group the
  number of ratings and of urgent ratings (4 or 5) in that round, read from the stored answers:
  the core pools them per municipality and withholds every aggregate under the minimum;
* the statuses of the agreed agenda's targets on the theme. Drafts never count.

Nothing else leaves: no voice, no comment, no agenda text of another municipality.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wijkbeeld.agenda import AreaEntry, NetworkComparison, compare_network
from wijkbeeld.areas.codes import parse_code
from wijkbeeld.urgency import UrgencyError, UrgencyOptions
from wijkbeeld.web.agenda.models import Agenda, AgendaStatus
from wijkbeeld.web.agenda.reading import agenda_state, min_group_size

__all__ = ["network_comparison", "network_entries"]


def _indicator_sets(municipality: str, level: str, using: str) -> dict[tuple[str, int],
                                                                       frozenset[str]]:
    from wijkbeeld.web.figures.loading import figures_frame

    figures = figures_frame(municipality=municipality, level=level, using=using)
    frame = figures.frame.dropna(subset=["value"])
    out: dict[tuple[str, int], set[str]] = {}
    for key, period in zip(frame["indicator"], frame["period"], strict=True):
        ind = figures.indicators.get(key)
        if ind is None or ind.theme is None or ind.context_only:
            continue
        out.setdefault((ind.theme, int(str(period)[:4])), set()).add(str(key))
    return {k: frozenset(v) for k, v in out.items()}


def _round_counts(code: str, using: str) -> dict[str, tuple[str, dict[str, tuple[int, int]]]]:
    """Theme → (latest round key, group → (ratings, urgent ratings)) from the stored answers."""
    from wijkbeeld.web.urgency.reading import responses_frame

    frame = responses_frame(area_code=code, using=using)
    frame = frame[frame["rating"].notna()]
    out: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {}
    urgent_from = UrgencyOptions().urgent_from
    for theme, part in frame.groupby("theme", sort=True):
        latest = str(part["round"].iloc[-1])  # the frame is ordered by round date
        rows = part[part["round"] == latest]
        counts = {str(g): (len(r), int((r["rating"] >= urgent_from).sum()))
                  for g, r in rows.groupby("group")}
        out[str(theme)] = (latest, counts)
    return out


def network_entries(using: str = "default") -> list[AreaEntry]:
    """One entry per taking-part area × theme (see the module docstring)."""
    from wijkbeeld.web.urgency.models import Round
    from wijkbeeld.web.urgency.reading import area_matrix, figure_scores

    agreed = list(Agenda.objects.using(using).filter(status=AgendaStatus.VASTGESTELD))
    codes = {a.area_code for a in agreed}
    codes |= set(Round.objects.using(using).values_list("areas__code", flat=True))
    codes.discard(None)  # type: ignore[arg-type]
    entries: list[AreaEntry] = []
    sets_cache: dict[tuple[str, str], dict[tuple[str, int], frozenset[str]]] = {}
    for code in sorted(codes):
        parsed = parse_code(code)
        muni = parsed.municipality or ""
        scores: pd.DataFrame | None = figure_scores(code, using=using)
        key = (muni, str(parsed.level))
        if key not in sets_cache:
            sets_cache[key] = _indicator_sets(muni, str(parsed.level), using)
        counts = _round_counts(code, using)
        classes: dict[str, str] = {}
        if counts:
            try:
                matrix = area_matrix(code, using=using)
            except UrgencyError:
                matrix = None
            if matrix is not None:
                classes = {r.theme: r.classification.key for r in matrix.rows}
        progress: dict[str, list[str]] = {}
        for agenda in (a for a in agreed if a.area_code == code):
            for item in agenda_state(agenda, using=using, with_figures=False).items:
                progress.setdefault(item.item.theme, []).extend(p.status for p in item.progress)
        themes = set(counts) | set(progress)
        for theme in sorted(themes):
            score: float | None = None
            indicators: frozenset[str] = frozenset()
            if scores is not None:
                own = scores[(scores["area_code"] == code) & (scores["theme"] == theme)]
                own = own.dropna(subset=["score"]).sort_values("year")
                if not own.empty:
                    score = float(own["score"].iloc[-1])
                    year = int(own["year"].iloc[-1])
                    indicators = sets_cache[key].get((theme, year), frozenset())
            entries.append(AreaEntry(
                muni, code, theme, score, indicators, classes.get(theme),
                counts.get(theme, ("", {}))[1], tuple(progress.get(theme, ()))))
    return entries


def network_comparison(using: str = "default") -> NetworkComparison:
    """The learning network of this installation under the site's small-number minimum."""
    return compare_network(network_entries(using), min_n=min_group_size())


def municipality_names(codes: list[str], using: str = "default") -> dict[str, Any]:
    """GM code → stored name (the code itself when unnamed)."""
    from wijkbeeld.web.areas.models import Area

    names = dict(Area.objects.using(using).filter(code__in=codes, level="municipality")
                 .values_list("code", "name"))
    return {c: names.get(c) or c for c in codes}
