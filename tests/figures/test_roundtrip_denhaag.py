"""Round trip of the ELAN Den Haag series (2009-2022) through the real CLI and a real database.

``df_count_ver_3.csv`` (Den Haag region wijken, shares) and ``df_numeric_ver_6.csv`` (wijken of 22
gemeenten, means) are imported in one command. Wijken are drawn at random with a fixed seed and
every cell of each drawn wijk in both files (14 years x 72 columns for a Den Haag wijk) is
compared with ``wijkbeeld figures show --json``; expected values come from the csv module.
ELAN writes 0.0 for "not available": a (column, year) that is exactly 0 for every wijk of the file
(at least 5) must come back as missing, never as 0 (catalogue option ``all_zero_period``).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

HAAG = "haaglanden-wijken-zorg"
FILES = {"df_count_ver_3.csv": {"WKC", "GMN", "Wijknaam", "YEAR"},
         "df_numeric_ver_6.csv": {"WKC", "gem_name", "WKN", "YEAR"}}
SOURCE = "ELAN/LUMC wijkprofielen (CBS microdata)"
SEED = 20220101

Cells = dict[tuple[str, str], tuple[str, float | None]]


def all_zero_pairs(rows: list[dict[str, str]], meta: set[str]) -> set[tuple[str, str]]:
    """(column, year) pairs in which every wijk with a value (at least 5) holds exactly 0."""
    values: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        if r["WKC"].strip().endswith("--"):  # "Wijk onbekend" placeholder rows are skipped
            continue
        for col, text in r.items():
            if col not in meta and text.strip():
                values.setdefault((col, r["YEAR"].strip()), []).append(float(text))
    return {k for k, vs in values.items() if len(vs) >= 5 and all(v == 0 for v in vs)}


def expected_by_area(raw: Path) -> dict[str, Cells]:
    """wijk -> (column, year) -> (status, value), from both files, read with the csv module;
    the cells of an all-zero (column, year) are expected as missing."""
    out: dict[str, Cells] = {}
    for name, meta in FILES.items():
        with (raw / HAAG / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        zero = all_zero_pairs(rows, meta)
        for r in rows:
            cells = out.setdefault(r["WKC"].strip(), {})
            for col, text in r.items():
                if col in meta:
                    continue
                text = text.strip()
                key = (col, r["YEAR"].strip())
                cells[key] = (
                    ("missing", None) if text == "" or key in zero else ("ok", float(text))
                )
    return out


def draw_areas(expected: dict[str, Cells], raw: Path, n_both: int, n_numeric: int) -> list[str]:
    with (raw / HAAG / "df_count_ver_3.csv").open(encoding="utf-8", newline="") as fh:
        in_count = sorted({r["WKC"] for r in csv.DictReader(fh) if not r["WKC"].endswith("--")})
    others = sorted(set(expected) - set(in_count) - {"WK1916--"})
    rng = random.Random(SEED)
    return [*rng.sample(in_count, n_both), *rng.sample(others, n_numeric)]


def cli(args: list[str], db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    return subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )


def check_areas(areas: list[str], expected: dict[str, Cells], db_url: str, cwd: Path) -> int:
    checked = 0
    for area in areas:
        done = cli(["figures", "show", area, "--json"], db_url, cwd)
        assert done.returncode == 0, done.stderr
        records = json.loads(done.stdout)
        got = {(r["source_column"], r["period"]): r for r in records}
        assert len(got) == len(records) == len(expected[area]), area
        for key, (status, value) in expected[area].items():
            rec = got[key]
            assert (rec["status"], rec["value"]) == (status, value), (area, key)
            assert rec["source"] == SOURCE and rec["boundary_year"] == 2022
            checked += 1
    return checked


def _import(raw: Path, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return cli(["import", "figures", *(str(raw / HAAG / f) for f in FILES)], url, cwd)


def test_den_haag_round_trip_sqlite(raw: Path, tmp_path: Path) -> None:
    expected = expected_by_area(raw)
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    done = _import(raw, url, tmp_path)
    assert done.returncode == 0, done.stderr
    # The "Wijk onbekend" rows and the all-zero years are reported, not hidden.
    assert "placeholder code for an unknown area skipped: row 800 (WK1916--)" in done.stderr
    assert ("column '%_Employee' is exactly 0 for every area (70) in 2009, 2010: 'not available' "
            "written as 0; stored as not available (missing)") in done.stderr

    areas = draw_areas(expected, raw, n_both=4, n_numeric=2)
    checked = check_areas(areas, expected, url, tmp_path)
    assert checked == 4 * 14 * (61 + 11) + 2 * 14 * 11
    sampled = [cell for a in areas for cell in expected[a].values()]
    assert ("missing", None) in sampled  # empties (and all-zero years) come back null

    # A 2009 employee share: 0.0 in the file (meaning "not available"), stored as missing;
    # 2011 is the first year with a figure.
    done = cli(["figures", "show", areas[0], "--json", "--year", "2009"], url, tmp_path)
    employee = [r for r in json.loads(done.stdout) if r["source_column"] == "%_Employee"]
    assert [(r["value"], r["status"]) for r in employee] == [(None, "missing")]

    unknown = cli(["figures", "show", "WK1916--", "--json"], url, tmp_path)
    assert unknown.returncode == 1 and json.loads(unknown.stdout) == []


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


def test_den_haag_round_trip_postgres(raw: Path, tmp_path: Path, postgres_url: str) -> None:
    """PostgreSQL keeps the 17-digit shares exactly (double precision, COPY in text form)."""
    expected = expected_by_area(raw)
    done = _import(raw, postgres_url, tmp_path)
    assert done.returncode == 0, done.stderr
    areas = draw_areas(expected, raw, n_both=2, n_numeric=1)
    assert check_areas(areas, expected, postgres_url, tmp_path) == 2 * 14 * 72 + 14 * 11
