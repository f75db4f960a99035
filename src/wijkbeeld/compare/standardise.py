"""Per indicator and area: reference value, difference, z, robust z, percentile, index, band and
reliability, computed for every row at once.

Definitions (see ``docs/compare.md`` for the plain-language version):

* reference value ``R``: the base-weighted mean Σ w x / Σ w of the reference set's published
  values (w = the base, e.g. inwoners) when the indicator has a base and ``weighted`` is on,
  otherwise their plain mean; for the ``parent`` kind the parent's own published value;
* difference = x - R; index = 100 x / R (R = 100), NaN when R is 0;
* z = (x - R) / SD, with SD the plain standard deviation of the reference set's published values
  around their plain mean (``ddof`` 0: divide by n, the default; 1: by n - 1). Centring on ``R``
  makes z, difference, index and band agree in sign;
* robust z = (x - median) / (1.4826 MAD);
* percentile = (rank - 1) / (N - 1) with average ranks for ties (see
  :func:`wijkbeeld.compare.reference.percentile_in_group`);
* band (PBL style) on the polarity-signed z: |z| < 0.5 "rond het gemiddelde", 0.5 ≤ |z| ≤ 1.5
  "(on)gunstiger", |z| > 1.5 "veel (on)gunstiger"; neutral indicators get "hoger"/"lager";
* x is the area's published value, or its empirical-Bayes shrunk value when the base is below
  ``min_base`` (reliability ``shrunk``); both are kept.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from wijkbeeld.compare.measures import categorical
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.compare.reference import GroupStats, Membership, group_stats, percentile_in_group
from wijkbeeld.compare.shrinkage import shrink_rates

__all__ = [
    "BAND_LABELS",
    "BAND_ORDER",
    "MAD_SCALE",
    "RELIABILITY_LABELS",
    "RELIABILITY_ORDER",
    "band_codes",
    "band_index",
    "neutral_band",
    "standardise",
]

FloatArray = npt.NDArray[np.float64]

#: MAD × 1.4826 estimates the SD for normally distributed values.
MAD_SCALE = 1.4826

BAND_LABELS: dict[str, str] = {
    "very_unfavourable": "veel ongunstiger",
    "unfavourable": "ongunstiger",
    "around_average": "rond het gemiddelde",
    "favourable": "gunstiger",
    "very_favourable": "veel gunstiger",
    "much_lower": "veel lager",
    "lower": "lager",
    "higher": "hoger",
    "much_higher": "veel hoger",
    "": "",
}

RELIABILITY_LABELS: dict[str, str] = {
    "ok": "betrouwbaar",
    "suppressed": "geheim",
    "missing": "ontbreekt",
    "no_reference": "geen vergelijking mogelijk",
    "small_base": "kleine basis",
    "shrunk": "kleine basis, bijgesteld",
}


#: Band codes, in the order of the integer codes :func:`band_index` returns.
BAND_ORDER: tuple[str, ...] = (
    "", "around_average", "higher", "much_higher", "lower", "much_lower", "favourable",
    "very_favourable", "unfavourable", "very_unfavourable",
)

#: Reliability codes, most serious first (the order of :func:`_reliability`'s integer codes).
RELIABILITY_ORDER: tuple[str, ...] = (
    "suppressed", "missing", "no_reference", "shrunk", "small_base", "ok",
)


def neutral_band(z: float | None, edges: tuple[float, float] = (0.5, 1.5)) -> str:
    """The band of one z-score *without* judging it: ``much_lower`` … ``much_higher`` (or ""
    when z is missing), whatever the indicator's polarity. The respondent form shows the
    picture in these words (shown, not judged: DESIGN.md §6, asking before showing).

    >>> neutral_band(0.2), neutral_band(-1.0), neutral_band(2.0), neutral_band(None)
    ('around_average', 'lower', 'much_higher', '')
    """
    value = np.array([np.nan if z is None else float(z)], dtype=np.float64)
    index = band_index(value, np.zeros(1, dtype=np.float64), edges)
    return BAND_ORDER[int(index[0])]


def band_index(
    z: FloatArray, sign: FloatArray, edges: tuple[float, float]
) -> npt.NDArray[np.int64]:
    """Per z the index of its band in :data:`BAND_ORDER`, given the polarity sign (+1, -1, or
    0 for neutral). |z| < low: around average; low ≤ |z| ≤ high: (un)favourable or
    higher/lower; |z| > high: very (un)favourable or much higher/lower; NaN: ""."""
    low, high = edges
    signed = z * np.where(sign == 0, 1.0, sign)
    size = np.abs(signed)
    neutral = sign == 0
    up = signed > 0
    index = np.select(
        [
            ~np.isfinite(signed),
            size < low,
            neutral & up & (size <= high),
            neutral & up,
            neutral & (size <= high),
            neutral,
            up & (size <= high),
            up,
            size <= high,
        ],
        [0, 1, 2, 3, 4, 5, 6, 7, 8],
        default=9,
    )
    return index.astype(np.int64)


def band_codes(z: FloatArray, sign: FloatArray, edges: tuple[float, float]) -> npt.NDArray[np.str_]:
    """The band code of each z (see :func:`band_index`); "" where z is NaN."""
    return np.asarray(BAND_ORDER)[band_index(z, sign, edges)]


def _take(array: FloatArray, gid: npt.NDArray[np.int64]) -> FloatArray:
    out = np.full(len(gid), np.nan)
    ok = gid >= 0
    out[ok] = array[gid[ok]]
    return out


def _parent_values(prepared: pd.DataFrame) -> FloatArray:
    """Each row's parent area's own value of the same indicator and period (NaN if absent)."""
    own = prepared[["area_code", "indicator", "period", "value"]].rename(
        columns={"area_code": "parent_code", "value": "parent_value"}
    )
    keyed = prepared[["parent_code", "indicator", "period"]].merge(
        own, on=["parent_code", "indicator", "period"], how="left"
    )
    return keyed["parent_value"].to_numpy(dtype="float64")


def standardise(
    prepared: pd.DataFrame, membership: Membership, options: CompareOptions
) -> tuple[pd.DataFrame, GroupStats]:
    """The tidy result: ``prepared`` plus the columns described in the module docstring."""
    value = prepared["value"].to_numpy(dtype="float64")
    base_value = prepared["base_value"].to_numpy(dtype="float64")
    has_base = (prepared["base"] != "").to_numpy()
    weights = np.where(has_base, base_value, np.nan)
    stats = group_stats(value, weights, membership, options.ddof)
    gid = membership.query_gid

    n = _take(stats.n.astype(np.float64), gid)
    n_w = _take(stats.n_weighted.astype(np.float64), gid)
    mean, sd = _take(stats.mean, gid), _take(stats.sd, gid)
    median, mad = _take(stats.median, gid), _take(stats.mad, gid)
    wmean, wvar = _take(stats.weighted_mean, gid), _take(stats.weighted_var, gid)
    mean_w = _take(stats.mean_weight, gid)

    use_weighted = options.weighted & has_base & (n_w > 0)
    ref = np.where(use_weighted, wmean, mean)
    ref_source = np.where(use_weighted, 0, 1)  # index into _SOURCES
    if membership.kind == "parent":
        parent = _parent_values(prepared)
        has_parent = np.isfinite(parent)
        ref = np.where(has_parent, parent, ref)
        ref_source = np.where(has_parent, 2, ref_source)
    ref_source = np.where(gid >= 0, ref_source, 3)

    scale = prepared["scale"].to_numpy(dtype="float64")
    shrinkable = np.isfinite(scale) & has_base
    shrunk, eb_c = shrink_rates(value, base_value, scale, wmean, wvar, mean_w)
    shrunk = np.where(shrinkable, shrunk, np.nan)
    small = has_base & np.isfinite(base_value) & (base_value < options.min_base)
    use_shrunk = options.shrink & shrinkable & small & np.isfinite(shrunk)
    x = np.where(use_shrunk, shrunk, value)

    with np.errstate(divide="ignore", invalid="ignore"):
        difference = x - ref
        z = np.where((n >= 2) & (sd > 0), difference / sd, np.nan)
        robust = np.where((n >= 2) & (mad > 0), (x - median) / (MAD_SCALE * mad), np.nan)
        index = np.where(ref != 0, 100.0 * x / ref, np.nan)
    own_in = membership.own_in_set
    percentile = percentile_in_group(stats, gid, x, value, own_in)

    sign = prepared["sign"].to_numpy(dtype="float64")
    signed_z = np.where(sign != 0, z * sign, np.nan)
    signed_robust = np.where(sign != 0, robust * sign, np.nan)
    unfav = np.where(sign < 0, percentile, np.where(sign > 0, 1.0 - percentile, np.nan))
    bands = band_index(z, sign, options.band_edges)

    out = prepared.copy()
    out["value_shrunk"] = shrunk
    out["eb_weight"] = np.where(shrinkable, eb_c, np.nan)
    out["value_compared"] = x
    out["reference_kind"] = categorical(np.where(gid >= 0, 0, 1), [membership.kind, ""])
    label_code, names = pd.factorize(pd.Series((*membership.labels, ""), dtype=object))
    out["reference_group"] = categorical(
        np.asarray(label_code)[np.where(gid >= 0, gid, len(membership.labels))],
        [str(n) for n in names],
    )
    out["reference_source"] = categorical(ref_source, _SOURCES)
    out["ref_n"] = n
    out["ref_n_weighted"] = n_w
    out["ref_mean"] = mean
    out["ref_sd"] = sd
    out["ref_median"] = median
    out["ref_mad"] = mad
    out["ref_weighted_mean"] = wmean
    out["ref_weight_sum"] = _take(stats.weight_sum, gid)
    out["reference_value"] = ref
    out["difference"] = difference
    out["z"] = z
    out["robust_z"] = robust
    out["percentile"] = percentile
    out["index"] = index
    out["signed_z"] = signed_z
    out["signed_robust_z"] = signed_robust
    out["unfavourable_percentile"] = unfav
    out["band"] = categorical(bands, list(BAND_ORDER))
    out["band_label"] = categorical(
        bands, [BAND_LABELS[b] for b in BAND_ORDER]
    )
    code, reason = _reliability(out, n, small, use_shrunk, options)
    out["reliability"] = categorical(code, list(RELIABILITY_ORDER))
    out["reliability_reason"] = reason
    return out, stats


_SOURCES = ["weighted_mean", "mean", "parent_value", ""]


def _reliability(
    out: pd.DataFrame,
    n: FloatArray,
    small: npt.NDArray[np.bool_],
    shrunk: npt.NDArray[np.bool_],
    options: CompareOptions,
) -> tuple[npt.NDArray[np.int64], pd.Categorical]:
    """Per row the index of its code in :data:`RELIABILITY_ORDER` and a Dutch reason."""
    status = out["status"].to_numpy(dtype=object)
    value = out["value"].to_numpy(dtype="float64")
    z = out["z"].to_numpy(dtype="float64")
    code = np.select(
        [status == "suppressed", status == "missing", ~np.isfinite(value), ~np.isfinite(z),
         shrunk, small],
        [0, 1, 1, 2, 3, 4],
        default=5,
    ).astype(np.int64)
    reason_code = np.zeros(len(out), dtype=np.int64)
    texts: dict[str, int] = {"": 0}
    flagged = np.flatnonzero(code != 5)
    if len(flagged):
        # A reason depends on a few fields only; compute it once per distinct combination.
        kind = code[flagged]
        base_cat = pd.Categorical(out["base"])
        column_cat = pd.Categorical(out["source_column"])
        base_code = base_cat.codes[flagged].astype(np.int64)
        base_value = out["base_value"].to_numpy(dtype="float64")[flagged]
        has_base = np.asarray(base_cat.categories[base_cat.codes[flagged]] != "")
        no_base = has_base & ~(base_value > 0)
        keys = pd.DataFrame({
            "kind": kind,
            "column": np.where(kind <= 1, column_cat.codes[flagged], -1),
            "base": np.where((kind >= 3) | ((kind == 1) & no_base), base_code, -1),
            "base_value": np.where(kind >= 3, base_value, -1.0),
            "n": np.where(kind == 2, np.nan_to_num(n[flagged], nan=-1.0), -1.0),
        }).fillna({"base_value": -1.0})  # -1: not known / not relevant
        combo = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
        uniques = keys.drop_duplicates().to_numpy()
        combo_text = np.zeros(len(uniques), dtype=np.int64)
        for j, (k, column, b, bv, row_n) in enumerate(uniques.tolist()):
            text = _reason(
                RELIABILITY_ORDER[int(k)],
                row_n if row_n >= 0 else float("nan"),
                str(base_cat.categories[int(b)]) if b >= 0 else "",
                bv if bv >= 0 else float("nan"),
                str(column_cat.categories[int(column)]) if column >= 0 else "",
                options,
            )
            combo_text[j] = texts.setdefault(text, len(texts))
        reason_code[flagged] = combo_text[combo]
    return code, categorical(reason_code, list(texts))


def _reason(
    code: str, n: float, base: str, base_value: float, column: str, options: CompareOptions
) -> str:
    if code == "suppressed":
        return f"geheimgehouden door de bron (kolom {column}): geen z-score"
    if code == "missing":
        if base and not base_value > 0:
            return f"noemer {base} ontbreekt of is 0: geen aandeel te berekenen"
        return f"geen cijfer in de bron (kolom {column}): geen z-score"
    if code == "no_reference":
        if not n >= 2:
            return f"referentiegroep te klein (n={int(n) if n == n else 0}): geen z-score"
        return "geen spreiding in de referentiegroep (SD = 0): geen z-score"
    shown = f"{base_value:g}" if base_value == base_value else "?"
    if code == "shrunk":
        return (
            f"kleine basis ({base} {shown} < {options.min_base:g}): waarde naar het "
            "referentiegemiddelde getrokken (empirical Bayes); ruwe waarde bewaard"
        )
    return f"kleine basis ({base} {shown} < {options.min_base:g}): met voorzichtigheid lezen"
