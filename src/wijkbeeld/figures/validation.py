"""Checks on a tidy figures frame before anything is stored.

Errors (the file is refused): codes that are not CBS codes, the same area, indicator and period
twice, text in a number column, sentinel codes, percentages outside 0 to 100, shares outside 0 to 1,
negative counts. Warnings (the file is imported, the warning kept with the batch): children whose
counts sum far above their parent's.
"""

from __future__ import annotations

import pandas as pd

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.figures.catalogue import Catalogue, Unit
from wijkbeeld.figures.cells import SENTINELS
from wijkbeeld.figures.errors import Problem

__all__ = ["check_hierarchy", "check_values"]

_RANGES: dict[Unit, tuple[float, float]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.FRACTION: (0.0, 1.0),
}
_NON_NEGATIVE = {Unit.COUNT, Unit.EUR_1000, Unit.EUR, Unit.KM, Unit.YEARS, Unit.DENSITY}
# Rounding in published shares: a percentage of 100.04 is CBS rounding, not an error.
_SLACK = 1e-6
_CBS_ROUNDING = 5.0


def check_values(frame: pd.DataFrame, catalogue: Catalogue, file: str) -> list[Problem]:
    """Range, sign, sentinel and duplicate checks on a tidy frame (see :mod:`table`)."""
    problems: list[Problem] = []
    ok = frame["status"] == "ok"
    values = frame["value"]
    sentinel = ok & values.isin(list(SENTINELS))
    for r in frame[sentinel].itertuples():
        problems.append(
            Problem(file, int(str(r.row)), str(r.source_column), f"sentinel value {r.value:g}")
        )
    for key, sub in frame[ok & ~sentinel].groupby("indicator", sort=False):
        unit = catalogue[str(key)].unit
        v = sub["value"]
        if unit in _RANGES:
            lo, hi = _RANGES[unit]
            outside = sub[(v < lo - _SLACK) | (v > hi + _SLACK)]
            what = "percentage" if unit is Unit.PERCENT else "share"
            for r in outside.itertuples():
                problems.append(
                    Problem(
                        file, int(str(r.row)), str(r.source_column),
                        f"{what} {r.value:g} outside {lo:g} to {hi:g}",
                    )
                )
        elif unit in _NON_NEGATIVE:
            for r in sub[v < 0].itertuples():
                problems.append(
                    Problem(
                        file, int(str(r.row)), str(r.source_column), f"negative value {r.value:g}"
                    )
                )
    dup = frame.duplicated(["area_code", "indicator", "period"], keep=False)
    if dup.any():
        first_row: dict[tuple[str, str, str], int] = {}
        for r in frame[dup].itertuples():
            k = (str(r.area_code), str(r.indicator), str(r.period))
            if k in first_row:
                problems.append(
                    Problem(
                        file, int(str(r.row)), str(r.source_column),
                        f"duplicate: {k[0]} {k[1]} {k[2]} already given in row {first_row[k]}",
                    )
                )
            else:
                first_row[k] = int(str(r.row))
    return problems


def check_hierarchy(
    frame: pd.DataFrame, catalogue: Catalogue, file: str, tolerance: float = 1.05
) -> list[str]:
    """Warn where the counts of a parent's children sum far above the parent's own count.

    A sum *above* the parent is wrong whatever children are missing, so that is what is checked.
    CBS rounds small counts to multiples of 5, so each child may add 5 before it counts as "far".
    """
    counts = frame[
        (frame["status"] == "ok")
        & frame["indicator"].map(lambda k: catalogue[str(k)].unit is Unit.COUNT)
    ]
    if counts.empty:
        return []
    parents = counts["area_code"].map(lambda c: parse_code(str(c)).parent)
    by_key = counts.set_index(["area_code", "indicator", "period"])["value"]
    children = counts.assign(parent=parents).dropna(subset=["parent"])
    grouped = children.groupby(["parent", "indicator", "period"])["value"]
    sums, n_children = grouped.sum(), grouped.size()
    warnings: list[str] = []
    for key_obj, total in sums.items():
        parent, ind, period = (str(k) for k in key_obj)  # type: ignore[attr-defined]
        key = (parent, ind, period)
        if key in by_key.index:
            parent_value = float(by_key.loc[key])
            slack = _CBS_ROUNDING * float(n_children.loc[key])
            if parent_value >= 0 and total > tolerance * parent_value + slack:
                warnings.append(
                    f"{file}: {ind} {period}: the areas in {parent} sum to {total:g}, "
                    f"above {parent}'s own {parent_value:g}"
                )
    return warnings
