"""``wijkbeeld fetch cbs`` and ``wijkbeeld fetch boundaries`` against a local server replaying
recorded-shaped responses (CBS OData v3 JSON; PDOK OGC API Features GeoJSON pages with ``next``
links). No internet: every request goes to 127.0.0.1. Expected values come from the fixture
JSON, read here, never from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import pytest
from shapely.geometry import shape

from wijkbeeld.areas.pdok import BoundaryDownloadError, download_boundaries
from wijkbeeld.cli import main
from wijkbeeld.figures.kwb import KWB_TABLES, kwb_table
from wijkbeeld.figures.odata import HttpSettings
from wijkbeeld.figures.testing import ReplayServer, Reply

KWB = Path(__file__).parents[1] / "figures" / "fixtures" / "odata" / "85984NED"
FAST = ["--timeout", "5", "--retries", "2", "--backoff", "0.01", "--no-progress"]


def _doc(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((KWB / name).read_text(encoding="utf-8"))
    return doc


def _records() -> list[dict[str, Any]]:
    return [r for p in ("TypedDataSet.1.json", "TypedDataSet.2.json")
            for r in _doc(p)["value"]]


def test_fetch_cbs_to_parquet_has_every_cell(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "kwb.parquet"
    with ReplayServer.from_recording(KWB) as server:
        code = main(["fetch", "cbs", "--table", "85984NED", "--municipality", "GM0363",
                     "--base-url", f"{server.base_url}/ODataApi/odata", "-o", str(out), *FAST])
    assert code == 0, capsys.readouterr().err
    back = pd.read_parquet(out).set_index(["area_code", "source_column"])
    recs = _records()
    props = _doc("DataProperties.json")["value"]
    numeric = [p["Key"] for p in props if p["Type"] == "Topic" and p["Datatype"] != "String"]
    assert len(back) == len(recs) * len(numeric)
    for rec in recs:
        for key in numeric:
            row = back.loc[(rec["WijkenEnBuurten"].strip(), key)]
            if rec[key] is None:  # suppressed or missing at CBS: no value, a status
                assert pd.isna(row["value"]) and row["status"] != "ok", (rec["ID"], key)
            else:
                assert row["value"] == pytest.approx(float(rec[key]), rel=1e-12), (rec["ID"], key)
            assert row["bron"].startswith("CBS") and row["jaar"] == 2024
    assert "85984NED (KWB 2024)" in capsys.readouterr().out


def _kwb_2013_routes() -> dict[str, Reply]:
    """The 85984NED recording reshaped as the 2013 table 82339NED: WOZ under its old name
    ``GemiddeldeWoningwaarde_35`` and every topic at another position number."""
    renames: dict[str, str] = {}
    props = _doc("DataProperties.json")["value"]
    for number, p in enumerate(props):
        key = p.get("Key", "")
        if p.get("Type") == "Topic" and "_" in key:
            stem = key.rsplit("_", 1)[0]
            if stem == "GemiddeldeWOZWaardeVanWoningen":
                stem = "GemiddeldeWoningwaarde"
            renames[key] = f"{stem}_{number + 1}"
    new_props = [{**p, "Key": renames.get(p.get("Key", ""), p.get("Key"))} for p in props]
    new_props[0] = {**new_props[0], "MapYear": "2013"}
    info = _doc("TableInfos.json")
    info["value"][0].update({"Title": "Kerncijfers wijken en buurten 2013", "Period": "2013",
                             "Identifier": "82339NED"})
    records = [{renames.get(k, k): v for k, v in r.items()} for r in _records()]
    root = "/ODataApi/odata/82339NED"
    gm = ("(startswith(WijkenEnBuurten,'GM0363') or startswith(WijkenEnBuurten,'WK0363') "
          "or startswith(WijkenEnBuurten,'BU0363'))")
    names = ("startswith(Key,'GM0363') or startswith(Key,'WK0363') or "
             "startswith(Key,'BU0363')")
    return {
        f"{root}/TableInfos?$format=json": Reply.json(info),
        f"{root}/DataProperties?$format=json": Reply.json({"value": new_props}),
        f"{root}/WijkenEnBuurten?$format=json&$filter={names}":
            Reply.json(_doc("WijkenEnBuurten.json")),
        f"{root}/TypedDataSet?$format=json&$filter={gm}": Reply.json({"value": records}),
    }


def test_fetch_cbs_by_year_handles_renamed_columns(tmp_path: Path, capsys: Any) -> None:
    assert kwb_table(2013) == "82339NED" and KWB_TABLES[2024] == "85984NED"
    out = tmp_path / "kwb2013.csv"
    with ReplayServer(_kwb_2013_routes()) as server:
        code = main(["fetch", "cbs", "--year", "2013", "--municipality", "GM0363",
                     "--base-url", f"{server.base_url}/ODataApi/odata", "-o", str(out), *FAST])
    assert code == 0, capsys.readouterr().err
    back = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    woz = back[back["indicator"] == "woz_waarde"].set_index("area_code")
    expected = {r["WijkenEnBuurten"].strip(): r["GemiddeldeWOZWaardeVanWoningen_36"]
                for r in _records()}
    assert set(woz.index) == set(expected)
    for area, value in expected.items():
        got = woz.loc[area, "value"]
        assert pd.isna(got) if value is None else got == pytest.approx(float(value)), area
    assert all(c.startswith("GemiddeldeWoningwaarde_") for c in woz["source_column"])
    assert set(back["jaar"]) == {2013}


def test_fetch_cbs_errors(tmp_path: Path, capsys: Any) -> None:
    assert main(["fetch", "cbs", "--year", "2010", "-o", str(tmp_path / "x.csv")]) == 2
    assert "no Kerncijfers wijken en buurten table for 2010" in capsys.readouterr().err
    assert main(["fetch", "cbs", "--table", "85984NED"]) == 2
    assert "-o BESTAND, --import" in capsys.readouterr().err
    assert main(["fetch", "cbs", "--table", "85984NED", "-o", str(tmp_path / "x.txt")]) == 2
    with ReplayServer() as server:  # nothing recorded: 404 with an OData error body
        code = main(["fetch", "cbs", "--table", "99999NED", "--base-url",
                     f"{server.base_url}/ODataApi/odata", "-o", str(tmp_path / "x.csv"), *FAST])
    assert code == 2
    err = capsys.readouterr().err
    assert "HTTP 404" in err and "99999NED/TableInfos" in err
    assert not (tmp_path / "x.csv").exists()


# --- PDOK boundaries -------------------------------------------------------------------------

PDOK_ROOT = "/cbs/wijken-en-buurten-2024/ogc/v1"
ITEMS = f"{PDOK_ROOT}/collections/buurten/items"
ORIGIN = "https://api.pdok.nl"


def _square(x: float, y: float, d: float = 0.004) -> dict[str, Any]:
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


BUURTEN = [
    ("BU0363AA01", "Planciusbuurt-Noord", _square(4.886, 52.383)),
    ("BU0363AA02", "Westelijke eilanden", _square(4.890, 52.383)),
    ("BU0363AA03", "Westerdokseiland", _square(4.894, 52.383)),
]


def _page(items: list[tuple[str, str, dict[str, Any]]], next_query: str | None
          ) -> dict[str, Any]:
    features = [{"type": "Feature", "id": i + 1,
                 "properties": {"buurtcode": c, "buurtnaam": n, "wijkcode": c[:8].replace(
                     "BU", "WK"), "gemeentecode": "GM0363", "gemeentenaam": "Amsterdam",
                     "jaarstatcode": f"2024{c}"},
                 "geometry": g} for i, (c, n, g) in enumerate(items)]
    links = [{"rel": "self", "type": "application/geo+json", "href": f"{ORIGIN}{ITEMS}"}]
    if next_query:
        links.append({"rel": "next", "type": "application/geo+json",
                      "href": f"{ORIGIN}{ITEMS}?{next_query}"})
    return {"type": "FeatureCollection", "timeStamp": "2025-01-01T00:00:00Z",
            "links": links, "numberReturned": len(features), "features": features}


FIRST = f"{ITEMS}?f=json&limit=2&gemeentecode=GM0363"
SECOND_QUERY = "f=json&limit=2&gemeentecode=GM0363&cursor=abc"
SECOND = f"{ITEMS}?{SECOND_QUERY}"


def _pdok(second: list[Reply] | None = None) -> ReplayServer:
    routes: dict[str, Reply | list[Reply]] = {
        FIRST: Reply.json(_page(BUURTEN[:2], SECOND_QUERY)),
        SECOND: second or [Reply.json(_page(BUURTEN[2:], None))],
    }
    return ReplayServer(routes, origin=ORIGIN)


def test_fetch_boundaries_follows_next_and_retries(tmp_path: Path, capsys: Any) -> None:
    ok = Reply.json(_page(BUURTEN[2:], None))
    out = tmp_path / "buurten.gpkg"
    with _pdok([Reply(status=503, body=b"busy"), ok]) as server:
        code = main(["fetch", "boundaries", "--year", "2024", "--municipality", "GM0363",
                     "--page-size", "2", "--base-url",
                     f"{server.base_url}/cbs/wijken-en-buurten-{{year}}/ogc/v1", "-o", str(out),
                     *FAST])
        assert server.count(SECOND) == 2  # the 503 was retried once
        assert server.count(FIRST) == 1
    assert code == 0, capsys.readouterr().err
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 28992
    assert list(back["buurtcode"]) == [c for c, _, _ in BUURTEN]
    assert list(back["buurtnaam"]) == [n for _, n, _ in BUURTEN]
    assert set(back["jaar"]) == {2024} and back["bron"].iloc[0].startswith("CBS/PDOK")
    wgs = back.to_crs("EPSG:4326")
    for (_, _, geom), got in zip(BUURTEN, wgs.geometry, strict=True):
        minx, miny, maxx, maxy = shape(geom).bounds
        assert got.bounds == pytest.approx((minx, miny, maxx, maxy), abs=1e-7)


def test_boundaries_geojson_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "buurten.geojson"
    with _pdok() as server:
        assert main(["fetch", "boundaries", "--year", "2024", "--municipality", "GM0363",
                     "--page-size", "2", "--base-url",
                     f"{server.base_url}/cbs/wijken-en-buurten-{{year}}/ogc/v1", "-o", str(out),
                     *FAST]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["properties"]["buurtcode"] for f in doc["features"]] == [c for c, _, _ in BUURTEN]
    for (_, _, geom), feature in zip(BUURTEN, doc["features"], strict=True):
        assert shape(feature["geometry"]).equals_exact(shape(geom), 1e-9)


def test_boundaries_timeout_and_bad_answers() -> None:
    slow = HttpSettings(timeout=0.3, retries=1, backoff=0.01, progress=False)
    body = Reply.json(_page(BUURTEN[:2], None)).body
    pattern = "/cbs/wijken-en-buurten-{year}/ogc/v1"
    with ReplayServer({FIRST: Reply(body=body, delay=1.5)}) as server:
        with pytest.raises(BoundaryDownloadError, match="no answer after 2 attempts"):
            download_boundaries(2024, municipality="GM0363", limit=2, settings=slow,
                                base_url=server.base_url + pattern)
        assert server.count(FIRST) == 2  # the timed-out request was tried again
    with (ReplayServer({FIRST: Reply(body=b'{"type": "Feature"}')}) as server,
          pytest.raises(BoundaryDownloadError, match="not a GeoJSON FeatureCollection")):
        download_boundaries(2024, municipality="GM0363", limit=2, settings=slow,
                            base_url=server.base_url + pattern)
    with pytest.raises(ValueError, match="gemeente code"):
        download_boundaries(2024, municipality="BU0363AA01")


@pytest.mark.django_db
def test_fetch_with_import_stores_figures_and_boundaries(capsys: Any) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import Observation

    with ReplayServer.from_recording(KWB) as server:
        assert main(["fetch", "cbs", "--table", "85984NED", "--municipality", "GM0363",
                     "--base-url", f"{server.base_url}/ODataApi/odata", "--import", *FAST]) == 0
    recs = _records()
    first = recs[0]
    obs = Observation.objects.get(area__code=first["WijkenEnBuurten"].strip(),
                                  indicator__key="inwoners")
    assert obs.value == float(first["AantalInwoners_5"])
    with _pdok() as server:
        assert main(["fetch", "boundaries", "--year", "2024", "--municipality", "GM0363",
                     "--page-size", "2", "--base-url",
                     f"{server.base_url}/cbs/wijken-en-buurten-{{year}}/ogc/v1", "--import",
                     *FAST]) == 0
    stored = Area.objects.filter(code__in=[c for c, _, _ in BUURTEN], boundary_year=2024)
    assert stored.count() == len(BUURTEN)
    assert {a.code: a.name for a in stored} == {c: n for c, n, _ in BUURTEN}
    assert all(a.geometry is not None for a in stored)


def test_progress_bar_counts_the_areas(capsys: Any) -> None:
    shown = HttpSettings(timeout=5, retries=0, progress=True)
    with _pdok() as server:
        download = download_boundaries(
            2024, municipality="GM0363", limit=2, settings=shown,
            base_url=server.base_url + "/cbs/wijken-en-buurten-{year}/ogc/v1")
    assert len(download.frame) == len(BUURTEN) and download.pages == 2
    err = capsys.readouterr().err
    assert "grenzen 2024 downloaden" in err and "gebieden" in err  # tqdm on stderr
