"""Storing boundaries on SQLite and PostgreSQL: figures first or boundaries first, parents, the
national 2016 wijken, idempotence, and the command line. Expected values come from the raw files.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from wijkbeeld.areas.geometry import Boundaries, read_boundaries
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.areas.store import store_boundaries
from wijkbeeld.web.figures.models import ImportBatch, Observation
from wijkbeeld.web.figures.store import store_table

WGS_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
CRS84_TO_RD = Transformer.from_crs("OGC:CRS84", "EPSG:28992", always_xy=True)
pytestmark = pytest.mark.django_db(databases="__all__")


def _rd(geom: Any, transformer: Transformer = WGS_TO_RD) -> Any:
    return shapely.transform(geom, transformer.transform, interleaved=False)


def _stored_rd(area: Area) -> Any:
    return _rd(shapely.from_geojson(area.geometry))


@pytest.fixture(scope="module")
def kwb_2024_path(raw: Path) -> Path:
    return raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv"


@pytest.fixture(scope="module")
def kwb_2024(kwb_2024_path: Path) -> FigureTable:
    return read_figures(kwb_2024_path)


@pytest.fixture(scope="module")
def kwb_names(kwb_2024_path: Path) -> dict[str, str]:
    """Code → name of every row of the KWB 2024 file, read with the csv module."""
    with kwb_2024_path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["Area_Code"].strip(): r["District_Type"].strip()
                for r in csv.DictReader(fh, delimiter=";")}


@pytest.fixture(scope="module")
def buurten_path(raw: Path) -> Path:
    return raw / "amsterdam-gebieden-buurten-2022" / "amsterdam_buurten_2022.geojson"


@pytest.fixture(scope="module")
def buurten_feats(buurten_path: Path) -> dict[str, dict[str, Any]]:
    doc = json.loads(buurten_path.read_text())
    return {f["properties"]["cbsCode"]: f for f in doc["features"]}


@pytest.fixture(scope="module")
def buurten_2024(buurten_path: Path) -> Boundaries:
    """The 2022 buurt geometry is the indeling CBS KWB 2024 uses: imported as boundary year 2024."""
    return read_boundaries(buurten_path, year=2024)


def test_figures_first_then_boundaries(
    db_alias: str, kwb_2024: FigureTable, kwb_names: dict[str, str], buurten_2024: Boundaries,
    buurten_feats: dict[str, dict[str, Any]],
) -> None:
    store_table(kwb_2024, who="test", using=db_alias)
    areas = Area.objects.using(db_alias).filter(boundary_year=2024)
    assert areas.count() == len(kwb_names) == 628
    observations = Observation.objects.using(db_alias).count()

    result = store_boundaries(buurten_2024, who="test", using=db_alias)
    assert result.created and result.areas == 518 and result.with_geometry == 518
    extra = set(buurten_feats) - set(kwb_names)
    assert len(extra) == 1 and result.areas_created == 1
    assert areas.count() == 629
    with_shape = areas.exclude(geometry="")
    assert set(with_shape.values_list("code", flat=True)) == set(buurten_feats)
    assert set(with_shape.values_list("geometry_batch_id", flat=True)) == {result.batch_id}
    assert not areas.filter(level__in=["municipality", "district"]).exclude(geometry="").exists()
    # names from CBS figures are kept; the new buurt takes its name from the boundary file
    stored = dict(areas.values_list("code", "name"))
    assert {c: stored[c] for c in kwb_names} == kwb_names
    (new,) = extra
    assert stored[new] == buurten_feats[new]["properties"]["naam"]
    # the new buurt hangs under its wijk from the figures file
    new_area = areas.get(code=new)
    assert new_area.parent is not None and new_area.parent.code == "WK" + new[2:8]
    assert new_area.parent.code in kwb_names
    assert Observation.objects.using(db_alias).count() == observations
    for code in ("BU0363AA01", new, sorted(buurten_feats)[300]):
        expected = _rd(shape(buurten_feats[code]["geometry"]), CRS84_TO_RD)
        got = _stored_rd(areas.get(code=code))
        assert got.area == pytest.approx(expected.area, rel=1e-4)
        assert got.centroid.distance(expected.centroid) < 0.5


def test_boundaries_first_then_figures(
    db_alias: str, kwb_2024: FigureTable, kwb_names: dict[str, str], buurten_2024: Boundaries,
    buurten_feats: dict[str, dict[str, Any]],
) -> None:
    result = store_boundaries(buurten_2024, who="test", using=db_alias)
    areas = Area.objects.using(db_alias).filter(boundary_year=2024)
    assert result.areas_created == 518 == areas.count()
    assert not areas.filter(parent__isnull=False).exists()  # no wijken yet
    assert set(areas.values_list("parent_code", flat=True)) == {
        "WK" + c[2:8] for c in buurten_feats
    }
    geometry_before = dict(areas.values_list("code", "geometry"))

    store_table(kwb_2024, who="test", using=db_alias)
    assert areas.count() == len(set(kwb_names) | set(buurten_feats)) == 629
    buurten = areas.filter(level="neighbourhood")
    expected_linked = {c for c in buurten_feats if "WK" + c[2:8] in kwb_names}
    linked = set(buurten.filter(parent__isnull=False).values_list("code", flat=True))
    assert linked == expected_linked and len(linked) == 518
    for child, parent in buurten.values_list("code", "parent__code"):
        assert parent == "WK" + child[2:8]
    assert dict(buurten.values_list("code", "geometry")) == geometry_before
    kwb_buurten = buurten.filter(code__in=list(kwb_names))
    assert Observation.objects.using(db_alias).filter(area__in=kwb_buurten).exists()


def test_same_file_twice_changes_nothing(db_alias: str, buurten_2024: Boundaries) -> None:
    first = store_boundaries(buurten_2024, who="test", using=db_alias)
    rows = list(Area.objects.using(db_alias).order_by("id").values())
    batches = ImportBatch.objects.using(db_alias).count()
    second = store_boundaries(buurten_2024, who="test", using=db_alias)
    assert not second.created and second.batch_id == first.batch_id
    assert "niets gewijzigd" in second.summary()
    assert list(Area.objects.using(db_alias).order_by("id").values()) == rows
    assert ImportBatch.objects.using(db_alias).count() == batches
    batch = ImportBatch.objects.using(db_alias).get(pk=first.batch_id)
    assert (batch.kind, batch.sha256, batch.boundary_year, batch.rows) == (
        "areas", buurten_2024.sha256, 2024, 518
    )


@pytest.fixture(scope="module")
def wijken_2016(raw: Path) -> Boundaries:
    return read_boundaries(raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson", year=2016)


def test_national_wijken_2016(raw: Path, db_alias: str, wijken_2016: Boundaries) -> None:
    doc = json.loads((raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson").read_text())
    feats = doc["features"]
    result = store_boundaries(wijken_2016, who="test", using=db_alias)
    areas = Area.objects.using(db_alias).filter(boundary_year=2016)
    codes = {f["properties"]["WKC"] for f in feats}
    assert len(feats) == 2982 and len(codes) == 2981
    assert areas.count() == result.areas == 2981
    empty = {f["properties"]["WKC"] for f in feats if not f["geometry"]["coordinates"]}
    assert set(areas.filter(geometry="").values_list("code", flat=True)) == empty
    gemeente_of = {f["properties"]["WKC"]: f["properties"]["GMC"] for f in feats}
    assert Counter(areas.values_list("parent_code", flat=True)) == Counter(gemeente_of.values())
    lon_lat = [shapely.bounds(shapely.from_geojson(g)) for g in
               areas.exclude(geometry="").values_list("geometry", flat=True)]
    assert all(3.2 < b[0] <= b[2] < 7.3 and 50.7 < b[1] <= b[3] < 53.6 for b in lon_lat)
    by_code = {f["properties"]["WKC"]: f for f in feats}
    for code in ("WK036300", "WK059901", "WK034401"):
        expected = shape(by_code[code]["geometry"])  # RD New metres in the raw file
        got = _stored_rd(areas.get(code=code))
        assert got.area == pytest.approx(expected.area, rel=0.005), code
        web = _rd(shapely.from_geojson(areas.get(code=code).geometry_web))
        assert web.area == pytest.approx(expected.area, rel=0.02), code
    assert "2981 gebieden" in result.summary() and "2979 met grens" in result.summary()


def test_gemeenten_after_wijken_link_parents(
    raw: Path, db_alias: str, tmp_path: Path
) -> None:
    src = raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson"
    store_boundaries(read_boundaries(src, year=2022), who="test", using=db_alias)
    wijken = Area.objects.using(db_alias).filter(boundary_year=2022, level="district")
    assert wijken.count() == 72 and not wijken.filter(parent__isnull=False).exists()
    frame = gpd.read_file(src)
    frame["GM_CODE"] = "GM" + frame["WK_CODE"].str[2:6]
    gemeenten = frame.dissolve("GM_CODE").reset_index()[["GM_CODE", "geometry"]]
    path = tmp_path / "haaglanden_gemeenten.geojson"
    gemeenten.to_file(path, driver="GeoJSON")
    result = store_boundaries(read_boundaries(path, year=2022), who="test", using=db_alias)
    assert result.areas_created == 4
    expected = Counter("GM" + c[2:6] for c in frame["WK_CODE"])
    assert Counter(wijken.values_list("parent__code", flat=True)) == expected


def test_newer_file_replaces_shapes_but_an_empty_shape_keeps_the_old_one(
    raw: Path, db_alias: str, tmp_path: Path
) -> None:
    src = raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson"
    first = store_boundaries(read_boundaries(src, year=2022), who="test", using=db_alias)
    doc = json.loads(src.read_text())
    keep_code = doc["features"][0]["properties"]["WK_CODE"]
    doc["features"][0]["geometry"] = None
    moved_code = doc["features"][1]["properties"]["WK_CODE"]
    ring = doc["features"][1]["geometry"]["coordinates"][0]
    x0, y0 = min(p[0] for p in ring), min(p[1] for p in ring)
    doc["features"][1]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x0 + 0.01, y0], [x0 + 0.01, y0 + 0.01], [x0, y0]]],
    }
    path = tmp_path / "haaglanden_v2.geojson"
    path.write_text(json.dumps(doc))
    second = store_boundaries(read_boundaries(path, year=2022), who="test", using=db_alias)
    areas = Area.objects.using(db_alias).filter(boundary_year=2022)
    kept = areas.get(code=keep_code)
    assert kept.geometry and kept.geometry_batch_id == first.batch_id
    moved = areas.get(code=moved_code)
    assert moved.geometry_batch_id == second.batch_id
    assert shapely.from_geojson(moved.geometry).equals_exact(
        shapely.Polygon(doc["features"][1]["geometry"]["coordinates"][0]), 1e-7
    )
    assert areas.count() == 72


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import sys; from wijkbeeld.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )


@pytest.mark.django_db(databases=[])
def test_command_line_import_areas(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    src = raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson"
    first = _cli(db, "import", "areas", str(src), "--year", "2022")
    assert first.returncode == 0, first.stderr
    assert "72 gebieden (indeling 2022), 72 met grens, 72 nieuw" in first.stdout
    again = _cli(db, "import", "areas", str(src), "--year", "2022")
    assert again.returncode == 0 and "niets gewijzigd" in again.stdout
    broken = tmp_path / "broken.geojson"
    broken.write_text(src.read_text()[:5000])
    failed = _cli(db, "import", "areas", str(broken), "--year", "2022")
    assert failed.returncode == 2
    assert "niets geïmporteerd" in failed.stderr and "invalid JSON at line" in failed.stderr
