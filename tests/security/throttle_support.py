"""Parallel failed logins for one user, for the throttle race test (issue 18, finding 7).

Run as a script in a fresh process whose ``WIJKBEELD_DATABASE_URL`` names a new database (an SQLite
file with the production options, WAL and a busy timeout, or a new PostgreSQL database): the whole
login stack runs as in production (middleware, the login view, the authentication backends), with
the database as the only thing the requests share. ``N`` threads wait at a barrier and then post a
wrong password for the same user at once, each through its own test client and its own database
connection. Every call of ``ModelBackend.authenticate`` (the password check) is counted. Then one
more login with the right password. Prints one JSON line.
"""

from __future__ import annotations

import json
import threading
from typing import Any

N = 20
USER = "piet"
PASSWORD = "juist-wachtwoord-9"


def main() -> None:
    from wijkbeeld.web.bootstrap import ensure_database

    ensure_database()
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.db import connections
    from django.db.models import Sum
    from django.test import Client, override_settings

    # A fast hasher: the test is about counting, not about Argon2's cost on a busy machine.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    get_user_model().objects.create_user(USER, password=PASSWORD, role="viewer")
    connections["default"].close()

    checked: list[str | None] = []
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counting(self: ModelBackend, request: Any, username: str | None = None,
                 password: str | None = None, **kwargs: Any) -> Any:
        with lock:
            checked.append(password)
        return original(self, request, username, password, **kwargs)

    ModelBackend.authenticate = counting  # type: ignore[method-assign]
    barrier = threading.Barrier(N)
    statuses: list[int | str] = ["not run"] * N

    def attempt(i: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=60)
            statuses[i] = client.post("/inloggen/", {"username": USER,
                                                     "password": f"fout-{i}"}).status_code
        except Exception as exc:  # reported, not raised: the test shows what went wrong
            statuses[i] = f"{type(exc).__name__}: {exc}"
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    stored = AccessAttempt.objects.filter(username=USER).aggregate(n=Sum("failures_since_start"))
    parallel_checks = len(checked)
    right = Client().post("/inloggen/", {"username": USER, "password": PASSWORD}).status_code
    print(json.dumps({"limit": settings.AXES_FAILURE_LIMIT, "checks": parallel_checks,
                      "checks_after": len(checked) - parallel_checks, "statuses": statuses,
                      "stored": stored["n"], "right_password": right,
                      "vendor": connections["default"].vendor}))


if __name__ == "__main__":
    main()
