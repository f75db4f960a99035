"""The neighbourhood graph: Queen contiguity, the attach and exclude policies, restriction."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal.graph import Graph
from scipy.sparse.csgraph import connected_components
from spatial_support import BUURTEN, cell_id, grid

from wijkbeeld.spatial import GraphError, SpatialOptions, build_graph


def neighbours(graph: Graph, area: str) -> set[str]:
    return {str(n) for n in graph[area].index if graph[area][n] != 0}


def edge_set(graph: Graph) -> set[tuple[str, str]]:
    adj = graph.adjacency
    adj = adj[adj != 0]
    return {(str(a), str(b)) for a, b in adj.index if a != b}


def test_queen_not_rook() -> None:
    g = build_graph(grid(3))
    assert neighbours(g.graph, cell_id(1, 1)) == {cell_id(r, c) for r in range(3) for c in range(3)
                                                  } - {cell_id(1, 1)}
    assert neighbours(g.graph, cell_id(0, 0)) == {cell_id(0, 1), cell_id(1, 0), cell_id(1, 1)}
    assert g.graph.transformation == "B"
    assert g.n_components == 1 and g.islands == () and g.added_edges == ()


def blocks() -> gpd.GeoDataFrame:
    """A 3 x 3 block, a 2 x 1 block 1 km east of it, and a single cell far north-east."""
    main = grid(3)
    east = gpd.GeoDataFrame(
        geometry=[shapely.box(1300, 0, 1400, 100), shapely.box(1400, 0, 1500, 100)],
        index=["e1", "e2"], crs="EPSG:28992")
    lone = gpd.GeoDataFrame(geometry=[shapely.box(5000, 5000, 5100, 5100)], index=["lone"],
                            crs="EPSG:28992")
    return pd.concat([main[["geometry"]], east, lone])


def nearest_outside(areas: gpd.GeoDataFrame, inside: list[str]) -> tuple[str, str, float]:
    xy = pd.DataFrame({"x": areas.centroid.x, "y": areas.centroid.y})
    best = min(
        (float(np.hypot(*(xy.loc[a] - xy.loc[b]))), a, b)
        for a in inside for b in xy.index if b not in inside
    )
    return best[1], best[2], best[0]


def test_attach_links_components_to_their_nearest_area() -> None:
    areas = blocks()
    g = build_graph(areas)
    assert g.n_components == 3 and g.islands == ("lone",)
    # smallest component first: the lone cell, then the east pair (merged order by size)
    lone = nearest_outside(areas, ["lone"])
    assert g.added_edges[0] == (lone[0], lone[1], pytest.approx(lone[2]))
    assert lone[1] == "e2"
    east = nearest_outside(areas.drop(index="lone"), ["e1", "e2"])
    assert g.added_edges[1][:2] == east[:2] and east[:2] == ("e1", cell_id(0, 2))
    assert g.added_edges[1][2] == pytest.approx(1100.0)
    count, _labels = connected_components(g.graph.sparse, directed=False)
    assert count == 1
    # every real contiguity edge is kept, the added edges are symmetric
    raw = edge_set(Graph.build_contiguity(areas.geometry, rook=False))
    used = edge_set(g.graph)
    added = {(a, b) for a, b, _ in g.added_edges} | {(b, a) for a, b, _ in g.added_edges}
    assert used == raw | added
    assert g.tested == tuple(areas.index) and g.excluded == ()


def test_exclude_keeps_the_largest_component() -> None:
    areas = blocks()
    g = build_graph(areas, island_policy="exclude")
    assert g.tested == tuple(grid(3).index)
    assert g.excluded == ("e1", "e2", "lone")
    assert g.added_edges == ()
    assert edge_set(g.graph) == edge_set(Graph.build_contiguity(grid(3).geometry, rook=False))
    out = g.to_dict()
    assert out["policy"] == "exclude" and out["excluded"] == ["e1", "e2", "lone"]
    assert out["islands"] == ["lone"] and out["n_components"] == 3


def test_restrict_equals_building_on_the_subset() -> None:
    areas = blocks()
    full = build_graph(areas)
    keep = [a for a in areas.index if a not in (cell_id(1, 1), cell_id(0, 2), "e2")]
    restricted = full.restrict(keep)
    rebuilt = build_graph(areas.loc[keep])
    assert restricted.tested == rebuilt.tested == tuple(keep)
    assert edge_set(restricted.graph) == edge_set(rebuilt.graph)
    assert restricted.added_edges == rebuilt.added_edges
    assert restricted.islands == rebuilt.islands
    assert full.restrict(list(areas.index)) is full
    other = full.restrict(keep, SpatialOptions(island_policy="exclude"))
    assert other.policy == "exclude" and other.excluded
    with pytest.raises(GraphError, match="not in the graph"):
        full.restrict(["nowhere"])


def test_lon_lat_input_is_measured_in_rd_new(raw: Path) -> None:
    areas = gpd.read_file(raw / BUURTEN).set_index("cbsCode")
    assert areas.crs.to_epsg() in (None, 4326)  # CRS84 lon/lat
    g = build_graph(areas)
    rd = areas.to_crs(28992).centroid
    np.testing.assert_allclose(g.centroids[:, 0], rd.x, atol=1e-6)
    np.testing.assert_allclose(g.centroids[:, 1], rd.y, atol=1e-6)
    # Amsterdam proper and Weesp/Driemond (since 2022) do not touch: one link joins them,
    # and it is a few kilometres long
    reference = Graph.build_contiguity(areas.to_crs(28992).geometry, rook=False)
    assert g.n_components == reference.n_components == 2
    assert edge_set(g.contiguity) == edge_set(reference)
    ((a, b, metres),) = g.added_edges
    assert 500 < metres < 10_000
    assert reference.component_labels[a] != reference.component_labels[b]


def test_bad_areas_are_refused() -> None:
    cells = grid(2)
    with pytest.raises(GraphError, match="no CRS"):
        build_graph(cells.set_crs(None, allow_override=True))
    with pytest.raises(GraphError, match="duplicate"):
        build_graph(pd.concat([cells, cells.iloc[:1]]))
    empty = cells.copy()
    empty.loc[cell_id(0, 0), "geometry"] = shapely.Polygon()
    with pytest.raises(GraphError, match=r"without a shape.*c0000"):
        build_graph(empty)
    with pytest.raises(GraphError, match="no areas"):
        build_graph(cells.iloc[:0])
