"""Import speed of the RIVM national workbook, beside the time pandas needs only to read it.

Prints (a) the time to read the RIVM 2020 18+ workbook (17,341 rows x 43 columns) with pandas,
with the default engine (openpyxl) and with calamine; (b) the time of the real import path
(``sync_catalogue`` + ``read_figures`` + ``store_table``: read, validate, store in one transaction)
into a fresh SQLite file and (c) into a fresh PostgreSQL database, with the time per phase; and
the ratio import / read. Target (issue 2): the import takes at most 2x the read time.

    .venv/bin/python benchmarks/import.py [WORKBOOK] [--repeat N]

Every run imports into a fresh database: a new SQLite file, a new PostgreSQL database created
from ``WIJKBEELD_BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``)
and dropped afterwards. Schema creation (migrations) is not timed: it happens once per database,
not per import. The machine's load average is printed, since other work inflates wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RAW = Path(os.environ.get("WIJKBEELD_RAW_DATA", ROOT.parent / "shared" / "data" / "raw"))
WORKBOOK = RAW / "rivm-gezondheidsmonitor-buurt" / "rivm_gezondheid_2020_18plus.xlsx"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs (the least disturbed by other load), and the result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _read_pandas(path: Path, engine: str) -> Any:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path, engine=engine, dtype=str)


def _pg_database(url: str) -> tuple[str, str] | None:
    """(url of a new temporary database, its name), or None when PostgreSQL is unreachable."""
    import psycopg

    name = f"wijkbeeld_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not available ({exc}); skipped", file=sys.stderr)
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_pg(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _import_once(path: Path, alias: str) -> dict[str, float]:
    """One import into an empty, freshly migrated database; seconds per phase and in total."""
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.figures.readers.typed_xlsx import read_typed_sheet
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    cpu = time.process_time()
    start = time.perf_counter()
    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=alias)
    t_sync = time.perf_counter()
    table = read_figures(path, catalogue=catalogue)
    t_read = time.perf_counter()
    result = store_table(table, who="benchmark", using=alias)
    end = time.perf_counter()
    cpu = time.process_time() - cpu
    assert result.created and result.cells == table.n_cells
    sheet_start = time.perf_counter()
    read_typed_sheet(path)
    sheet = time.perf_counter() - sheet_start
    return {
        "catalogue": t_sync - start,
        "read+validate": t_read - t_sync,
        "  of which sheet": sheet,
        "store": end - t_read,
        "total": end - start,
        "cpu": cpu,
        "cells": float(result.cells),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", nargs="?", type=Path, default=WORKBOOK)
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (best)")
    args = parser.parse_args()
    path: Path = args.workbook
    if not path.exists():
        print(f"workbook {path} not found", file=sys.stderr)
        return 1

    print(f"workbook: {path.name} ({path.stat().st_size / 1e6:.1f} MB), best of {args.repeat}")
    t_openpyxl, frame = _timed(lambda: _read_pandas(path, "openpyxl"), 1)
    t_calamine, _ = _timed(lambda: _read_pandas(path, "calamine"), args.repeat)
    print(f"(a) read only, pandas.read_excel engine=openpyxl (default): {t_openpyxl:7.2f} s")
    print(f"    read only, pandas.read_excel engine=calamine:           {t_calamine:7.2f} s")
    print(f"    ({frame.shape[0]} rows x {frame.shape[1]} columns)")

    tmp = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-"))
    os.environ["WIJKBEELD_DATABASE_URL"] = f"sqlite:///{tmp / 'unused.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"  # no query log in the timings
    pg_admin = os.environ.get("WIJKBEELD_BENCH_POSTGRES_URL", PG_DEFAULT)

    from django.conf import settings

    from wijkbeeld.web.settings import database_from_env

    # A fresh database for every run: new SQLite files, new PostgreSQL databases.
    sqlite = [f"sqlite_{i}" for i in range(args.repeat)]
    for alias in sqlite:
        settings.DATABASES[alias] = database_from_env(f"sqlite:///{tmp / alias}.sqlite3")
    pg_dbs: list[str] = []
    for i in range(args.repeat):
        made = _pg_database(pg_admin)
        if made is None:
            break
        settings.DATABASES[f"pg_{i}"] = database_from_env(made[0])
        pg_dbs.append(made[1])
    postgres = [f"pg_{i}" for i in range(len(pg_dbs))]
    import django
    from django.core.management import call_command

    django.setup()
    targets = [("(b) SQLite", sqlite)] + ([("(c) PostgreSQL", postgres)] if postgres else [])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"    (machine load average {load}; {os.cpu_count()} cores)")
    try:
        for label, aliases in targets:
            runs = []
            for alias in aliases:
                call_command("migrate", database=alias, verbosity=0, interactive=False)
                runs.append(_import_once(path, alias))
            best = min(runs, key=lambda r: r["total"])
            print(f"{label} import (read + validate + store), {int(best['cells'])} cells:"
                  f" {best['total']:7.2f} s  (CPU of this process {best['cpu']:.2f} s)")
            for phase in ("catalogue", "read+validate", "  of which sheet", "store"):
                print(f"      {phase:<18} {best[phase]:6.2f} s")
            print(f"    ratio import / read: {best['total'] / t_calamine:5.2f}x calamine, "
                  f"{best['total'] / t_openpyxl:5.2f}x openpyxl (target <= 2x)")
    finally:
        from django.db import connections

        connections.close_all()
        for name in pg_dbs:
            _drop_pg(pg_admin, name)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
