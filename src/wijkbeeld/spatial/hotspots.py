"""Where challenges concentrate: Local Moran's I, Getis-Ord Gi* and global Moran's I (esda).

What is computed (all by esda, the PySAL reference implementation, on the binary Queen graph of
:mod:`wijkbeeld.spatial.graph`):

* ``esda.Moran_Local(y, w, transformation="r", permutations, seed, n_jobs, alternative)``: local
  I, its quadrant and the conditional-permutation pseudo p-value;
* ``esda.G_Local(y, w, transform="R", star=True, ...)``: Gi* with the area itself included
  (self-weight 1 before row standardisation); ``gi_z`` is its analytical z-score, ``gi_p`` its
  permutation p-value. Gi is a ratio to the total of ``y`` and needs a positive total: when the
  variable has negative values (a theme score is a mean of z-scores) it is shifted by
  ``-min(y) + sd(y)`` first. Gi*'s z-score and permutation p-value do not change under such a
  shift (checked in the tests); the shift is reported as ``gi_offset``;
* ``esda.Moran(y, w, transformation="r", permutations)``: global I with its permutation p-value.
  esda draws these permutations from NumPy's global generator, so it is seeded with ``seed`` and
  the caller's generator state is restored afterwards.

Inference. Pseudo p-values with ``permutations`` (999) and ``seed`` (12345) and esda's
``alternative`` (default ``"two-sided"``). Simulations are not kept (memory: 15,000 areas x 999
draws would be 120 MB per statistic); esda then returns float32 p-values, which are restored to
their exact value (m + 1) / (permutations + 1). Significant: ``p ≤ alpha``, or with ``fdr``
``p <`` the Benjamini-Hochberg cut-off from ``esda.fdr(p, alpha)``.

Resolution. With 999 permutations the smallest two-sided p esda can give is 3/1000 (its rule
counts the most extreme draw on both sides), so with FDR over n areas nothing can be significant
unless more than n x 0.003 / alpha areas reach that floor (60 for 400 areas). When FDR leaves
nothing significant for that reason a note says so and suggests more permutations (9999).

Missing values are excluded explicitly, never passed on: an area without a value gets
"geen gegevens" and the graph is rebuilt over the remaining areas (with the island policy applied
again), so the others get exactly the result they would get if the area were not in the input.

Classes (Dutch, see :mod:`wijkbeeld.spatial.labels`): a significant area is named after its Local
Moran quadrant (hoog-hoog: concentratie van opgaven or van kracht depending on polarity, laag-laag
the other, uitschieter (hoog-laag) / (laag-hoog)); others "niet significant"; areas outside the
tested graph "niet getoetst"; areas without a value "geen gegevens".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import esda
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from wijkbeeld.spatial.graph import AreaGraph, GraphError, build_graph
from wijkbeeld.spatial.labels import (
    CLUSTER_CODES,
    QUADRANT_CODES,
    QUADRANT_LABELS,
    cluster_labels,
)
from wijkbeeld.spatial.options import SpatialOptions

__all__ = ["TABLE_COLUMNS", "GlobalMoran", "HotspotResult", "hotspots"]

FloatArray = npt.NDArray[np.float64]

#: Columns of :attr:`HotspotResult.table` (index: ``area``).
TABLE_COLUMNS: tuple[str, ...] = (
    "value", "tested", "local_i", "p", "quadrant", "gi_z", "gi_p", "significant",
    "cluster_code", "cluster",
)


@dataclass(frozen=True)
class GlobalMoran:
    """Global Moran's I over the tested areas: I, its expectation -1/(n-1), the z-score and the
    pseudo p-value of the permutation test (esda's ``z_sim`` and ``p_sim``)."""

    i: float
    expected: float
    z: float
    p: float
    n: int
    permutations: int

    def to_dict(self) -> dict[str, Any]:
        return {"i": self.i, "expected": self.expected, "z": self.z, "p": self.p, "n": self.n,
                "permutations": self.permutations}


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """Hotspots of one variable: the per-area table, global Moran's I and everything that made
    them (column, options with seed and permutations, the graph with its policy, cut-off)."""

    column: str
    options: SpatialOptions
    graph: AreaGraph | None
    table: pd.DataFrame
    global_moran: GlobalMoran | None
    p_threshold: float
    gi_offset: float
    missing: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def n_significant(self) -> int:
        return int(self.table["significant"].sum())

    def counts(self) -> dict[str, int]:
        """Areas per cluster label, in legend order (labels with no area included, as 0)."""
        labels = cluster_labels(self.options.polarity)
        found = self.table["cluster_code"].value_counts()
        return {labels[c]: int(found.get(c, 0)) for c in CLUSTER_CODES}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``wijkbeeld hotspots --json`` (NaN becomes null)."""
        opts = self.options
        areas = [
            {
                "area": str(area),
                "value": _num(row.value),
                "local_i": _num(row.local_i),
                "p": _num(row.p),
                "gi_z": _num(row.gi_z),
                "gi_p": _num(row.gi_p),
                "quadrant": row.quadrant,
                "significant": bool(row.significant),
                "cluster_code": row.cluster_code,
                "cluster": row.cluster,
            }
            for area, row in zip(self.table.index, self.table.itertuples(index=False), strict=True)
        ]
        return {
            "column": self.column,
            "seed": opts.seed,
            "permutations": opts.permutations,
            "alternative": opts.alternative,
            "alpha": opts.alpha,
            "fdr": opts.fdr,
            "p_threshold": self.p_threshold,
            "significance_rule": opts.significance_rule,
            "polarity": opts.polarity,
            "graph": self.graph.to_dict() if self.graph is not None
            else {"kind": "queen", "policy": opts.island_policy},
            "global_moran": self.global_moran.to_dict() if self.global_moran else None,
            "gi_offset": self.gi_offset,
            "n_areas": len(self.table),
            "n_tested": int(self.table["tested"].sum()),
            "n_significant": self.n_significant,
            "missing": list(self.missing),
            "notes": list(self.notes),
            "counts": self.counts(),
            "areas": areas,
        }


def hotspots(
    areas: gpd.GeoDataFrame,
    column: str,
    options: SpatialOptions | None = None,
    graph: AreaGraph | None = None,
) -> HotspotResult:
    """Local Moran's I, Gi* and global Moran's I of ``areas[column]`` (index: area codes).

    ``graph`` may be a graph built earlier over (a superset of) the areas, e.g. for several
    indicators of one municipality; it is restricted to the areas that have a value. Without it
    the graph is built from ``areas.geometry``.
    """
    opts = options or SpatialOptions()
    values = _values(areas, column)
    index = values.index
    present = ~np.isnan(values.to_numpy())
    everything = bool(present.all())
    missing = () if everything else tuple(index[~present])
    valid_ids = list(index[present])
    notes: list[str] = []
    if not valid_ids:
        notes.append("geen enkel gebied heeft een waarde")
        return _result(column, opts, None, index, values, {}, None, math.nan, 0.0, missing, notes)
    if graph is None:
        used = build_graph(areas if everything else areas.loc[present], options=opts)
    else:
        used = graph.restrict(valid_ids, options=opts)
    tested = list(used.tested)
    # positions in the input of the tested areas, in test order
    at = np.arange(len(index)) if everything and tested == valid_ids \
        else index.get_indexer(pd.Index(tested))
    y = values.to_numpy()[at]
    if len(tested) < opts.min_areas:
        notes.append(f"minder dan {opts.min_areas} gebieden te toetsen ({len(tested)})")
        return _result(column, opts, used, index, values, {}, None, math.nan, 0.0, missing, notes)
    if float(np.ptp(y)) == 0.0:
        notes.append("alle waarden zijn gelijk: geen spreiding om te toetsen")
        return _result(column, opts, used, index, values, {}, None, math.nan, 0.0, missing, notes)
    stats, global_moran, offset = _run_esda(y, used, opts)
    p = stats["p"]
    threshold = float(esda.fdr(p, opts.alpha)) if opts.fdr else opts.alpha
    stats["significant"] = p < threshold if opts.fdr else p <= threshold
    if opts.fdr and not stats["significant"].any() and float(p.min()) <= opts.alpha:
        notes.append(
            f"met FDR is geen gebied significant: de kleinste p ({p.min():g}) ligt niet onder de "
            f"FDR-grens ({threshold:g}); met {opts.permutations} permutaties kan p niet kleiner "
            "worden, meer permutaties (bijv. 9999) geven een fijnere p"
        )
    return _result(column, opts, used, index, values, {"at": at, **stats}, global_moran,
                   threshold, offset, missing, notes)


def _values(areas: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in areas.columns:
        raise KeyError(f"column {column!r} not in the areas (columns: {', '.join(areas.columns)})")
    if areas.index.has_duplicates:
        raise GraphError("duplicate area codes in the index")
    try:
        numbers = pd.to_numeric(areas[column], errors="raise").astype("float64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"column {column!r} is not numeric: {exc}") from exc
    values = pd.Series(numbers, index=pd.Index([str(a) for a in areas.index], name="area"),
                       name=column, copy=False)
    infinite = values.index[np.isinf(values.to_numpy())]
    if len(infinite):
        raise ValueError(f"column {column!r} has infinite values for {', '.join(infinite[:5])}")
    return values


@contextmanager
def _seeded_global_rng(seed: int) -> Iterator[None]:
    """Seed NumPy's global generator for esda and give the caller its state back afterwards."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        with warnings.catch_warnings():
            # esda sets a global "always" filter for scipy's SparseEfficiencyWarning; keep it here.
            warnings.simplefilter("ignore", category=Warning)
            yield
    finally:
        np.random.set_state(state)


def _exact_p(p: Any, permutations: int) -> FloatArray:
    """Pseudo p-values as exact (m + 1) / (permutations + 1) in float64."""
    raw = np.asarray(p, dtype=np.float64)
    return np.round(raw * (permutations + 1)) / (permutations + 1)


def _run_esda(
    y: FloatArray, graph: AreaGraph, opts: SpatialOptions
) -> tuple[dict[str, Any], GlobalMoran, float]:
    w = graph.graph
    offset = float(-y.min() + y.std()) if y.min() < 0 else 0.0
    common: dict[str, Any] = {
        "permutations": opts.permutations, "seed": opts.seed, "n_jobs": opts.n_jobs,
        "keep_simulations": False, "alternative": opts.alternative,
    }
    # Moran_Local and Moran row-standardise the graph themselves (transformation="r"); handing
    # them the row-standardised graph gives the same weights (esda then copies it) and saves a
    # transformation per call. Gi* gets the binary graph: it adds the self-weight 1 before it
    # row-standardises.
    rows = w.transform("r")
    with _seeded_global_rng(opts.seed):
        local = esda.Moran_Local(y, rows, transformation="r", **common)
        gi = esda.G_Local(y + offset, w, transform="R", star=True, **common)
        np.random.seed(opts.seed)
        glob = esda.Moran(y, rows, transformation="r", permutations=opts.permutations)
    stats = {
        "local_i": np.asarray(local.Is, dtype=np.float64),
        "p": _exact_p(local.p_sim, opts.permutations),
        "q": np.asarray(local.q, dtype=np.int64),
        "gi_z": np.asarray(gi.Zs, dtype=np.float64),
        "gi_p": _exact_p(gi.p_sim, opts.permutations),
    }
    global_moran = GlobalMoran(
        i=float(glob.I), expected=float(glob.EI), z=float(glob.z_sim),
        p=float(glob.p_sim), n=len(y), permutations=opts.permutations,
    )
    return stats, global_moran, offset


def _result(
    column: str,
    opts: SpatialOptions,
    graph: AreaGraph | None,
    index: pd.Index,
    values: pd.Series,
    stats: dict[str, Any],
    global_moran: GlobalMoran | None,
    threshold: float,
    offset: float,
    missing: tuple[str, ...],
    notes: list[str],
) -> HotspotResult:
    """Assemble the per-area table for every area of the input, in input order."""
    n = len(index)
    numbers = {name: np.full(n, np.nan) for name in ("local_i", "p", "gi_z", "gi_p")}
    quadrant = np.full(n, "", dtype=object)
    significant = np.zeros(n, dtype=bool)
    tested = np.zeros(n, dtype=bool)
    value = values.to_numpy(dtype=np.float64)
    code = np.where(np.isnan(value), "no_data", "not_tested").astype(object)
    if stats:
        at = stats["at"]
        for name, array in numbers.items():
            array[at] = stats[name]
        quads = [QUADRANT_CODES.get(int(q), "") for q in stats["q"]]
        quadrant[at] = [QUADRANT_LABELS.get(q, "") for q in quads]
        significant[at] = stats["significant"]
        tested[at] = True
        code[at] = np.where(stats["significant"], quads, "ns")
    labels = cluster_labels(opts.polarity)
    columns = {
        "value": value, "tested": tested, "local_i": numbers["local_i"], "p": numbers["p"],
        "quadrant": quadrant, "gi_z": numbers["gi_z"], "gi_p": numbers["gi_p"],
        "significant": significant, "cluster_code": code, "cluster": [labels[c] for c in code],
    }
    table = pd.DataFrame(columns, index=index, copy=False)
    return HotspotResult(column, opts, graph, table, global_moran, threshold, offset, missing,
                         tuple(notes))


def _num(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number
