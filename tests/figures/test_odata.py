"""The CBS OData client against a local server replaying recorded responses (no network).

The recordings in ``fixtures/odata`` are in the CBS OData v3 JSON format (``odata.metadata``,
``value``, ``odata.nextLink``; ``TableInfos``, ``DataProperties``, the geo dimension) with real
values: 85984NED from the Amsterdam KWB 2024 export, 50090NED from the RIVM 2020 workbooks.
Expected values are read from the fixture JSON by the test.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.odata import (
    HttpSettings,
    ODataError,
    municipality_filter,
    read_odata_table,
)
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.testing import ReplayServer, Reply

FIXTURES = Path(__file__).parent / "fixtures" / "odata"
KWB = FIXTURES / "85984NED"
RIVM = FIXTURES / "50090NED"
ROOT = "/ODataApi/odata/85984NED"
GM_FILTER = (
    "(startswith(WijkenEnBuurten,'GM0363') or startswith(WijkenEnBuurten,'WK0363') "
    "or startswith(WijkenEnBuurten,'BU0363'))"
)
PAGE1 = f"{ROOT}/TypedDataSet?$format=json&$filter={GM_FILTER}"
PAGE2 = f"{PAGE1}&$skiptoken=1211"
FAST = HttpSettings(timeout=5, retries=2, backoff=0.01, progress=False)


def fixture_json(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def records(folder: Path) -> list[dict[str, Any]]:
    pages = sorted(folder.glob("TypedDataSet*.json"))
    return [r for p in pages for r in fixture_json(p)["value"]]


def numeric_topics(folder: Path) -> list[str]:
    props = fixture_json(folder / "DataProperties.json")["value"]
    return [p["Key"] for p in props if p["Type"] == "Topic" and p["Datatype"] != "String"]


def read(server: ReplayServer, table: str = "85984NED", **kwargs: Any) -> FigureTable:
    kwargs.setdefault("settings", FAST)
    return read_odata_table(
        table, base_url=f"{server.base_url}/ODataApi/odata", municipality="GM0363",
        catalogue=load_catalogue(), **kwargs,
    )


def test_all_pages_every_cell(tmp_path: Path) -> None:
    with ReplayServer.from_recording(KWB) as server:
        table = read(server)
        assert server.count(PAGE2) == 1  # odata.nextLink was followed
    recs, topics = records(KWB), numeric_topics(KWB)
    assert len(recs) == 12 and len(topics) == 15
    assert table.n_cells == 12 * 15
    f = table.frame.set_index(["area_code", "source_column"])
    for number, rec in enumerate(recs, start=1):
        code = rec["WijkenEnBuurten"].strip()
        for topic in topics:
            got = f.loc[(code, topic)]
            assert got["row"] == number
            if rec[topic] is None:  # TypedDataSet null: no figure
                assert got["status"] == "missing" and math.isnan(got["value"])
            else:
                assert got["status"] == "ok" and got["value"] == float(rec[topic])
    dimension = fixture_json(KWB / "WijkenEnBuurten.json")["value"]
    names = {n["Key"].strip(): n["Title"] for n in dimension}
    got_names = dict(zip(table.frame["area_code"], table.frame["area_name"], strict=True))
    assert got_names == names
    assert set(table.frame["period"]) == {"2024"}  # TableInfos.Period: the table has no Perioden
    assert table.boundary_year == 2024  # the geo dimension's MapYear
    assert table.source == "CBS, Kerncijfers wijken en buurten 2024"
    assert table.reader == "cbs_odata"
    assert "/ODataApi/odata/85984NED/TypedDataSet?$format=json&$filter=" in table.file


def test_request_order_and_filters() -> None:
    with ReplayServer.from_recording(KWB) as server:
        read(server)
        paths = [t.split("?")[0].rsplit("/", 1)[1] for t in server.requests]
        assert paths == [
            "TableInfos", "DataProperties", "WijkenEnBuurten", "TypedDataSet", "TypedDataSet"
        ]
        assert server.count(PAGE1) == 1
    assert municipality_filter("GM0363") == GM_FILTER[1:-1]
    assert municipality_filter(" gm0599 ", "Key").startswith("startswith(Key,'GM0599') or")


@pytest.mark.parametrize("code", ["WK036300", "GM36", "0363"])
def test_municipality_must_be_a_gemeente_code(code: str) -> None:
    with ReplayServer.from_recording(KWB) as server:
        with pytest.raises(DataError, match="needs a gemeente code such as GM0363"):
            read_odata_table(
                "85984NED", base_url=f"{server.base_url}/ODataApi/odata", municipality=code,
                settings=FAST,
            )
        assert server.requests == []


def test_same_download_same_sha256() -> None:
    with ReplayServer.from_recording(KWB) as server:
        first, second = read(server), read(server)
    assert first.sha256 == second.sha256 and len(first.sha256) == 64


def test_503_then_success_is_retried() -> None:
    body = (KWB / "TypedDataSet.2.json").read_bytes()
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE2, Reply(status=503, body=b"Service Unavailable"), Reply(body=body))
        table = read(server)
        assert server.count(PAGE2) == 2
    assert table.n_cells == 12 * 15


def test_persistent_failure_is_a_clear_error() -> None:
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE1, Reply(status=503))
        with pytest.raises(ODataError) as err:
            read(server)
        assert server.count(PAGE1) == 3  # the first attempt and two retries
    (problem,) = err.value.problems
    assert "TypedDataSet" in problem.file and GM_FILTER[:20] in problem.file.replace("%20", " ")
    assert problem.message == "no answer after 3 attempts; last: HTTP 503 Service Unavailable"


def test_timeout_is_retried_then_reported() -> None:
    slow = HttpSettings(timeout=0.3, retries=1, backoff=0.01, progress=False)
    with ReplayServer.from_recording(KWB) as server:
        server.replace(f"{ROOT}/TableInfos?$format=json", Reply(delay=2.0, body=b"{}"))
        start = time.monotonic()
        with pytest.raises(ODataError, match="no answer after 2 attempts") as err:
            read(server, settings=slow)
        assert time.monotonic() - start < 1.9
    assert "timed out" in str(err.value)


def test_connection_refused_is_reported() -> None:
    with ReplayServer() as server:
        base = server.base_url  # the port is free again once the server stops
    with pytest.raises(ODataError, match="connection failed"):
        read_odata_table(
            "85984NED", base_url=f"{base}/ODataApi/odata",
            settings=HttpSettings(timeout=1, retries=1, backoff=0.01, progress=False),
        )


def test_malformed_json_names_the_url_and_line() -> None:
    broken = b'{\n "odata.metadata": "x",\n "value": [\n  {"ID": 1216, "WijkenEnBuurten": '
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE2, Reply(body=broken))
        with pytest.raises(ODataError) as err:
            read(server)
    (problem,) = err.value.problems
    assert "skiptoken=1211" in problem.file and problem.row == 4
    assert problem.message.startswith("malformed JSON from the server: Expecting value (line 4")


def test_answer_without_value_list() -> None:
    with ReplayServer.from_recording(KWB) as server:
        server.replace(f"{ROOT}/DataProperties?$format=json", Reply.json({"error": "busy"}))
        with pytest.raises(ODataError, match="not an OData feed"):
            read(server)


def test_unknown_table_is_a_404_with_the_server_message() -> None:
    with ReplayServer.from_recording(KWB) as server, pytest.raises(ODataError) as err:
        read(server, table="99999NED")
    assert "HTTP 404" in str(err.value) and "Resource not found" in str(err.value)


def _with_extra_topic(server: ReplayServer) -> None:
    props = fixture_json(KWB / "DataProperties.json")
    props["value"].append(
        {"odata.type": "Cbs.OData.WebAPI.Topic", "ID": 99, "Position": 1, "ParentID": 5,
         "Type": "Topic", "Key": "Mannen_6", "Title": "Mannen", "Description": "",
         "Datatype": "Long", "Unit": "aantal", "Decimals": 0, "Default": "Impossible",
         "PresentationType": "Absolute"}
    )
    server.replace(f"{ROOT}/DataProperties?$format=json", Reply.json(props))


def test_unknown_topic_is_refused_before_the_download() -> None:
    with ReplayServer.from_recording(KWB) as server:
        _with_extra_topic(server)
        with pytest.raises(DataError) as err:
            read(server)
        assert not any("TypedDataSet" in t for t in server.requests)
    (problem,) = err.value.problems
    assert problem.column == "Mannen_6" and "--skip-unknown" in problem.message


def test_skip_unknown_selects_only_known_columns() -> None:
    keep = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3",
            "IndelingswijzigingWijkenEnBuurten_4", *numeric_topics(KWB)]
    select = f"&$select={','.join(keep)}"
    page1 = fixture_json(KWB / "TypedDataSet.1.json")
    page1["odata.nextLink"] = page1["odata.nextLink"] + select.replace("$", "%24")
    with ReplayServer.from_recording(KWB) as server:
        _with_extra_topic(server)
        server.add(PAGE1 + select, Reply.json(page1))
        server.add(PAGE2 + select, Reply(body=(KWB / "TypedDataSet.2.json").read_bytes()))
        table = read(server, skip_unknown=True)
        assert server.count(PAGE1 + select) == 1 and server.count(PAGE2 + select) == 1
    assert table.n_cells == 12 * 15 and "Mannen_6" not in set(table.frame["source_column"])


def test_full_page_without_next_link_continues_with_skip() -> None:
    page1 = fixture_json(KWB / "TypedDataSet.1.json")
    del page1["odata.nextLink"]
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE1, Reply.json(page1))
        server.add(f"{PAGE1}&$skip=5", Reply(body=(KWB / "TypedDataSet.2.json").read_bytes()))
        settings = HttpSettings(timeout=5, retries=0, page_limit=5, progress=False)
        table = read(server, settings=settings)
        assert server.count(f"{PAGE1}&$skip=5") == 1
    assert table.n_cells == 12 * 15


def test_rivm_age_groups_and_margins() -> None:
    with ReplayServer.from_recording(RIVM) as server:
        table = read(server, table="50090NED")
        data = next(t for t in server.requests if "TypedDataSet" in t)
        assert "Marges%20eq%20'MW00000'" in data
    recs, topics = records(RIVM), numeric_topics(RIVM)
    assert len(topics) == 35 and table.n_cells == len(recs) * 35
    f = table.frame.set_index(["area_code", "indicator"])
    cat = load_catalogue()
    for number, rec in enumerate(recs, start=1):
        suffix = {"20300": "", "80200": "_65plus"}[rec["Leeftijd"].strip()]
        for topic in topics:
            key = cat.lookup(topic).key + suffix  # type: ignore[union-attr]
            got = f.loc[(rec["WijkenEnBuurten"].strip(), key)]
            assert got["row"] == number and got["source_column"] == topic
            if rec[topic] is None:
                assert got["status"] == "missing"
            else:
                assert got["value"] == float(rec[topic])
    assert table.boundary_year == 2020 and set(table.frame["period"]) == {"2020"}
    assert table.source.startswith("RIVM/GGD'en/CBS, Gezondheidsmonitor Volwassenen en Ouderen")


def test_untyped_dataset_keeps_suppressed_apart_from_missing() -> None:
    """The UntypedDataSet holds CBS's padded text, with ``.`` where the TypedDataSet has null."""
    typed = fixture_json(RIVM / "TypedDataSet.json")
    topics = numeric_topics(RIVM)
    untyped = {"odata.metadata": typed["odata.metadata"].replace("Typed", "Untyped"), "value": []}
    for rec in typed["value"]:
        row = dict(rec)
        for topic in topics:
            row[topic] = "       ." if rec[topic] is None else f"{rec[topic]:8.1f}"
        untyped["value"].append(row)
    target = (
        "/ODataApi/odata/50090NED/UntypedDataSet?$format=json&$filter="
        f"{GM_FILTER} and Marges eq 'MW00000'"
    )
    with ReplayServer.from_recording(RIVM) as server:
        server.add(target, Reply.json(untyped))
        table = read(server, table="50090NED", dataset="UntypedDataSet")
    nulls = sum(1 for rec in typed["value"] for t in topics if rec[t] is None)
    assert nulls > 0 and (table.frame["status"] == "suppressed").sum() == nulls
    assert table.frame.loc[table.frame["status"] == "suppressed", "value"].isna().all()
    ok = table.frame[table.frame["status"] == "ok"]
    assert len(ok) == len(typed["value"]) * 35 - nulls


# ------------------------------------------------------------------------- database and CLI


def _counts(using: str) -> tuple[int, int, int]:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Observation

    return (
        Area.objects.using(using).count(), Observation.objects.using(using).count(),
        ImportBatch.objects.using(using).count(),
    )


@pytest.mark.django_db(databases="__all__")
def test_failed_download_leaves_the_database_unchanged(db_alias: str) -> None:
    from wijkbeeld.web.figures.store import store_table

    with ReplayServer.from_recording(RIVM) as server:
        store_table(read(server, table="50090NED"), using=db_alias)
    before = _counts(db_alias)
    assert before[1] == 8 * 35
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE2, Reply(body=b'{"value": [{"ID": 1'))
        with pytest.raises(ODataError):
            store_table(read(server), using=db_alias)
    assert _counts(db_alias) == before


def _cli(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    return subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", *args],
        env=env, cwd=db.parent, capture_output=True, text=True, timeout=300, check=False,
    )


def test_cli_import_odata_then_figures_show(tmp_path: Path) -> None:
    db = tmp_path / "odata.sqlite3"
    with ReplayServer.from_recording(KWB) as server:
        done = _cli(
            ["import", "odata", "85984NED", "--base-url", f"{server.base_url}/ODataApi/odata",
             "--municipality", "GM0363"], db,
        )
    assert done.returncode == 0, done.stderr
    assert "180 cijfers geïmporteerd" in done.stdout
    by_code = {r["WijkenEnBuurten"].strip(): r for r in records(KWB)}
    for code in ("GM0363", "BU0363AA01", "BU0363BA05"):
        shown = _cli(["figures", "show", code, "--json"], db)
        assert shown.returncode == 0, shown.stderr
        rows = {r["source_column"]: r for r in json.loads(shown.stdout)}
        assert set(rows) == set(numeric_topics(KWB))
        for topic, r in rows.items():
            expected = by_code[code][topic]
            assert r["value"] == (None if expected is None else float(expected)), (code, topic)
            assert r["status"] == ("missing" if expected is None else "ok")
            assert r["period"] == "2024" and r["area"] == code
            assert r["source"] == "CBS, Kerncijfers wijken en buurten 2024"


def test_cli_failed_download_exit_2_and_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "odata_fout.sqlite3"
    with ReplayServer.from_recording(KWB) as server:
        server.replace(PAGE2, Reply(body=b"<html>Bad gateway</html>"))
        done = _cli(
            ["import", "odata", "85984NED", "--base-url", f"{server.base_url}/ODataApi/odata",
             "--municipality", "GM0363"], db,
        )
    assert done.returncode == 2
    assert "niets geïmporteerd" in done.stderr and "malformed JSON" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM figures_observation").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM figures_importbatch").fetchone() == (0,)
