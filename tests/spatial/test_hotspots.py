"""Hotspots: a planted cluster on a generated grid, islands, missing values, and equality with esda
called directly on the real Amsterdam buurten.

The grid tests use the defaults (999 permutations, seed 12345): 400 cells run in about a second.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal.graph import Graph
from scipy import sparse, stats
from spatial_support import amsterdam, cell_id, grid, planted_grid

from wijkbeeld.spatial import GraphError, SpatialOptions, build_graph, hotspots

STATS = ["local_i", "p", "gi_z", "gi_p", "quadrant", "significant", "cluster_code", "cluster"]


def false_positive_bound(m: int, alpha: float) -> int:
    """Most false positives among m null tests at level alpha that is not exceeded with
    probability 0.999 if they were independent (binomial 99.9 % quantile)."""
    return int(stats.binom.ppf(0.999, m, alpha))


@pytest.fixture(scope="module")
def planted() -> gpd.GeoDataFrame:
    return planted_grid()


@pytest.fixture(scope="module")
def planted_result(planted: gpd.GeoDataFrame):
    return hotspots(planted, "value")


# --- planted cluster --------------------------------------------------------------------------


def test_planted_cluster_is_found(planted: gpd.GeoDataFrame, planted_result) -> None:
    table = planted_result.table
    cluster = planted.index[planted["in_cluster"]]
    core = [cell_id(r, c) for r in range(5, 8) for c in range(5, 8)]
    assert (table.loc[core, "cluster"] == "concentratie van opgaven").all()
    assert (table.loc[cluster, "quadrant"] == "hoog-hoog").all()
    found = (table.loc[cluster, "cluster_code"] == "HH").sum()
    assert found >= 20, f"only {found} of 25 planted cells found"
    assert not table.loc[cluster, "cluster_code"].isin(["LL", "HL", "LH"]).any()
    assert planted_result.global_moran.i > 0.1
    assert planted_result.global_moran.p == pytest.approx(1 / 1000)
    assert planted_result.options.seed == 12345 and planted_result.options.permutations == 999


def test_background_stays_within_false_positive_rate(planted, planted_result) -> None:
    background = planted.index[planted["ring"] >= 2]  # no planted cell among its neighbours
    hits = int(planted_result.table.loc[background, "significant"].sum())
    bound = false_positive_bound(len(background), 0.05)
    assert hits <= bound, f"{hits} of {len(background)} background cells significant (> {bound})"


def test_fdr_keeps_the_core_and_cuts_background(planted, planted_result) -> None:
    # 9999 permutations: with 999 the smallest two-sided p is 0.003, above every FDR cut-off
    # for 400 areas with this cluster (see the next test); 400 cells x 9999 still take ~1 s.
    options = SpatialOptions(fdr=True, permutations=9999)
    with_fdr = hotspots(planted, "value", options)
    p = with_fdr.table["p"]
    expected_cut = esda.fdr(p.to_numpy(), 0.05)
    assert with_fdr.p_threshold == pytest.approx(expected_cut) and expected_cut < 0.05
    assert with_fdr.table["significant"].equals(p < expected_cut)
    core = [cell_id(r, c) for r in range(5, 8) for c in range(5, 8)]
    assert (with_fdr.table.loc[core, "cluster_code"] == "HH").all()
    background = planted.index[planted["ring"] >= 2]
    fdr_hits = with_fdr.table.loc[background, "significant"].sum()
    assert fdr_hits <= planted_result.table.loc[background, "significant"].sum()
    assert fdr_hits <= false_positive_bound(len(background), expected_cut)


def test_fdr_with_too_few_permutations_says_why(planted, planted_result) -> None:
    with_fdr = hotspots(planted, "value", SpatialOptions(fdr=True))
    smallest = planted_result.table["p"].min()
    assert smallest == pytest.approx(3 / 1000)  # esda's two-sided floor at 999 permutations
    assert with_fdr.n_significant == 0
    assert with_fdr.notes and "meer permutaties" in with_fdr.notes[0]
    pd.testing.assert_series_equal(with_fdr.table["p"], planted_result.table["p"])


def test_polarity_turns_hoog_hoog_into_kracht(planted) -> None:
    better = hotspots(planted, "value", SpatialOptions(polarity="higher_is_better"))
    core = [cell_id(r, c) for r in range(5, 8) for c in range(5, 8)]
    assert (better.table.loc[core, "cluster"] == "concentratie van kracht").all()
    assert (better.table.loc[core, "cluster_code"] == "HH").all()
    low = better.table["cluster_code"] == "LL"
    assert (better.table.loc[low, "cluster"] == "concentratie van opgaven").all()


def test_gi_star_unchanged_by_negative_values(planted, planted_result) -> None:
    shifted = planted.assign(value=planted["value"] - 100.0)  # all negative
    moved = hotspots(shifted, "value")
    assert moved.gi_offset > 0 and planted_result.gi_offset == 0
    np.testing.assert_allclose(moved.table["gi_z"], planted_result.table["gi_z"], atol=1e-9)
    np.testing.assert_array_equal(moved.table["gi_p"], planted_result.table["gi_p"])
    np.testing.assert_allclose(moved.table["local_i"], planted_result.table["local_i"], atol=1e-9)
    # Gi* z agrees in sign with the cluster: the core is a hot spot
    core = [cell_id(r, c) for r in range(5, 8) for c in range(5, 8)]
    assert (moved.table.loc[core, "gi_z"] > 1.96).all()


def test_caller_random_state_is_restored(planted) -> None:
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    hotspots(planted, "value", SpatialOptions(permutations=99))
    assert np.array_equal(np.random.get_state()[1], before)


def test_json_shape(planted_result) -> None:
    out = planted_result.to_dict()
    assert out["seed"] == 12345 and out["permutations"] == 999
    assert out["graph"]["policy"] == "attach" and out["graph"]["kind"] == "queen"
    assert set(out["global_moran"]) >= {"i", "p", "z", "expected"}
    first = out["areas"][0]
    assert set(first) >= {"area", "value", "local_i", "p", "gi_z", "cluster"}
    assert len(out["areas"]) == 400
    assert sum(out["counts"].values()) == 400


# --- islands ----------------------------------------------------------------------------------


def with_island(planted: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The grid plus one cell 10 km away, with the background median as its value."""
    median = float(planted.loc[planted["ring"] >= 2, "value"].median())
    island = gpd.GeoDataFrame(
        {"row": [-1], "col": [-1], "value": [median], "in_cluster": [False], "ring": [99]},
        geometry=[shapely.box(12000, 12000, 12100, 12100)], index=["island"], crs="EPSG:28992")
    return pd.concat([planted, island])


def test_island_attached_to_nearest_and_not_significant(planted) -> None:
    areas = with_island(planted)
    result = hotspots(areas, "value")
    centroids = areas.geometry.centroid
    distance = np.hypot(centroids.x - 12050, centroids.y - 12050).drop("island")
    graph = result.graph
    assert graph.islands == ("island",) and graph.n_components == 2
    assert graph.added_edges == (("island", distance.idxmin(), pytest.approx(distance.min())),)
    assert distance.idxmin() == cell_id(19, 19)
    row = result.table.loc["island"]
    assert row["tested"] and not row["significant"]
    assert row["cluster"] == "niet significant"


def test_island_excluded_is_niet_getoetst(planted) -> None:
    areas = with_island(planted)
    result = hotspots(areas, "value", SpatialOptions(island_policy="exclude"))
    row = result.table.loc["island"]
    assert row["cluster"] == "niet getoetst" and not row["tested"]
    assert math.isnan(row["p"]) and row["value"] == pytest.approx(areas.loc["island", "value"])
    assert result.graph.excluded == ("island",)
    alone = hotspots(planted, "value")
    pd.testing.assert_frame_equal(result.table.drop(index="island")[STATS], alone.table[STATS])


# --- missing values ---------------------------------------------------------------------------


def test_missing_value_does_not_spoil_the_others(planted) -> None:
    gap = cell_id(15, 2)
    areas = planted.copy()
    areas.loc[gap, "value"] = np.nan
    result = hotspots(areas, "value")
    dropped = hotspots(planted.drop(index=gap), "value")
    assert result.missing == (gap,)
    assert result.table.loc[gap, "cluster"] == "geen gegevens"
    assert math.isnan(result.table.loc[gap, "local_i"]) and not result.table.loc[gap, "tested"]
    pd.testing.assert_frame_equal(result.table.drop(index=gap), dropped.table)
    assert result.global_moran == dropped.global_moran
    assert result.to_dict()["areas"][areas.index.get_loc(gap)]["value"] is None


def test_missing_neighbours_leave_an_island_that_is_attached(planted) -> None:
    corner = cell_id(0, 0)
    around = [cell_id(0, 1), cell_id(1, 0), cell_id(1, 1)]
    areas = planted.copy()
    areas.loc[around, "value"] = np.nan
    result = hotspots(areas, "value")
    assert result.graph.islands == (corner,)
    (edge,) = result.graph.added_edges
    assert edge[0] == corner and edge[2] == pytest.approx(200.0)  # two cells away
    assert result.table.loc[corner, "tested"]
    dropped = hotspots(planted.drop(index=around), "value")
    pd.testing.assert_frame_equal(result.table.drop(index=around), dropped.table)


def test_prebuilt_graph_gives_the_same_result(planted) -> None:
    areas = planted.copy()
    areas.loc[cell_id(3, 3), "value"] = np.nan
    graph = build_graph(areas)
    pd.testing.assert_frame_equal(hotspots(areas, "value", graph=graph).table,
                                  hotspots(areas, "value").table)


def test_too_few_or_constant_values_are_not_tested() -> None:
    small = grid(3)
    small["value"] = np.arange(9.0)
    few = hotspots(small, "value")  # 9 < min_areas 10
    assert (few.table["cluster"] == "niet getoetst").all() and few.global_moran is None
    assert few.notes and "minder dan 10" in few.notes[0]
    flat = grid(4).assign(value=3.0)
    constant = hotspots(flat, "value")
    assert (constant.table["cluster"] == "niet getoetst").all()
    empty = grid(4).assign(value=np.nan)
    assert (hotspots(empty, "value").table["cluster"] == "geen gegevens").all()


def test_bad_input_is_refused() -> None:
    cells = grid(4).assign(value=1.0, text="x")
    with pytest.raises(KeyError, match="nope"):
        hotspots(cells, "nope")
    with pytest.raises(ValueError, match="not numeric"):
        hotspots(cells, "text")
    with pytest.raises(ValueError, match="infinite"):
        hotspots(cells.assign(value=np.inf), "value")
    with pytest.raises(GraphError, match="no CRS"):
        hotspots(cells.set_crs(None, allow_override=True), "value")
    with pytest.raises(GraphError, match="duplicate"):
        hotspots(pd.concat([cells, cells.iloc[:1]]), "value")


# --- real data: equal to esda called directly --------------------------------------------------


def expected_graph(areas: gpd.GeoDataFrame) -> tuple[Graph, tuple[str, str]]:
    """Queen contiguity by libpysal, plus the one link between Amsterdam and Weesp/Driemond at
    the closest pair of centroids (brute force over all pairs)."""
    queen = Graph.build_contiguity(areas.geometry, rook=False).transform("B")
    labels = queen.component_labels.reindex(areas.index).to_numpy()
    assert queen.n_components == 2
    small = int(np.argmin(np.bincount(labels)))
    xy = np.column_stack([areas.centroid.x, areas.centroid.y])
    inside, outside = np.flatnonzero(labels == small), np.flatnonzero(labels != small)
    dist = np.hypot(*(xy[inside][:, None, :] - xy[outside][None, :, :]).transpose(2, 0, 1))
    a, b = np.unravel_index(np.argmin(dist), dist.shape)
    i, j = int(inside[a]), int(outside[b])
    matrix = sparse.lil_matrix(queen.sparse)
    matrix[i, j] = matrix[j, i] = 1.0
    linked = Graph.from_sparse(sparse.csr_matrix(matrix), ids=list(areas.index)).transform("B")
    return linked, (str(areas.index[i]), str(areas.index[j]))


@pytest.fixture(scope="module")
def amsterdam_areas(raw: Path) -> gpd.GeoDataFrame:
    return amsterdam(raw)


def test_amsterdam_equals_esda(amsterdam_areas: gpd.GeoDataFrame) -> None:
    areas = amsterdam_areas
    result = hotspots(areas, "value")
    valid = areas[areas["value"].notna()]
    assert len(valid) == 503 and result.missing == tuple(areas.index[areas["value"].isna()])
    w, (one, other) = expected_graph(valid)
    assert [(a, b) for a, b, _d in result.graph.added_edges] == [(one, other)]
    y = valid["value"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = esda.Moran_Local(y, w, transformation="r", permutations=999, seed=12345,
                                 n_jobs=1, alternative="two-sided")
        gi = esda.G_Local(y, w, transform="R", star=True, permutations=999, seed=12345,
                          n_jobs=1, alternative="two-sided")
        np.random.seed(12345)
        glob = esda.Moran(y, w, transformation="r", permutations=999)
    got = result.table.loc[valid.index]
    np.testing.assert_allclose(got["local_i"], local.Is, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got["p"], local.p_sim)
    np.testing.assert_allclose(got["gi_z"], gi.Zs, rtol=1e-12, atol=1e-12)
    # esda's G_Local returns float32 p-values; ours are the exact fractions (m + 1) / 1000
    np.testing.assert_array_equal(got["gi_p"].to_numpy().astype(np.float32), gi.p_sim)
    np.testing.assert_array_equal(got["gi_p"] * 1000, np.round(gi.p_sim.astype(float) * 1000))
    assert result.global_moran.i == pytest.approx(glob.I, abs=1e-14)
    assert result.global_moran.p == glob.p_sim
    hh = (local.q == 1) & (local.p_sim <= 0.05)
    assert (got["cluster_code"] == "HH").to_numpy().tolist() == hh.tolist()
    assert hh.sum() > 10  # low-income households do cluster in Amsterdam
    assert result.global_moran.i > 0.1 and result.global_moran.p == pytest.approx(0.001)
    assert (result.table.loc[list(result.missing), "cluster"] == "geen gegevens").all()


def test_amsterdam_exclude_equals_esda_on_largest_component(amsterdam_areas) -> None:
    areas = amsterdam_areas
    result = hotspots(areas, "value", SpatialOptions(island_policy="exclude", fdr=True))
    valid = areas[areas["value"].notna()]
    queen = Graph.build_contiguity(valid.geometry, rook=False).transform("B")
    labels = queen.component_labels.reindex(valid.index)
    main = labels.value_counts().idxmax()
    kept = valid.index[labels == main]
    assert len(result.graph.excluded) == len(valid) - len(kept) > 50  # Weesp and Driemond
    assert (result.table.loc[list(result.graph.excluded), "cluster"] == "niet getoetst").all()
    w = queen.subgraph(kept)
    y = valid.loc[kept, "value"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = esda.Moran_Local(y, w, transformation="r", permutations=999, seed=12345,
                                 n_jobs=1, alternative="two-sided")
    got = result.table.loc[kept]
    np.testing.assert_allclose(got["local_i"], local.Is, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got["p"], local.p_sim)
    cut = esda.fdr(local.p_sim, 0.05)
    assert result.p_threshold == cut
    assert got["significant"].to_numpy().tolist() == (local.p_sim < cut).tolist()
