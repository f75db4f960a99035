"""From figures to comparable measures: attach each indicator's definition and base.

A figure is compared as published, except a count that has a base (``leeftijd_0_15`` counts
residents, base ``inwoners``): comparing raw counts across areas of different size says nothing,
so with ``counts_as_shares`` it becomes the percentage of its base (100 * count / base). The base
value of the same area and period travels along as the weight of the reference value and the
denominator of the empirical-Bayes shrinkage.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from wijkbeeld.compare.frame import Figures
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.figures.catalogue import Polarity, Unit

__all__ = ["POLARITY_SIGN", "PROPORTION_SCALE", "TEXT_COLUMNS", "categorical", "prepare"]

#: Text columns of the prepared frame (and of the comparison results), held as categoricals.
TEXT_COLUMNS: tuple[str, ...] = (
    "area_code", "area_name", "level", "municipality", "parent_code", "indicator",
    "source_column", "period", "status", "source", "theme", "polarity", "unit", "base", "measure",
)

#: Polarity as a sign: +1 when a higher value is more favourable, -1 when less, 0 for neutral.
POLARITY_SIGN: dict[str, float] = {
    Polarity.HIGHER_IS_BETTER.value: 1.0,
    Polarity.HIGHER_IS_WORSE.value: -1.0,
    Polarity.NEUTRAL.value: 0.0,
}

#: Units that are proportions of their base, and the value of "everyone" in that unit.
PROPORTION_SCALE: dict[str, float] = {Unit.PERCENT.value: 100.0, Unit.FRACTION.value: 1.0}


def prepare(figures: Figures, options: CompareOptions) -> pd.DataFrame:
    """The figures frame plus, per row: ``theme``, ``polarity``, ``sign``, ``context_only``,
    ``unit`` (of the compared measure), ``measure`` (``value`` or ``share_of_base``),
    ``raw_value`` (as published), ``base`` (key), ``base_value``, ``value`` (the measure) and
    ``scale`` (100 or 1 for a proportion that can be shrunk, NaN otherwise)."""
    frame = figures.frame
    defs = figures.indicators
    indicator = pd.Categorical(frame["indicator"])
    keys = [str(k) for k in indicator.categories]
    code = indicator.codes.astype(np.int64)

    unit = np.array([defs[k].unit.value for k in keys], dtype=object)
    base = np.array([defs[k].base or "" for k in keys], dtype=object)
    share = (unit == Unit.COUNT.value) & (base != "") & options.counts_as_shares
    unit = np.where(share, Unit.PERCENT.value, unit)
    scale = np.array([PROPORTION_SCALE.get(str(u), np.nan) for u in unit], dtype="float64")
    scale[base == ""] = np.nan

    out = frame.copy()
    out["theme"] = _per_indicator([defs[k].theme or "" for k in keys], code)
    out["polarity"] = _per_indicator([defs[k].polarity.value for k in keys], code)
    out["context_only"] = np.array([bool(defs[k].context_only) for k in keys])[code]
    out["unit"] = _per_indicator(unit.tolist(), code)
    out["base"] = _per_indicator(base.tolist(), code)
    out["sign"] = np.array([POLARITY_SIGN[defs[k].polarity.value] for k in keys])[code]
    out["measure"] = _per_indicator(np.where(share, "share_of_base", "value").tolist(), code)
    out["scale"] = scale[code]
    out["base_value"] = _base_values(frame, indicator, base)
    # Text columns become categoricals: every filter, sort and take over 700,000 rows then moves
    # small integer codes instead of strings (compare_all on a national set stays in seconds).
    for col in TEXT_COLUMNS:
        out[col] = out[col].astype("category")
    out["raw_value"] = out["value"]
    is_share = share[code]
    if is_share.any():
        raw = out["raw_value"].to_numpy(dtype="float64")
        base_value = out["base_value"].to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            share_value = np.where(base_value > 0, 100.0 * raw / base_value, np.nan)
        out["value"] = np.where(is_share, share_value, raw)
    return out


def categorical(codes: npt.ArrayLike, categories: Sequence[str]) -> pd.Categorical:
    """A categorical from integer codes (-1: missing) into ``categories`` (no string hashing)."""
    dtype = pd.CategoricalDtype([str(c) for c in categories])
    out: pd.Categorical = pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64),
                                                    dtype=dtype)
    return out


def _per_indicator(attribute: list[str], code: npt.NDArray[np.int64]) -> pd.Categorical:
    """A categorical column from one attribute per indicator, indexed by indicator code."""
    codes, names = pd.factorize(pd.Series(attribute, dtype=object), sort=True)
    return categorical(np.asarray(codes)[code], [str(n) for n in names])


def _base_values(
    frame: pd.DataFrame, indicator: pd.Categorical, base: npt.NDArray[np.object_]
) -> npt.NDArray[np.float64]:
    """Per row the value of its indicator's base for the same area and period (NaN if none)."""
    area = pd.factorize(frame["area_code"])[0].astype(np.int64)
    period = pd.factorize(frame["period"])[0].astype(np.int64)
    n_ind = len(indicator.categories)
    cell = (area * (int(period.max(initial=0)) + 1) + period) * (n_ind + 1)
    lookup = {str(k): i for i, k in enumerate(indicator.categories)}
    base_code = np.array([lookup.get(str(b), n_ind) for b in base], dtype=np.int64)
    codes = indicator.codes.astype(np.int64)
    ok = (frame["status"] == "ok").to_numpy()
    index = pd.Index(cell[ok] + codes[ok])
    pos = index.get_indexer(cell + base_code[codes])
    values = frame["value"].to_numpy(dtype="float64")[ok]
    return np.where(pos >= 0, values[np.maximum(pos, 0)], np.nan)
