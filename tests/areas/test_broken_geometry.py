"""Broken boundary files: each gets a clear error naming file, row and column, and the database
(SQLite and PostgreSQL) is exactly as before. The broken files are made here from real ones.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wijkbeeld.areas.geometry import Boundaries, read_boundaries
from wijkbeeld.figures.errors import DataError
from wijkbeeld.web.areas import store
from wijkbeeld.web.areas.models import Area, Crosswalk
from wijkbeeld.web.figures.models import ImportBatch

YEAR = 2022


@dataclass(frozen=True)
class Case:
    path: Path
    row: int | None
    column: str | None
    text: str
    code_field: str | None = None


def _haaglanden(raw: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson").read_text()
    )
    return doc


def _write(tmp: Path, name: str, doc: Any) -> Path:
    path = tmp / name
    path.write_text(json.dumps(doc))
    return path


def _bowtie(feature: dict[str, Any]) -> None:
    """Replace the shape by a ring that crosses itself over the feature's bounding box."""
    ring = feature["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    feature["geometry"] = {
        "type": "Polygon", "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]
    }


def invalid_polygon(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    _bowtie(doc["features"][5])
    code = doc["features"][5]["properties"]["WK_CODE"]
    return Case(_write(tmp, "bowtie.geojson", doc), 6, "geometry", f"({code}): invalid polygon")


def truncated_json(raw: Path, tmp: Path) -> Case:
    text = (raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson").read_text()
    cut = text[: int(len(text) * 0.6)]
    try:
        json.loads(cut)
    except json.JSONDecodeError as exc:
        line = exc.lineno
    path = tmp / "truncated.geojson"
    path.write_text(cut)
    return Case(path, line, None, "invalid JSON")


def zero_bytes(raw: Path, tmp: Path) -> Case:
    path = tmp / "empty.geojson"
    path.write_bytes(b"")
    return Case(path, None, None, "0 bytes")


def binary_named_geojson(raw: Path, tmp: Path) -> Case:
    data = (raw / "rivm-gezondheidsmonitor-buurt" / "rivm_gezondheid_2012_18plus.xlsx").read_bytes()
    path = tmp / "workbook.geojson"
    path.write_bytes(data[:20000])
    return Case(path, None, None, "binary content")


def missing_code_field(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    for f in doc["features"]:
        del f["properties"]["WK_CODE"]
    return Case(_write(tmp, "nocode.geojson", doc), None, None, "no property holds CBS codes")


def named_code_field_absent(raw: Path, tmp: Path) -> Case:
    path = _write(tmp, "haaglanden.geojson", _haaglanden(raw))
    return Case(path, None, "BU_CODE", "no property 'BU_CODE'", code_field="BU_CODE")


def duplicate_codes(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"][9]["properties"]["WK_CODE"] = doc["features"][2]["properties"]["WK_CODE"]
    return Case(_write(tmp, "dupes.geojson", doc), 10, "WK_CODE", "also in row 3")


def duplicate_feature(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"].append(copy.deepcopy(doc["features"][0]))  # same code, name and shape
    return Case(_write(tmp, "copied.geojson", doc), 73, "WK_CODE", "overlapping shape")


def malformed_code(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"][40]["properties"]["WK_CODE"] = "WK05l801"
    return Case(_write(tmp, "badcode.geojson", doc), 41, "WK_CODE", "not a CBS area code")


def empty_code(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"][70]["properties"]["WK_CODE"] = None
    return Case(_write(tmp, "nullcode.geojson", doc), 71, "WK_CODE", "no area code")


def point_geometry(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"][6]["geometry"] = {"type": "Point", "coordinates": [4.3, 52.07]}
    return Case(_write(tmp, "point.geojson", doc), 7, "geometry", "a Point where a polygon")


def rd_coordinates_declared_as_degrees(raw: Path, tmp: Path) -> Case:
    doc = json.loads((raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson").read_text())
    doc["features"] = doc["features"][:50]
    doc["crs"]["properties"]["name"] = "urn:ogc:def:crs:OGC:1.3:CRS84"
    return Case(_write(tmp, "wrongcrs.geojson", doc), None, "geometry", "not longitude/latitude")


def swapped_axes(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)

    def swap(c: Any) -> Any:
        return [c[1], c[0]] if isinstance(c[0], float) else [swap(x) for x in c]

    for f in doc["features"]:
        f["geometry"]["coordinates"] = swap(f["geometry"]["coordinates"])
    return Case(_write(tmp, "swapped.geojson", doc), None, "geometry", "outside the Netherlands")


def no_features(raw: Path, tmp: Path) -> Case:
    doc = _haaglanden(raw)
    doc["features"] = []
    return Case(_write(tmp, "nofeatures.geojson", doc), None, None, "no features")


def not_geojson(raw: Path, tmp: Path) -> Case:
    return Case(_write(tmp, "list.geojson", [1, 2, 3]), None, None, "not a GeoJSON")


def broken_wkt_cell(raw: Path, tmp: Path) -> Case:
    src = raw / "amsterdam-kwb-2020-2024" / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = lines[7].replace("POLYGON ((", "POLYGON ((12x ", 1)
    path = tmp / "brokenwkt.csv"
    path.write_text("".join(lines))
    return Case(path, 8, "geometrie", "not a WKT geometry", code_field="BUURTCODE_CBS_2022")


def unsupported_type(raw: Path, tmp: Path) -> Case:
    path = tmp / "wijken.kml"
    path.write_text("<kml/>")
    return Case(path, None, None, "unsupported file type")


CASES: list[Callable[[Path, Path], Case]] = [
    invalid_polygon, truncated_json, zero_bytes, binary_named_geojson, missing_code_field,
    named_code_field_absent, duplicate_codes, duplicate_feature, malformed_code, empty_code,
    point_geometry, rd_coordinates_declared_as_degrees, swapped_axes, no_features, not_geojson,
    broken_wkt_cell, unsupported_type,
]


def _snapshot(using: str) -> tuple[list[Any], list[Any], list[Any]]:
    return (
        list(Area.objects.using(using).order_by("boundary_year", "code").values_list(
            "code", "boundary_year", "name", "parent_id", "geometry", "geometry_web",
            "geometry_batch_id")),
        list(ImportBatch.objects.using(using).order_by("id").values_list("id", "kind", "sha256")),
        list(Crosswalk.objects.using(using).order_by("id").values_list("id", "from_code")),
    )


@pytest.fixture(scope="module")
def haaglanden(raw: Path) -> Boundaries:
    return read_boundaries(raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson", year=YEAR)


@pytest.fixture
def seeded(haaglanden: Boundaries, db_alias: str) -> str:
    """The database holding the real Haaglanden wijken, so a half import would show."""
    store.store_boundaries(haaglanden, who="test", using=db_alias)
    return db_alias


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
def test_broken_file_is_refused_and_nothing_changes(
    make: Callable[[Path, Path], Case], raw: Path, tmp_path: Path, seeded: str
) -> None:
    case = make(raw, tmp_path)
    before = _snapshot(seeded)
    assert len(before[0]) == 72
    with pytest.raises(DataError) as caught:
        b = read_boundaries(case.path, year=YEAR, code_field=case.code_field)
        store.store_boundaries(b, who="test", using=seeded)
    problem = caught.value.problems[0]
    assert problem.file == str(case.path)
    assert problem.row == case.row
    assert problem.column == case.column
    assert case.text in problem.message
    assert str(case.path) in str(caught.value)
    assert _snapshot(seeded) == before


@pytest.mark.django_db(databases="__all__")
def test_every_invalid_polygon_is_listed(raw: Path, tmp_path: Path, seeded: str) -> None:
    doc = _haaglanden(raw)
    for i in (3, 30, 60):
        _bowtie(doc["features"][i])
    before = _snapshot(seeded)
    with pytest.raises(DataError) as caught:
        read_boundaries(_write(tmp_path, "bowties.geojson", doc), year=YEAR)
    assert [p.row for p in caught.value.problems] == [4, 31, 61]
    assert all("self-intersection" in p.message for p in caught.value.problems)
    assert _snapshot(seeded) == before


@pytest.mark.django_db(databases="__all__")
def test_failure_while_storing_rolls_everything_back(
    raw: Path, seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the areas were created and the batch written leaves no trace."""
    boundaries = read_boundaries(
        raw / "amsterdam-gebieden-buurten-2022" / "amsterdam_buurten_2022.geojson", year=YEAR
    )
    before = _snapshot(seeded)

    def fail(rows: list[Any], using: str) -> None:
        assert Area.objects.using(using).filter(code__startswith="BU0363").count() == 518
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_write_shapes", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.store_boundaries(boundaries, who="test", using=seeded)
    assert _snapshot(seeded) == before
