"""Reading real boundary files: GeoJSON (WGS84 and RD New), TopoJSON, GeoPackage, Shapefile and
CSV with WKT. Expected values come from the raw files, read here with json/csv and shapely/pyproj
directly, never from the code under test.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from wijkbeeld.areas.fields import FieldNotFound, find_code_field, find_name_field
from wijkbeeld.areas.geometry import Boundaries, read_boundaries

TO_RD = Transformer.from_crs("OGC:CRS84", "EPSG:28992", always_xy=True)
WGS_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def _rd(geom: Any, transformer: Transformer = WGS_TO_RD) -> Any:
    return shapely.transform(geom, transformer.transform, interleaved=False)


def _features(path: Path) -> list[dict[str, Any]]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(doc["features"])


def _row(b: Boundaries, code: str) -> Any:
    rows = b.frame[b.frame["code"] == code]
    assert len(rows) == 1, code
    return rows.iloc[0]


# ---------------------------------------------------------------- Amsterdam buurten 2022 (CRS84)


@pytest.fixture(scope="module")
def amsterdam(raw: Path) -> Boundaries:
    return read_boundaries(
        raw / "amsterdam-gebieden-buurten-2022" / "amsterdam_buurten_2022.geojson", year=2022
    )


def test_amsterdam_buurten_codes_names_levels(raw: Path, amsterdam: Boundaries) -> None:
    feats = _features(raw / "amsterdam-gebieden-buurten-2022" / "amsterdam_buurten_2022.geojson")
    assert len(feats) == 518
    assert amsterdam.n_features == 518 and len(amsterdam.frame) == 518
    assert amsterdam.code_field == "cbsCode"  # not 'code', which holds AA01
    assert amsterdam.name_field == "naam"
    assert amsterdam.codes == [f["properties"]["cbsCode"] for f in feats]
    assert amsterdam.frame["name"].tolist() == [f["properties"]["naam"] for f in feats]
    assert set(amsterdam.frame["level"]) == {"neighbourhood"}
    expected_parents = ["WK" + f["properties"]["cbsCode"][2:8] for f in feats]
    assert amsterdam.frame["parent"].tolist() == expected_parents
    assert set(amsterdam.frame["municipality"]) == {"GM0363"}
    assert amsterdam.input_crs == "OGC:CRS84" and not amsterdam.crs_inferred
    assert amsterdam.warnings == ()


def test_amsterdam_joins_the_kwb_2024_buurten(raw: Path, amsterdam: Boundaries) -> None:
    kwb = raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv"
    with kwb.open(encoding="utf-8-sig", newline="") as fh:
        codes = {r["Area_Code"].strip() for r in csv.DictReader(fh, delimiter=";")}
    buurten = {c for c in codes if c.startswith("BU")}
    assert len(buurten) == 517
    assert len(buurten & set(amsterdam.codes)) == 517
    assert len(set(amsterdam.codes) - buurten) == 1


def test_amsterdam_buurt_area_and_centroid_match_raw_coordinates(
    raw: Path, amsterdam: Boundaries
) -> None:
    feats = _features(raw / "amsterdam-gebieden-buurten-2022" / "amsterdam_buurten_2022.geojson")
    for feat in (feats[0], feats[250], feats[517]):
        code = feat["properties"]["cbsCode"]
        expected = _rd(shape(feat["geometry"]), TO_RD)
        row = _row(amsterdam, code)
        assert row["area_m2"] == pytest.approx(expected.area, rel=1e-6)
        stored = _rd(shapely.from_geojson(row["geojson"]))
        assert stored.area == pytest.approx(expected.area, rel=1e-4)
        assert stored.centroid.distance(expected.centroid) < 0.5  # metres


def test_amsterdam_web_copy_is_smaller_and_keeps_shapes(amsterdam: Boundaries) -> None:
    assert amsterdam.simplify_method == "coverage"  # a clean coverage: shared borders stay shared
    assert amsterdam.tolerance == 5.0
    assert 0.2 < amsterdam.reduction < 0.9
    assert amsterdam.size_web < amsterdam.size_full
    for full_text, web_text in zip(
        amsterdam.frame["geojson"], amsterdam.frame["geojson_web"], strict=True
    ):
        full = _rd(shapely.from_geojson(full_text))
        web = _rd(shapely.from_geojson(web_text))
        assert web.is_valid
        assert shapely.get_num_coordinates(web) <= shapely.get_num_coordinates(full)
        assert web.area == pytest.approx(full.area, rel=0.05)
        assert full.hausdorff_distance(web) < 30  # metres; tolerance is 5 m, VW on areas


# ---------------------------------------------------------------- Den Haag region wijken (CRS84)


@pytest.fixture(scope="module")
def haaglanden_path(raw: Path) -> Path:
    return raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson"


def test_haaglanden_wijken(haaglanden_path: Path) -> None:
    feats = _features(haaglanden_path)
    b = read_boundaries(haaglanden_path, year=2022)
    assert len(b.frame) == len(feats) == 72
    assert (b.code_field, b.name_field) == ("WK_CODE", "WK_NAAM")
    assert set(b.frame["level"]) == {"district"}
    per_gm = Counter(f["properties"]["WK_CODE"][:6].replace("WK", "GM") for f in feats)
    assert per_gm == {"GM0518": 45, "GM1916": 13, "GM0603": 11, "GM0629": 3}
    assert Counter(b.frame["municipality"]) == per_gm
    assert Counter(b.frame["parent"]) == per_gm
    feat = feats[0]
    row = _row(b, feat["properties"]["WK_CODE"])
    assert row["area_m2"] == pytest.approx(_rd(shape(feat["geometry"]), TO_RD).area, rel=1e-6)
    assert b.reduction > 0.5  # an over-digitised file


# ---------------------------------------------------------------- national wijken 2016 (RD New)


@pytest.fixture(scope="module")
def wijken_2016(raw: Path) -> Boundaries:
    return read_boundaries(raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson", year=2016)


def test_national_wijken_2016_stored_in_wgs84(raw: Path, wijken_2016: Boundaries) -> None:
    feats = _features(raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson")
    codes = [f["properties"]["WKC"] for f in feats]
    assert len(feats) == wijken_2016.n_features == 2982
    assert wijken_2016.input_crs == "EPSG:28992" and not wijken_2016.crs_inferred
    assert (wijken_2016.code_field, wijken_2016.name_field) == ("WKC", "WKN")  # not GMC/GMN
    assert sorted(wijken_2016.codes) == sorted(set(codes))  # one code split over two features
    assert len({f["properties"]["GMC"] for f in feats}) == 390
    assert wijken_2016.frame["municipality"].nunique() == 390
    minx, miny, maxx, maxy = wijken_2016.frame.total_bounds
    assert 3.0 < minx < maxx < 7.3 and 50.7 < miny < maxy < 53.6


def test_national_wijk_area_after_reprojection_back_to_rd(
    raw: Path, wijken_2016: Boundaries
) -> None:
    path = raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson"
    feats = {f["properties"]["WKC"]: f for f in _features(path)}
    for code in ("WK036300", "WK051801", "WK000300"):
        expected = shape(feats[code]["geometry"])  # integer RD metres as in the file
        assert expected.is_valid
        stored = _rd(shapely.from_geojson(_row(wijken_2016, code)["geojson"]))
        assert stored.area == pytest.approx(expected.area, rel=0.005)
        assert stored.centroid.distance(expected.centroid) < 1.0


def test_national_wijken_repairs_merges_and_empties_are_reported(
    raw: Path, wijken_2016: Boundaries
) -> None:
    feats = _features(raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson")
    geoms = [shape(f["geometry"]) for f in feats]
    invalid = [f["properties"]["WKC"] for f, g in zip(feats, geoms, strict=True)
               if not g.is_empty and not g.is_valid]
    empty = [f["properties"]["WKC"] for f, g in zip(feats, geoms, strict=True) if g.is_empty]
    dupes = [c for c, n in Counter(f["properties"]["WKC"] for f in feats).items() if n > 1]
    assert len(invalid) == 12 and len(empty) == 2 and dupes == ["WK191104"]
    repaired = [w for w in wijken_2016.warnings if "repaired" in w]
    assert len(repaired) == len(invalid)
    assert all(any(f"({c})" in w for w in repaired) for c in invalid)
    assert any("WK191104" in w and "merged" in w for w in wijken_2016.warnings)
    assert any(all(c in w for c in empty) and "without geometry" in w
               for w in wijken_2016.warnings)
    assert wijken_2016.n_with_geometry == 2981 - 2
    for code in empty:
        assert _row(wijken_2016, code)["geojson"] == ""
    # the merged wijk holds both parts
    parts = [g for f, g in zip(feats, geoms, strict=True) if f["properties"]["WKC"] == "WK191104"]
    merged = _rd(shapely.from_geojson(_row(wijken_2016, "WK191104")["geojson"]))
    assert merged.area == pytest.approx(sum(p.area for p in parts), rel=0.005)
    assert all(shapely.from_geojson(t).is_valid for t in wijken_2016.frame["geojson"] if t)


def test_geojson_without_crs_member_but_rd_coordinates(raw: Path, tmp_path: Path) -> None:
    doc = json.loads((raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson").read_text())
    del doc["crs"]
    doc["features"] = [f for f in doc["features"] if f["properties"]["GMC"] == "GM0363"]
    path = tmp_path / "amsterdam_wijken_2016_nocrs.geojson"
    path.write_text(json.dumps(doc))
    b = read_boundaries(path, year=2016)
    assert b.input_crs == "EPSG:28992" and b.crs_inferred
    assert any("no CRS declared" in w for w in b.warnings)
    assert len(b.frame) == len(doc["features"])
    feat = doc["features"][3]
    stored = _rd(shapely.from_geojson(_row(b, feat["properties"]["WKC"])["geojson"]))
    assert stored.area == pytest.approx(shape(feat["geometry"]).area, rel=0.005)


# ---------------------------------------------------------------- TopoJSON gemeenten 2015


def _decode_topojson_polygon(topo: dict[str, Any], geometry: dict[str, Any]) -> Any:
    """Decode a TopoJSON Polygon/MultiPolygon by hand: delta-decoded arcs, then the transform."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(i: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if i >= 0 else points[::-1]

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for n, i in enumerate(indices):
            points.extend(arc(i)[1:] if n else arc(i))
        return points

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    parts = []
    for rings in polygons:
        shell, holes = ring(rings[0]), [ring(r) for r in rings[1:]]
        if len(shell) >= 4:  # quantisation collapses some rings to fewer points: no area
            parts.append(shapely.Polygon(shell, [h for h in holes if len(h) >= 4]))
    return shapely.MultiPolygon(parts)


def test_topojson_gemeenten_2015(raw: Path) -> None:
    path = raw / "cbs-topojson-2014-2015" / "Gemeente_2015_layer_q1e3.json"
    topo = json.loads(path.read_text())
    geometries = topo["objects"]["layer"]["geometries"]
    b = read_boundaries(path, year=2015)
    assert b.reader == "topojson"
    assert (b.code_field, b.name_field) == ("statcode", "statnaam")
    assert b.codes == [g["properties"]["statcode"] for g in geometries]
    assert len(b.frame) == 393 and set(b.frame["level"]) == {"municipality"}
    assert b.crs_inferred and b.input_crs == "EPSG:4326"  # TopoJSON declares no CRS
    stored = dict(zip(b.frame["code"], b.frame["area_m2"], strict=True))
    checked = 0
    for g in geometries:
        expected = _decode_topojson_polygon(topo, g)
        if not expected.is_valid:
            continue
        code = g["properties"]["statcode"]
        assert stored[code] == pytest.approx(_rd(expected).area, rel=1e-6), code
        checked += 1
    assert checked > 370
    ams = _rd(shapely.from_geojson(_row(b, "GM0363")["geojson"]))
    assert 1.65e8 < ams.area < 2.2e8  # Amsterdam: 165 km² land, 219 km² with water


# ---------------------------------------------------------------- GeoPackage and Shapefile


@pytest.fixture(scope="module")
def haaglanden_rd(haaglanden_path: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(haaglanden_path).to_crs(28992)


def test_geopackage_in_rd_new_with_two_layers(
    haaglanden_path: Path, haaglanden_rd: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "haaglanden.gpkg"
    haaglanden_rd.to_file(path, layer="wijken", driver="GPKG")
    # a second layer with its own property names, as in the PDOK/CBS wijkenbuurten GeoPackage
    gemeenten = haaglanden_rd.assign(gemeentecode=haaglanden_rd["WK_CODE"].str[2:6].radd("GM"))
    gemeenten = gemeenten.dissolve("gemeentecode").reset_index()[["gemeentecode", "geometry"]]
    gemeenten["gemeentenaam"] = gemeenten["gemeentecode"].map(
        {"GM0518": "'s-Gravenhage", "GM0603": "Rijswijk", "GM0629": "Wassenaar",
         "GM1916": "Leidschendam-Voorburg"}
    )
    gemeenten.to_file(path, layer="gemeenten", driver="GPKG")
    b = read_boundaries(path, year=2022)
    assert b.reader == "geopackage" and b.input_crs == "EPSG:28992"
    assert (b.code_field, b.name_field) == ("WK_CODE, gemeentecode", "WK_NAAM, gemeentenaam")
    assert _row(b, "GM0603")["name"] == "Rijswijk"
    assert Counter(b.frame["level"]) == {"district": 72, "municipality": 4}
    reference = read_boundaries(haaglanden_path, year=2022)
    for code, area in zip(reference.frame["code"], reference.frame["area_m2"], strict=True):
        assert _row(b, code)["area_m2"] == pytest.approx(area, rel=1e-6)
    total = haaglanden_rd[haaglanden_rd["WK_CODE"].str.startswith("WK0518")].area.sum()
    assert _row(b, "GM0518")["area_m2"] == pytest.approx(total, rel=1e-3)


def test_shapefile_with_and_without_prj(
    haaglanden_path: Path, haaglanden_rd: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "haaglanden_wijken.shp"
    haaglanden_rd.to_file(path)
    b = read_boundaries(path, year=2022)
    assert b.reader == "shapefile" and b.input_crs == "EPSG:28992" and not b.crs_inferred
    feats = _features(haaglanden_path)
    assert b.codes == [f["properties"]["WK_CODE"] for f in feats]
    for feat in feats[::10]:
        expected = _rd(shape(feat["geometry"]), TO_RD)
        row = _row(b, feat["properties"]["WK_CODE"])
        assert row["area_m2"] == pytest.approx(expected.area, rel=1e-6)
        assert row["name"] == feat["properties"]["WK_NAAM"].strip()
    path.with_suffix(".prj").unlink()
    bare = read_boundaries(path, year=2022)
    assert bare.crs_inferred and bare.input_crs == "EPSG:28992"
    assert bare.sha256 != b.sha256  # the sidecar files count
    assert bare.frame["area_m2"].tolist() == pytest.approx(b.frame["area_m2"].tolist())


# ---------------------------------------------------------------- CSV with WKT (Amsterdam)


def test_csv_with_ewkt_polygons(raw: Path, amsterdam: Boundaries) -> None:
    path = raw / "amsterdam-kwb-2020-2024" / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    b = read_boundaries(path, year=2022, code_field="BUURTCODE_CBS_2022")
    assert b.reader == "csv-wkt" and b.input_crs == "EPSG:28992"  # from SRID=28992;
    assert b.name_field == "BUURTNAAM_2022"
    assert b.codes == [r["BUURTCODE_CBS_2022"] for r in rows] and len(rows) == 439
    for r in rows[::40]:
        expected = shapely.from_wkt(r["geometrie"].split(";", 1)[1])
        code = r["BUURTCODE_CBS_2022"]
        assert _row(b, code)["area_m2"] == pytest.approx(expected.area, rel=1e-9)
        # the polygons are the 2022 ones: the same shapes as the Amsterdam API file
        assert _row(amsterdam, code)["area_m2"] == pytest.approx(expected.area, rel=1e-3)


# ---------------------------------------------------------------- code and name properties


def test_code_field_recognition() -> None:
    values = {"code": ["AA01", "AA02"], "cbsCode": ["BU0363AA01", "BU0363AA02"],
              "naam": ["x", "y"]}
    assert find_code_field(["code", "cbsCode", "naam"], values) == "cbsCode"
    values2 = {"WKC": ["WK000300"], "GMC": ["GM0003"], "WKN": ["Wijk 00"], "GMN": ["Appingedam"]}
    assert find_code_field(list(values2), values2) == "WKC"
    assert find_name_field("WKC", list(values2)) == "WKN"
    assert find_name_field("BUURTCODE_CBS_2022", ["BUURTNAAM_2022", "BUURTNAAM_2015"]) == (
        "BUURTNAAM_2022"
    )
    assert find_code_field(["my_area"], {"my_area": ["  GM0363  "]}) == "my_area"
    with pytest.raises(FieldNotFound, match="several properties"):
        find_code_field(["a_2015", "b_2022"], {"a_2015": ["BU03630000"], "b_2022": ["BU0363AE01"]})
    with pytest.raises(FieldNotFound, match="no property holds CBS codes"):
        find_code_field(["code"], {"code": ["AA01"]})


def test_explicit_code_field_is_case_insensitive(haaglanden_path: Path) -> None:
    b = read_boundaries(haaglanden_path, year=2022, code_field="wk_code")
    assert b.code_field == "WK_CODE" and len(b.frame) == 72
