"""Checks on a tidy figures frame before anything is stored.

Errors (the file is refused): codes that are not CBS codes, the same area, indicator and period
twice, text in a number column, sentinel codes, percentages outside 0 to 100, shares outside 0 to 1,
negative counts. Warnings (the file is imported, the warning kept with the batch): children whose
counts sum far above their parent's, and a column that is exactly 0 for every area in a period
(some sources, such as the ELAN wijkprofielen, write 0.0 where a figure was not available). What
happens to such zeros is the source's catalogue option ``all_zero_period``: ``warn`` (default)
keeps them as 0, ``missing`` stores them as not available; the warning is given either way.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.figures.catalogue import Catalogue, Unit
from wijkbeeld.figures.cells import SENTINELS
from wijkbeeld.figures.errors import Problem

__all__ = ["apply_zero_columns", "check_hierarchy", "check_values", "check_zero_columns"]

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


def _zero_periods(frame: pd.DataFrame, min_areas: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Cells in an all-zero (column, period), and the flagged pairs with their area count.

    Returns a boolean mask over the rows of ``frame`` and a frame with ``source_column``,
    ``period`` and ``n`` (areas with a value, all of them 0) per flagged pair.
    """
    ok = (frame["status"] == "ok").to_numpy(dtype=bool)
    if not ok.any():
        return np.zeros(len(frame), dtype=bool), pd.DataFrame(
            {"source_column": [], "period": [], "n": []}
        )
    # Group on integer codes over the whole frame: filtering and a string groupby over 600,000
    # cells cost far more.
    col_codes, col_names = pd.factorize(frame["source_column"])
    per_codes, per_names = pd.factorize(frame["period"])
    group = col_codes * len(per_names) + per_codes
    size = len(col_names) * len(per_names)
    n = np.bincount(group, weights=ok.astype(np.float64), minlength=size).astype(np.int64)
    is_zero = ok & (frame["value"].to_numpy(dtype=np.float64) == 0)
    zeros = np.bincount(group, weights=is_zero.astype(np.float64), minlength=size)
    flagged_group = (n >= min_areas) & (zeros.astype(np.int64) == n)
    cells = is_zero & flagged_group[group]
    pairs = np.flatnonzero(flagged_group)
    flagged = pd.DataFrame({
        "source_column": [str(col_names[g // len(per_names)]) for g in pairs.tolist()],
        "period": [str(per_names[g % len(per_names)]) for g in pairs.tolist()],
        "n": n[pairs],
    })
    return cells, flagged


def apply_zero_columns(
    frame: pd.DataFrame, file: str, as_missing: Collection[str] = (), min_areas: int = 5
) -> tuple[pd.DataFrame, list[str]]:
    """Find, per column, the periods in which every area (at least ``min_areas``) is exactly 0.

    A whole column of zeros is almost never a real measurement; in the ELAN Den Haag series it
    means "not available" (2009 and 2010 hold 0.0 for employees and benefit users). For the
    columns in ``as_missing`` (those of a source whose catalogue sets ``all_zero_period =
    "missing"``) those cells become not available: status ``missing``, value NaN, never 0. Other
    columns keep their zeros. Either way one warning per column names the file, column and
    periods and says how they were stored. Returns the (possibly changed) frame and warnings.
    """
    cells, flagged = _zero_periods(frame, min_areas)
    if flagged.empty:
        return frame, []
    blank = set(as_missing)
    to_blank = cells & frame["source_column"].isin(blank).to_numpy(dtype=bool)
    if to_blank.any():
        frame = frame.copy()
        status = frame["status"].to_numpy(dtype=object).copy()
        value = frame["value"].to_numpy(dtype=np.float64).copy()
        status[to_blank] = "missing"
        value[to_blank] = np.nan
        frame["status"] = status
        frame["value"] = value
    by_column: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for column, period, n in zip(
        flagged["source_column"], flagged["period"], flagged["n"], strict=True
    ):
        by_column.setdefault(str(column), []).append(str(period))
        counts[str(column)] = max(counts.get(str(column), 0), int(n))
    warnings = []
    for column, periods in by_column.items():
        head = (
            f"{file}: column {column!r} is exactly 0 for every area ({counts[column]}) in "
            f"{', '.join(sorted(periods))}: "
        )
        if column in blank:
            warnings.append(
                head + "'not available' written as 0; stored as not available (missing)"
            )
        else:
            warnings.append(head + "probably 'not available' written as 0; stored as 0")
    return frame, warnings


def check_zero_columns(frame: pd.DataFrame, file: str, min_areas: int = 5) -> list[str]:
    """The warnings of :func:`apply_zero_columns` when every zero is kept (the default)."""
    return apply_zero_columns(frame, file, (), min_areas)[1]
