"""Trends: an area's series per indicator across periods and boundary years, with the gap to the
reference, bridged through crosswalks; a break that cannot be bridged is shown as a break.

Per period the point is one of

``ok``      the area's own figure, in the target indeling (the area's latest boundary year);
``mapped``  a figure from another indeling, carried over through a crosswalk: the figures of the
            old areas that make up this area, combined (a rate: Σ w·b·x / Σ w·b with crosswalk
            weight w and base b; a count: Σ w·x; anything else: Σ w·x / Σ w, flagged as an
            approximation); one old area with weight 1 passes through unchanged;
``missing`` the area (or one of its old parts) has no figure that period;
``break``   the period belongs to another indeling and no crosswalk leads from it to this area:
            the old figure is *not* joined to the series, whatever its code.

The value is the published figure (a count with a base as its share, as in the comparison); the
reference value is the period's own reference (computed on that period's areas, in its own
indeling). gap = value - reference; change = value - baseline value; gap change = |gap| -
|baseline gap|: negative = "narrowed", positive = "widened".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import normalise_code
from wijkbeeld.compare.comparison import Comparison
from wijkbeeld.compare.options import CompareOptions

__all__ = ["Crosswalk", "Trend", "TrendPoint", "trends"]


@dataclass(frozen=True)
class Crosswalk:
    """Area codes of boundary year ``from_year`` mapped to ``to_year``: ``frame`` has columns
    ``from_code``, ``to_code`` and ``weight`` (the share of the old area that lies in the new)."""

    frame: pd.DataFrame = field(repr=False)
    from_year: int
    to_year: int
    source: str = ""

    def __post_init__(self) -> None:
        missing = {"from_code", "to_code", "weight"} - set(self.frame.columns)
        if missing:
            raise ValueError(f"crosswalk lacks columns {sorted(missing)}")
        w = self.frame["weight"].to_numpy(dtype="float64")
        if not (np.isfinite(w) & (w > 0) & (w <= 1)).all():
            raise ValueError("crosswalk weights must lie in (0, 1]")

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        from_year: int,
        to_year: int,
        from_column: str = "from_code",
        to_column: str = "to_code",
        weight_column: str | None = None,
        source: str = "",
    ) -> Crosswalk:
        """From any frame: pick the code columns (and a weight column; default weight 1)."""
        out = pd.DataFrame({
            "from_code": [normalise_code(str(c)) for c in frame[from_column]],
            "to_code": [normalise_code(str(c)) for c in frame[to_column]],
            "weight": (frame[weight_column].astype("float64") if weight_column else 1.0),
        })
        out = out[(out["from_code"] != "") & (out["to_code"] != "")].reset_index(drop=True)
        return cls(frame=out, from_year=from_year, to_year=to_year, source=source)


@dataclass(frozen=True)
class TrendPoint:
    """One period of a series (see the module docstring for ``status``)."""

    period: str
    boundary_year: int
    status: str
    value: float
    reference_value: float
    gap: float
    change: float
    gap_change: float
    gap_trend: str
    direction: str
    source_codes: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Trend:
    """The series of one indicator for one area, with its baseline and breaks."""

    area_code: str
    indicator: str
    polarity: str
    target_boundary_year: int
    baseline_period: str | None
    points: tuple[TrendPoint, ...]
    crosswalks: tuple[str, ...]
    options: CompareOptions = field(repr=False)

    @property
    def has_break(self) -> bool:
        return any(p.status == "break" for p in self.points)

    def point(self, period: str) -> TrendPoint:
        for p in self.points:
            if p.period == period:
                return p
        raise KeyError(period)

    def to_dict(self) -> dict[str, Any]:
        def clean(v: Any) -> Any:
            return None if isinstance(v, float) and np.isnan(v) else v

        return {
            "area": self.area_code, "indicator": self.indicator, "polarity": self.polarity,
            "boundary_year": self.target_boundary_year, "baseline": self.baseline_period,
            "has_break": self.has_break, "crosswalks": list(self.crosswalks),
            "points": [{k: clean(v) if not isinstance(v, tuple) else list(v)
                        for k, v in p.__dict__.items()} for p in self.points],
        }


_NAN = float("nan")


def _combine(parts: pd.DataFrame, weights: dict[str, float]) -> tuple[float, float, str]:
    """(value, reference value, note) of a new area from its old parts."""
    w = parts["area_code"].map(weights).to_numpy(dtype="float64")
    x = parts["value"].to_numpy(dtype="float64")
    ref = parts["reference_value"].to_numpy(dtype="float64")
    base = parts["base_value"].to_numpy(dtype="float64")
    note = ""
    if len(parts) == 1 and w[0] == 1.0:
        return float(x[0]), float(ref[0]), note
    if parts["base"].iloc[0] and np.isfinite(base).all() and (w * base).sum() > 0:
        value = float((w * base * x).sum() / (w * base).sum())
    elif parts["unit"].iloc[0] == "count":
        value = float((w * x).sum())
    else:
        value = float((w * x).sum() / w.sum())
        note = "benadering: gewogen met de omzetgewichten, zonder noemer"
    if np.allclose(ref, ref[0], equal_nan=True):
        reference = float(ref[0])
    else:
        reference = float((w * ref).sum() / w.sum())
        note = (note + "; " if note else "") + "deelgebieden met verschillende referenties"
    return value, reference, note


def trends(
    comparison: Comparison,
    area: str,
    *,
    indicators: Iterable[str] | None = None,
    crosswalks: Sequence[Crosswalk] = (),
    baseline: str | None = None,
    boundary_year: int | None = None,
) -> tuple[Trend, ...]:
    """The series of ``area`` per indicator (all its indicators unless given), bridged through
    ``crosswalks`` to ``boundary_year`` (default: the latest boundary year the area has)."""
    code = normalise_code(area)
    results = comparison.results
    own = results[results["area_code"] == code]
    if own.empty and boundary_year is None:
        raise LookupError(f"geen cijfers voor {code}")
    target = int(boundary_year if boundary_year is not None else own["boundary_year"].max())
    level = str(own["level"].iloc[0]) if len(own) else ""
    parts_of: dict[int, dict[str, float]] = {}
    for cw in crosswalks:
        if cw.to_year == target:
            rows = cw.frame[cw.frame["to_code"] == code]
            parts_of[cw.from_year] = dict(zip(rows["from_code"], rows["weight"], strict=True))
    wanted = set(own["indicator"]) if indicators is None else set(indicators)
    if indicators is None:
        for parts in parts_of.values():
            wanted |= set(results.loc[results["area_code"].isin(list(parts)), "indicator"])
    scope = results[results["indicator"].isin(wanted)]
    if level:
        scope = scope[scope["level"] == level]
    out: list[Trend] = []
    for ind in sorted(wanted):
        rows = scope[scope["indicator"] == ind]
        periods = rows[["period", "boundary_year"]].drop_duplicates()
        periods = periods.sort_values(["period", "boundary_year"], ascending=[True, False])
        periods = periods.drop_duplicates("period")
        points = [
            _point(rows, code, str(p), int(by), target, parts_of)
            for p, by in zip(periods["period"], periods["boundary_year"], strict=True)
        ]
        polarity = str(rows["polarity"].iloc[0]) if len(rows) else "neutral"
        out.append(_with_baseline(code, ind, polarity, target, points, baseline, comparison,
                                  tuple(f"{c.from_year}→{c.to_year} {c.source}".strip()
                                        for c in crosswalks)))
    return tuple(out)


def _point(
    rows: pd.DataFrame, code: str, period: str, year: int, target: int,
    parts_of: dict[int, dict[str, float]],
) -> TrendPoint:
    here = rows[rows["period"] == period]
    if year == target:
        mine = here[here["area_code"] == code]
        if mine.empty or not np.isfinite(float(mine["value"].iloc[0])):
            reason = "geen cijfer" if mine.empty else str(mine["reliability_reason"].iloc[0])
            return _bare(period, year, "missing", (code,), reason)
        r = mine.iloc[0]
        return _bare(period, year, "ok", (code,), "", float(r["value"]),
                     float(r["reference_value"]))
    weights = parts_of.get(year)
    if not weights:
        return _bare(period, year, "break", (), f"andere indeling ({year}) en geen omzettabel "
                     f"naar {target} voor {code}: niet aan de reeks gekoppeld")
    parts = here[here["area_code"].isin(list(weights))]
    codes = tuple(sorted(weights))
    absent = sorted(set(weights) - set(parts["area_code"]))
    if absent or not np.isfinite(parts["value"].to_numpy(dtype="float64")).all():
        missing = absent or sorted(parts.loc[~np.isfinite(parts["value"]), "area_code"])
        return _bare(period, year, "missing", codes,
                     f"geen cijfer voor deelgebied {', '.join(missing)}")
    value, reference, note = _combine(parts, weights)
    return _bare(period, year, "mapped", codes, note or f"omgezet van {', '.join(codes)}",
                 value, reference)


def _bare(
    period: str, year: int, status: str, codes: tuple[str, ...], note: str,
    value: float = _NAN, reference: float = _NAN,
) -> TrendPoint:
    return TrendPoint(period, year, status, value, reference, value - reference, _NAN, _NAN, "",
                      "", codes, note)


def _with_baseline(
    code: str, indicator: str, polarity: str, target: int, points: list[TrendPoint],
    baseline: str | None, comparison: Comparison, crosswalks: tuple[str, ...],
) -> Trend:
    usable = [p for p in points if p.status in ("ok", "mapped") and np.isfinite(p.value)]
    base = next((p for p in usable if p.period == baseline), None) if baseline else (
        usable[0] if usable else None)
    sign = {"higher_is_better": 1.0, "higher_is_worse": -1.0}.get(polarity, 0.0)
    usable_ids = {id(p) for p in usable}
    final: list[TrendPoint] = []
    for p in points:
        if base is None or id(p) not in usable_ids:
            final.append(p)
            continue
        change = p.value - base.value
        gap_change = abs(p.gap) - abs(base.gap)
        tol = 1e-9 * max(1.0, abs(base.gap), abs(p.gap))
        trend = "" if p is base else ("unchanged" if abs(gap_change) <= tol else
                                      "narrowed" if gap_change < 0 else "widened")
        signed = change * sign
        direction = "" if p is base or sign == 0 else (
            "unchanged" if abs(change) <= 1e-9 * max(1.0, abs(base.value)) else
            "improved" if signed > 0 else "worsened")
        final.append(TrendPoint(p.period, p.boundary_year, p.status, p.value, p.reference_value,
                                p.gap, change, gap_change, trend, direction, p.source_codes,
                                p.note))
    return Trend(code, indicator, polarity, target, base.period if base else None, tuple(final),
                 crosswalks, comparison.options)
