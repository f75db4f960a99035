"""Acceptance: the whole RIVM 2020 18+ national workbook (17,341 rows) through the real CLI into a
real SQLite and a real PostgreSQL database, and back out with ``wijkbeeld figures show --json``.

The expected numbers are read here with openpyxl in read-only mode: the number of areas and cells,
the ``.`` cells (suppressed, value null, never 0), the empty cells (missing), and the value of
every cell of 40 areas drawn at random with a fixed seed (40 x 35 = 1,400 cells), one
``figures show`` per area. One import per database per test session (module-scoped fixture).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openpyxl
import pytest

pytestmark = pytest.mark.slow

WORKBOOK = "rivm-gezondheidsmonitor-buurt/rivm_gezondheid_2020_18plus.xlsx"
META = 8  # ID .. Codering_3; the 35 indicators follow
SOURCE = "RIVM/GGD'en/CBS, Gezondheidsmonitor Volwassenen en Ouderen"
SEED = 20200618


@dataclass(frozen=True)
class Sheet:
    """The workbook as openpyxl reads it: header and, per area code, its sheet row and cells."""

    header: list[str]
    rows: dict[str, tuple[int, list[Any]]]
    dots: int
    empties: int


@pytest.fixture(scope="module")
def sheet(raw: Path) -> Sheet:
    book = openpyxl.load_workbook(raw / WORKBOOK, read_only=True, data_only=True)
    try:
        it = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h) for h in next(it)]
        rows: dict[str, tuple[int, list[Any]]] = {}
        dots = empties = 0
        for number, values in enumerate(it, start=2):
            cells = list(values[META:])
            rows[str(values[3]).strip()] = (number, cells)
            dots += sum(1 for c in cells if c is not None and str(c).strip() == ".")
            empties += sum(1 for c in cells if c is None or str(c).strip() == "")
    finally:
        book.close()
    return Sheet(header, rows, dots, empties)


def cli(args: list[str], db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    return subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=900, check=False,
    )


@dataclass(frozen=True)
class Imported:
    kind: str
    url: str
    cwd: Path
    stdout: str

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.kind == "sqlite":
            with sqlite3.connect(urlsplit(self.url).path) as conn:
                return list(conn.execute(sql).fetchall())
        import psycopg

        with psycopg.connect(self.url) as conn:
            return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]

    def count(self, sql: str) -> int:
        return int(self.query(sql)[0][0])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def imported(
    request: pytest.FixtureRequest, raw: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Imported]:
    cwd = tmp_path_factory.mktemp(f"rivm_{request.param}")
    admin = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL")
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{cwd / 'x.sqlite3'}"
    else:
        if not admin:
            pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
        import psycopg

        name = f"wijkbeeld_rivm_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    try:
        done = cli(["import", "figures", str(raw / WORKBOOK)], url, cwd)
        assert done.returncode == 0, done.stderr
        yield Imported(request.param, url, cwd, done.stdout)
    finally:
        if name and admin:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def test_every_area_and_cell_is_stored(imported: Imported, sheet: Sheet) -> None:
    n_areas = len(sheet.rows)
    n_indicators = len(sheet.header) - META
    assert (n_areas, n_indicators) == (17341, 35)
    assert f"{n_areas * n_indicators} cijfers van {n_areas} gebieden" in imported.stdout
    assert imported.count("SELECT count(*) FROM areas_area") == n_areas
    assert imported.count("SELECT count(*) FROM areas_area WHERE boundary_year = 2020") == n_areas
    assert imported.count("SELECT count(*) FROM figures_observation") == n_areas * n_indicators
    suppressed = "SELECT count(*) FROM figures_observation WHERE status = 'suppressed'"
    assert imported.count(suppressed) == sheet.dots
    missing = "SELECT count(*) FROM figures_observation WHERE status = 'missing'"
    assert imported.count(missing) == sheet.empties
    # Nothing that is not a figure holds a number: suppressed and missing are NULL, never 0.
    not_ok = "SELECT count(*) FROM figures_observation WHERE status <> 'ok' AND value IS NOT NULL"
    assert imported.count(not_ok) == 0
    batch = imported.query("SELECT source, cells, rows, boundary_year FROM figures_importbatch")
    assert batch == [(SOURCE, n_areas * n_indicators, n_areas, 2020)]
    # Parents are linked: every buurt lies in a stored wijk, every wijk in a stored gemeente.
    orphans = (
        "SELECT count(*) FROM areas_area WHERE parent_id IS NULL AND level IN "
        "('district', 'neighbourhood')"
    )
    assert imported.count(orphans) == 0


def draw_areas(codes: list[str]) -> list[str]:
    rng = random.Random(SEED)
    by_level = {p: sorted(c for c in codes if c.startswith(p)) for p in ("GM", "WK", "BU")}
    return ["NL01", *rng.sample(by_level["GM"], 4), *rng.sample(by_level["WK"], 10),
            *rng.sample(by_level["BU"], 25)]


def expected(cell: Any) -> tuple[str, float | None]:
    text = "" if cell is None else str(cell).strip()
    if text == "":
        return "missing", None
    if text == ".":
        return "suppressed", None
    return "ok", float(text)


def test_random_cells_come_back_from_figures_show(imported: Imported, sheet: Sheet) -> None:
    areas = draw_areas(list(sheet.rows))
    columns = sheet.header[META:]
    def show(area: str) -> subprocess.CompletedProcess[str]:
        return cli(["figures", "show", area, "--json"], imported.url, imported.cwd)

    # The first alone: every command migrates a database that is behind, and two processes
    # migrating at once would collide. The rest two at a time (the machine has two cores).
    shown = [show(areas[0])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        shown += list(pool.map(show, areas[1:]))
    checked = 0
    statuses: set[str] = set()
    for area, done in zip(areas, shown, strict=True):
        assert done.returncode == 0, done.stderr
        records = {r["source_column"]: r for r in json.loads(done.stdout)}
        assert set(records) == set(columns), area
        _, cells = sheet.rows[area]
        for column, cell in zip(columns, cells, strict=True):
            r = records[column]
            status, value = expected(cell)
            assert (r["status"], r["value"]) == (status, value), (area, column, cell)
            assert r["area"] == area and r["period"] == "2020" and r["boundary_year"] == 2020
            assert r["source"] == SOURCE
            statuses.add(status)
            checked += 1
    assert checked == 40 * 35
    assert statuses == {"ok", "suppressed", "missing"}  # the draw covers every kind of cell
