"""Theme scores, the 90th-percentile flags, strengths and challenges, and ranking stability.

* **Theme score** = Σ w_j s_j / Σ w_j over the theme's indicators j that have a z-score for the
  area, with s_j the polarity-signed z (positive = more favourable than the reference) and w_j
  the configured weight (1 by default). Only indicators with a theme, a polarity (not neutral)
  and *not* ``context_only`` count: migration background and the like never enter a score.
  Standardised values only: raw units are never averaged.
* **Coverage** = n_available / n_total, n_total being the theme's indicators present for areas
  of the same ranking group (level and municipality by default) in that period. Below
  ``min_theme_coverage`` the score is withheld, with the reason; coverage is always reported.
* **Flag** (SVI rule): an indicator at or beyond the ``flag_percentile`` of unfavourable within
  the reference set is flagged in its theme, so one alarming figure is not averaged away.
* **Strengths / challenges**: signed z ≥ ``strength_z`` / ≤ -``strength_z`` (or flagged).
* **Rank and quintile**: rank 1 = the least favourable score in the ranking group (same level
  and municipality by default), ties in area-code order; quintile = 1 + ⌊5 (rank - 1) / n⌋,
  only for groups of at least 5 areas.
* **Stability**: each indicator's weight is multiplied by a uniform factor in
  [1 - spread, 1 + spread] per Monte Carlo draw (the draws of an indicator are fixed by the
  seed and its key); stability is the share of draws in which the area's rank among its ranking
  group stays in the same quintile as with the configured weights.
"""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import numpy.typing as npt
import pandas as pd

from wijkbeeld.compare.options import CompareOptions

__all__ = ["RANK_GROUP_COLUMNS", "eligible", "strengths_and_challenges", "theme_scores"]

FloatArray = npt.NDArray[np.float64]

#: Which areas an area is ranked among, per reference kind.
RANK_GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "municipality": ("level", "municipality"),
    "nl": ("level",),
    "parent": ("parent_code",),
    "peers": ("level", "municipality"),
}

_SCORE_COLUMNS = [
    "slice", "area_code", "theme", "score", "n_available", "n_total", "coverage", "indicators",
    "unavailable", "flags", "withheld_reason", "rank", "n_ranked", "quintile", "stability",
    "stability_draws",
]


def eligible(results: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows that may count in a theme score: a theme, a polarity, and not context only."""
    mask: npt.NDArray[np.bool_] = (
        (results["theme"] != "").to_numpy()
        & ~results["context_only"].to_numpy(dtype=bool)
        & (results["sign"].to_numpy(dtype="float64") != 0)
    )
    return mask


def _factors(indicators: list[str], options: CompareOptions) -> FloatArray:
    """(J × D) weight multipliers: per indicator a fixed stream from (seed, crc32(key))."""
    spread, draws = options.stability_spread, options.stability_draws
    rows = [
        np.random.default_rng([options.seed, zlib.crc32(key.encode())]).uniform(
            1.0 - spread, 1.0 + spread, draws
        )
        for key in indicators
    ]
    return np.vstack(rows) if rows else np.zeros((0, draws))


def theme_scores(results: pd.DataFrame, options: CompareOptions) -> pd.DataFrame:
    """Theme scores per (slice, area, theme) from result rows with a ``slice`` column (the
    period, or one label for a mixed selection); one row per (slice, area, indicator)."""
    zcol = "signed_z" if options.theme_z == "classic" else "signed_robust_z"
    group_cols = list(RANK_GROUP_COLUMNS[options.reference if options.reference in
                                         RANK_GROUP_COLUMNS else "municipality"])
    keys = ["slice", "area_code", "theme"]
    cols = list(dict.fromkeys([*keys, "indicator", zcol, "unfavourable_percentile",
                               *group_cols]))
    rows = results[cols].loc[eligible(results)]
    if rows.empty:
        return pd.DataFrame(columns=_SCORE_COLUMNS)
    rows = rows.sort_values([*keys, "indicator"]).reset_index(drop=True)
    rows["rank_group"] = rows.groupby(["slice", *group_cols], sort=True,
                                      observed=True).ngroup()
    gid = np.asarray(rows.groupby(keys, sort=True, observed=True).ngroup(), dtype=np.int64)
    n_groups = int(gid.max()) + 1
    ind_cat = pd.Categorical(rows["indicator"])
    ind_code = ind_cat.codes.astype(np.int64)
    indicator = np.asarray(ind_cat.categories, dtype=object)[ind_code]
    weight = np.array([options.weight(str(k)) for k in ind_cat.categories])[ind_code]
    z = rows[zcol].to_numpy(dtype="float64")
    has = np.isfinite(z) & (weight > 0)
    flag = rows["unfavourable_percentile"].to_numpy(dtype="float64") >= options.flag_percentile

    first = np.searchsorted(gid, np.arange(n_groups))
    out = rows.iloc[first][[*keys, "rank_group"]].reset_index(drop=True)
    out["n_available"] = np.bincount(gid, has, n_groups).astype(np.int64)
    wz = np.bincount(gid, np.where(has, weight * z, 0.0), n_groups)
    w = np.bincount(gid, np.where(has, weight, 0.0), n_groups)
    totals = rows.drop_duplicates(["rank_group", "theme", "indicator"]).groupby(
        ["rank_group", "theme"], observed=True).size().rename("n_total")
    out = out.join(totals, on=["rank_group", "theme"])
    for name, mask in (("indicators", has), ("unavailable", ~has), ("flags", flag)):
        listed = indicator[mask].tolist()
        bounds = np.searchsorted(gid[mask], np.arange(n_groups + 1)).tolist()
        out[name] = [listed[a:b] for a, b in itertools.pairwise(bounds)]
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(w > 0, wz / w, np.nan)
    out["coverage"] = out["n_available"] / out["n_total"]
    keep = ((out["n_available"] > 0) & (out["coverage"] >= options.min_theme_coverage)).to_numpy()
    out["score"] = np.where(keep, raw, np.nan)
    out["withheld_reason"] = [
        "" if k else (
            "geen indicatoren beschikbaar" if a == 0 else
            f"te weinig indicatoren beschikbaar ({a} van {t}; minimaal "
            f"{options.min_theme_coverage:.0%})"
        )
        for k, a, t in zip(keep.tolist(), out["n_available"].tolist(), out["n_total"].tolist(),
                           strict=True)
    ]
    out = _stability(out, rows.assign(_gid=gid, _ind=ind_code), list(ind_cat.categories),
                     zcol, options)
    return out[_SCORE_COLUMNS]


def _ranks(values: FloatArray) -> npt.NDArray[np.int64]:
    """0-based ranks of a 1-d array (ties in order of position)."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return ranks


def _same_quintile(draws: FloatArray, quint: npt.NDArray[np.int64]) -> FloatArray:
    """Share of draws (columns) in which each row's quintile equals ``quint``.

    After sorting each column, the row at sorted position p is in quintile 5p // n; counting the
    positions where that equals the row's own base quintile needs no rank matrix."""
    n, d = draws.shape
    # One row per draw; stable, so tied areas keep the order of their rows (area code order).
    order = np.argsort(np.ascontiguousarray(draws.T), axis=1, kind="stable")
    at_position = ((5 * np.arange(n)) // n)[None, :]
    hits = quint[order] == at_position
    share: FloatArray = np.bincount(order[hits], minlength=n) / d
    return share


def _stability(
    scores: pd.DataFrame, rows: pd.DataFrame, names: list[str], zcol: str,
    options: CompareOptions,
) -> pd.DataFrame:
    """Add rank, n_ranked, quintile (1 = least favourable fifth) and stability."""
    n_rows = len(scores)
    rank = np.full(n_rows, np.nan)
    n_ranked = np.full(n_rows, np.nan)
    quintile = np.full(n_rows, np.nan)
    stability = np.full(n_rows, np.nan)
    score = scores["score"].to_numpy(dtype="float64")
    block_key = pd.Series(
        scores.groupby(["slice", "theme"], sort=True, observed=True).ngroup().to_numpy()
    )
    z_all = rows[zcol].to_numpy(dtype="float64")
    row_gid = rows["_gid"].to_numpy()
    row_ind = rows["_ind"].to_numpy()
    for _, positions in block_key.groupby(block_key, sort=True).indices.items():
        at = np.asarray(positions, dtype=np.int64)
        pos = at[np.isfinite(score[at])]
        if len(pos) == 0:
            continue
        # Score rows are numbered like the (slice, area, theme) groups of ``rows``.
        in_block = np.isin(row_gid, pos)
        ind_codes, col = np.unique(row_ind[in_block], return_inverse=True)
        inds = [str(names[i]) for i in ind_codes]
        line = np.searchsorted(pos, row_gid[in_block])
        zm = np.full((len(pos), len(inds)), np.nan)
        zm[line, col] = z_all[in_block]
        mask = np.isfinite(zm)
        base_w = np.array([options.weight(i) for i in inds])
        weights = base_w[:, None] * _factors(inds, options)
        with np.errstate(divide="ignore", invalid="ignore"):
            draws = (np.where(mask, zm, 0.0) @ weights) / (mask.astype(np.float64) @ weights)
        group_ids = scores["rank_group"].to_numpy()[pos]
        # Ranks within each ranking group: sort by (group, score); position minus group start.
        order = np.lexsort((score[pos], group_ids))
        sizes = np.bincount(group_ids[order])
        starts = np.cumsum(sizes) - sizes
        rank0 = np.empty(len(pos), dtype=np.int64)
        rank0[order] = np.arange(len(pos)) - starts[group_ids[order]]
        n_g = sizes[group_ids]
        rank[pos] = rank0 + 1
        n_ranked[pos] = n_g
        quint = (5 * rank0) // n_g
        big = n_g >= 5
        quintile[pos[big]] = quint[big] + 1
        if options.stability_draws == 0:
            continue
        if len(inds) == 1:
            # One indicator: every weight draw scales all scores alike, ranks never move.
            stability[pos[big]] = 1.0
            continue
        bounds = np.flatnonzero(np.diff(group_ids[order])) + 1
        for sel in np.split(order, bounds):
            if len(sel) >= 5:
                stability[pos[sel]] = _same_quintile(draws[sel], quint[sel])
    scores["rank"] = rank
    scores["n_ranked"] = n_ranked
    scores["quintile"] = quintile
    scores["stability"] = stability
    scores["stability_draws"] = options.stability_draws
    return scores


def strengths_and_challenges(results: pd.DataFrame, options: CompareOptions) -> pd.DataFrame:
    """Per (slice, area): strengths (signed z ≥ strength_z) and challenges (signed z ≤
    -strength_z, or at/beyond the unfavourable flag percentile), strongest first."""
    counts = (
        ~results["context_only"].to_numpy(dtype=bool)
        & (results["sign"].to_numpy(dtype="float64") != 0)
    )
    signed = results["signed_z"].to_numpy(dtype="float64")
    unfav = results["unfavourable_percentile"].to_numpy(dtype="float64")
    strong = counts & (signed >= options.strength_z)
    weak = counts & ((signed <= -options.strength_z) | (unfav >= options.flag_percentile))
    cols = ["slice", "area_code", "indicator", "theme", "value_compared", "reference_value",
            "signed_z", "percentile", "band", "band_label", "reliability"]
    s = results[cols].loc[strong].assign(kind="strength")
    c = results[cols].loc[weak].assign(kind="challenge")
    both = pd.concat([s, c], ignore_index=True)
    both["order"] = np.where(both["kind"] == "strength", -both["signed_z"], both["signed_z"])
    both = both.sort_values(["slice", "area_code", "kind", "order", "indicator"])
    out: pd.DataFrame = both.drop(columns="order").reset_index(drop=True)
    return out
