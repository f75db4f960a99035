"""The bulk read (``web.figures.bulk_read``) gives exactly what the cursor gives, on both engines.

The Den Haag wijk file (59,780 cells, values printed with 16-17 significant digits) is imported
for real: into PostgreSQL in-process (``COPY ... TO STDOUT`` on the test's own connection, inside
its transaction), and into a SQLite *file* by the ``wijkbeeld`` command in a subprocess (the ADBC
path needs a file and autocommit, which the in-memory test database never has). Values must come
back bit-for-bit, NULLs must stay NULL even when a column starts with thousands of them (the ADBC
driver guesses types from the first rows), and two cells are checked against the raw CSV by hand.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FILE = "haaglanden-wijken-zorg/df_count_ver_3.csv"
WIJKBEELD = Path(sys.executable).parent / "wijkbeeld"
#: (wijk, year, raw column) of two cells checked by hand: the first row and one in the middle.
CELLS = (("WK051801", "2009", "%_Gender_Vrouwen"), ("WK051834", "2016", "%_0to20"))

_NULL_PREFIX_SQL = (
    "SELECT id, CASE WHEN id <= 3000 THEN NULL ELSE value END AS value, period "
    "FROM figures_observation ORDER BY id"
)


def _raw_cells(raw: Path) -> dict[tuple[str, str, str], float]:
    with (raw / FILE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = {}
    for code, year, column in CELLS:
        row = next(r for r in rows if r["WKC"] == code and r["YEAR"] == year)
        out[(code, year, column)] = float(row[column])
    return out


@pytest.mark.django_db(databases="__all__", transaction=False)
def test_postgres_copy_equals_the_cursor(raw: Path) -> None:
    import pyarrow as pa
    from django.conf import settings
    from django.db import connections

    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.bulk_read import read_arrow
    from wijkbeeld.web.figures.loading import figures_frame
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    if "postgres" not in settings.DATABASES:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL not configured under CI")
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    catalogue = load_catalogue()
    table = read_figures(raw / FILE, catalogue=catalogue)
    for alias in ("default", "postgres"):
        sync_catalogue(catalogue, using=alias)
        store_table(table, who="test", using=alias)

    # A large import refreshes PostgreSQL's planner statistics at once (store._refresh_statistics).
    with connections["postgres"].cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'figures_observation'")
        (estimate,) = cursor.fetchone()
    assert abs(estimate - 59_780) < 0.05 * 59_780

    # The in-memory SQLite test database has no bulk path: the cursor reads it.
    assert read_arrow("SELECT 1 AS x", [], ["x"], {"x": pa.int64()}, "default") is None
    bulk = read_arrow(_NULL_PREFIX_SQL, [], ["id", "value", "period"],
                      {"id": pa.int64(), "value": pa.float64(), "period": pa.string()},
                      "postgres")
    assert bulk is not None
    with connections["postgres"].cursor() as cursor:
        cursor.execute(_NULL_PREFIX_SQL)
        rows = cursor.fetchall()
    assert bulk.num_rows == len(rows) == 59_780
    assert bulk.column("id").to_pylist() == [r[0] for r in rows]
    assert bulk.column("value").to_pylist() == [r[1] for r in rows]  # exact, None for NULL
    assert bulk.column("period").to_pylist() == [r[2] for r in rows]
    assert bulk.column("value").null_count == sum(r[1] is None for r in rows) >= 3000

    # The whole loader: PostgreSQL through COPY equals SQLite through the cursor.
    frames = {alias: figures_frame(using=alias).frame for alias in ("default", "postgres")}
    keys = ["area_code", "indicator", "period"]
    a, b = (f.astype({c: str for c in f.columns if f[c].dtype == "category"})
            .sort_values(keys).reset_index(drop=True) for f in frames.values())
    assert len(a) == len(b) == 59_780
    assert a.equals(b)
    for (code, year, column), expected in _raw_cells(raw).items():
        hit = b[(b["area_code"] == code) & (b["period"] == year) & (b["source_column"] == column)]
        assert hit["value"].tolist() == [expected]


_SQLITE_SCRIPT = r"""
import json, sys
import django
django.setup()
import pyarrow as pa
from django.db import connection, transaction
from wijkbeeld.web.figures.bulk_read import read_arrow
from wijkbeeld.web.figures.loading import figures_frame

sql = sys.argv[1]
types = {"id": pa.int64(), "value": pa.float64(), "period": pa.string()}
bulk = read_arrow(sql, [], ["id", "value", "period"], types)
with connection.cursor() as cursor:
    cursor.execute(sql)
    rows = cursor.fetchall()
with transaction.atomic():  # an open transaction: the loader must read through the cursor
    in_atomic = read_arrow(sql, [], ["id", "value", "period"], types)
    slow = figures_frame().frame
fast = figures_frame().frame
def plain(frame):
    frame = frame.astype({c: str for c in frame.columns if frame[c].dtype == "category"})
    return frame.sort_values(["area_code", "indicator", "period"]).reset_index(drop=True)
print(json.dumps({
    "bulk": bulk is not None, "in_atomic": in_atomic is not None,
    "same_rows": bulk is not None and bulk.to_pydict() == {
        "id": [r[0] for r in rows], "value": [r[1] for r in rows], "period": [r[2] for r in rows]},
    "nulls": sum(r[1] is None for r in rows),
    "frames_equal": plain(fast).equals(plain(slow)), "cells": len(fast),
    "values": {f"{c}|{y}|{k}": fast.loc[(fast["area_code"] == c) & (fast["period"] == y)
                                         & (fast["source_column"] == k), "value"].tolist()
               for c, y, k in json.loads(sys.argv[2])},
}))
"""


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_sqlite_file_adbc_equals_the_cursor(raw: Path, tmp_path: Path) -> None:
    pytest.importorskip("adbc_driver_sqlite")
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'bulk.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings"}
    _run([str(WIJKBEELD), "import", "figures", str(raw / FILE)], env, tmp_path)
    out = json.loads(_run([sys.executable, "-c", _SQLITE_SCRIPT, _NULL_PREFIX_SQL,
                           json.dumps(CELLS)], env, tmp_path))
    result: dict[str, Any] = out
    assert result["bulk"] is True  # a file in autocommit: the ADBC path
    assert result["in_atomic"] is False  # inside a transaction: never a second connection
    assert result["same_rows"] is True  # bit-for-bit, NULLs kept
    assert result["nulls"] >= 3000
    assert result["frames_equal"] is True
    assert result["cells"] == 59_780
    expected = _raw_cells(raw)
    for (code, year, column), value in expected.items():
        assert result["values"][f"{code}|{year}|{column}"] == [value]
