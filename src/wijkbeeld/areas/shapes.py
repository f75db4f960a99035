"""Polygon checks and repair, web simplification and GeoJSON text for area boundaries.

Invalid polygons policy. Real boundary files are often slightly invalid: simplified or quantised
files (mapshaper, TopoJSON) have rings that touch themselves, spikes and collapsed slivers; even
the CBS 2016 wijk file has a dozen. Such artefacts are repaired with GEOS ``make_valid``
(structure method) and reported as warnings with the change in area. A polygon whose repair changes
its area by more than ``max_repair`` (default 5 %) is not an artefact but a broken shape (a ring
that crosses itself like a bow tie, vertices in the wrong order): the file is refused with an error
naming the feature, its code and where the ring crosses itself. Areas are measured in RD New.

Web simplification. The web copy is simplified in RD New with a tolerance in metres. When the
polygons of a level form a clean coverage (no overlaps, shared edges with identical vertices, as
in the Amsterdam buurten) GEOS coverage simplification keeps shared borders shared, so the web map
shows no gaps or slivers; otherwise each polygon is simplified on its own (Douglas-Peucker,
topology preserving). A shape that simplification would break keeps its full geometry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from shapely.geometry import mapping

from wijkbeeld.figures.errors import Problem

__all__ = [
    "RD_NEW",
    "WGS84",
    "GeometryCheck",
    "check_polygons",
    "geojson_texts",
    "reprojector",
    "simplify_for_web",
]

RD_NEW = CRS.from_epsg(28992)
WGS84 = CRS.from_epsg(4326)
_POLYGON_TYPES = {3, 6}  # shapely type ids of Polygon and MultiPolygon
_TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 4: "MultiPoint",
               5: "MultiLineString", 7: "GeometryCollection"}

Geoms = NDArray[np.object_]
Reproject = Callable[[Geoms], Geoms]


def reprojector(source: CRS, target: CRS) -> Reproject:
    """A function that reprojects an array of shapely geometries (None stays None)."""
    if source.equals(target, ignore_axis_order=True):
        return lambda geoms: geoms
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def run(geoms: Geoms) -> Geoms:
        def coords(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            x, y = transformer.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        result: Geoms = shapely.transform(geoms, coords)
        return result

    return run


@dataclass(frozen=True)
class GeometryCheck:
    """Checked geometries in the input CRS: repaired where cheap, None where empty."""

    geometries: Geoms
    empty: NDArray[np.bool_]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repaired: int = 0


def check_polygons(
    geoms: Sequence[Any] | Geoms,
    *,
    file: str,
    rows: Sequence[int],
    codes: Sequence[str],
    to_rd: Reproject,
    max_repair: float,
) -> GeometryCheck:
    """Check that every feature is a polygon or multipolygon, repairing small invalidities.

    Empty and missing geometries are allowed (CBS has water wijken whose simplified shape
    vanished); they are flagged in ``empty`` and reported as a warning by the caller.
    """
    arr: Geoms = np.asarray(geoms, dtype=object)
    out = arr.copy()
    empty = np.asarray(shapely.is_missing(arr) | shapely.is_empty(arr), dtype=bool)
    out[empty] = None
    types = shapely.get_type_id(arr)
    problems: list[Problem] = []
    polygonal = ~empty & np.isin(types, list(_POLYGON_TYPES))
    for i in np.flatnonzero(~empty & ~polygonal).tolist():
        kind = _TYPE_NAMES.get(int(types[i]), "geometry of unknown type")
        problems.append(_problem(file, rows[i], codes[i], f"a {kind} where a polygon belongs"))
    invalid = np.flatnonzero(polygonal & ~shapely.is_valid(arr))
    warnings: list[str] = []
    repaired = 0
    if len(invalid):
        bad = arr[invalid]
        reasons = shapely.is_valid_reason(bad)
        fixed = shapely.make_valid(bad, method="structure", keep_collapsed=False)
        before = shapely.area(to_rd(bad))
        after = shapely.area(to_rd(fixed))
        for j, i in enumerate(invalid.tolist()):
            largest = max(before[j], after[j])
            change = abs(after[j] - before[j]) / largest if largest > 0 else 1.0
            reason = _reason(str(reasons[j]))
            if before[j] < 1 and after[j] < 1:  # under 1 m² before and after: no shape left
                out[i] = None
                empty[i] = True
                warnings.append(
                    f"{file}, row {rows[i]} ({codes[i]}): the polygon has no area ({reason}): "
                    "kept without a boundary"
                )
            elif change <= max_repair and not shapely.is_empty(fixed[j]):
                out[i] = fixed[j]
                repaired += 1
                warnings.append(
                    f"{file}, row {rows[i]} ({codes[i]}): invalid polygon ({reason}) repaired, "
                    f"area changed by {change:.2%}"
                )
            else:
                problems.append(_problem(
                    file, rows[i], codes[i],
                    f"invalid polygon ({reason}); repairing it would change its area by "
                    f"{change:.0%} (more than {max_repair:.0%}), so it is not a small artefact: "
                    "fix the shape (e.g. QGIS 'Fix geometries') and import again",
                ))
    return GeometryCheck(out, empty, problems, warnings, repaired)


def _problem(file: str, row: int, code: str, message: str) -> Problem:
    return Problem(file, row, "geometry", f"feature {row} ({code}): {message}")


def _reason(text: str) -> str:
    """GEOS's ``Self-intersection[4.88 52.37]`` as ``self-intersection at (4.88, 52.37)``."""
    if "[" in text and text.endswith("]"):
        what, where = text[:-1].split("[", 1)
        xy = where.split()
        if len(xy) >= 2:
            return f"{what.lower()} at ({float(xy[0]):.6g}, {float(xy[1]):.6g})"
    return text.lower()


def simplify_for_web(
    rd_geoms: Geoms, groups: Sequence[str], tolerance: float
) -> tuple[Geoms, str]:
    """Simplified copies in RD New, per group (level); returns them and the method used."""
    out: Geoms = rd_geoms.copy()
    labels = np.asarray(groups, dtype=object)
    methods: set[str] = set()
    if tolerance <= 0:
        return out, "none"
    for group in dict.fromkeys(labels.tolist()):
        idx = np.flatnonzero((labels == group) & ~shapely.is_missing(rd_geoms))
        if not len(idx):
            continue
        part = rd_geoms[idx]
        if len(part) > 1 and bool(shapely.coverage_is_valid(part)):
            simple = shapely.coverage_simplify(part, tolerance)
            methods.add("coverage")
        else:
            simple = shapely.simplify(part, tolerance, preserve_topology=True)
            methods.add("per-feature")
        broken = shapely.is_empty(simple) | ~shapely.is_valid(simple)
        simple[broken] = part[broken]
        out[idx] = simple
    method = methods.pop() if len(methods) == 1 else ("mixed" if methods else "none")
    return out, method


def geojson_texts(geoms: Geoms, decimals: int) -> list[str]:
    """Compact GeoJSON text per geometry, coordinates rounded to ``decimals``; ``""`` for a
    missing or empty geometry.

    Python's shortest float repr writes a rounded 52.37622 as such; GEOS' GeoJSON writer would
    print it with 17 digits (52.376220000000004) and lose most of the saving of rounding.
    """
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    return [
        "" if g is None or g.is_empty else json.dumps(mapping(g), separators=(",", ":"))
        for g in rounded
    ]
