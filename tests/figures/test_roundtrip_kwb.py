"""Round trip through the real CLI and a real database: every figure of the Amsterdam KWB 2024
file comes back from ``wijkbeeld figures show --json`` as it is in the raw file.

Expected values are read here with the csv module (decimal commas converted; an empty cell is
missing with value null, never 0). Areas are drawn at random with a fixed seed and every cell of
each drawn area is compared (15 areas x 20 figures = 300 cells), one ``figures show`` per area.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

KWB = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
META = ("District_Type", "Municipality_Name", "Area_Code")
SOURCE = "CBS, Kerncijfers wijken en buurten"
SEED = 20240628

Expected = dict[str, dict[str, tuple[str, float | None]]]


def expected_by_area(path: Path) -> tuple[Expected, dict[str, str]]:
    """area -> column -> (status, value), and area -> name, read with the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out: Expected = {}
    names: dict[str, str] = {}
    for r in rows:
        code = r["Area_Code"].strip()
        names[code] = r["District_Type"].strip()
        cells: dict[str, tuple[str, float | None]] = {}
        for col, text in r.items():
            if col in META:
                continue
            text = text.strip()
            if text == "":
                cells[col] = ("missing", None)
            elif text == ".":
                cells[col] = ("suppressed", None)
            else:
                cells[col] = ("ok", float(text.replace(",", ".")))
        out[code] = cells
    return out, names


def draw_areas(codes: list[str], n_wk: int, n_bu: int) -> list[str]:
    rng = random.Random(SEED)
    wk = sorted(c for c in codes if c.startswith("WK"))
    bu = sorted(c for c in codes if c.startswith("BU"))
    return ["GM0363", *rng.sample(wk, n_wk), *rng.sample(bu, n_bu)]


def cli(args: list[str], db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    return subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )


def check_areas(areas: list[str], expected: Expected, names: dict[str, str], db_url: str,
                cwd: Path) -> int:
    """Compare every cell of each area with ``figures show --json``; returns cells checked."""
    checked = 0
    for area in areas:
        done = cli(["figures", "show", area, "--json"], db_url, cwd)
        assert done.returncode == 0, done.stderr
        records = json.loads(done.stdout)
        got = {r["source_column"]: r for r in records}
        assert len(got) == len(records) == len(expected[area]), area
        for col, (status, value) in expected[area].items():
            rec = got[col]
            assert (rec["area"], rec["period"], rec["status"], rec["value"]) == (
                area, "2024", status, value
            ), (area, col)
            assert rec["source"] == SOURCE and rec["boundary_year"] == 2024
            assert rec["area_name"] == names[area]
            checked += 1
    return checked


def sqlite_counts(db: Path) -> list[int]:
    with sqlite3.connect(db) as conn:
        return [
            int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
            for t in ("areas_area", "figures_observation", "figures_importbatch")
        ]


def test_kwb_2024_round_trip_sqlite(raw: Path, tmp_path: Path) -> None:
    path = raw / KWB
    expected, names = expected_by_area(path)
    n_cells = sum(len(c) for c in expected.values())
    db = tmp_path / "x.sqlite3"
    url = f"sqlite:///{db}"

    done = cli(["import", "figures", str(path)], url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{n_cells} cijfers van {len(expected)} gebieden" in done.stdout
    assert sqlite_counts(db) == [len(expected), n_cells, 1]

    areas = draw_areas(list(expected), n_wk=4, n_bu=10)
    assert check_areas(areas, expected, names, url, tmp_path) == 300
    statuses = [s for a in areas for s, _ in expected[a].values()]
    assert "missing" in statuses  # the sample includes empty cells, which must come back null

    # Importing the same file again changes nothing: same counts, still one batch.
    again = cli(["import", "figures", str(path)], url, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "al eerder geïmporteerd" in again.stdout
    assert sqlite_counts(db) == [len(expected), n_cells, 1]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database for one CLI round trip, dropped afterwards."""
    base = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    psycopg = pytest.importorskip("psycopg")
    name = f"wijkbeeld_rt_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_kwb_2024_round_trip_postgres(raw: Path, tmp_path: Path, postgres_url: str) -> None:
    import psycopg

    path = raw / KWB
    expected, names = expected_by_area(path)
    n_cells = sum(len(c) for c in expected.values())
    done = cli(["import", "figures", str(path)], postgres_url, tmp_path)
    assert done.returncode == 0, done.stderr
    areas = draw_areas(list(expected), n_wk=1, n_bu=3)
    assert check_areas(areas, expected, names, postgres_url, tmp_path) == 5 * 20
    again = cli(["import", "figures", str(path)], postgres_url, tmp_path)
    assert again.returncode == 0 and "al eerder geïmporteerd" in again.stdout
    with psycopg.connect(postgres_url) as conn:
        counts = tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("areas_area", "figures_observation", "figures_importbatch")
        )
    assert counts == (len(expected), n_cells, 1)
