"""The series behind the trend charts: per indicator, an area's figure in every period.

The statuses are those of :func:`wijkbeeld.compare.trends` (docs/compare.md §7): ``ok`` (the
area's own figure in the page's boundary year), ``missing``, ``break`` (a period of another
indeling that no crosswalk bridges: never joined to the series) and ``mapped`` (carried over
through a crosswalk).

Why not call ``trends`` for every page: it walks the periods one by one with a pandas filter
each, about 2-5 ms per point, so a Den Haag wijk (61 indicators x 14 years) took seconds. The
common case (no crosswalk leads to the area) is done here in one vectorised pass with the same
rules; whenever a stored crosswalk leads to the area, ``trends`` itself is called, so mapped
values are always the core's. ``tests/web/test_area_profile.py`` checks both paths give the
same points as ``trends``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkbeeld.compare import Comparison, Crosswalk, trends

__all__ = ["SeriesPoint", "area_series"]

#: The result columns ``trends`` reads (it is given a slimmed comparison).
_TREND_COLUMNS = [
    "area_code", "indicator", "period", "boundary_year", "level", "polarity", "value",
    "reference_value", "reliability_reason", "base", "base_value", "unit",
]


@dataclass(frozen=True)
class SeriesPoint:
    """One period of an area's series; ``value`` is NaN unless the status is ok or mapped."""

    period: str
    status: str
    value: float

    @property
    def has_value(self) -> bool:
        return self.status in ("ok", "mapped") and math.isfinite(self.value)


def area_series(
    comparison: Comparison,
    code: str,
    boundary_year: int,
    indicators: Iterable[str],
    crosswalks: Sequence[Crosswalk] = (),
) -> dict[str, tuple[SeriesPoint, ...]]:
    """Per indicator the series of ``code`` in indeling ``boundary_year`` (periods in order)."""
    wanted = sorted(set(indicators))
    results = comparison.results
    own_rows = results["area_code"] == code
    if not own_rows.any() or not wanted:
        return {}
    level = str(results.loc[own_rows, "level"].iloc[0])
    if any(cw.to_year == boundary_year and (cw.frame["to_code"] == code).any()
           for cw in crosswalks):
        return _through_trends(comparison, code, boundary_year, wanted, crosswalks, level)

    scope = results.loc[
        (results["level"] == level).to_numpy() & results["indicator"].isin(wanted).to_numpy(),
        ["indicator", "period", "boundary_year", "area_code", "value"],
    ]
    frame = pd.DataFrame({
        "indicator": scope["indicator"].astype(str).to_numpy(),
        "period": scope["period"].astype(str).to_numpy(),
        "boundary_year": scope["boundary_year"].to_numpy(dtype="int64"),
        "own": (scope["area_code"] == code).to_numpy(),
        "value": scope["value"].to_numpy(dtype="float64"),
    })
    # Per (indicator, period) the indeling it belongs to: the latest one present (as trends).
    periods = (
        frame[["indicator", "period", "boundary_year"]]
        .sort_values(["indicator", "period", "boundary_year"], ascending=[True, True, False])
        .drop_duplicates(["indicator", "period"])
    )
    own = frame.loc[frame["own"], ["indicator", "period", "value"]]
    merged = periods.merge(own, on=["indicator", "period"], how="left")
    in_target = merged["boundary_year"].to_numpy() == boundary_year
    value = merged["value"].to_numpy(dtype="float64")
    status = np.where(in_target, np.where(np.isfinite(value), "ok", "missing"), "break")
    value = np.where(status == "ok", value, np.nan)
    out: dict[str, list[SeriesPoint]] = {}
    for ind, period, st, v in zip(
        merged["indicator"], merged["period"], status, value, strict=True
    ):
        out.setdefault(str(ind), []).append(SeriesPoint(str(period), str(st), float(v)))
    return {k: tuple(v) for k, v in out.items()}


def _through_trends(
    comparison: Comparison,
    code: str,
    boundary_year: int,
    wanted: list[str],
    crosswalks: Sequence[Crosswalk],
    level: str,
) -> dict[str, tuple[SeriesPoint, ...]]:
    """The core's ``trends`` on a slimmed comparison: the rows of the area and of its old parts,
    plus one row per (indicator, period, indeling) so every period is still seen."""
    results = comparison.results
    parts: set[str] = {code}
    for cw in crosswalks:
        if cw.to_year == boundary_year:
            parts |= set(cw.frame.loc[cw.frame["to_code"] == code, "from_code"])
    at_level = (results["level"] == level).to_numpy()
    keep = at_level & (
        results["area_code"].isin(sorted(parts)).to_numpy()
        | ~results.duplicated(["indicator", "period", "boundary_year", "level"]).to_numpy()
    )
    slim = dataclasses.replace(comparison, results=results.loc[keep, _TREND_COLUMNS])
    found = trends(slim, code, indicators=wanted, crosswalks=crosswalks,
                   boundary_year=boundary_year)
    return {
        t.indicator: tuple(SeriesPoint(p.period, p.status, float(p.value)) for p in t.points)
        for t in found
    }
