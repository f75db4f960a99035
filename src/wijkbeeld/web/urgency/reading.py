"""Read stored rounds into the plain data the core :mod:`wijkbeeld.urgency` expects, and build
the urgency matrix of an area; the dashboard and ``wijkbeeld urgency AREA`` both call
:func:`area_matrix`.

* :func:`responses_frame`: one row per respondent × theme (``RESPONSE_COLUMNS``), one query;
* :func:`round_infos`: the rounds as :class:`~wijkbeeld.urgency.RoundInfo` (key, date, title);
* :func:`figure_scores`: the compare theme scores of the area's level in its municipality
  (``figure_scores_from_themes``), or None when no figures are stored;
* :func:`area_matrix`: all of it through :func:`~wijkbeeld.urgency.urgency_matrix`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.urgency import (
    RESPONSE_COLUMNS,
    RoundInfo,
    UrgencyMatrix,
    UrgencyOptions,
    figure_scores_from_themes,
    urgency_matrix,
    validate_responses,
)
from wijkbeeld.web.urgency.models import Answer, Round

__all__ = ["area_matrix", "figure_scores", "responses_frame", "round_infos"]

_FIELDS = (
    ("response__round__key", "round"),
    ("response__area__code", "area_code"),
    ("theme", "theme"),
    ("response__group", "group"),
    ("rating", "rating"),
    ("recognition", "recognition"),
    ("response__organisation_type", "organisation_type"),
    ("response__respondent", "respondent"),
)


def responses_frame(
    rounds: Round | Iterable[Round] | None = None,
    *,
    area_code: str | None = None,
    using: str = "default",
) -> pd.DataFrame:
    """The stored answers as the core's input frame (columns ``RESPONSE_COLUMNS``).

    ``rounds``: one round, several, or None for all; ``area_code``: only answers about that area.
    Ratings are float (NaN = "weet niet"), recognition None when not answered.
    """
    qs = Answer.objects.using(using)
    if isinstance(rounds, Round):
        qs = qs.filter(response__round=rounds)
    elif rounds is not None:
        qs = qs.filter(response__round__in=list(rounds))
    if area_code is not None:
        qs = qs.filter(response__area__code=parse_code(area_code).code)
    rows = list(qs.order_by("response__round__held_on", "response_id", "id")
                .values_list(*(f for f, _ in _FIELDS)))
    frame = pd.DataFrame.from_records(rows, columns=[c for _, c in _FIELDS])
    frame["rating"] = pd.to_numeric(frame["rating"], errors="raise").astype("float64")
    frame["recognition"] = pd.Series(
        [r or None for r in frame["recognition"]], index=frame.index, dtype=object)
    return frame[list(RESPONSE_COLUMNS)]


def round_infos(
    area_code: str | None = None, *, using: str = "default"
) -> list[RoundInfo]:
    """The rounds (about ``area_code`` when given) as ``RoundInfo``, oldest first."""
    qs = Round.objects.using(using)
    if area_code is not None:
        qs = qs.filter(areas__code=parse_code(area_code).code).distinct()
    return [RoundInfo(r.key, r.held_on, r.title) for r in qs.order_by("held_on", "key")]


def figure_scores(area_code: str, *, using: str = "default") -> pd.DataFrame | None:
    """Theme scores per year of the areas of ``area_code``'s level in its municipality (the
    default compare reference), or None when no figures of that level are stored."""
    from wijkbeeld.compare import compare_all
    from wijkbeeld.web.figures.loading import figures_frame

    code = parse_code(area_code)
    figures = figures_frame(municipality=code.municipality, level=str(code.level), using=using)
    if figures.frame.empty or code.code not in set(figures.frame["area_code"]):
        return None
    themes = compare_all(figures).themes
    if themes.empty:
        return None
    return figure_scores_from_themes(themes)


def area_matrix(
    area_code: str,
    *,
    round_key: str | None = None,
    with_figures: bool = True,
    options: UrgencyOptions | None = None,
    using: str = "default",
) -> UrgencyMatrix:
    """The urgency matrix of an area (default: its latest round with answers), with the stored
    figures' theme scores beside the ratings. Raises ``UrgencyError`` when nothing was answered.
    """
    options = options or UrgencyOptions()
    code = parse_code(area_code).code
    frame = responses_frame(area_code=code, using=using)
    responses = validate_responses(frame, source="database", options=options)
    figures = figure_scores(code, using=using) if with_figures else None
    rnds = list(Round.objects.using(using).filter(key__in=set(frame["round"]))
                .order_by("held_on", "key"))
    # Rows: every theme the chosen round asked about, also those nobody answered yet.
    chosen = rnds[-1] if round_key is None and rnds else next(
        (r for r in rnds if r.key == round_key), None)
    infos = [RoundInfo(r.key, r.held_on, r.title) for r in rnds]
    return urgency_matrix(responses, code, infos, round_key=round_key, figures=figures,
                          themes=None if chosen is None else list(chosen.themes),
                          options=options)
