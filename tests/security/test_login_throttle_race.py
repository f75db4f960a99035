"""The login throttle holds under parallel requests (issue 18, finding 7), on SQLite and PostgreSQL.

Twenty wrong passwords for one user arrive at the same moment. Before the fix every one of them
passed the lock-out check before any failure was stored, so up to 20 reached the password check
where the limit is 5. Now each attempt is counted atomically before the password is checked:
exactly ``limit`` (5) attempts reach the password check, the other 15 are refused with the
lock-out page (429) without a check, the stored count is 20 (every attempt), and the right password
afterwards is refused too without a check.

Both engines run in a fresh process on a fresh database (``throttle_support.py``): the SQLite file
with WAL and a busy timeout as wijkbeeld runs it (the pytest-django SQLite database is in memory,
where a second writer fails at once), PostgreSQL as a new database on the test server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _run(db_url: str, cwd: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(WIJKBEELD_DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="wijkbeeld.web.settings",
               WIJKBEELD_ALLOWED_HOSTS="testserver", WIJKBEELD_DEBUG="0",
               WIJKBEELD_LOGIN_FAILURE_LIMIT="5")
    done = subprocess.run([sys.executable, str(HERE / "throttle_support.py")], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _postgres(tmp_path: Path) -> dict[str, object]:
    import psycopg

    admin = os.environ["WIJKBEELD_TEST_POSTGRES_URL"]
    name = f"wijkbeeld_throttle_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run(admin.rsplit("/", 1)[0] + "/" + name, tmp_path)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_parallel_failed_logins_reach_the_password_check_only_limit_times(
        db_alias: str, tmp_path: Path) -> None:
    if db_alias == "default":
        outcome = _run(f"sqlite:///{tmp_path / 'throttle.sqlite3'}", tmp_path)
        assert outcome["vendor"] == "sqlite"
    else:
        outcome = _postgres(tmp_path)
        assert outcome["vendor"] == "postgresql"
    statuses = outcome["statuses"]
    assert isinstance(statuses, list)
    assert all(s in (200, 429) for s in statuses), statuses
    assert outcome["limit"] == 5
    assert outcome["checks"] == 5, outcome  # exactly the limit reached the password check
    assert statuses.count(429) >= 20 - 5, outcome  # the rest were refused
    assert outcome["stored"] == 20, outcome  # every attempt counted, none lost
    # Locked out: the right password is refused, without a password check.
    assert outcome["right_password"] == 429
    assert outcome["checks_after"] == 0


@pytest.mark.django_db
def test_a_refused_attempt_never_reaches_the_password_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.test import Client

    get_user_model().objects.create_user("kees", password="juist-wachtwoord-9", role="viewer")
    checks: list[str] = []
    original = ModelBackend.authenticate

    def counting(self: ModelBackend, request: object, username: str | None = None,
                 password: str | None = None, **kwargs: object) -> object:
        checks.append(str(password))
        return original(self, request, username, password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    codes = [client.post("/inloggen/", {"username": "kees", "password": f"fout-{i}"}).status_code
             for i in range(limit + 3)]
    assert codes == [200] * (limit - 1) + [429] * 4
    assert len(checks) == limit
