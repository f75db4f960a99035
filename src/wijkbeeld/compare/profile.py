"""The profile of one area: how it stands, per indicator and per theme, with its strengths.

:func:`profile` slices a :class:`~wijkbeeld.compare.comparison.Comparison` (computing one over
just the areas it needs when given figures) and returns an immutable :class:`Profile` that keeps
the options, the reference set of every figure (kind, n, mean, SD, weights) and the seed, and
turns into the JSON the CLI prints (:meth:`Profile.to_dict`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wijkbeeld.compare.comparison import Comparison, compare_all
from wijkbeeld.compare.frame import Figures
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.compare.peers import PeerSet, find_peers
from wijkbeeld.compare.themes import RANK_GROUP_COLUMNS, strengths_and_challenges, theme_scores
from wijkbeeld.figures.catalogue import no_headline_keys

__all__ = ["Highlight", "IndicatorResult", "Profile", "ProfileError", "ThemeResult", "profile"]


class ProfileError(LookupError):
    """The area (or the requested year) has no figures."""


def _clean(value: Any) -> Any:
    """JSON-safe: NaN → None, numpy scalars → Python, lists/tuples recursively."""
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class IndicatorResult:
    """One figure of the area against its reference set (every number with its parameters)."""

    indicator: str
    name_nl: str
    name_en: str
    source_column: str
    source: str
    theme: str
    unit: str
    polarity: str
    context_only: bool
    period: str
    status: str
    measure: str
    raw_value: float
    base: str
    base_value: float
    value: float
    value_shrunk: float
    value_compared: float
    reference_kind: str
    reference_group: str
    reference_source: str
    ref_n: float
    ref_n_weighted: float
    ref_mean: float
    ref_sd: float
    ref_ddof: int
    ref_median: float
    ref_mad: float
    reference_value: float
    difference: float
    z: float
    robust_z: float
    percentile: float
    index: float
    signed_z: float
    band: str
    band_label: str
    reliability: str
    reliability_reason: str


@dataclass(frozen=True)
class ThemeResult:
    """A theme score with its coverage, flags, rank and stability (see ``themes``)."""

    theme: str
    score: float
    n_available: int
    n_total: int
    coverage: float
    indicators: tuple[str, ...]
    unavailable: tuple[str, ...]
    flags: tuple[str, ...]
    withheld_reason: str
    rank: float
    n_ranked: float
    quintile: float
    stability: float
    stability_draws: int
    seed: int


@dataclass(frozen=True)
class Highlight:
    """A strength or a challenge: a clearly (un)favourable figure."""

    kind: str
    indicator: str
    theme: str
    value: float
    reference_value: float
    signed_z: float
    percentile: float
    band_label: str
    reliability: str


@dataclass(frozen=True)
class Profile:
    """How one area stands. Immutable; keeps its options and reference definitions."""

    area_code: str
    area_name: str
    level: str
    municipality: str
    parent_code: str
    year: int | None
    options: CompareOptions
    indicators: tuple[IndicatorResult, ...]
    themes: tuple[ThemeResult, ...]
    strengths: tuple[Highlight, ...]
    challenges: tuple[Highlight, ...]
    peers: PeerSet | None = field(default=None, repr=False)
    notes: tuple[str, ...] = ()

    def indicator(self, key: str) -> IndicatorResult:
        """The result for one indicator key."""
        for row in self.indicators:
            if row.indicator == key:
                return row
        raise KeyError(key)

    def theme(self, key: str) -> ThemeResult:
        """The score of one theme."""
        for row in self.themes:
            if row.theme == key:
                return row
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``wijkbeeld profile AREA --json``."""
        return {
            "area": {"code": self.area_code, "name": self.area_name, "level": self.level,
                     "municipality": self.municipality, "parent": self.parent_code},
            "year": self.year,
            "reference": self.options.reference,
            "options": _clean(self.options.to_dict()),
            "indicators": [_clean(asdict(r)) for r in self.indicators],
            "themes": [_clean(asdict(t)) for t in self.themes],
            "strengths": [_clean(asdict(h)) for h in self.strengths],
            "challenges": [_clean(asdict(h)) for h in self.challenges],
            "peers": None if self.peers is None else _clean(self.peers.to_dict()),
            "notes": list(self.notes),
        }


def _relevant(figures: Figures, code: str, options: CompareOptions) -> Figures:
    """Only the rows a profile of ``code`` needs: its level (and municipality when the
    reference set stays inside it), plus its parent's rows for the parent reference."""
    frame = figures.frame
    own = frame[frame["area_code"] == code]
    if own.empty:
        raise ProfileError(f"geen cijfers voor {code}")
    level, municipality, parent = own.iloc[0][["level", "municipality", "parent_code"]]
    mask = (frame["level"] == level).to_numpy().copy()
    local = options.reference in ("municipality", "parent") or (
        options.reference == "peers" and options.peer_scope == "municipality"
    )
    if local:
        mask &= (frame["municipality"] == municipality).to_numpy()
    if options.reference == "parent":
        mask |= (frame["area_code"] == parent).to_numpy()
    return figures.restrict(mask)


def profile(
    source: Figures | Comparison,
    area: str,
    *,
    year: int | None = None,
    options: CompareOptions | None = None,
) -> Profile:
    """The profile of ``area`` for ``year`` (default: per indicator its latest period)."""
    code = area.strip().upper()
    if isinstance(source, Comparison):
        comparison = source
    else:
        opts = options or CompareOptions()
        comparison = compare_all(_relevant(source, code, opts), opts, themes=False)
    options = comparison.options
    results = comparison.results
    own = results[results["area_code"] == code]
    if own.empty:
        raise ProfileError(f"geen cijfers voor {code}")
    if year is not None:
        own = own[own["period"].str[:4] == str(year)]
        if own.empty:
            raise ProfileError(f"geen cijfers voor {code} in {year}")
    own = own.sort_values(["indicator", "period"]).drop_duplicates("indicator", keep="last")
    chosen = own[["indicator", "period"]]
    first = own.iloc[0]

    group_cols = list(RANK_GROUP_COLUMNS.get(options.reference, ("level", "municipality")))
    in_group = np.ones(len(results), dtype=bool)
    for col in group_cols:
        in_group &= (results[col] == first[col]).to_numpy()
    group = results[in_group].merge(chosen, on=["indicator", "period"], how="inner")
    group["slice"] = "profile"
    themes = theme_scores(group, options)
    themes = themes[themes["area_code"] == code]
    highlights = strengths_and_challenges(group[group["area_code"] == code], options)
    peers = _peers(comparison, code, own)
    defs = comparison.figures.indicators
    # A stigmatising figure (detention, extreme BMI, addiction: issue 19) stays in the table
    # and counts in scores and signals, but never leads the page as a strength or challenge.
    quiet = no_headline_keys() | {k for k, d in defs.items() if not d.headline}
    highlights = highlights[~highlights["indicator"].isin(quiet)]
    indicators = tuple(_indicator_result(row, defs, options) for row in
                       _records(own.sort_values(["theme", "indicator"])))
    notes = list(comparison.figures.notes)
    periods = sorted(own["period"].unique().tolist())
    if len(periods) > 1:
        notes.append(f"cijfers uit verschillende perioden: {', '.join(periods)}")
    return Profile(
        area_code=code,
        area_name=str(first["area_name"]),
        level=str(first["level"]),
        municipality=str(first["municipality"]),
        parent_code=str(first["parent_code"]),
        year=year,
        options=options,
        indicators=indicators,
        themes=tuple(_theme_result(t, options) for t in _records(themes)),
        strengths=tuple(_highlight(h) for h in _records(highlights)
                        if h["kind"] == "strength"),
        challenges=tuple(_highlight(h) for h in _records(highlights)
                         if h["kind"] == "challenge"),
        peers=peers,
        notes=tuple(notes),
    )


def _peers(comparison: Comparison, code: str, own: pd.DataFrame) -> PeerSet | None:
    """The explained peer set of the area, in the period of its context figures."""
    options = comparison.options
    context = own[own["indicator"].isin(options.peer_indicators)]
    if context.empty:
        return None
    period = str(context["period"].mode().iloc[0])
    peers = comparison.peers
    if peers is None:
        results = comparison.results
        pool = results[(results["period"] == period) & (results["level"] == own.iloc[0]["level"])]
        peers = find_peers(pool, options, areas=[code])
    return peers.for_area(code, period)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict(orient="records")]


def _indicator_result(
    row: dict[str, Any], defs: Any, options: CompareOptions
) -> IndicatorResult:
    ind = defs[row["indicator"]]
    names = {f: row[f] for f in IndicatorResult.__dataclass_fields__ if f in row}
    return IndicatorResult(**{
        **names,
        "name_nl": ind.name_nl,
        "name_en": ind.name_en,
        "context_only": bool(row["context_only"]),
        "ref_ddof": options.ddof,
        "band": str(row["band"]),
        "reliability": str(row["reliability"]),
    })


def _theme_result(row: dict[str, Any], options: CompareOptions) -> ThemeResult:
    return ThemeResult(
        theme=str(row["theme"]), score=float(row["score"]), n_available=int(row["n_available"]),
        n_total=int(row["n_total"]), coverage=float(row["coverage"]),
        indicators=tuple(row["indicators"]), unavailable=tuple(row["unavailable"]),
        flags=tuple(row["flags"]), withheld_reason=str(row["withheld_reason"]),
        rank=float(row["rank"]), n_ranked=float(row["n_ranked"]),
        quintile=float(row["quintile"]), stability=float(row["stability"]),
        stability_draws=int(row["stability_draws"]), seed=options.seed,
    )


def _highlight(row: dict[str, Any]) -> Highlight:
    return Highlight(
        kind=str(row["kind"]), indicator=str(row["indicator"]), theme=str(row["theme"]),
        value=float(row["value_compared"]), reference_value=float(row["reference_value"]),
        signed_z=float(row["signed_z"]), percentile=float(row["percentile"]),
        band_label=str(row["band_label"]), reliability=str(row["reliability"]),
    )
