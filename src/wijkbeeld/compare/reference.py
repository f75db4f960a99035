"""Reference sets: which areas an area is compared with, and their statistics.

Four kinds (``CompareOptions.reference``), per indicator and period:

``municipality``
    the areas of the same level in the same municipality (the default: buurten of GM0363);
``nl``
    all areas of that level present in the data (the whole country when it is loaded);
``parent``
    the parent area's own published value (the wijk for a buurt), with the spread of the areas
    under that parent;
``peers``
    the ``k`` most similar areas on context indicators (:mod:`wijkbeeld.compare.peers`).

All areas' groups are computed at once: a :class:`Membership` lists, per group id, its member
rows, and :func:`group_stats` computes every group's n, mean, SD, median, MAD and base-weighted
mean in a few vectorised passes. The statistics use the published values of the members (the
reference is what the source published); an area's own position may use its shrunk value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "LEVEL_PLURAL_NL",
    "GroupStats",
    "Membership",
    "group_membership",
    "group_stats",
    "peer_membership",
    "percentile_in_group",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LEVEL_PLURAL_NL: dict[str, str] = {
    "neighbourhood": "buurten",
    "district": "wijken",
    "municipality": "gemeenten",
    "country": "landen",
}


@dataclass(frozen=True)
class Membership:
    """Reference groups of the rows of a prepared frame.

    ``query_gid[i]`` is the group row ``i`` is compared with (-1: none); ``own_in_set[i]`` says
    whether row ``i`` is itself a member of that group (true for municipality, nl and parent
    sets; false for peers, whose set is the other areas). ``member_gid``/``member_row`` list the
    members (row indices into the prepared frame) of every group; ``labels[g]`` describes group
    ``g`` in Dutch.
    """

    kind: str
    query_gid: IntArray
    own_in_set: BoolArray
    member_gid: IntArray
    member_row: IntArray
    labels: tuple[str, ...]

    @property
    def n_groups(self) -> int:
        return len(self.labels)


def group_membership(prepared: pd.DataFrame, kind: str) -> Membership:
    """Membership for the ``municipality``, ``nl`` and ``parent`` kinds: every row belongs to
    exactly one group (same indicator and period, and same level + municipality, same level,
    or same parent)."""
    if kind == "municipality":
        keys = ["indicator", "period", "level", "municipality"]
    elif kind == "nl":
        keys = ["indicator", "period", "level"]
    elif kind == "parent":
        keys = ["indicator", "period", "parent_code"]
    else:
        raise ValueError(f"group_membership does not build {kind!r} sets")
    grouped = prepared.groupby(keys, sort=False, observed=True)
    gid: IntArray = np.asarray(grouped.ngroup().to_numpy(), dtype=np.int64)
    # ngroup numbers groups in order of first appearance, the order head(1) returns them in.
    first = prepared.loc[grouped.head(1).index]
    labels: list[str] = []
    for level, municipality, parent, period in zip(
        first["level"].tolist(), first["municipality"].tolist(), first["parent_code"].tolist(),
        first["period"].tolist(), strict=True,
    ):
        plural = LEVEL_PLURAL_NL.get(str(level), str(level))
        if kind == "municipality":
            text = f"{plural} in {municipality}" if municipality else plural
        elif kind == "nl":
            text = f"alle {plural} in de gegevens (Nederland)"
        else:
            text = f"{parent} (eigen waarde); spreiding: gebieden in {parent}"
        labels.append(f"{text}, {period}")
    valid = gid >= 0
    if kind == "parent":
        valid &= (prepared["parent_code"] != "").to_numpy()
        gid = np.where(valid, gid, -1).astype(np.int64)
    rows = np.arange(len(prepared), dtype=np.int64)
    return Membership(
        kind=kind,
        query_gid=gid,
        own_in_set=valid,
        member_gid=gid[valid],
        member_row=rows[valid],
        labels=tuple(labels),
    )


def peer_membership(prepared: pd.DataFrame, peers: pd.DataFrame) -> Membership:
    """Membership for the ``peers`` kind. ``peers`` has columns ``area_code``, ``period``,
    ``peer_code`` (one row per peer). Each (area, indicator, period) row gets its own group: the
    same indicator and period in the area's peers."""
    rows = prepared[["area_code", "indicator", "period"]].copy()
    rows["row"] = np.arange(len(prepared), dtype=np.int64)
    has_peers = peers[["area_code", "period"]].drop_duplicates()
    query = rows.merge(has_peers, on=["area_code", "period"], how="inner")
    query["gid"] = np.arange(len(query), dtype=np.int64)
    pairs = query.merge(peers, on=["area_code", "period"], how="inner")
    members = pairs.merge(
        rows.rename(columns={"area_code": "peer_code", "row": "member_row"}),
        on=["peer_code", "indicator", "period"],
        how="inner",
    )
    query_gid = np.full(len(prepared), -1, dtype=np.int64)
    query_gid[query["row"].to_numpy()] = query["gid"].to_numpy()
    k = peers.groupby(["area_code", "period"]).size()
    n_peers = k.reindex(pd.MultiIndex.from_frame(query[["area_code", "period"]])).to_numpy()
    labels = tuple(
        f"{int(n)} vergelijkbare gebieden, {p}"
        for n, p in zip(n_peers.tolist(), query["period"].tolist(), strict=True)
    )
    return Membership(
        kind="peers",
        query_gid=query_gid,
        own_in_set=np.zeros(len(prepared), dtype=bool),
        member_gid=members["gid"].to_numpy(dtype=np.int64),
        member_row=members["member_row"].to_numpy(dtype=np.int64),
        labels=labels,
    )


@dataclass(frozen=True)
class GroupStats:
    """Per group id: the statistics of its members' published values.

    ``n``: members with a value; ``mean``/``sd``: plain mean and SD (``ddof`` 0: divide by n,
    1: by n - 1); ``median``/``mad``: median and median absolute deviation (unscaled);
    ``n_weighted``/``weight_sum``/``weighted_mean``/``weighted_var``: over members that also
    have a base (weight = base value): Σwx/Σw and Σw(x - wmean)²/Σw; ``mean_weight``: Σw/n_w.
    ``sorted_keys``/``starts`` support exact percentile ranks (see :func:`percentile_in_group`).
    """

    ddof: int
    n: IntArray
    mean: FloatArray
    sd: FloatArray
    median: FloatArray
    mad: FloatArray
    n_weighted: IntArray
    weight_sum: FloatArray
    weighted_mean: FloatArray
    weighted_var: FloatArray
    mean_weight: FloatArray
    sorted_gid: IntArray
    sorted_values: FloatArray


def _sorted_median(sorted_values: FloatArray, n: IntArray) -> FloatArray:
    """Median per group of values sorted by (group, value), exactly: the middle value, or the
    mean of the two middle values for an even count."""
    starts = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.int64)
    out = np.full(len(n), np.nan)
    has = n > 0
    lo = starts + (n - 1) // 2
    hi = starts + n // 2
    out[has] = (sorted_values[lo[has]] + sorted_values[hi[has]]) / 2.0
    return out


def group_stats(
    values: FloatArray, weights: FloatArray, membership: Membership, ddof: int
) -> GroupStats:
    """Statistics of every reference group (see :class:`GroupStats`)."""
    n_groups = membership.n_groups
    v_all = values[membership.member_row]
    ok = np.isfinite(v_all)
    g = membership.member_gid[ok]
    v = v_all[ok]
    n = np.bincount(g, minlength=n_groups).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(g, v, n_groups) / n
        ss = np.bincount(g, (v - mean[g]) ** 2, n_groups)
        sd = np.where(n - ddof > 0, np.sqrt(ss / (n - ddof)), np.nan)
        order = np.lexsort((v, g))
        sorted_g, sorted_v = g[order], v[order]
        median = _sorted_median(sorted_v, n)
        deviation = np.abs(sorted_v - median[sorted_g])
        mad = _sorted_median(deviation[np.lexsort((deviation, sorted_g))], n)

        w_all = weights[membership.member_row][ok]
        okw = np.isfinite(w_all) & (w_all >= 0)
        gw, vw, ww = g[okw], v[okw], w_all[okw]
        n_w = np.bincount(gw, minlength=n_groups).astype(np.int64)
        wsum = np.bincount(gw, ww, n_groups)
        wmean = np.where(wsum > 0, np.bincount(gw, ww * vw, n_groups) / wsum, np.nan)
        wvar = np.where(
            wsum > 0, np.bincount(gw, ww * (vw - wmean[gw]) ** 2, n_groups) / wsum, np.nan
        )
        mean_w = np.where(n_w > 0, wsum / n_w, np.nan)
    return GroupStats(
        ddof=ddof, n=n, mean=mean, sd=sd, median=median, mad=mad, n_weighted=n_w,
        weight_sum=wsum, weighted_mean=wmean, weighted_var=wvar, mean_weight=mean_w,
        sorted_gid=sorted_g, sorted_values=sorted_v,
    )


def percentile_in_group(
    stats: GroupStats, gid: IntArray, x: FloatArray, own: FloatArray, own_in_set: BoolArray
) -> FloatArray:
    """Percentile ``(rank - 1) / (N - 1)`` of ``x`` among the *other* members of its group.

    rank = 1 + (others below x) + (others equal to x) / 2, i.e. ties get the average rank, and
    N = others + 1. When ``x`` is the area's own published value and the area is a member, this
    is exactly pandas' ``rank(method="average")`` within the group. ``own`` is the area's own
    published value, removed from the group when ``own_in_set``. NaN when N < 2 or x is NaN.
    """
    out = np.full(len(x), np.nan)
    use = (gid >= 0) & np.isfinite(x)
    if not use.any() or len(stats.sorted_values) == 0:
        return out
    gq, xq = gid[use], x[use]
    union, inverse = np.unique(np.concatenate([stats.sorted_values, xq]), return_inverse=True)
    width = np.int64(len(union))
    n_set = len(stats.sorted_values)
    set_keys = stats.sorted_gid * width + inverse[:n_set].astype(np.int64)
    q_keys = gq * width + inverse[n_set:].astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(stats.n)[:-1])).astype(np.int64)
    left = np.searchsorted(set_keys, q_keys, side="left")
    right = np.searchsorted(set_keys, q_keys, side="right")
    less = (left - starts[gq]).astype(np.float64)
    equal = (right - left).astype(np.float64)
    others = stats.n[gq].astype(np.float64)
    own_q = own[use]
    present = own_in_set[use] & np.isfinite(own_q)
    less -= present & (own_q < xq)
    equal -= present & (own_q == xq)
    others -= present
    rank = 1.0 + less + equal / 2.0
    big_n = others + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out[use] = np.where(big_n >= 2, (rank - 1.0) / (big_n - 1.0), np.nan)
    return out
