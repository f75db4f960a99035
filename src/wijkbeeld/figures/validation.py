"""Checks on a tidy figures frame before anything is stored.

Errors (the file is refused): codes that are not CBS codes, the same area, indicator and period
twice, text in a number column, sentinel codes, percentages outside 0 to 100, shares outside 0 to 1,
negative counts. Warnings (the file is imported, the warning kept with the batch): children whose
counts sum far above their parent's, and a column that is exactly 0 for every area in a period
(some sources, such as the ELAN wijkprofielen, write 0.0 where a figure was not available; the
value is kept as the file gives it, the warning tells the analyst to treat it with suspicion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.figures.catalogue import Catalogue, Unit
from wijkbeeld.figures.cells import SENTINELS
from wijkbeeld.figures.errors import Problem

__all__ = ["check_hierarchy", "check_values", "check_zero_columns"]

_RANGES: dict[Unit, tuple[float, float]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.FRACTION: (0.0, 1.0),
}
_NON_NEGATIVE = {Unit.COUNT, Unit.EUR_1000, Unit.EUR, Unit.KM, Unit.YEARS, Unit.DENSITY}
# Rounding in published shares: a percentage of 100.04 is CBS rounding, not an error.
_SLACK = 1e-6
# Steps CBS rounds small-area counts to, largest first.
_ROUNDING_STEPS = (100.0, 10.0, 5.0)


def _per_row(frame: pd.DataFrame, per_indicator: dict[str, float]) -> np.ndarray:
    """A float per row of ``frame`` from a value per indicator key (vectorised lookup)."""
    codes, keys = pd.factorize(frame["indicator"])
    table = np.asarray([per_indicator[str(k)] for k in keys], dtype=np.float64)
    return table[codes]


def check_values(frame: pd.DataFrame, catalogue: Catalogue, file: str) -> list[Problem]:
    """Range, sign, sentinel and duplicate checks on a tidy frame (see :mod:`table`)."""
    problems: list[Problem] = []
    ok = (frame["status"] == "ok").to_numpy()
    values = frame["value"].to_numpy(dtype=np.float64)
    sentinel = ok & np.isin(values, list(SENTINELS))
    keys = [str(k) for k in frame["indicator"].unique()]
    units = {k: catalogue[k].unit for k in keys}
    lo = _per_row(frame, {k: _RANGES.get(u, (-np.inf, np.inf))[0] for k, u in units.items()})
    hi = _per_row(frame, {k: _RANGES.get(u, (-np.inf, np.inf))[1] for k, u in units.items()})
    non_negative = _per_row(frame, {k: float(u in _NON_NEGATIVE) for k, u in units.items()}) > 0
    checked = ok & ~sentinel
    outside = checked & ((values < lo - _SLACK) | (values > hi + _SLACK))
    negative = checked & non_negative & (values < 0)
    for i in np.flatnonzero(sentinel | outside | negative).tolist():
        r = frame.iloc[i]
        row, column, value = int(r["row"]), str(r["source_column"]), float(r["value"])
        unit = units[str(r["indicator"])]
        if sentinel[i]:
            message = (
                f"sentinel value {value:.15g} (a code for 'secret' or 'not applicable', "
                "not a figure)"
            )
        elif outside[i]:
            what = "percentage" if unit is Unit.PERCENT else "share"
            message = f"{what} {value:.15g} outside {lo[i]:g} to {hi[i]:g}"
        else:
            message = f"negative value {value:.15g} where a {unit.value} cannot be negative"
        problems.append(Problem(file, row, column, message))
    dup = frame.duplicated(["area_code", "indicator", "period"], keep=False)
    if dup.any():
        first_row: dict[tuple[str, str, str], int] = {}
        for t in frame[dup].itertuples():
            k = (str(t.area_code), str(t.indicator), str(t.period))
            if k in first_row:
                problems.append(
                    Problem(
                        file, int(str(t.row)), str(t.source_column),
                        f"duplicate: {k[0]} {k[1]} {k[2]} already given in row {first_row[k]}",
                    )
                )
            else:
                first_row[k] = int(str(t.row))
    return problems


def _rounding_step(values: pd.Series) -> float:
    """The step the published counts were rounded to: 100, 10 or 5 when every non-zero value is
    a multiple of it (CBS rounds small-area counts), else 1."""
    nonzero = values[values != 0]
    if len(nonzero) < 3:
        return 1.0
    for step in _ROUNDING_STEPS:
        if bool(((nonzero % step) == 0).all()):
            return step
    return 1.0


def check_hierarchy(
    frame: pd.DataFrame, catalogue: Catalogue, file: str, tolerance: float = 1.05
) -> list[str]:
    """Warn where the counts of a parent's children sum far above the parent's own count.

    A sum *above* the parent is wrong whatever children are missing, so that is what is checked.
    "Far" means more than ``tolerance`` times the parent plus what rounding can explain: CBS
    rounds the counts of small areas (to 5 for inhabitants, 10 for education, 100 for
    households), so each child and the parent may each be off by half the rounding step, which
    is read from the children's own values.
    """
    is_count = {
        str(k): float(catalogue[str(k)].unit is Unit.COUNT) for k in frame["indicator"].unique()
    }
    wanted = (frame["status"] == "ok").to_numpy() & (_per_row(frame, is_count) > 0)
    if not wanted.any():
        return []
    counts = frame[wanted]
    parent_of = {str(c): parse_code(str(c)).parent for c in counts["area_code"].unique()}
    parents = counts["area_code"].map(parent_of)
    by_key = counts.set_index(["area_code", "indicator", "period"])["value"]
    children = counts.assign(parent=parents).dropna(subset=["parent"])
    steps = {
        str(ind): _rounding_step(sub["value"])
        for ind, sub in children.groupby("indicator", sort=False)
    }
    grouped = children.groupby(["parent", "indicator", "period"])["value"]
    sums, n_children = grouped.sum(), grouped.size()
    warnings: list[str] = []
    for key_obj, total in sums.items():
        parent, ind, period = (str(k) for k in key_obj)  # type: ignore[attr-defined]
        key = (parent, ind, period)
        if key in by_key.index:
            parent_value = float(by_key.loc[key])
            slack = steps[ind] / 2 * (float(n_children.loc[key]) + 1)
            if parent_value >= 0 and total > tolerance * parent_value + slack:
                warnings.append(
                    f"{file}: {ind} {period}: the areas in {parent} sum to {total:g}, "
                    f"above {parent}'s own {parent_value:g}"
                )
    return warnings


def check_zero_columns(frame: pd.DataFrame, file: str, min_areas: int = 5) -> list[str]:
    """Warn, per column, about periods in which every area (at least ``min_areas``) is exactly 0.

    A whole column of zeros is almost never a real measurement; in the ELAN Den Haag series it
    means "not available yet" (2009 and 2010 hold 0.0 for employees and benefit users). The
    values are stored as the file gives them; the warning says which periods to distrust.
    """
    ok = (frame["status"] == "ok").to_numpy(dtype=bool)
    if not ok.any():
        return []
    # Group on integer codes over the whole frame: filtering and a string groupby over 600,000
    # cells cost far more.
    col_codes, col_names = pd.factorize(frame["source_column"])
    per_codes, per_names = pd.factorize(frame["period"])
    group = col_codes * len(per_names) + per_codes
    size = len(col_names) * len(per_names)
    n = np.bincount(group, weights=ok.astype(np.float64), minlength=size)
    is_zero = ok & (frame["value"].to_numpy(dtype=np.float64) == 0)
    zeros = np.bincount(group, weights=is_zero.astype(np.float64), minlength=size)
    index = pd.MultiIndex.from_product(
        [[str(c) for c in col_names], [str(p) for p in per_names]],
        names=["source_column", "period"],
    )
    stats = pd.DataFrame(
        {"n": n.astype(np.int64), "zeros": zeros.astype(np.int64)}, index=index
    )
    flagged = stats[(stats["n"] >= min_areas) & (stats["zeros"] == stats["n"])]
    by_column: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for r in flagged.reset_index().itertuples():
        column, period = str(r.source_column), str(r.period)
        by_column.setdefault(column, []).append(period)
        counts[column] = max(counts.get(column, 0), int(str(r.n)))
    return [
        f"{file}: column {column!r} is exactly 0 for every area ({counts[column]}) in "
        f"{', '.join(sorted(periods))}: probably 'not available' written as 0; stored as 0"
        for column, periods in by_column.items()
    ]
