"""Concurrent submissions with the same token leave exactly one response (issue 6), on SQLite and
PostgreSQL.

Eight threads submit different answers with one token at the same moment (a barrier). Every
submission must succeed: the first creates the response, the others replace its answers one
after the other. A submission that raced past the lock would either fail on the unique
constraint (IntegrityError) or leave answers of two submissions mixed; both are checked.

* PostgreSQL: threads in this process (``transaction=True``, so they see each other's commits),
  each with its own connection to the test database.
* SQLite: the pytest-django SQLite test database lives in memory with a shared cache, where a
  second writer fails at once with "table is locked" instead of waiting; wijkbeeld runs SQLite as
  a file with WAL and a busy timeout. So the SQLite race runs in a fresh process
  (``race_support.py``) on a new file database with the production settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from race_support import THREADS, race, state, submission
from urgency_web_support import invite, kwb_wijken, make_round

HERE = Path(__file__).resolve().parent


def sqlite_race(raw: Path, tmp_path: Path) -> dict[str, object]:
    db = tmp_path / "race.sqlite3"
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings",
           "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    code = "WK0363AF"
    done = subprocess.run(
        [sys.executable, str(HERE / "race_support.py"), code, kwb_wijken(raw)[code]],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_concurrent_submissions_leave_exactly_one_response(
    raw: Path, db_alias: str, tmp_path: Path
) -> None:
    if db_alias == "default":
        outcome = sqlite_race(raw, tmp_path)
        results = outcome["results"]
    else:
        rnd = make_round(raw, using=db_alias)
        token = invite(rnd, using=db_alias)[0]
        results = race(token, db_alias)
        outcome = state(db_alias)
    assert isinstance(results, list)
    assert sorted(results) == ["created"] + ["replaced"] * (THREADS - 1), results
    assert outcome["responses"] == 1
    assert outcome["used"] == 1
    # The answers are those of one submission, never a mix of two.
    stored = {t: r for t, r in outcome["answers"]}  # type: ignore[attr-defined]
    assert len(stored) == 2
    assert (stored["veiligheid"], stored["wonen"]) in {submission(i) for i in range(THREADS)}
