"""Peers ("vergelijkbare buurten"): the k areas most like an area in what kind of place it is.

Similarity is measured on context indicators only (``CompareOptions.peer_indicators``: density,
household size, age structure, tenure), never on the outcomes being compared. Per pool (same
period and level; with ``peer_scope="municipality"`` also the same municipality) each context
indicator is standardised over the pool's areas that have all of them (z = (x - mean) / SD,
population SD), and the distance between two areas is the root mean square of their z
differences: "on average d standard deviations apart". Ties are broken by area code, so the
result is deterministic. Areas missing a context figure get no peers and are not candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijkbeeld.compare.options import CompareOptions

__all__ = ["PeerSet", "Peers", "find_peers"]

_CHUNK = 256


@dataclass(frozen=True)
class PeerSet:
    """The peers of one area, with why: per peer its distance and per context indicator the
    area's value, the peer's value and their difference in pool SDs."""

    area_code: str
    period: str
    k: int
    scope: str
    features: tuple[str, ...]
    peers: tuple[str, ...]
    distances: tuple[float, ...]
    detail: pd.DataFrame = field(repr=False)

    def explanation(self) -> str:
        """One Dutch sentence on what the peers were chosen on."""
        if not self.peers:
            return "geen vergelijkbare gebieden: contextcijfers ontbreken"
        mean_d = float(np.mean(self.distances))
        where = "in alle geladen gemeenten" if self.scope == "nl" else "in dezelfde gemeente"
        return (
            f"de {len(self.peers)} gebieden {where} die het meest lijken op {self.area_code} op "
            f"{', '.join(self.features)} (gemiddeld {mean_d:.2f} standaarddeviatie verschil)"
        )

    def to_dict(self) -> dict[str, object]:
        rows = self.detail.to_dict(orient="records")
        return {
            "area": self.area_code, "period": self.period, "k": self.k, "scope": self.scope,
            "features": list(self.features), "explanation": self.explanation(),
            "peers": [
                {"area": p, "distance": d,
                 "features": [r for r in rows if r["peer_code"] == p]}
                for p, d in zip(self.peers, self.distances, strict=True)
            ],
        }


@dataclass(frozen=True)
class Peers:
    """Peers of many areas. ``table``: area_code, period, rank (1 = most similar), peer_code,
    distance. ``wide``: the context values per (area_code, period) and its ``pool``;
    ``pool_stats``: mean and SD of each context indicator per pool (pool, indicator, mean, sd).
    ``missing_features``: requested but absent from the data, or ``context_only`` (never
    used)."""

    k: int
    scope: str
    features: tuple[str, ...]
    missing_features: tuple[str, ...]
    table: pd.DataFrame
    wide: pd.DataFrame = field(repr=False)
    pool_stats: pd.DataFrame = field(repr=False)

    def for_area(self, area_code: str, period: str) -> PeerSet:
        """The explained peer set of one area in one period (empty when it has none)."""
        mine = self.table[(self.table["area_code"] == area_code) & (self.table["period"] == period)]
        mine = mine.sort_values("rank")
        detail_rows: list[dict[str, object]] = []
        cols = list(self.features)
        if len(mine) and (area_code, period) in self.wide.index:
            values = self.wide[cols].to_numpy(dtype="float64")
            pos = self.wide.index.get_indexer(pd.MultiIndex.from_tuples([(area_code, period)]))[0]
            own = values[pos]
            pool = str(self.wide["pool"].iloc[pos])
            stats = self.pool_stats[self.pool_stats["pool"] == pool].set_index("indicator")
            sds = stats["sd"].reindex(cols).to_numpy(dtype="float64")
            peer_codes = mine["peer_code"].tolist()
            peer_pos = self.wide.index.get_indexer(
                pd.MultiIndex.from_tuples([(p, period) for p in peer_codes])
            )
            for peer, other in zip(peer_codes, values[peer_pos], strict=True):
                for j, f in enumerate(cols):
                    diff = (other[j] - own[j]) / sds[j] if sds[j] > 0 else 0.0
                    detail_rows.append({"peer_code": peer, "indicator": f,
                                        "area_value": float(own[j]),
                                        "peer_value": float(other[j]),
                                        "difference_sd": float(diff)})
        detail = pd.DataFrame(
            detail_rows,
            columns=["peer_code", "indicator", "area_value", "peer_value", "difference_sd"],
        )
        return PeerSet(
            area_code=area_code, period=period, k=self.k, scope=self.scope,
            features=self.features, peers=tuple(mine["peer_code"].tolist()),
            distances=tuple(float(d) for d in mine["distance"].tolist()), detail=detail,
        )


def find_peers(
    prepared: pd.DataFrame, options: CompareOptions, areas: Iterable[str] | None = None
) -> Peers:
    """Peers for every area in ``prepared`` (or only for ``areas``; the pool is always all)."""
    present = set(prepared["indicator"].unique().tolist())
    # context_only figures (migration background) never steer a comparison, not even the choice
    # of peers: they are dropped from the features and reported as not used.
    barred = set(prepared.loc[prepared["context_only"].to_numpy(dtype=bool), "indicator"])
    features = tuple(f for f in options.peer_indicators if f in present and f not in barred)
    missing = tuple(f for f in options.peer_indicators if f not in features)
    empty = pd.DataFrame(columns=["area_code", "period", "rank", "peer_code", "distance"])
    if not features:
        return Peers(options.peer_k, options.peer_scope, features, missing, empty,
                     pd.DataFrame(), pd.DataFrame())
    rows = prepared[prepared["indicator"].isin(features)]
    wide = rows.set_index(["area_code", "period", "indicator"])["value"].unstack("indicator")
    wide = wide.reindex(columns=list(features))
    info = rows.drop_duplicates(["area_code", "period"]).set_index(["area_code", "period"])
    wide = wide[np.isfinite(wide.to_numpy(dtype="float64")).all(axis=1)].copy()
    pool_cols = ["period", "level"] + (["municipality"] if options.peer_scope == "municipality"
                                       else [])
    pool_info = info.loc[wide.index, pool_cols[1:]]
    wide["pool"] = [
        "|".join([str(idx[1]), *map(str, vals)])
        for idx, vals in zip(wide.index, pool_info.itertuples(index=False), strict=True)
    ]
    wanted = None if areas is None else set(areas)
    stats_rows: list[tuple[str, str, float, float]] = []
    parts: list[pd.DataFrame] = []
    for pool, block in wide.groupby("pool", sort=True):
        block = block.sort_index()
        x = block[list(features)].to_numpy(dtype="float64")
        mean = x.mean(axis=0)
        sd = x.std(axis=0, ddof=0)
        stats_rows.extend(
            (str(pool), f, float(m), float(s_))
            for f, m, s_ in zip(features, mean, sd, strict=True)
        )
        z = np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), 0.0)
        codes = block.index.get_level_values("area_code").to_numpy()
        period = str(block.index.get_level_values("period")[0])
        query = np.arange(len(block)) if wanted is None else np.flatnonzero(
            np.isin(codes, list(wanted)))
        k = min(options.peer_k, len(block) - 1)
        if k < 1 or len(query) == 0:
            continue
        for start in range(0, len(query), _CHUNK):
            q = query[start:start + _CHUNK]
            d2 = np.zeros((len(q), len(block)))
            for j in range(len(features)):
                d2 += (z[q, j][:, None] - z[None, :, j]) ** 2
            d = np.sqrt(d2 / len(features))
            d[np.arange(len(q)), q] = np.inf  # never your own peer
            # The k nearest (argpartition), then ordered by distance and, for ties, by code
            # (candidates are sorted by code, so by column index).
            near = np.argpartition(d, k - 1, axis=1)[:, :k]
            near_d = np.take_along_axis(d, near, axis=1)
            order = np.take_along_axis(near, np.lexsort((near, near_d), axis=1), axis=1)
            parts.append(pd.DataFrame({
                "area_code": np.repeat(codes[q], k),
                "period": period,
                "rank": np.tile(np.arange(1, k + 1), len(q)),
                "peer_code": codes[order].ravel(),
                "distance": np.take_along_axis(d, order, axis=1).ravel(),
            }))
    table = pd.concat(parts, ignore_index=True) if parts else empty
    pool_stats = pd.DataFrame(stats_rows, columns=["pool", "indicator", "mean", "sd"])
    return Peers(options.peer_k, options.peer_scope, features, missing, table, wide, pool_stats)
