"""Read area boundaries (GeoJSON, TopoJSON, GeoPackage, Shapefile, CSV with WKT) into
:class:`Boundaries`: CBS-coded polygons in WGS84 with a simplified copy for the web.

What the reader decides, so the store does not have to:

* **Code and name.** The property holding the CBS code is recognised (``cbsCode``, ``statcode``,
  ``WK_CODE``, ``WKC``, ``buurtcode`` ... see :mod:`wijkbeeld.areas.fields`) or named by the caller.
  Every code must be a CBS code (padding trimmed); level, parent and municipality follow from it.
* **CRS.** A declared CRS is used (and checked: degrees must look like degrees). A file without one
  is read as WGS84 when its coordinates are longitude/latitude and as RD New (EPSG:28992) when they
  are metres in the RD range, with a warning. Everything must lie in the Netherlands, which also
  catches swapped axes. Geometry is stored in WGS84; areas are measured in RD New.
* **Geometry.** Polygons and multipolygons only; small invalidities are repaired and larger ones
  refused (policy in :mod:`wijkbeeld.areas.shapes`). Empty geometry is allowed with a warning: the
  area is kept without a boundary (CBS water wijken such as *Markermeer* come without a shape).
* **Duplicate codes.** Features that share a code *and* name and do not overlap are parts of one
  area (single-part exports split islands off) and are merged, with a warning; any other
  duplicate is an error.

Errors name the file, the row (the 1-based feature number; the line for CSV) and the column (the
code property, or ``geometry``), and are raised as :class:`~wijkbeeld.figures.errors.DataError`
before anything is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from wijkbeeld.areas.codes import InvalidAreaCode, is_valid_code, parse_code
from wijkbeeld.areas.fields import FieldNotFound, find_code_field, find_name_field
from wijkbeeld.areas.geofile import SourceFeatures, open_features
from wijkbeeld.areas.shapes import (
    RD_NEW,
    WGS84,
    Geoms,
    check_polygons,
    geojson_texts,
    reprojector,
    simplify_for_web,
)
from wijkbeeld.figures.errors import DataError, Problem

__all__ = [
    "DEFAULT_MAX_REPAIR",
    "DEFAULT_TOLERANCE",
    "FRAME_COLUMNS",
    "Boundaries",
    "read_boundaries",
]

#: Web simplification tolerance in metres (RD New).
DEFAULT_TOLERANCE = 5.0
#: Largest relative change in area a polygon repair may make before the file is refused.
DEFAULT_MAX_REPAIR = 0.05
#: Columns of :attr:`Boundaries.frame` (one row per area), in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "code", "name", "level", "parent", "municipality", "row", "area_m2",
    "geometry", "geometry_web", "geojson", "geojson_web",
)
_RD_RANGE = (-7000.0, 289000.0, 300000.0, 629000.0)  # EPSG:28992 area of use, in metres
_NL_LONLAT = (2.0, 50.0, 8.0, 54.5)  # generous box around the European Netherlands
_FULL_DECIMALS = 7  # about 1 cm in WGS84
_WEB_DECIMALS = 6  # about 10 cm


@dataclass(frozen=True)
class Boundaries:
    """Boundaries read from one file for one boundary year, checked and ready to store.

    ``frame`` (a GeoDataFrame in EPSG:4326, columns :data:`FRAME_COLUMNS`) has one row per area:
    ``geometry`` is the full shape, ``geometry_web`` the simplified one, ``geojson`` and
    ``geojson_web`` their GeoJSON text ("" for an area without a shape), ``area_m2`` the area in
    RD New and ``row`` the feature it came from. ``code_field`` and ``name_field`` name the
    properties used (comma-separated when the layers of a GeoPackage use different ones).
    """

    file: str
    sha256: str
    year: int
    reader: str
    input_crs: str
    crs_inferred: bool
    code_field: str
    name_field: str | None
    frame: gpd.GeoDataFrame
    tolerance: float
    simplify_method: str
    max_repair: float
    n_features: int
    warnings: tuple[str, ...] = field(default=())

    @property
    def codes(self) -> list[str]:
        """Area codes in file order."""
        return [str(c) for c in self.frame["code"]]

    @property
    def n_with_geometry(self) -> int:
        """Areas that have a shape (not empty)."""
        return int((self.frame["geojson"] != "").sum())

    @property
    def size_full(self) -> int:
        """Characters of GeoJSON of the full shapes."""
        return int(self.frame["geojson"].str.len().sum())

    @property
    def size_web(self) -> int:
        """Characters of GeoJSON of the simplified shapes."""
        return int(self.frame["geojson_web"].str.len().sum())

    @property
    def reduction(self) -> float:
        """Share of GeoJSON size the web simplification saved (0.6 = 60 % smaller)."""
        return 1.0 - self.size_web / self.size_full if self.size_full else 0.0


def read_boundaries(
    path: Path | str,
    *,
    year: int,
    code_field: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    max_repair: float = DEFAULT_MAX_REPAIR,
) -> Boundaries:
    """Read and check a boundary file for boundary year ``year``; raise :class:`DataError`."""
    if not 1900 <= year <= 2100:
        raise DataError.single(str(path), f"boundary year {year} is not a year")
    src = open_features(path)
    file = src.file
    frame = src.frame
    rows = [int(r) for r in frame["row"]]
    layers = [str(lay) for lay in frame["layer"]]
    where = [file if not lay else f"{file} [layer {lay}]" for lay in layers]
    fields = _fields(src, code_field)
    columns = [fields[lay][0] for lay in layers]
    name_columns = [fields[lay][1] for lay in layers]
    values = {c: frame[c].tolist() for c in {*columns, *name_columns} if c is not None}
    raw_codes = [values[col][i] for i, col in enumerate(columns)]
    raw_names = [values[n][i] if n else None for i, n in enumerate(name_columns)]
    codes, problems = _codes(raw_codes, where, rows, columns)
    names = _names(raw_names)
    field_name = ", ".join(dict.fromkeys(c for c, _ in fields.values()))
    name_field = ", ".join(dict.fromkeys(n for _, n in fields.values() if n)) or None

    crs, crs_label, inferred, warnings = _decide_crs(src)
    check = check_polygons(
        frame.geometry.values, file=file, rows=rows, codes=codes,
        to_rd=reprojector(crs, RD_NEW), max_repair=max_repair,
    )
    problems += check.problems
    keep, geoms, merge_problems, merge_warnings = _merge_duplicates(
        codes, names, rows, check.geometries, where, columns, reprojector(crs, RD_NEW)
    )
    problems += merge_problems
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    warnings += check.warnings + merge_warnings
    warnings += _empty_warning(file, [codes[i] for i in keep if geoms[i] is None])

    parsed = [parse_code(codes[i]) for i in keep]
    selected: Geoms = np.asarray([geoms[i] for i in keep], dtype=object)
    rd = reprojector(crs, RD_NEW)(selected)
    full = reprojector(crs, WGS84)(selected)
    web_rd, method = simplify_for_web(rd, [str(p.level) for p in parsed], tolerance)
    web = reprojector(RD_NEW, WGS84)(web_rd)
    area = shapely.area(rd)
    out = gpd.GeoDataFrame(
        {
            "code": [p.code for p in parsed],
            "name": [names[i] for i in keep],
            "level": [str(p.level) for p in parsed],
            "parent": [p.parent or "" for p in parsed],
            "municipality": [p.municipality or "" for p in parsed],
            "row": [rows[i] for i in keep],
            "area_m2": np.where(shapely.is_missing(rd), np.nan, area),
            "geometry_web": web,
            "geojson": geojson_texts(full, _FULL_DECIMALS),
            "geojson_web": geojson_texts(web, _WEB_DECIMALS),
        },
        geometry=list(full), crs=WGS84,
    )[list(FRAME_COLUMNS)]
    return Boundaries(
        file=file, sha256=src.sha256, year=year, reader=src.reader, input_crs=crs_label,
        crs_inferred=inferred, code_field=field_name, name_field=name_field, frame=out,
        tolerance=tolerance, simplify_method=method, max_repair=max_repair,
        n_features=len(frame), warnings=tuple(warnings),
    )


def _fields(src: SourceFeatures, requested: str | None) -> dict[str, tuple[str, str | None]]:
    """(code property, name property) per layer: layers of one GeoPackage name them differently
    (PDOK: ``gemeentecode`` in *gemeenten*, ``wijkcode`` in *wijken*, ``buurtcode`` in *buurten*).
    """
    fields: dict[str, tuple[str, str | None]] = {}
    for layer, part in src.frame.groupby("layer", sort=False):
        props = [c for c in part.columns
                 if c not in {"row", "layer", "geometry"} and part[c].notna().any()]
        label = src.file if not layer else f"{src.file} [layer {layer}]"
        code = _code_field(label, part, props, requested)
        fields[str(layer)] = (code, find_name_field(code, props))
    return fields


def _code_field(
    label: str, part: gpd.GeoDataFrame, props: list[str], requested: str | None
) -> str:
    if requested is not None:
        if requested in props:
            return requested
        lower = {p.lower(): p for p in props}
        if requested.lower() in lower:
            return lower[requested.lower()]
        raise DataError.single(
            label, f"no property {requested!r}; the features have {', '.join(props) or 'none'}",
            column=requested,
        )
    try:
        return find_code_field(props, {p: part[p].tolist() for p in props})
    except FieldNotFound as exc:
        raise DataError.single(label, str(exc)) from exc


def _codes(
    values: list[Any], where: list[str], rows: list[int], columns: list[str]
) -> tuple[list[str], list[Problem]]:
    codes: list[str] = []
    problems: list[Problem] = []
    for value, file, row, column in zip(values, where, rows, columns, strict=True):
        text = "" if _blank(value) else str(value)
        try:
            codes.append(parse_code(text).code)
        except InvalidAreaCode as exc:
            message = "no area code" if not text.strip() else str(exc)
            problems.append(Problem(file, row, column, f"feature {row}: {message}"))
            codes.append(text.strip() or "?")
    return codes, problems


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value) == ""


def _names(values: list[Any]) -> list[str]:
    return ["" if _blank(v) else str(v).strip() for v in values]


def _decide_crs(src: SourceFeatures) -> tuple[CRS, str, bool, list[str]]:
    geoms = src.frame.geometry.values
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(present):
        raise DataError.single(src.file, "no feature has a geometry", column="geometry")
    minx, miny, maxx, maxy = (float(v) for v in shapely.total_bounds(present))
    extent = f"x {minx:.6g} to {maxx:.6g}, y {miny:.6g} to {maxy:.6g}"
    lonlat = minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90
    rd = _RD_RANGE
    rd_like = rd[0] <= minx and maxx <= rd[2] and rd[1] <= miny and maxy <= rd[3]
    warnings: list[str] = []
    if src.crs is not None:
        crs, inferred = src.crs, False
        if crs.is_geographic and not lonlat:
            raise DataError.single(
                src.file, f"the file declares {_label(crs)} (degrees) but its coordinates "
                f"({extent}) are not longitude/latitude: wrong CRS in the file?", column="geometry",
            )
    elif lonlat:
        crs, inferred = WGS84, True
        if src.reader != "geojson":  # RFC 7946: GeoJSON without a crs member *is* WGS84
            warnings.append(f"{src.file}: no CRS declared; coordinates are longitude/latitude, "
                            "read as WGS84 (EPSG:4326)")
    elif rd_like:
        crs, inferred = RD_NEW, True
        warnings.append(f"{src.file}: no CRS declared; coordinates are metres in the RD New "
                        "range, read as EPSG:28992")
    else:
        raise DataError.single(
            src.file, f"no CRS declared and the coordinates ({extent}) are neither "
            "longitude/latitude nor RD New metres: add the CRS to the file", column="geometry",
        )
    _check_in_netherlands(src.file, crs, (minx, miny, maxx, maxy))
    return crs, _label(crs), inferred, warnings


def _label(crs: CRS) -> str:
    authority = crs.to_authority()
    return ":".join(authority) if authority else str(crs.name)


def _check_in_netherlands(file: str, crs: CRS, bounds: tuple[float, float, float, float]) -> None:
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    minx, miny, maxx, maxy = bounds
    xs, ys = transformer.transform([minx, minx, maxx, maxx], [miny, maxy, miny, maxy])
    box = _NL_LONLAT
    inside = all(box[0] <= x <= box[2] for x in xs) and all(box[1] <= y <= box[3] for y in ys)
    if not inside:
        raise DataError.single(
            file, f"the coordinates fall outside the Netherlands (longitude {min(xs):.4g} to "
            f"{max(xs):.4g}, latitude {min(ys):.4g} to {max(ys):.4g}) in {_label(crs)}: "
            "wrong CRS, or longitude and latitude swapped?", column="geometry",
        )


def _merge_duplicates(
    codes: list[str], names: list[str], rows: list[int], geoms: Geoms, where: list[str],
    columns: list[str], to_rd: Any,
) -> tuple[list[int], list[Any], list[Problem], list[str]]:
    """Indices of the features to keep, their geometries (parts merged), problems, warnings."""
    first: dict[str, int] = {}
    parts: dict[int, list[int]] = {}
    for i, code in enumerate(codes):
        if not is_valid_code(code):
            continue  # already reported as a bad code
        if code in first:
            parts.setdefault(first[code], [first[code]]).append(i)
        else:
            first[code] = i
    out: list[Any] = list(geoms)
    problems: list[Problem] = []
    warnings: list[str] = []
    for head, members in parts.items():
        same_name = len({names[i] for i in members}) == 1
        shapes = [geoms[i] for i in members if geoms[i] is not None]
        overlap = _overlap(np.asarray(shapes, dtype=object), to_rd) if len(shapes) > 1 else 0.0
        if same_name and overlap < 0.01:
            out[head] = shapely.union_all(shapes) if shapes else None
            warnings.append(
                f"{where[head]}: rows {', '.join(str(rows[i]) for i in members)} share code "
                f"{codes[head]} and name {names[head]!r}: merged as parts of one area"
            )
            continue
        why = "a different name" if not same_name else f"an overlapping shape ({overlap:.0%})"
        for i in members[1:]:
            problems.append(Problem(
                where[i], rows[i], columns[i],
                f"feature {rows[i]}: duplicate code {codes[i]} (also in row {rows[head]}) with "
                f"{why}",
            ))
    keep = [i for i, code in enumerate(codes) if first.get(code, i) == i]
    return keep, out, problems, warnings


def _overlap(shapes: Geoms, to_rd: Any) -> float:
    """Area shared by the shapes as a share of the smallest one."""
    rd = to_rd(shapes)
    areas = shapely.area(rd)
    shared = float(areas.sum() - shapely.area(shapely.union_all(rd)))
    smallest = float(areas.min())
    return shared / smallest if smallest > 0 else 0.0


def _empty_warning(file: str, codes: Sequence[str]) -> list[str]:
    if not codes:
        return []
    shown = ", ".join(codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")
    return [f"{file}: {len(codes)} areas without geometry ({shown}): kept without a boundary"]
