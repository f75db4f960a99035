"""Concurrent submissions with one token, for the race test.

:func:`race` starts ``n`` threads that wait at a barrier and then call ``submit_response`` with
the same token at once, each with its own answers; every thread has its own database connection
(Django connections are per thread). :func:`main` runs the same race in a fresh process against
a file-based SQLite database with the production settings (WAL, 30 s busy timeout): the
pytest-django SQLite test database is in memory with a shared cache, where concurrent writers get
"table is locked" at once instead of waiting, which is not how wijkbeeld runs.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import date

from django.db import connections

THREADS = 8


def submission(i: int) -> tuple[int | None, int]:
    """The distinct (veiligheid, wonen) ratings of thread ``i``."""
    return (None if i == 0 else (i - 1) % 5 + 1, 5 - i % 5)


def race(token: str, using: str, n: int = THREADS) -> list[str]:
    """Submit with ``token`` from ``n`` threads at once; per thread 'created', 'replaced' or the
    error it raised."""
    from wijkbeeld.web.urgency.services import ThemeAnswer, submit_response

    barrier = threading.Barrier(n)
    results = ["not run"] * n

    def work(i: int) -> None:
        v, w = submission(i)
        try:
            barrier.wait(timeout=30)
            done = submit_response(
                token, [ThemeAnswer("veiligheid", v, "ja"), ThemeAnswer("wonen", w, "nee")],
                using=using)
            results[i] = "replaced" if done.replaced else "created"
        except Exception as exc:
            results[i] = f"{type(exc).__name__}: {exc}"
        finally:
            connections[using].close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def state(using: str) -> dict[str, object]:
    """Responses, answers and invitations after the race."""
    from wijkbeeld.web.urgency.models import Answer, Invitation, Response

    return {
        "responses": Response.objects.using(using).count(),
        "answers": sorted(
            [t, r] for t, r in Answer.objects.using(using).values_list("theme", "rating")),
        "used": Invitation.objects.using(using).filter(used_at__isnull=False).count(),
    }


def main() -> None:
    """In a fresh process (``WIJKBEELD_DATABASE_URL`` = a new SQLite file): set up a round with
    one invitation, race, print the results and the state as JSON."""
    from wijkbeeld.web.bootstrap import ensure_database

    ensure_database()
    from wijkbeeld.web.figures.store import ensure_areas
    from wijkbeeld.web.urgency.services import create_invitations, open_round

    code, name = sys.argv[1], sys.argv[2]
    ensure_areas([("GM0363", "Amsterdam"), (code, name)], 2024)
    rnd = open_round("race", [code], ["veiligheid", "wonen"], date(2024, 4, 1))
    token = create_invitations(rnd, "residents")[0]
    connections["default"].close()
    results = race(token, "default")
    print(json.dumps({"results": results, **state("default")}))


if __name__ == "__main__":
    main()
