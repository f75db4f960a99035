"""``wijkbeeld export-table national``: every stored area of a level compared, one file per year,
the years on worker processes, from a real database file through the real command.

The Den Haag wijk series (2009-2022) is imported by ``wijkbeeld import figures`` into a SQLite
file (so the bulk read and the worker processes are used as in production); the command then
writes fourteen Parquet files. One z-score is recomputed by hand from the raw CSV, and broken
input (an output path that is a file, a year without figures) fails with a clear message and
writes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from denhaag_support import FILE, denhaag_z
from wijkbeeld.exports import read_metadata

WIJKBEELD = Path(sys.executable).parent / "wijkbeeld"

pytestmark = pytest.mark.slow


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(WIJKBEELD), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_national_export_writes_one_file_per_year(raw: Path, tmp_path: Path) -> None:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'nl.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings"}
    done = _run(["import", "figures", str(raw / FILE)], env, tmp_path)
    assert done.returncode == 0, done.stderr

    # Broken input first: nothing is written.
    (tmp_path / "a-file").write_text("x")
    done = _run(["export-table", "national", "--level", "district", "-o",
                 str(tmp_path / "a-file")], env, tmp_path)
    assert done.returncode == 2 and "is een bestand" in done.stderr
    done = _run(["export-table", "national", "--level", "district", "--years", "1999",
                 "-o", str(tmp_path / "out")], env, tmp_path)
    assert done.returncode == 1 and "1999" in done.stderr and "2009" in done.stderr
    assert not (tmp_path / "out").exists()

    done = _run(["export-table", "national", "--level", "district", "--workers", "2",
                 "-o", str(tmp_path / "out")], env, tmp_path)
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "out").glob("*.parquet"))
    assert [f.name for f in files] == [f"vergelijking-nl-district-{y}.parquet"
                                      for y in range(2009, 2023)]
    assert "14 van 14 jaren" in done.stdout

    path = tmp_path / "out" / "vergelijking-nl-district-2016.parquet"
    frame = pd.read_parquet(path)
    assert set(frame["period"]) == {"2016"} and set(frame["jaar"]) == {2016}
    row = frame[(frame["area_code"] == "WK051834") & (frame["source_column"] == "%_0to20")]
    assert row["z"].tolist() == pytest.approx([denhaag_z(raw, "WK051834", "2016", "%_0to20")],
                                              rel=1e-9)
    meta = read_metadata(path)
    assert meta["jaar"] == "2016" and "z-score" in meta["methode"].lower()
