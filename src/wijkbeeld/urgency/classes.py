"""Triangulation: the figures (tellen), the groups' ratings and the voices (vertellen) side by side.

Signals per area × theme × round:

* **figures** (F): the theme score from ``compare`` (mean polarity-signed z, *positive =
  favourable*) of the latest figure year not after the round. F is urgent when
  score ≤ −``figures_urgent_z`` (default 0.5: at least "ongunstiger" in the PBL bands).
* **groups**: a reported group is urgent when share_urgent ≥ ``urgent_share`` (0.5) and agrees
  internally when r_wg ≥ ``min_rwg`` (0.5). Residents and professionals whose ratings are absent
  or withheld may be represented by their **voices** (second signal): at least ``min_n`` records
  with a mean urgency ≥ ``voice_urgent_mean`` (3.5) is urgent. Where both exist the round decides
  and a disagreement of the voices is noted.

Decision table (first matching rule wins; "bottom" = residents and professionals):

1. ``gedeeld``: every required group rated by the round, every reported group urgent, every rated
   group agreeing.
2. ``van_bovenaf``: policy or figures urgent; at least one bottom group reported, none urgent.
3. ``gevoeld_niet_gemeten``: a bottom group urgent; figures not urgent (or no figures); policy
   not urgent (or not reported).
4. ``verdeeld``: a reported group urgent and another not, or an urgent group without agreement.
5. ``geen``: at least one bottom group reported, no reported group urgent, figures not urgent.
6. ``onvoldoende``: anything else (too few groups heard to say).

``complete`` is False when a required group is not rated by the round; the class then rests on
the groups that were heard, and the notes say which were not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.urgency.measures import ThemeMeasures
from wijkbeeld.urgency.options import BOTTOM_UP, CLASS_LABELS, GROUP_LABELS, GROUPS, UrgencyOptions

__all__ = [
    "FIGURE_COLUMNS",
    "VOICE_COLUMNS",
    "Classification",
    "FigureSignal",
    "GroupSignal",
    "VoiceSignal",
    "classify",
    "figure_scores_from_themes",
    "figures_at",
    "validate_figure_scores",
    "validate_voices",
    "voices_for",
]

#: Columns of a figures table: the compare theme score per area, theme and year.
FIGURE_COLUMNS: tuple[str, ...] = ("area_code", "theme", "year", "score")
#: Columns of a voices table: per area, theme and bottom-up group the number of voices and their
#: mean urgency (1..5), as the ``voices`` package summarises them.
VOICE_COLUMNS: tuple[str, ...] = ("area_code", "theme", "group", "n", "mean_urgency")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], source: str) -> None:
    missing = [Problem(source, None, c, "required column missing")
               for c in columns if c not in frame.columns]
    if missing:
        raise DataError(missing)


def validate_figure_scores(frame: pd.DataFrame, *, source: str = "figures") -> pd.DataFrame:
    """Check a figures table (:data:`FIGURE_COLUMNS`); NaN score = withheld by compare."""
    _require(frame, FIGURE_COLUMNS, source)
    out = frame[list(FIGURE_COLUMNS)].reset_index(drop=True).copy()
    out["area_code"] = out["area_code"].astype(str).str.strip().str.upper()
    out["theme"] = out["theme"].astype(str).str.strip()
    problems: list[Problem] = []
    years = pd.to_numeric(out["year"], errors="coerce")
    scores = pd.to_numeric(out["score"], errors="coerce")
    for i in range(len(out)):
        if not (math.isfinite(years[i]) and float(years[i]).is_integer()):
            problems.append(Problem(source, i + 2, "year", f"year {out['year'][i]!r} invalid"))
        raw = out["score"][i]
        if math.isnan(scores[i]) and not pd.isna(raw):
            problems.append(Problem(source, i + 2, "score", f"score {raw!r} is not a number"))
    dup = out.duplicated(["area_code", "theme", "year"], keep="first")
    problems.extend(Problem(source, int(i) + 2, "year", "duplicate area, theme and year")
                    for i in dup[dup].index)
    if problems:
        raise DataError(problems)
    out["year"] = years.astype("int64")
    out["score"] = scores.astype("float64")
    return out


def figure_scores_from_themes(themes: pd.DataFrame) -> pd.DataFrame:
    """A figures table from ``Comparison.themes`` (columns ``slice``, ``area_code``, ``theme``,
    ``score``): the year is the first four digits of the period; of several periods in one
    year (quarters) the latest is kept."""
    _require(themes, ("slice", "area_code", "theme", "score"), "compare themes")
    part = themes[["slice", "area_code", "theme", "score"]].copy()
    part["year"] = part["slice"].astype(str).str[:4].astype("int64")
    part = part.sort_values("slice").drop_duplicates(["area_code", "theme", "year"], keep="last")
    return validate_figure_scores(part.sort_values(["area_code", "theme", "year"]),
                                  source="compare themes")


def validate_voices(
    frame: pd.DataFrame, *, source: str = "voices", options: UrgencyOptions | None = None
) -> pd.DataFrame:
    """Check a voices table (:data:`VOICE_COLUMNS`): groups residents/professionals only."""
    scale = (options or UrgencyOptions()).scale_points
    _require(frame, VOICE_COLUMNS, source)
    out = frame[list(VOICE_COLUMNS)].reset_index(drop=True).copy()
    out["area_code"] = out["area_code"].astype(str).str.strip().str.upper()
    problems: list[Problem] = []
    counts = pd.to_numeric(out["n"], errors="coerce")
    means = pd.to_numeric(out["mean_urgency"], errors="coerce")
    for i in range(len(out)):
        if out["group"][i] not in BOTTOM_UP:
            problems.append(Problem(source, i + 2, "group", f"voices come from "
                                    f"{' or '.join(BOTTOM_UP)}, not {out['group'][i]!r}"))
        if not (math.isfinite(counts[i]) and counts[i] >= 0 and float(counts[i]).is_integer()):
            problems.append(Problem(source, i + 2, "n", f"count {out['n'][i]!r} invalid"))
        elif counts[i] > 0 and not 1 <= means[i] <= scale:
            problems.append(Problem(source, i + 2, "mean_urgency",
                                    f"mean urgency {out['mean_urgency'][i]!r} not in 1..{scale}"))
    dup = out.duplicated(["area_code", "theme", "group"], keep="first")
    problems.extend(Problem(source, int(i) + 2, "group", "duplicate area, theme and group")
                    for i in dup[dup].index)
    if problems:
        raise DataError(problems)
    out["n"] = counts.astype("int64")
    out["mean_urgency"] = means.astype("float64")
    return out


@dataclass(frozen=True)
class FigureSignal:
    """The figures' view of a theme: the compare score of ``year`` and whether it is urgent."""

    year: int
    score: float
    urgent: bool

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "score": self.score, "urgent": self.urgent}


def figures_at(
    figures: pd.DataFrame | None, area_code: str, theme: str, year: int | None,
    options: UrgencyOptions,
) -> FigureSignal | None:
    """The score of the latest year ≤ ``year`` (any year when None) that has one."""
    if figures is None or figures.empty:
        return None
    rows = figures[(figures["area_code"] == area_code) & (figures["theme"] == theme)
                   & figures["score"].notna()]
    if year is not None:
        rows = rows[rows["year"] <= year]
    if rows.empty:
        return None
    last = rows.sort_values("year").iloc[-1]
    score = float(last["score"])
    return FigureSignal(int(last["year"]), score, score <= -options.figures_urgent_z)


@dataclass(frozen=True)
class VoiceSignal:
    """Voices of one group on a theme; withheld (no mean, no ``n``) below ``min_n`` records."""

    group: str
    n: int | None
    withheld: bool
    mean_urgency: float | None
    urgent: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "n": self.n, "withheld": self.withheld,
                "mean_urgency": self.mean_urgency, "urgent": self.urgent}


def voices_for(
    voices: pd.DataFrame | None, area_code: str, theme: str, options: UrgencyOptions
) -> dict[str, VoiceSignal]:
    """The voice signals of one area × theme from a validated voices table."""
    if voices is None or voices.empty:
        return {}
    rows = voices[(voices["area_code"] == area_code) & (voices["theme"] == theme)]
    out: dict[str, VoiceSignal] = {}
    for group, count, value in zip(rows["group"].tolist(), rows["n"].tolist(),
                                   rows["mean_urgency"].tolist(), strict=True):
        n = int(count)
        withheld = n < options.min_n
        mean = None if withheld else float(value)
        urgent = None if mean is None else mean >= options.voice_urgent_mean
        out[str(group)] = VoiceSignal(str(group), None if withheld else n, withheld, mean, urgent)
    return out


Basis = Literal["peiling", "stemmen", "geen"]


@dataclass(frozen=True)
class GroupSignal:
    """One group's say on the theme: from the round (``peiling``), its voices, or nothing."""

    group: str
    basis: Basis
    urgent: bool | None
    agreement: bool | None
    voices: VoiceSignal | None

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "label": GROUP_LABELS[self.group], "basis": self.basis,
                "urgent": self.urgent, "agreement": self.agreement,
                "voices": None if self.voices is None else self.voices.to_dict()}


@dataclass(frozen=True)
class Classification:
    """The class of an area × theme × round, with the rule that fired and every signal."""

    key: str
    label: str
    rule: int
    complete: bool
    figures: FigureSignal | None
    signals: tuple[GroupSignal, ...]
    notes: tuple[str, ...]
    options: UrgencyOptions

    def signal(self, group: str) -> GroupSignal:
        """The signal of one group."""
        for s in self.signals:
            if s.group == group:
                return s
        raise KeyError(group)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "rule": self.rule,
                "complete": self.complete,
                "figures": None if self.figures is None else self.figures.to_dict(),
                "signals": [s.to_dict() for s in self.signals], "notes": list(self.notes)}


def _signal(
    group: str, theme: ThemeMeasures | None, voice: VoiceSignal | None, options: UrgencyOptions
) -> GroupSignal:
    cell = None if theme is None else theme.group(group)
    voice = voice if group in BOTTOM_UP else None
    if cell is not None and cell.reported and cell.share_urgent is not None:
        return GroupSignal(group, "peiling", cell.share_urgent >= options.urgent_share,
                           cell.r_wg is not None and cell.r_wg >= options.min_rwg, voice)
    if voice is not None and voice.urgent is not None:
        return GroupSignal(group, "stemmen", voice.urgent, None, voice)
    return GroupSignal(group, "geen", None, None, voice)


def _rule(
    signals: dict[str, GroupSignal], figures: FigureSignal | None, options: UrgencyOptions
) -> tuple[str, int]:
    """The decision table of the module docstring: (class key, rule number)."""
    reported = [s for s in signals.values() if s.urgent is not None]
    urgent = [s for s in reported if s.urgent]
    bottom = [signals[g] for g in BOTTOM_UP if signals[g].urgent is not None]
    f_urgent = figures is not None and figures.urgent
    p_urgent = signals["policy"].urgent is True
    rated = all(signals[g].basis == "peiling" for g in options.required_groups)
    agree = all(s.agreement is True for s in urgent if s.basis == "peiling")
    if rated and len(urgent) == len(reported) and agree:
        return "gedeeld", 1
    if (p_urgent or f_urgent) and bottom and not any(s.urgent for s in bottom):
        return "van_bovenaf", 2
    if any(s.urgent for s in bottom) and not f_urgent and not p_urgent:
        return "gevoeld_niet_gemeten", 3
    if urgent and (len(urgent) < len(reported) or not agree):
        return "verdeeld", 4
    if bottom and not urgent and not f_urgent:
        return "geen", 5
    return "onvoldoende", 6


def _voices_differ(signal: GroupSignal) -> bool:
    """The round and the voices of a group point different ways."""
    voice = signal.voices
    return (signal.basis == "peiling" and voice is not None and voice.urgent is not None
            and voice.urgent != signal.urgent)


def _names(groups: list[str]) -> str:
    return ", ".join(GROUP_LABELS[g] for g in groups)


def classify(
    theme: ThemeMeasures | None,
    figures: FigureSignal | None = None,
    voices: Mapping[str, VoiceSignal] | None = None,
    options: UrgencyOptions | None = None,
) -> Classification:
    """The class of one area × theme × round (see the module docstring for the rules)."""
    options = options or (theme.options if theme is not None else UrgencyOptions())
    voices = voices or {}
    signals = {g: _signal(g, theme, voices.get(g), options) for g in GROUPS}
    key, rule = _rule(signals, figures, options)
    complete = all(signals[g].basis == "peiling" for g in options.required_groups)
    notes: list[str] = []
    if key == "van_bovenaf":
        notes.append("risico op een valse start en op stigmatisering van de buurt")
    if key == "gevoeld_niet_gemeten":
        notes.append("zoek naar een gat in de cijfers of een nieuw probleem")
    if figures is None:
        notes.append("geen cijfers voor dit thema")
    elif key == "gedeeld" and not figures.urgent:
        notes.append(f"de cijfers ({figures.year}) tonen deze urgentie niet: zoek naar een gat "
                     "in de cijfers")
    unheard = [g for g in options.required_groups if signals[g].basis != "peiling"]
    if unheard:
        notes.append(f"niet (genoeg) gepeild: {_names(unheard)}")
    by_voice = [g for g in GROUPS if signals[g].basis == "stemmen"]
    if by_voice:
        notes.append(f"op basis van verhalen: {_names(by_voice)}")
    low = [g for g in GROUPS if signals[g].urgent and signals[g].agreement is False]
    if low:
        notes.append(f"weinig overeenstemming binnen de groep: {_names(low)}")
    differ = [g for g in GROUPS if _voices_differ(signals[g])]
    if differ:
        notes.append(f"verhalen wijken af van de peiling: {_names(differ)}")
    return Classification(key, CLASS_LABELS[key], rule, complete, figures,
                          tuple(signals[g] for g in GROUPS), tuple(notes), options)
