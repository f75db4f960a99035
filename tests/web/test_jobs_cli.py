"""Queueing an import from the command line (issue 10): ``wijkbeeld import figures FILE --queue``
checks the file and options, queues a job and exits; ``wijkbeeld worker --once`` runs it;
``wijkbeeld worker status [N]`` shows the jobs and their progress.

The round trip runs the real ``wijkbeeld`` command as subprocesses against a fresh SQLite file
and a fresh PostgreSQL database, on the raw ELAN series of the Haaglanden wijken (59,780
figures); every stored figure is compared with the file as read by the csv module. Broken input
(a missing file or mapping, a bad cell) is run in-process on the test database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_jobs_import import BAD_CSV, SERIES, Cells, series_cells

from wijkbeeld.cli import main as wijkbeeld_main

CELLS_SQL = ("SELECT a.code, o.source_column, o.period, o.status, o.value "
             "FROM figures_observation o JOIN areas_area a ON a.id = o.area_id")


def cli(args: list[str], db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": db_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    return subprocess.run([sys.executable, "-m", "wijkbeeld.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database, dropped afterwards."""
    base = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("WIJKBEELD_TEST_POSTGRES_URL not set under CI")
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    import psycopg

    name = f"wijkbeeld_jobs_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cells(db_url: str) -> Cells:
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(CELLS_SQL).fetchall()
    else:
        import psycopg

        with psycopg.connect(db_url) as conn:
            rows = conn.execute(CELLS_SQL).fetchall()
    return {(a, c, p): (s, v) for a, c, p, s, v in rows}


def _round_trip(raw: Path, db_url: str, cwd: Path) -> None:
    source = raw / SERIES
    queued = cli(["import", "figures", str(source), "--queue"], db_url, cwd)
    assert queued.returncode == 0, queued.stderr
    assert f"{source}: in de wachtrij als taak 1" in queued.stdout
    assert "/taken/" in queued.stdout and "wijkbeeld worker status" in queued.stdout
    assert _cells(db_url) == {}  # queued, not imported

    listed = cli(["worker", "status"], db_url, cwd)
    assert listed.returncode == 0, listed.stderr
    [line] = [x for x in listed.stdout.splitlines() if x.split()[0] == "1"]
    assert line.split()[1:4] == ["import_figures", "queued", "-"]

    ran = cli(["worker", "--once"], db_url, cwd)
    assert ran.returncode == 0, ran.stderr
    assert "1 taken uitgevoerd" in ran.stdout and "taak 1 (import_figures): done" in ran.stderr

    shown = cli(["worker", "status", "1"], db_url, cwd)
    assert shown.returncode == 0, shown.stderr
    first = shown.stdout.splitlines()[0].split()
    assert first[:5] == ["1", "import_figures", "done", "3/3", "100%"]
    assert "59780 cijfers van 70 gebieden" in shown.stdout
    assert f"bestand: {source}" in shown.stdout

    expected = series_cells(source)
    assert len(expected) == 59780
    assert _cells(db_url) == expected
    assert source.exists()  # a file queued from the command line stays where it is
    assert cli(["worker", "status", "9"], db_url, cwd).returncode == 1


def test_queue_and_worker_on_sqlite(raw: Path, tmp_path: Path) -> None:
    _round_trip(raw, f"sqlite:///{tmp_path / 'jobs.sqlite3'}", tmp_path)


def test_queue_and_worker_on_postgres(raw: Path, tmp_path: Path, postgres_url: str) -> None:
    _round_trip(raw, postgres_url, tmp_path)


@pytest.mark.django_db
def test_queue_refuses_bad_options_and_a_bad_cell_fails_the_job(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.jobs.models import Job

    missing = tmp_path / "weg.csv"
    assert wijkbeeld_main(["import", "figures", str(missing), "--queue"]) == 2
    assert f"{missing}: file not found" in capsys.readouterr().err
    bad = tmp_path / "kapot.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    assert wijkbeeld_main(["import", "figures", str(bad), "--queue",
                           "--mapping", str(tmp_path / "geen.toml")]) == 2
    assert "geen.toml: file not found" in capsys.readouterr().err
    broken = tmp_path / "kapot.toml"
    broken.write_text("code_column = [", encoding="utf-8")
    assert wijkbeeld_main(["import", "figures", str(bad), "--queue",
                           "--mapping", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "kapot.toml" in err and "not valid TOML" in err
    assert not Job.objects.exists()  # nothing queued for bad options

    assert wijkbeeld_main(["import", "figures", str(bad), "--queue", "--skip-unknown"]) == 0
    job = Job.objects.get()
    assert job.parameters == {"path": str(bad.resolve()), "mapping": None, "catalogue": [],
                              "skip_unknown": True, "who": "cli"}
    assert job.municipality == "" and job.created_by is None
    capsys.readouterr()
    assert wijkbeeld_main(["worker", "--once"]) == 0
    job.refresh_from_db()
    assert job.status == "failed"
    assert f"{bad.resolve()}, row 3, column 'Total_Population'" in job.error
    assert not Observation.objects.exists() and bad.exists()
    capsys.readouterr()
    assert wijkbeeld_main(["worker", "status", str(job.pk)]) == 0
    out = capsys.readouterr().out
    assert out.split()[:3] == [str(job.pk), "import_figures", "failed"]
    assert "  fout:\n    DataError: " in out and "row 3, column 'Total_Population'" in out
