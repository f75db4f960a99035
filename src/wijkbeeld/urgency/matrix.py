"""The urgency matrix of one area and round: themes × groups, with class, consensus,
recognition, withheld cells and alerts — what ``wijkbeeld urgency AREA`` prints and the
dashboard shows.

:func:`urgency_matrix` takes plain data (responses, rounds with dates, and optionally the
figures table, a voices table and triggers), computes the measures, classes and alerts, and
returns an immutable :class:`UrgencyMatrix`; :meth:`UrgencyMatrix.to_dict` is the JSON of the
CLI, the API and the report. Withheld numbers are never in the object, so never in its JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.urgency.classes import (
    Classification,
    classify,
    figures_at,
    validate_figure_scores,
    validate_voices,
    voices_for,
)
from wijkbeeld.urgency.measures import GroupMeasures, ThemeMeasures, measure
from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS, UrgencyOptions
from wijkbeeld.urgency.persistence import Alert, Trigger, order_rounds, timelines
from wijkbeeld.urgency.responses import Responses, RoundInfo, validate_responses
from wijkbeeld.urgency.shift import PictureShift, picture_shifts

__all__ = ["MatrixRow", "UrgencyError", "UrgencyMatrix", "urgency_matrix"]


class UrgencyError(LookupError):
    """No answers for the area or round asked for."""


def _cell_dict(cell: GroupMeasures | None) -> dict[str, Any] | None:
    return None if cell is None else cell.to_dict()


@dataclass(frozen=True)
class MatrixRow:
    """One theme of the matrix: its measures (None: nobody answered), class and alerts."""

    theme: str
    measures: ThemeMeasures | None
    classification: Classification
    alerts: tuple[Alert, ...]

    def cell(self, group: str) -> GroupMeasures | None:
        """The measures of one group, None when it gave no answers on the theme."""
        return None if self.measures is None else self.measures.group(group)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready row: class, consensus, gap and a cell per group (None: no answers)."""
        part = None if self.measures is None else self.measures.to_dict()
        return {
            "theme": self.theme,
            "class": self.classification.to_dict(),
            "consensus": None if part is None else part["consensus"],
            "gap": None if part is None else part["gap"],
            "cells": {g: _cell_dict(self.cell(g)) for g in GROUPS},
            "alerts": [a.to_dict() for a in self.alerts],
        }


@dataclass(frozen=True)
class UrgencyMatrix:
    """Themes × groups for one area and round, with the alerts as of that round."""

    area_code: str
    round: RoundInfo
    rounds: tuple[RoundInfo, ...]
    rows: tuple[MatrixRow, ...]
    alerts: tuple[Alert, ...]
    options: UrgencyOptions
    #: Per theme × group the change after the picture in the chosen round (blind rounds only).
    shifts: tuple[PictureShift, ...] = ()

    def shift(self, theme: str, group: str) -> PictureShift | None:
        """The change after the picture of one theme × group (None: not measured)."""
        return next((s for s in self.shifts if s.theme == theme and s.group == group), None)

    def row(self, theme: str) -> MatrixRow:
        """The row of one theme."""
        for row in self.rows:
            if row.theme == theme:
                return row
        raise KeyError(theme)

    def cell(self, theme: str, group: str) -> GroupMeasures | None:
        """The measures of one theme × group."""
        return self.row(theme).cell(group)

    def withheld(self) -> list[dict[str, Any]]:
        """Every withheld measure: theme, group and what (oordeel/herkenning); never its n."""
        out: list[dict[str, Any]] = []
        for row in self.rows:
            for group in GROUPS:
                cell = row.cell(group)
                if cell is None:
                    continue
                if cell.withheld:
                    out.append({"theme": row.theme, "group": group, "what": "oordeel"})
                if cell.recognition_withheld:
                    out.append({"theme": row.theme, "group": group, "what": "herkenning"})
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``wijkbeeld urgency AREA --json``, the API and the report."""
        return {
            "area_code": self.area_code,
            "round": self.round.to_dict(),
            "rounds": [r.to_dict() for r in self.rounds],
            "groups": [{"key": g, "label": GROUP_LABELS[g]} for g in GROUPS],
            "themes": [r.to_dict() for r in self.rows],
            "alerts": [a.to_dict() for a in self.alerts],
            "withheld": self.withheld(),
            "picture_shift": [s.to_dict() for s in self.shifts],
            "options": self.options.to_dict(),
        }


def _theme_order(themes: set[str]) -> list[str]:
    known = [t for t in THEME_KEYS if t in themes]
    return known + sorted(themes - set(THEME_KEYS))


def urgency_matrix(
    responses: Responses | pd.DataFrame,
    area: str,
    rounds: Sequence[RoundInfo],
    *,
    round_key: str | None = None,
    figures: pd.DataFrame | None = None,
    voices: pd.DataFrame | None = None,
    triggers: Sequence[Trigger] = (),
    themes: Sequence[str] | None = None,
    options: UrgencyOptions | None = None,
    after: pd.DataFrame | None = None,
) -> UrgencyMatrix:
    """The matrix of ``area`` in ``round_key`` (default: its latest round with answers).

    ``figures``: area, theme, year, score (the compare theme score; see
    :func:`~wijkbeeld.urgency.classes.figure_scores_from_themes`); ``voices``: area, theme,
    group, n, mean_urgency; ``themes``: the rows to show (default: the themes asked about).
    Alerts are evaluated as of the chosen round, with the figures up to its year. ``after``:
    the ratings given after the picture (:data:`~wijkbeeld.urgency.shift.SHIFT_COLUMNS`); the
    ``rating`` of ``responses`` is the blind one, the measure.
    """
    options = options or UrgencyOptions()
    if isinstance(responses, pd.DataFrame):
        responses = validate_responses(responses, options=options)
    try:
        code = parse_code(area).code
    except InvalidAreaCode as exc:
        raise UrgencyError(str(exc)) from exc
    figs = None if figures is None else validate_figure_scores(figures)
    vcs = None if voices is None else validate_voices(voices, options=options)
    own = responses.for_area(code)
    if len(own) == 0:
        raise UrgencyError(f"geen antwoorden voor {code}")
    ordered = order_rounds(rounds)
    dated = {r.key: r for r in ordered}
    missing = sorted(set(own.rounds) - set(dated))
    if missing:
        raise UrgencyError(f"rondes zonder datum: {', '.join(missing)}")
    answered = [r for r in ordered if r.key in set(own.rounds)]
    if round_key is None:
        chosen = answered[-1]
    elif round_key in {r.key for r in answered}:
        chosen = dated[round_key]
    else:
        raise UrgencyError(f"geen antwoorden voor {code} in ronde {round_key!r}")
    measures = measure(own, options)
    asked = {t.theme for t in measures.for_area(code) if t.round == chosen.key}
    row_themes = list(themes) if themes is not None else _theme_order(asked)
    lines = timelines(measures, code, ordered, figures=figs, triggers=triggers, as_of=chosen.key)
    alerts = tuple(a for line in lines for a in line.alerts)
    rows = []
    for theme in row_themes:
        cell = measures.get(chosen.key, code, theme)
        signal = figures_at(figs, code, theme, chosen.year, options)
        cls = classify(cell, signal, voices_for(vcs, code, theme, options), options)
        rows.append(MatrixRow(theme, cell, cls, tuple(a for a in alerts if a.theme == theme)))
    shifts: tuple[PictureShift, ...] = ()
    if after is not None and len(after):
        part = after[(after["round"] == chosen.key) & (after["area_code"] == code)]
        shifts = tuple(s for s in picture_shifts(part, options) if s.theme in set(row_themes))
    return UrgencyMatrix(code, chosen, tuple(answered), tuple(rows), alerts, options, shifts)
