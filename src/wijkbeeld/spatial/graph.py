"""The neighbourhood graph: Queen contiguity between areas, with a documented island policy.

Contiguity is libpysal's ``Graph.build_contiguity(geometry, rook=False)`` (Queen: two areas are
neighbours when their boundaries share at least one point), binary weights, built on the
boundaries in RD New (EPSG:28992).

Island and component policy. Real boundaries are rarely one connected whole: an island (Texel's
buurten, a buurt that is all water) has no neighbour, and a municipality can fall apart into
groups that do not touch (Amsterdam and Weesp/Driemond since 2022). Local statistics need every
tested area to have neighbours, and the choice of what to do is a method choice that must be
visible, so it is one option with two values:

``attach`` (default)
    Repeatedly take the smallest component (ties: the one whose first area comes first) and add one
    symmetric edge, weight 1, between the closest pair of centroids (in RD New metres) with one
    area inside and one outside it, until one component remains. An island gets its nearest area
    as its only neighbour. Every added edge is kept in :attr:`AreaGraph.added_edges`, with its
    length in metres, so reports can say which links were not real contiguity.
``exclude``
    Only the largest component is tested (ties: the one whose first area comes first); every area
    outside it is "niet getoetst" and listed in :attr:`AreaGraph.excluded`.

The graph over a subset of the areas (after areas without a value are dropped) is the subgraph
of the contiguity with the policy applied again (:meth:`AreaGraph.restrict`): Queen contiguity
is a property of pairs, so this equals building the graph on the subset from scratch.

>>> import geopandas as gpd, shapely
>>> cells = gpd.GeoDataFrame(
...     geometry=[shapely.box(x, 0, x + 1, 1) for x in (0, 1, 5)],
...     index=["a", "b", "far"], crs="EPSG:28992")
>>> g = build_graph(cells)
>>> g.added_edges
(('far', 'b', 4.0),)
>>> build_graph(cells, island_policy="exclude").excluded
('far',)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from libpysal.graph import Graph
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from wijkbeeld.spatial.options import ISLAND_POLICIES, IslandPolicy, SpatialOptions

__all__ = ["AreaGraph", "GraphError", "build_graph", "to_projected"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class GraphError(ValueError):
    """The areas cannot give a graph (no CRS, duplicate or missing codes, empty geometry)."""


@dataclass(frozen=True, eq=False)
class AreaGraph:
    """The contiguity of a set of areas and the graph actually used for testing.

    ``ids`` are all areas given, in order; ``contiguity`` is the raw binary Queen graph over them
    (islands appear as zero-weight self-loops, as in libpysal); ``centroids`` are their centroids
    in the projected CRS. ``graph`` is the binary graph over ``tested`` after the policy;
    ``excluded`` are the areas marked "niet getoetst" (policy ``exclude`` only);
    ``added_edges`` are the links the ``attach`` policy made, as ``(area, nearest, metres)``.
    ``n_components`` and ``islands`` describe the raw contiguity.
    """

    ids: tuple[str, ...]
    contiguity: Graph
    centroids: FloatArray
    policy: IslandPolicy
    graph: Graph
    tested: tuple[str, ...]
    excluded: tuple[str, ...]
    added_edges: tuple[tuple[str, str, float], ...]
    n_components: int
    islands: tuple[str, ...]
    options: SpatialOptions = field(default_factory=SpatialOptions)

    @property
    def n(self) -> int:
        """Number of areas given."""
        return len(self.ids)

    def restrict(self, ids: Sequence[str], options: SpatialOptions | None = None) -> AreaGraph:
        """The graph over a subset of the areas, in the given order, with the policy reapplied.

        ``options`` (default: this graph's) may choose another island policy; the contiguity
        itself (CRS, strictness) stays as built.
        """
        opts = options or self.options
        keep = [str(i) for i in ids]
        position = {a: k for k, a in enumerate(self.ids)}
        unknown = [a for a in keep if a not in position]
        if unknown:
            raise GraphError(f"areas not in the graph: {', '.join(unknown[:5])}")
        if keep == list(self.ids) and opts.island_policy == self.policy:
            return self
        rows = np.array([position[a] for a in keep], dtype=np.int64)
        adjacency = _binary_matrix(self.contiguity)[rows][:, rows].tocsr()
        return _apply_policy(tuple(keep), adjacency, self.centroids[rows], opts)

    def to_dict(self) -> dict[str, Any]:
        """Summary for JSON output: kind, policy, components, islands, links and exclusions."""
        return {
            "kind": "queen",
            "policy": self.policy,
            "n_areas": self.n,
            "n_tested": len(self.tested),
            "n_components": self.n_components,
            "islands": list(self.islands),
            "added_edges": [
                {"area": a, "neighbour": b, "distance_m": round(d, 1)}
                for a, b, d in self.added_edges
            ],
            "excluded": list(self.excluded),
        }


def to_projected(areas: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """``areas`` in the projected CRS; refuses a frame without a CRS (distances would lie)."""
    if areas.crs is None:
        raise GraphError("the areas have no CRS; set one (e.g. EPSG:4326 or EPSG:28992)")
    return areas if areas.crs == crs else areas.to_crs(crs)


def build_graph(
    areas: gpd.GeoDataFrame,
    island_policy: IslandPolicy | None = None,
    options: SpatialOptions | None = None,
) -> AreaGraph:
    """Queen contiguity over ``areas`` (indexed by area code) with the island policy applied.

    ``island_policy`` overrides ``options.island_policy`` when given.
    """
    opts = options or SpatialOptions()
    if island_policy is not None and island_policy != opts.island_policy:
        opts = _replace_policy(opts, island_policy)
    ids = _check_areas(areas)
    if areas.crs is None:
        raise GraphError("the areas have no CRS; set one (e.g. EPSG:4326 or EPSG:28992)")
    # Only the geometry column is projected (the same transformation as projecting the frame).
    shapes = areas.geometry
    if shapes.crs != opts.projected_crs:
        shapes = shapes.to_crs(opts.projected_crs)
    geometry = gpd.GeoSeries(shapes.array, index=pd.Index(ids), crs=opts.projected_crs)
    contiguity = Graph.build_contiguity(geometry, rook=False, strict=opts.strict_contiguity)
    centres = shapely.centroid(np.asarray(geometry.array))
    centroids = np.column_stack([shapely.get_x(centres), shapely.get_y(centres)]).astype(
        np.float64)
    binary = contiguity.transform("B")
    # From the binary graph: its sparse matrix is then computed once and kept (a cached
    # property), and esda's Gi* reads it again from this graph.
    adjacency = _binary_matrix(binary)
    return _apply_policy(ids, adjacency, centroids, opts, binary)


def _replace_policy(options: SpatialOptions, policy: IslandPolicy) -> SpatialOptions:
    if policy not in ISLAND_POLICIES:
        raise ValueError(f"island_policy must be one of {ISLAND_POLICIES}")
    return replace(options, island_policy=policy)


def _check_areas(areas: gpd.GeoDataFrame) -> tuple[str, ...]:
    ids = [str(i) for i in areas.index]
    if len(ids) == 0:
        raise GraphError("no areas given")
    if len(set(ids)) != len(ids):
        dup = pd.Index(ids)[pd.Index(ids).duplicated()].unique().tolist()
        raise GraphError(f"duplicate area codes in the index: {', '.join(map(str, dup[:5]))}")
    shapes = np.asarray(areas.geometry.array)
    bad = shapely.is_missing(shapes) | shapely.is_empty(shapes)
    if bool(bad.any()):
        missing = [ids[k] for k in np.flatnonzero(bad)]
        raise GraphError(f"areas without a shape: {', '.join(missing[:5])}")
    return tuple(ids)


def _binary_matrix(graph: Graph) -> sparse.csr_matrix:
    """The 0/1 adjacency of ``graph`` without self-loops (islands become empty rows)."""
    # A copy: the graph keeps its own matrix (a cached property that esda reads later).
    matrix = sparse.csr_matrix(graph.sparse, dtype=np.float64, copy=True)
    matrix.setdiag(0.0)
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    return matrix


def _to_graph(ids: tuple[str, ...], adjacency: sparse.csr_matrix) -> Graph:
    """A binary libpysal Graph over ``ids`` (islands kept as zero-weight self-loops)."""
    return Graph.from_sparse(adjacency, ids=list(ids)).transform("B")


def _components(adjacency: sparse.csr_matrix) -> tuple[int, IntArray]:
    count, labels = connected_components(adjacency, directed=False)
    return int(count), labels.astype(np.int64)


def _apply_policy(
    ids: tuple[str, ...],
    adjacency: sparse.csr_matrix,
    centroids: FloatArray,
    options: SpatialOptions,
    built: Graph | None = None,
) -> AreaGraph:
    """Apply the island policy; ``built`` is libpysal's binary graph of ``adjacency`` when at
    hand (reused as is when the policy changes nothing, which saves rebuilding it)."""
    count, labels = _components(adjacency)
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    islands = tuple(ids[k] for k in np.flatnonzero(degree == 0))
    contiguity = built if built is not None else _to_graph(ids, adjacency)
    if count <= 1:
        return AreaGraph(ids, contiguity, centroids, options.island_policy, contiguity, ids, (),
                         (), count, islands, options)
    if options.island_policy == "exclude":
        main = _largest(labels, count)
        keep = np.flatnonzero(labels == main)
        tested = tuple(ids[k] for k in keep)
        excluded = tuple(ids[k] for k in np.flatnonzero(labels != main))
        graph = _to_graph(tested, adjacency[keep][:, keep].tocsr())
        return AreaGraph(ids, contiguity, centroids, "exclude", graph, tested, excluded, (),
                         count, islands, options)
    linked, edges = _attach(adjacency, labels, count, centroids)
    added = tuple((ids[i], ids[j], d) for i, j, d in edges)
    graph = contiguity if not added else _to_graph(ids, linked)
    return AreaGraph(ids, contiguity, centroids, "attach", graph, ids, (), added, count,
                     islands, options)


def _largest(labels: IntArray, count: int) -> int:
    """Label of the largest component; ties go to the one whose first area comes first."""
    sizes = np.bincount(labels, minlength=count)
    return int(np.flatnonzero(sizes == sizes.max())[0]) if count else 0


def _attach(
    adjacency: sparse.csr_matrix, labels: IntArray, count: int, centroids: FloatArray
) -> tuple[sparse.csr_matrix, list[tuple[int, int, float]]]:
    """Link the smallest component to its nearest outside area until one component is left."""
    labels = labels.copy()
    edges: list[tuple[int, int, float]] = []
    while count > 1:
        sizes = np.bincount(labels)
        alive = np.flatnonzero(sizes > 0)
        smallest = alive[np.argmin(sizes[alive])]
        inside = np.flatnonzero(labels == smallest)
        outside = np.flatnonzero(labels != smallest)
        dist, nearest = cKDTree(centroids[outside]).query(centroids[inside], k=1)
        best = int(np.lexsort((nearest, dist))[0])
        i, j = int(inside[best]), int(outside[int(nearest[best])])
        edges.append((i, j, float(dist[best])))
        labels[labels == smallest] = labels[j]
        count -= 1
    if not edges:
        return adjacency, edges
    rows = [i for i, j, _ in edges] + [j for i, j, _ in edges]
    cols = [j for i, j, _ in edges] + [i for i, j, _ in edges]
    extra = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=adjacency.shape)
    linked = (adjacency + extra).tocsr()
    linked.data[:] = 1.0
    return linked, edges
