"""Open a boundary file of any supported format as one frame of features with their properties.

Supported: GeoJSON, TopoJSON, GeoPackage (every polygon layer), Shapefile (also zipped) and CSV
with a WKT/EWKT geometry column (``SRID=28992;POLYGON ((...))``). This module only *opens* the
file and says whether it declared a CRS; deciding the CRS, checking codes and geometry is the job of
:mod:`wijkbeeld.areas.geometry`. A file that cannot be opened gets a :class:`DataError` that says
why: 0 bytes, binary content, invalid JSON with the line where it breaks, a broken WKT cell.

Every feature keeps its position: ``row`` is the 1-based feature number within its layer (the line
number, header included, for CSV), ``layer`` the layer name for multi-layer files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.filecheck import check_import_file

__all__ = ["SourceFeatures", "file_sha256", "open_features"]

_JSON_SUFFIXES = {".geojson", ".json", ".topojson"}
_OGR_SUFFIXES = {".gpkg": "geopackage", ".shp": "shapefile", ".zip": "shapefile"}
_SHP_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_WKT_HEADERS = {"geometry", "geometrie", "geom", "wkt", "the_geom", "geometry_wkt"}
_WKT_START = re.compile(r"^\s*(SRID=\d+;)?\s*(MULTI)?POLYGON", re.IGNORECASE)
_EWKT = re.compile(r"^\s*SRID=(\d+);(.*)$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class SourceFeatures:
    """The features of one file as read, before any check.

    ``frame`` holds the file's properties, a ``geometry`` column in the file's own coordinates, and
    ``row`` and ``layer``. ``crs`` is what the file declares (None when it declares nothing);
    GDAL's RFC 7946 default for GeoJSON without a ``crs`` member does not count as declared.
    """

    file: str
    sha256: str
    reader: str
    frame: gpd.GeoDataFrame
    crs: CRS | None
    layers: tuple[str, ...]


def file_sha256(path: Path) -> str:
    """sha256 of the file; for a Shapefile, of its .shp, .shx, .dbf, .prj and .cpg together."""
    digest = hashlib.sha256()
    paths = [path]
    if path.suffix.lower() == ".shp":
        paths = [p for s in _SHP_SIDECARS if (p := path.with_suffix(s)).exists()]
    for p in paths:
        digest.update(p.read_bytes())
    return digest.hexdigest()


def open_features(path: Path | str) -> SourceFeatures:
    """Read every feature of ``path``; raise :class:`DataError` when the file cannot be read."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise DataError.single(name, "file not found")
    check_import_file(path)  # size limit before any reader (docs/security.md)
    if path.stat().st_size == 0:
        raise DataError.single(name, "the file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if suffix in _JSON_SUFFIXES:
        reader, frame, crs, layers = _read_json(path)
    elif suffix in _OGR_SUFFIXES:
        reader = _OGR_SUFFIXES[suffix]
        frame, crs, layers = _read_ogr(path, name, reader)
    elif suffix in {".csv", ".txt"}:
        reader = "csv-wkt"
        frame, crs = _read_wkt_csv(path)
        layers = ()
    else:
        raise DataError.single(
            name,
            f"unsupported file type {suffix!r}: use GeoJSON, TopoJSON, GeoPackage (.gpkg), "
            "Shapefile (.shp or .zip) or CSV with a WKT column",
        )
    if len(frame) == 0:
        raise DataError.single(name, "the file holds no features")
    return SourceFeatures(name, file_sha256(path), reader, frame, crs, layers)


def _text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise DataError.single(
            str(path), "binary content, not a text file: is this the right file?"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError.single(
            str(path), f"not UTF-8 text (byte {exc.start}): is this the right file?"
        ) from exc


def _read_json(path: Path) -> tuple[str, gpd.GeoDataFrame, CRS | None, tuple[str, ...]]:
    name = str(path)
    try:
        doc = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise DataError.single(
            name,
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} "
            "(is the file truncated?)",
            row=exc.lineno,
        ) from exc
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Topology":
        if not isinstance(doc.get("objects"), dict) or not doc["objects"]:
            raise DataError.single(name, "TopoJSON without objects")
        frame, _, layers = _read_ogr(path, name, "topojson", prefix="TopoJSON:")
        return "topojson", frame, _declared_json_crs(doc, name), layers
    if kind not in {"FeatureCollection", "Feature"}:
        raise DataError.single(
            name, f"not a GeoJSON FeatureCollection or a TopoJSON Topology (type: {kind!r})"
        )
    features = doc.get("features") if kind == "FeatureCollection" else [doc]
    if not isinstance(features, list):
        raise DataError.single(name, "'features' is not a list")
    frame, _, _ = _read_ogr(path, name, "geojson")
    if len(frame) != len(features):
        raise DataError.single(
            name, f"GDAL read {len(frame)} of the {len(features)} features: malformed features?"
        )
    return "geojson", frame, _declared_json_crs(doc, name), ()


def _declared_json_crs(doc: dict[str, Any], name: str) -> CRS | None:
    """The (legacy) ``crs`` member of a GeoJSON or TopoJSON document, if any."""
    member = doc.get("crs")
    if member is None:
        return None
    try:
        return CRS.from_user_input(member["properties"]["name"])
    except Exception as exc:
        raise DataError.single(name, f"unreadable 'crs' member {member!r}: {exc}") from exc


def _read_ogr(
    path: Path, name: str, reader: str, prefix: str = ""
) -> tuple[gpd.GeoDataFrame, CRS | None, tuple[str, ...]]:
    source = prefix + str(path)
    try:
        listed = pyogrio.list_layers(source)
    except Exception as exc:
        raise DataError.single(name, f"cannot be read as {reader}: {_short(exc)}") from exc
    layers = [str(lay) for lay, geom in listed if geom is not None]
    if not layers:
        raise DataError.single(name, f"no layer with geometry in this {reader} file")
    frames: list[gpd.GeoDataFrame] = []
    crs: CRS | None = None
    for layer in layers:
        try:
            part = pyogrio.read_dataframe(source, layer=layer, force_2d=True)
        except Exception as exc:
            raise DataError.single(
                name, f"layer {layer!r} cannot be read as {reader}: {_short(exc)}"
            ) from exc
        if part.crs is not None:
            if crs is not None and not CRS(part.crs).equals(crs):
                raise DataError.single(name, f"layers in different CRSs ({crs} and {part.crs})")
            crs = CRS(part.crs)
        part = gpd.GeoDataFrame(part.drop(columns="geometry"), geometry=part.geometry.values)
        part.insert(0, "row", range(1, len(part) + 1))
        part.insert(1, "layer", layer if len(layers) > 1 else "")
        frames.append(part)
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry")
    return frame, crs, tuple(layers) if len(layers) > 1 else ()


def _short(exc: Exception) -> str:
    text = str(exc).split(";")[0].strip()
    return text[:300]


def _read_wkt_csv(path: Path) -> tuple[gpd.GeoDataFrame, CRS | None]:
    """A CSV with one WKT or EWKT polygon column; the EWKT ``SRID=`` prefix declares the CRS."""
    name = str(path)
    text = _text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:20000].split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise DataError.single(name, "no header row")
    header = [h.strip() for h in header]
    records: list[tuple[int, list[str]]] = []
    for cells in reader:
        if any(c.strip() for c in cells):
            if len(cells) != len(header):
                raise DataError.single(
                    name, f"{len(cells)} cells where the header has {len(header)}",
                    row=reader.line_num,
                )
            records.append((reader.line_num, cells))
    if not records:
        raise DataError.single(name, "the file holds no rows")
    geom_col = _wkt_column(header, records[0][1])
    if geom_col is None:
        raise DataError.single(name, "no column with WKT polygons (POLYGON / SRID=...;POLYGON)")
    col = header[geom_col]
    problems: list[Problem] = []
    geoms: list[Any] = []
    srids: set[str] = set()
    for line, cells in records:
        wkt = cells[geom_col]
        match = _EWKT.match(wkt)
        if match:
            srids.add(match.group(1))
            wkt = match.group(2)
        try:
            geoms.append(shapely.from_wkt(wkt) if wkt.strip() else None)
        except shapely.errors.GEOSException as exc:
            problems.append(Problem(name, line, col, f"not a WKT geometry: {_short(exc)}"))
            geoms.append(None)
    if len(srids) > 1:
        problems.append(Problem(name, None, col, f"several SRIDs in one file: {sorted(srids)}"))
    if problems:
        raise DataError(problems)
    props = pd.DataFrame([cells for _, cells in records], columns=header).drop(columns=col)
    props.insert(0, "row", [line for line, _ in records])
    props.insert(1, "layer", "")
    crs = CRS.from_epsg(int(next(iter(srids)))) if srids else None
    return gpd.GeoDataFrame(props, geometry=geoms), crs


def _wkt_column(header: list[str], first: list[str]) -> int | None:
    for i, h in enumerate(header):
        if h.lower() in _WKT_HEADERS:
            return i
    for i, cell in enumerate(first):
        if _WKT_START.match(cell):
            return i
    return None
