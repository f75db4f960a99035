"""Acknowledged means stored (issue 18, finding 9): the light version of
``benchmarks/stress.py`` in CI.

Three runs of 50 respondents at once through gunicorn (several workers and threads, as the
README runs it), on SQLite and on PostgreSQL (both engines at the same time, in two processes,
to stay fast; each against its own fresh database). Every "thank you" (the redirect to step 2)
is counted against the stored answers: the test fails on any acknowledged respondent without a
stored response (lost), any invitation with two responses or a response without exactly one
answer per theme (duplicated), stored answers that are not the first acknowledged ones, a 500,
a stack trace, or a respondent never acknowledged. The full stress (20 runs of 50 per engine,
a fresh server per run) is ``benchmarks/stress.py``; its figures are in docs/operations.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRESS = ROOT / "benchmarks" / "stress.py"
RUNS, RESPONDENTS = 3, 50


def _admin_url() -> str:
    """The maintenance database on the test PostgreSQL server (the script makes its own)."""
    url = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL", "")
    if not url:
        # conftest makes a missing PostgreSQL a failure under CI; elsewhere it may be absent.
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    return url.rsplit("/", 1)[0] + "/postgres"


def test_every_acknowledged_answer_is_stored_once_on_both_engines(raw: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings",
           "WIJKBEELD_RAW_DATA": str(raw), "PYTHONUNBUFFERED": "1"}
    common = ["--runs", str(RUNS), "--respondents", str(RESPONDENTS), "--one-server",
              "--workers", "3", "--threads", "2", "--time-limit", "90"]
    procs = {
        engine: subprocess.Popen(
            [sys.executable, str(STRESS), "--engine", engine, *common, *extra],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for engine, extra in (("sqlite", []), ("postgres", ["--pg-url", _admin_url()]))
    }
    summaries = {}
    for engine, proc in procs.items():
        out, _ = proc.communicate(timeout=300)
        lines = [x for x in out.splitlines() if x.startswith("STRESS ")]
        assert lines, f"{engine}: no summary\n{out[-3000:]}"
        summaries[engine] = (proc.returncode, json.loads(lines[-1].removeprefix("STRESS ")), out)
    for engine, (code, got, out) in summaries.items():
        assert (got["runs"], got["lost"], got["duplicated"], got["failures"]) == (
            RUNS, 0, 0, 0), f"{engine}: {got}\n{out[-3000:]}"
        # Every respondent acknowledged, and exactly one stored response for each.
        assert got["acknowledged"] == got["stored"] == RUNS * RESPONDENTS, (engine, got)
        assert got["workers"] > 1 and got["threads"] > 1
        assert code == 0, out[-3000:]
