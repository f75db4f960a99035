"""Persistence: rounds and figure years as a timeline per area and theme, and the alerts.

Urgency must last: when the trigger fades, the job is not done (DESIGN.md §1 step 5, §6). The
timeline puts the rounds (peilingen) that asked about a theme beside the theme score of every
figure year and the triggers (aanleidingen). Alerts are evaluated at the latest round (or at
``as_of``), comparing the **previous round** with the **latest round** for the groups, and the
figures *in effect at the previous round* (latest year ≤ its year) with the **latest figures**
(latest year ≤ ``as_of``'s year; every year when ``as_of`` is None):

* ``urgentie_neemt_af``: a group reported in both rounds, urgent before (share ≥
  ``urgent_share``), lost at least ``fade_drop`` of its share urgent; the theme score rose by
  less than ``improve_delta``; the latest figures are still urgent.
* ``aanleiding_vervaagd``: a trigger on the theme has status ``vervaagd`` or ``opgelost`` while
  the latest figures are urgent or a group in the latest round still finds the theme urgent
  (the message says since when, when the trigger knows the date of its status).
* ``nieuwe_urgentie``: a group reported in both rounds crossed ``urgent_share`` upwards, or the
  figures became urgent since the previous round.
* ``cijfers_verbeteren``: the theme score rose by at least ``improve_delta``.

With one round the figure baseline is the year in effect at that round; with none, the first
figure year. Every alert keeps the numbers it rests on (rounds, n and shares, years and scores,
the trigger). Comparisons allow 1e-9 for floating-point rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from wijkbeeld.urgency.classes import Classification, FigureSignal, classify, figures_at
from wijkbeeld.urgency.measures import Measures, ThemeMeasures
from wijkbeeld.urgency.options import (
    ALERT_LABELS,
    GROUP_LABELS,
    GROUPS,
    TRIGGER_STATUSES,
    UrgencyOptions,
)
from wijkbeeld.urgency.responses import RoundInfo
from wijkbeeld.urgency.triggers import StatusChange

__all__ = [
    "Alert",
    "FigureChange",
    "FigurePoint",
    "GroupChange",
    "RoundPoint",
    "Timeline",
    "Trigger",
    "order_rounds",
    "timeline",
    "timelines",
]

_EPS = 1e-9


@dataclass(frozen=True)
class Trigger:
    """An aanleiding: what started the attention, kept apart from the state of the area.

    ``theme`` None: about the area as a whole (shown on every timeline, never alerted).
    ``since``: the trigger's own date; ``status_since``: the date it got its current status
    (None: unknown, e.g. a trigger from a file); ``history``: every dated status, oldest first
    (the first is the status it was recorded with)."""

    area_code: str
    theme: str | None
    label: str
    status: str
    since: date | None = None
    status_since: date | None = None
    history: tuple[StatusChange, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in TRIGGER_STATUSES:
            raise ValueError(f"trigger status must be one of {TRIGGER_STATUSES}, "
                             f"not {self.status!r}")
        object.__setattr__(self, "area_code", self.area_code.strip().upper())

    def to_dict(self) -> dict[str, Any]:
        return {"area_code": self.area_code, "theme": self.theme, "label": self.label,
                "status": self.status,
                "since": None if self.since is None else self.since.isoformat(),
                "status_since": None if self.status_since is None
                else self.status_since.isoformat(),
                "history": [c.to_dict() for c in self.history]}


@dataclass(frozen=True)
class GroupChange:
    """A group's share urgent in two rounds (``before`` None when only the latest counts)."""

    group: str
    round_after: str
    n_after: int | None
    share_after: float
    round_before: str | None = None
    n_before: int | None = None
    share_before: float | None = None

    @property
    def change(self) -> float | None:
        return None if self.share_before is None else self.share_after - self.share_before

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "round_before": self.round_before,
                "n_before": self.n_before, "share_before": self.share_before,
                "round_after": self.round_after, "n_after": self.n_after,
                "share_after": self.share_after, "change": self.change}


@dataclass(frozen=True)
class FigureChange:
    """The theme score (positive = favourable) of two figure years."""

    year_before: int
    score_before: float
    year_after: int
    score_after: float

    @property
    def change(self) -> float:
        """After minus before: positive = the figures improved."""
        return self.score_after - self.score_before

    def to_dict(self) -> dict[str, Any]:
        return {"year_before": self.year_before, "score_before": self.score_before,
                "year_after": self.year_after, "score_after": self.score_after,
                "change": self.change}


@dataclass(frozen=True)
class Alert:
    """A persistence alert with every number it rests on."""

    kind: str
    area_code: str
    theme: str
    message: str
    round_before: str | None
    round_after: str | None
    groups: tuple[GroupChange, ...] = ()
    figures: FigureChange | None = None
    trigger: Trigger | None = None
    basis: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return ALERT_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "area_code": self.area_code,
                "theme": self.theme, "message": self.message,
                "round_before": self.round_before, "round_after": self.round_after,
                "groups": [g.to_dict() for g in self.groups],
                "figures": None if self.figures is None else self.figures.to_dict(),
                "trigger": None if self.trigger is None else self.trigger.to_dict(),
                "basis": list(self.basis)}


@dataclass(frozen=True)
class FigurePoint:
    """One figure year on the timeline (score None: withheld by compare)."""

    year: int
    score: float | None
    urgent: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "score": self.score, "urgent": self.urgent}


@dataclass(frozen=True)
class RoundPoint:
    """One round on the timeline: its measures and class (figures of the round's year)."""

    round: RoundInfo
    measures: ThemeMeasures
    classification: Classification

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round.to_dict(), "class": self.classification.key,
                "class_label": self.classification.label,
                "consensus": self.measures.consensus,
                "groups": {g.group: {"n": g.n, "withheld": g.withheld,
                                     "share_urgent": g.share_urgent, "mean": g.mean}
                           for g in self.measures.groups}}


@dataclass(frozen=True)
class Timeline:
    """Rounds, figure years, triggers and alerts of one area × theme."""

    area_code: str
    theme: str
    rounds: tuple[RoundPoint, ...]
    figures: tuple[FigurePoint, ...]
    triggers: tuple[Trigger, ...]
    alerts: tuple[Alert, ...]
    notes: tuple[str, ...]
    options: UrgencyOptions

    def to_dict(self) -> dict[str, Any]:
        return {"area_code": self.area_code, "theme": self.theme,
                "rounds": [r.to_dict() for r in self.rounds],
                "figures": [f.to_dict() for f in self.figures],
                "triggers": [t.to_dict() for t in self.triggers],
                "alerts": [a.to_dict() for a in self.alerts], "notes": list(self.notes)}


def order_rounds(rounds: Sequence[RoundInfo], as_of: str | None = None) -> tuple[RoundInfo, ...]:
    """Rounds by date (then key), up to and including ``as_of``."""
    ordered = sorted(rounds, key=lambda r: (r.held_on, r.key))
    if len({r.key for r in ordered}) != len(ordered):
        raise ValueError("round keys must be unique")
    if as_of is None:
        return tuple(ordered)
    keys = [r.key for r in ordered]
    if as_of not in keys:
        raise ValueError(f"unknown round {as_of!r}")
    return tuple(ordered[: keys.index(as_of) + 1])


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _num(x: float) -> str:
    return f"{x:.2f}".replace(".", ",").replace("-", "−")


def _share_text(changes: Sequence[GroupChange]) -> str:
    return "; ".join(
        f"{GROUP_LABELS[c.group]} {_pct(c.share_before or 0.0)} → {_pct(c.share_after)} urgent"
        for c in changes)


def _fig_text(change: FigureChange) -> str:
    same = " (zelfde cijferjaar)" if change.year_before == change.year_after else ""
    return (f"themascore {change.year_before} {_num(change.score_before)} → "
            f"{change.year_after} {_num(change.score_after)}{same}")


def _changes(before: ThemeMeasures, after: ThemeMeasures) -> list[GroupChange]:
    out = []
    for group in GROUPS:
        a, b = before.group(group), after.group(group)
        if a is None or b is None or a.share_urgent is None or b.share_urgent is None:
            continue
        out.append(GroupChange(group, after.round, b.n, b.share_urgent, before.round, a.n,
                               a.share_urgent))
    return out


def _alerts(
    area: str, theme: str, points: Sequence[RoundPoint], baseline: FigureSignal | None,
    latest: FigureSignal | None, triggers: Sequence[Trigger], options: UrgencyOptions,
) -> tuple[list[Alert], list[str]]:
    alerts: list[Alert] = []
    notes: list[str] = []
    prev = points[-2] if len(points) >= 2 else None
    last = points[-1] if points else None
    r_before = None if prev is None else prev.round.key
    r_after = None if last is None else last.round.key
    fig = None if baseline is None or latest is None else FigureChange(
        baseline.year, baseline.score, latest.year, latest.score)
    changes = [] if prev is None or last is None else _changes(prev.measures, last.measures)
    faded = [c for c in changes if (c.share_before or 0.0) >= options.urgent_share - _EPS
             and (c.share_before or 0.0) - c.share_after >= options.fade_drop - _EPS]
    if faded and (fig is None or latest is None):
        notes.append("urgentie neemt af; zonder cijfers is niet te zeggen of de opgave blijft")
    elif faded and fig is not None and latest is not None and latest.urgent \
            and fig.change < options.improve_delta - _EPS:
        alerts.append(Alert(
            "urgentie_neemt_af", area, theme,
            f"{ALERT_LABELS['urgentie_neemt_af']}: {_share_text(faded)} "
            f"({r_before} → {r_after}); {_fig_text(fig)}",
            r_before, r_after, tuple(faded), fig, basis=("peiling", "cijfers")))
    now_urgent = [] if last is None else [
        GroupChange(g.group, last.round.key, g.n, g.share_urgent)
        for g in last.measures.groups
        if g.share_urgent is not None and g.share_urgent >= options.urgent_share - _EPS]
    for trig in triggers:
        if trig.theme != theme or trig.status == "actief":
            continue
        basis = (("cijfers",) if latest is not None and latest.urgent else ()) + (
            ("peiling",) if now_urgent else ())
        if not basis:
            continue
        since = "" if trig.status_since is None else f" sinds {trig.status_since.isoformat()}"
        parts = [f"aanleiding '{trig.label}' is {trig.status}{since}"]
        if "cijfers" in basis and latest is not None:
            parts.append(f"themascore {latest.year} {_num(latest.score)}")
        if now_urgent:
            parts.append("; ".join(f"{GROUP_LABELS[c.group]} {_pct(c.share_after)} urgent "
                                   f"({c.round_after})" for c in now_urgent))
        alerts.append(Alert(
            "aanleiding_vervaagd", area, theme,
            f"{ALERT_LABELS['aanleiding_vervaagd']}: {'; '.join(parts)}", None, r_after,
            tuple(now_urgent) if "peiling" in basis else (), fig, trig, basis))
    risen = [c for c in changes if (c.share_before or 0.0) < options.urgent_share - _EPS
             <= c.share_after]
    fig_new = fig is not None and baseline is not None and latest is not None \
        and not baseline.urgent and latest.urgent
    if risen or fig_new:
        parts = [_share_text(risen)] if risen else []
        if fig_new and fig is not None:
            parts.append(_fig_text(fig))
        alerts.append(Alert(
            "nieuwe_urgentie", area, theme,
            f"{ALERT_LABELS['nieuwe_urgentie']}: {'; '.join(parts)}", r_before, r_after,
            tuple(risen), fig if fig_new else None,
            basis=(("peiling",) if risen else ()) + (("cijfers",) if fig_new else ())))
    if fig is not None and fig.change >= options.improve_delta - _EPS:
        alerts.append(Alert(
            "cijfers_verbeteren", area, theme,
            f"{ALERT_LABELS['cijfers_verbeteren']}: {_fig_text(fig)}", r_before, r_after,
            (), fig, basis=("cijfers",)))
    return alerts, notes


def timeline(
    measures: Measures,
    area_code: str,
    theme: str,
    rounds: Sequence[RoundInfo],
    *,
    figures: pd.DataFrame | None = None,
    triggers: Sequence[Trigger] = (),
    as_of: str | None = None,
) -> Timeline:
    """The timeline and alerts of one area × theme (see the module docstring).

    ``figures``: a validated figures table (``validate_figure_scores``); ``rounds``: every round
    the measures refer to (a measured round missing here is an error)."""
    options = measures.options
    code = area_code.strip().upper()
    ordered = order_rounds(rounds, as_of)
    known = {r.key for r in rounds}
    unknown = sorted({t.round for t in measures.for_area(code)} - known)
    if unknown:
        raise ValueError(f"rounds without a date: {', '.join(unknown)}")
    points = []
    for info in ordered:
        cell = measures.get(info.key, code, theme)
        if cell is None:
            continue
        signal = figures_at(figures, code, theme, info.year, options)
        points.append(RoundPoint(info, cell, classify(cell, signal, None, options)))
    until = None if as_of is None else ordered[-1].year
    fig_rows: list[FigurePoint] = []
    if figures is not None:
        own = figures[(figures["area_code"] == code) & (figures["theme"] == theme)]
        own = own.sort_values("year")
        for year, value in zip(own["year"].tolist(), own["score"].tolist(), strict=True):
            if until is not None and int(year) > until:
                continue
            score = None if math.isnan(value) else float(value)
            fig_rows.append(FigurePoint(
                int(year), score, None if score is None else score <= -options.figures_urgent_z))
    latest = figures_at(figures, code, theme, until, options)
    if len(points) >= 1:
        base_round = points[-2] if len(points) >= 2 else points[-1]
        baseline = figures_at(figures, code, theme, base_round.round.year, options)
    else:
        scored = [f for f in fig_rows if f.score is not None]
        baseline = None if not scored else FigureSignal(
            scored[0].year, float(scored[0].score or 0.0), bool(scored[0].urgent))
    mine = tuple(t for t in triggers if t.area_code == code and t.theme in (theme, None))
    alerts, notes = _alerts(code, theme, points, baseline, latest, mine, options)
    return Timeline(code, theme, tuple(points), tuple(fig_rows), mine, tuple(alerts),
                    tuple(notes), options)


def timelines(
    measures: Measures,
    area_code: str,
    rounds: Sequence[RoundInfo],
    *,
    figures: pd.DataFrame | None = None,
    triggers: Sequence[Trigger] = (),
    as_of: str | None = None,
) -> tuple[Timeline, ...]:
    """A timeline per theme asked about in the area (up to ``as_of``) or carrying a trigger."""
    code = area_code.strip().upper()
    keys = {r.key for r in order_rounds(rounds, as_of)}
    themes = {t.theme for t in measures.for_area(code) if t.round in keys}
    themes |= {t.theme for t in triggers if t.area_code == code and t.theme is not None}
    return tuple(timeline(measures, code, theme, rounds, figures=figures, triggers=triggers,
                          as_of=as_of) for theme in sorted(themes))
