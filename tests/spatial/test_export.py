"""Exports of the real Amsterdam buurten with values and hotspot classes, read back with pyogrio.

Hotspots here use 99 permutations: the export must carry whatever the result holds; inference is
tested against esda in test_hotspots.py.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from spatial_support import SOURCE, amsterdam, kwb_values

from wijkbeeld.spatial import (
    Provenance,
    SpatialOptions,
    export_areas,
    hotspots,
    map_payload,
    with_hotspots,
)


@pytest.fixture(scope="module")
def areas(raw: Path) -> gpd.GeoDataFrame:
    return amsterdam(raw)


@pytest.fixture(scope="module")
def result(areas):
    return hotspots(areas, "value", SpatialOptions(permutations=99))


def test_geopackage_carries_the_input_values(areas, result, raw: Path, tmp_path: Path) -> None:
    joined = with_hotspots(areas, result)
    provenance = Provenance.for_hotspots(result, SOURCE, 2024)
    path = export_areas(joined, tmp_path / "hotspots.gpkg", provenance)
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert set(layers) == {"gebieden", "herkomst"} and layers["herkomst"] is None
    back = pyogrio.read_dataframe(path, layer="gebieden").set_index("area")
    assert back.crs.to_epsg() == 28992 and len(back) == 518
    # values equal the raw KWB file, read with the csv module
    raw_values = kwb_values(raw)
    for code, value in back["value"].items():
        expected = raw_values.get(code, math.nan)
        assert (math.isnan(value) and math.isnan(expected)) or value == expected, code
    assert back["cluster"].tolist() == result.table.loc[back.index, "cluster"].tolist()
    np.testing.assert_array_equal(back["p"], result.table.loc[back.index, "p"])
    np.testing.assert_array_equal(back["gi_z"], result.table.loc[back.index, "gi_z"])
    assert back["significant"].dtype == bool
    np.testing.assert_allclose(back.geometry.area, areas.loc[back.index].geometry.area, rtol=1e-9)
    assert set(back["bron"]) == {SOURCE} and set(back["jaar"]) == {2024}
    assert set(back["methode"]) == {provenance.method} and "seed 12345" in provenance.method
    meta = pyogrio.read_dataframe(path, layer="herkomst")
    assert dict(zip(meta["sleutel"], meta["waarde"], strict=True)) == {
        "bron": SOURCE, "jaar": "2024", "methode": provenance.method}
    # written anew: a second export replaces the file instead of appending
    export_areas(joined.iloc[:3], path, provenance)
    assert len(pyogrio.read_dataframe(path, layer="gebieden")) == 3


def test_geojson_is_wgs84_with_the_same_values(areas, result, tmp_path: Path) -> None:
    joined = with_hotspots(areas, result)
    path = export_areas(joined, tmp_path / "hotspots.geojson", Provenance(SOURCE, 2024, "test"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(doc["features"]) == 518
    first = doc["features"][0]
    lon, lat = first["geometry"]["coordinates"][0][0][:2]
    assert 4.7 < lon < 5.1 and 52.2 < lat < 52.5
    back = gpd.read_file(path).set_index("area")
    pd.testing.assert_series_equal(back["value"], areas["value"], check_names=False,
                                   check_index_type=False, check_index=False)
    assert back["cluster_code"].tolist() == result.table["cluster_code"].tolist()


def test_map_payload_is_small_and_rounded(areas) -> None:
    payload = map_payload(areas, ["naam", "value"], tolerance_m=5.0)
    doc = json.loads(payload)
    assert [f["id"] for f in doc["features"]] == list(areas.index)
    assert doc["features"][0]["properties"]["naam"] == areas["naam"].iloc[0]
    missing = areas.index.get_loc(areas.index[areas["value"].isna()][0])
    assert doc["features"][missing]["properties"]["value"] is None
    numbers = re.findall(rb"-?\d+\.\d+", payload)
    assert max(len(n.split(b".")[1]) for n in numbers) <= 5
    full = areas.to_crs(4326).to_json().encode()
    assert len(payload) < len(full) / 2


def test_bad_exports(areas, result, tmp_path: Path) -> None:
    joined = with_hotspots(areas, result)
    with pytest.raises(ValueError, match=r"gpkg or \.geojson"):
        export_areas(joined, tmp_path / "x.shp", Provenance(SOURCE, 2024, "m"))
    with pytest.raises(ValueError, match="prefix"):
        with_hotspots(joined, result)
    assert "hs_cluster" in with_hotspots(joined, result, prefix="hs_").columns
