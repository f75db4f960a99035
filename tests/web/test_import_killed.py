"""An import killed halfway (``kill -9``) leaves no partial batch, on SQLite and PostgreSQL.

``wijkbeeld import figures`` runs as a real subprocess on the Den Haag wijk file (59,780 cells)
against a fresh database. The test watches the database from outside and kills the process once
the batch is being written: on PostgreSQL when the importer's uncommitted transaction holds a
write lock on the observations table (``pg_locks``), on SQLite when its uncommitted observation
pages have spilled into the write-ahead log (the ``-wal`` file grows past 1 MB while the import
holds the write lock). Afterwards not one row of the batch is there (no ImportBatch, no
Observation, no area it created), and running the same command again imports everything.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FILE = "haaglanden-wijken-zorg/df_count_ver_3.csv"
WIJKBEELD = Path(sys.executable).parent / "wijkbeeld"
TABLES = ("figures_importbatch", "figures_observation", "areas_area")

pytestmark = pytest.mark.slow


def _start(db_url: str, file: Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url,
           "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings"}
    return subprocess.Popen([str(WIJKBEELD), "import", "figures", str(file)], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen[bytes], writing: Callable[[], bool],
               limit: float = 120) -> None:
    """Poll every 5 ms; kill -9 as soon as ``writing()``; fail if the import ends first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"import ended (exit {proc.returncode}) before it could be killed "
                        f"mid-batch: {out.decode()} {err.decode()}")
        if writing():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            assert proc.returncode == -signal.SIGKILL
            return
        time.sleep(0.005)
    proc.kill()
    pytest.fail("the import never started writing its batch")


def _rerun(db_url: str, file: Path, cwd: Path) -> str:
    proc = _start(db_url, file, cwd)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def _cells(output: str) -> int:
    # "…: 59780 cijfers van 70 gebieden geïmporteerd (batch 1, …)"
    return int(output.split(": ", 1)[1].split(" cijfers", 1)[0])


def test_killed_import_on_sqlite_leaves_nothing(raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    url = f"sqlite:///{db}"
    wal = Path(f"{db}-wal")
    proc = _start(url, raw / FILE, tmp_path)

    def writing() -> bool:
        if not wal.exists() or wal.stat().st_size < 1 << 20:
            return False
        probe = sqlite3.connect(db, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")  # fails while the import holds the write lock
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    _kill_when(proc, writing)
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert counts == dict.fromkeys(TABLES, 0)

    output = _rerun(url, raw / FILE, tmp_path)
    with sqlite3.connect(db) as conn:
        batches = conn.execute("SELECT COUNT(*), MAX(cells) FROM figures_importbatch").fetchone()
        observations = conn.execute("SELECT COUNT(*) FROM figures_observation").fetchone()[0]
    assert batches == (1, _cells(output))
    assert observations == _cells(output) > 50_000


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server (dropped afterwards)."""
    base = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("WIJKBEELD_TEST_POSTGRES_URL not set under CI")
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    import psycopg

    name = f"wijkbeeld_kill_{os.getpid()}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_killed_import_on_postgres_leaves_nothing(raw: Path, tmp_path: Path,
                                                  pg_database: str) -> None:
    import psycopg

    proc = _start(pg_database, raw / FILE, tmp_path)
    with psycopg.connect(pg_database, autocommit=True) as watch:

        def writing() -> bool:
            row = watch.execute(
                "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'figures_observation' AND l.mode = 'RowExclusiveLock' "
                "AND l.granted AND l.pid <> pg_backend_pid()").fetchone()
            return bool(row and row[0])

        _kill_when(proc, writing)
        # The server ends the killed client's transaction (rolled back) once it sees the socket
        # close; wait for that backend to go, then count what is committed.
        for _ in range(200):
            if not writing():
                break
            time.sleep(0.05)
        counts = {t: watch.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        assert counts == dict.fromkeys(TABLES, 0)

        output = _rerun(pg_database, raw / FILE, tmp_path)
        batches = watch.execute("SELECT COUNT(*), MAX(cells) FROM figures_importbatch").fetchone()
        observations = watch.execute("SELECT COUNT(*) FROM figures_observation").fetchone()
    assert batches == (1, _cells(output))
    assert observations is not None and observations[0] == _cells(output) > 50_000
