"""Exports of areas with their figures, scores and hotspot classes: GeoPackage (for QGIS) and
GeoJSON, plus the compact GeoJSON payload of a web map.

Provenance travels with the data. Every feature carries the fields ``bron`` (source), ``jaar``
(year) and ``methode`` (method, e.g. "Local Moran's I, Queen, attach, 999 permutaties, seed
12345"); a GeoPackage also gets a non-spatial layer ``herkomst`` with the same facts as
key/value rows, which QGIS shows as a table.

Coordinates: the GeoPackage stays in RD New (EPSG:28992), the CRS Dutch GIS users work in; GeoJSON
is written in WGS84 lon/lat as RFC 7946 requires. Files are written anew (an existing file at the
path is replaced). Writing goes through pyogrio, so no system GDAL is needed.

The web payload (:func:`map_payload`) simplifies the shapes in RD New with the areas package's
coverage-preserving simplification (shared borders stay shared), reprojects to WGS84 and rounds
coordinates to 5 decimals (about 1 m), the size the map page serves.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from wijkbeeld.areas.shapes import geojson_texts, simplify_for_web
from wijkbeeld.spatial.graph import to_projected
from wijkbeeld.spatial.hotspots import HotspotResult

__all__ = [
    "EXPORT_FORMATS",
    "HOTSPOT_COLUMNS",
    "Provenance",
    "export_areas",
    "map_payload",
    "with_hotspots",
]

EXPORT_FORMATS: dict[str, str] = {"gpkg": "GPKG", "geojson": "GeoJSON"}
#: Columns of a hotspot result that go into an export.
HOTSPOT_COLUMNS: tuple[str, ...] = (
    "local_i", "p", "gi_z", "gi_p", "significant", "cluster_code", "cluster",
)


@dataclass(frozen=True)
class Provenance:
    """Where the exported numbers come from: source, year (boundary or figure year), method."""

    source: str
    year: int | None
    method: str

    @classmethod
    def for_hotspots(cls, result: HotspotResult, source: str, year: int | None) -> Provenance:
        """Provenance whose method names the test, graph policy, permutations, seed and rule."""
        o = result.options
        method = (
            f"Local Moran's I en Gi* (esda) op {result.column}; Queen-contiguiteit, "
            f"eilanden: {o.island_policy}; {o.permutations} permutaties, seed {o.seed}, "
            f"{o.alternative}; {o.significance_rule}"
        )
        return cls(source, year, method)

    def rows(self) -> pd.DataFrame:
        return pd.DataFrame({
            "sleutel": ["bron", "jaar", "methode"],
            "waarde": [self.source, "" if self.year is None else str(self.year), self.method],
        })


def with_hotspots(
    areas: gpd.GeoDataFrame, result: HotspotResult, prefix: str = ""
) -> gpd.GeoDataFrame:
    """``areas`` with the hotspot columns of ``result`` joined on the area code (index)."""
    table = result.table[list(HOTSPOT_COLUMNS)].rename(columns=lambda c: f"{prefix}{c}")
    out = areas.copy()
    out.index = pd.Index([str(a) for a in out.index], name=out.index.name)
    clash = [c for c in table.columns if c in out.columns]
    if clash:
        raise ValueError(f"columns already present: {', '.join(clash)}; use a prefix")
    joined = out.join(table, how="left")
    return gpd.GeoDataFrame(joined, geometry=out.geometry.name, crs=out.crs)


def export_areas(
    areas: gpd.GeoDataFrame,
    path: Path | str,
    provenance: Provenance,
    *,
    layer: str = "gebieden",
    key: str = "area",
) -> Path:
    """Write ``areas`` (index: area code, written as column ``key``) to a GeoPackage or GeoJSON,
    chosen by the file suffix (``.gpkg``, ``.geojson``/``.json``)."""
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    fmt = "geojson" if suffix == "json" else suffix
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be .gpkg or .geojson, not {target.suffix!r}")
    if areas.crs is None:
        raise ValueError("the areas have no CRS")
    frame = _plain_columns(areas, key)
    frame["bron"] = provenance.source
    frame["jaar"] = pd.array([provenance.year] * len(frame), dtype="Int64")
    frame["methode"] = provenance.method
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    if fmt == "gpkg":
        rd = to_projected(frame, "EPSG:28992")
        pyogrio.write_dataframe(rd, target, layer=layer, driver="GPKG")
        pyogrio.write_dataframe(provenance.rows(), target, layer="herkomst", driver="GPKG")
    else:
        wgs = frame.to_crs("EPSG:4326")
        pyogrio.write_dataframe(wgs, target, driver="GeoJSON", RFC7946="YES")
    return target


def _plain_columns(areas: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """Area code as a column, categoricals as text, geometry last."""
    if key in areas.columns:
        raise ValueError(f"column {key!r} already exists; the area code is written there")
    geometry_name = areas.geometry.name
    data = pd.DataFrame(areas.drop(columns=geometry_name))
    for name in data.columns:
        if isinstance(data[name].dtype, pd.CategoricalDtype):
            data[name] = data[name].astype("object").where(data[name].notna(), None)
    data.insert(0, key, [str(a) for a in areas.index])
    data = data.reset_index(drop=True)
    return gpd.GeoDataFrame(data, geometry=list(areas.geometry), crs=areas.crs)


def map_payload(
    areas: gpd.GeoDataFrame,
    columns: Sequence[str] = (),
    *,
    tolerance_m: float = 5.0,
    decimals: int = 5,
) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8 bytes) for the web map: ``id`` = area code, the given
    columns as properties, shapes simplified by ``tolerance_m`` metres in RD New and rounded to
    ``decimals`` in WGS84."""
    rd = to_projected(areas, "EPSG:28992")
    geoms = np.asarray(rd.geometry.to_numpy(), dtype=object)
    simple, _method = simplify_for_web(geoms, ["all"] * len(geoms), tolerance_m)
    wgs = gpd.GeoSeries(simple, crs="EPSG:28992").to_crs("EPSG:4326")
    texts = geojson_texts(np.asarray(wgs.to_numpy(), dtype=object), decimals)
    # Plain lists, read once: a pandas lookup per cell cost 1.4 s of 2.2 s for 15,000 areas.
    values = {c: areas[c].tolist() for c in columns}
    parts = []
    for k, area in enumerate(areas.index):
        props = {c: _json_value(values[c][k]) for c in columns}
        head = json.dumps({"type": "Feature", "id": str(area), "properties": props},
                          ensure_ascii=False, separators=(",", ":"))
        geometry = texts[k] or "null"
        parts.append(head[:-1] + ',"geometry":' + geometry + "}")
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    return str(value)
