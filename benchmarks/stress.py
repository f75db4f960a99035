"""Stress test: acknowledged means stored, over many repeated load runs (issue 18, finding 9).

One load run (``benchmarks/load.py``) held on SQLite six times in a row; once in ten, 5 of 50
respondents got the "thank you" (the redirect to step 2) without a stored answer. A rare loss
needs repetition to show, so this script repeats the load run ``--runs`` times per database
engine and counts every acknowledgement against the stored answers. Everything is reused from
``load.py`` (database set-up, gunicorn, the respondents, the check); per engine:

1. a fresh database (PostgreSQL: ``wijkbeeld_stress_<pid>`` on the server of ``--pg-url``,
   dropped at the end; SQLite: a file in a temporary folder), migrated once;
2. per run: a new round with ``--respondents`` invitations in that database, a freshly started
   gunicorn (the README's command, ``--workers`` x ``--threads``, DEBUG off, loopback only; with
   ``--one-server`` one server serves every run), all respondents released at once (some send
   twice, some two at the same moment, as in ``load.py``), the server stopped, and the database
   checked.

Per engine it prints: runs, acknowledged (respondents who got the "thank you"), acknowledged
submissions, stored (responses in the database), lost (acknowledged, not stored), duplicated
(more than one response for an invitation, or a response without exactly one answer per theme),
and further failures (stored answers that are not the first acknowledged ones, never
acknowledged, 500s, stack traces). The last line of each engine's output is one JSON object
(``STRESS {...}``) for the CI test (``tests/web/test_stress.py``). Exits 1 on any failure.

    .venv/bin/python benchmarks/stress.py                        # 20 runs of 50, both engines
    .venv/bin/python benchmarks/stress.py --engine sqlite --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # benchmarks/load.py, beside this file (on sys.path above)

ENGINES = ("sqlite", "postgres")
LOST = "LOST: acknowledged but not stored"
DUPLICATE_KEYS = ("DUPLICATE responses for one invitation",
                  "DUPLICATE or missing answers in a response")
COLUMNS = ("runs", "acknowledged", "submissions", "stored", "lost", "duplicated", "failures")


def _load_args(args: argparse.Namespace, run: int) -> argparse.Namespace:
    """The options ``load.run_clients`` reads, with a different seed per run."""
    return argparse.Namespace(
        seed=args.seed + run, time_limit=args.time_limit, resubmit_share=args.resubmit_share,
        concurrent_share=args.concurrent_share, client_timeout=args.client_timeout,
    )


def _stored(round_key: str) -> int:
    from wijkbeeld.web.urgency.models import Response

    return int(Response.objects.filter(round__key=round_key).count())


def _server(args: argparse.Namespace, db_url: str, log: Path) -> tuple[Any, str]:
    """gunicorn as the README runs it (``load.start_server``), with this run's options."""
    extra = {"WIJKBEELD_WORKERS": str(args.workers), "WIJKBEELD_THREADS": str(args.threads)}
    if args.sqlite_timeout is not None:
        extra["WIJKBEELD_SQLITE_TIMEOUT"] = str(args.sqlite_timeout)
    return load.start_server(db_url, args.workers, args.threads, extra, log)


def _stop(proc: Any) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def one_run(args: argparse.Namespace, db_url: str, run: int, work: Path,
            shared: tuple[Any, str] | None = None) -> dict[str, Any]:
    """One load run in its own round; with a freshly started server unless ``shared`` (the
    server of ``--one-server``) is given. Returns its counts."""
    round_key = f"stress-{run:03d}"
    tokens = [t for t, _ in load.prepare(args.respondents, round_key=round_key)]
    log = work / ("gunicorn.log" if shared else f"gunicorn-{run:03d}.log")
    proc, base = shared or _server(args, db_url, log)
    stats = load.Stats()
    try:
        by_token = load.run_clients(base, tokens, _load_args(args, run), stats)
    finally:
        if shared is None:
            _stop(proc)
    problems = load.verify(by_token, round_key=round_key)
    acked = sum(1 for rs in by_token.values() if any(r.acked for r in rs))
    lost = problems.pop(LOST, 0)
    duplicated = sum(problems.pop(k, 0) for k in DUPLICATE_KEYS)
    if stats.errors_500:
        problems["500 or unexpected status"] = len(stats.errors_500)
    if stats.traces:
        problems["stack trace in a page"] = stats.traces
    return {
        "acknowledged": acked,
        "submissions": sum(len(r.acked) for rs in by_token.values() for r in rs),
        "stored": _stored(round_key), "lost": lost, "duplicated": duplicated,
        "failures": sum(problems.values()), "problems": problems,
        "retries": stats.retries, "statuses": dict(stats.statuses), "log": str(log),
    }


def run_engine(args: argparse.Namespace) -> int:
    """All runs on one engine (one process: Django is set up once, for this database)."""
    work = Path(tempfile.mkdtemp(prefix=f"wijkbeeld-stress-{args.engine}-"))
    pg_name = f"wijkbeeld_stress_{os.getpid()}"
    if args.engine == "postgres":
        db_url = load._fresh_postgres(args.pg_url, pg_name)
    else:
        db_url = f"sqlite:///{work / 'stress.sqlite3'}"
    os.environ.update(WIJKBEELD_DATABASE_URL=db_url, WIJKBEELD_DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    import django

    django.setup()
    total = dict.fromkeys(COLUMNS, 0)
    problems: dict[str, int] = {}
    started = time.monotonic()
    shared = None
    try:
        if args.one_server:
            from wijkbeeld.web.bootstrap import ensure_database

            ensure_database()  # migrated before the server starts
            shared = _server(args, db_url, work / "gunicorn.log")
        for run in range(1, args.runs + 1):
            t0 = time.monotonic()
            counts = one_run(args, db_url, run, work, shared)
            for key in COLUMNS[1:]:
                total[key] += counts[key]
            total["runs"] += 1
            for what, n in counts["problems"].items():
                problems[what] = problems.get(what, 0) + n
            flag = "" if not (counts["lost"] or counts["duplicated"] or counts["failures"]) \
                else f"  FAILED {counts['problems']} (log {counts['log']})"
            print(f"  {args.engine} run {run:>2}: acknowledged {counts['acknowledged']:>3}, "
                  f"stored {counts['stored']:>3}, lost {counts['lost']}, duplicated "
                  f"{counts['duplicated']}, retries {counts['retries']}, "
                  f"{time.monotonic() - t0:.1f} s{flag}", flush=True)
    finally:
        if shared is not None:
            _stop(shared[0])
        from django.db import connections

        connections.close_all()
        if args.engine == "postgres":
            import psycopg

            with psycopg.connect(args.pg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    summary = {"engine": args.engine, **total, "problems": problems,
               "workers": args.workers, "threads": args.threads,
               "respondents": args.respondents, "seconds": round(time.monotonic() - started, 1)}
    print("STRESS " + json.dumps(summary), flush=True)
    return 1 if total["lost"] or total["duplicated"] or total["failures"] else 0


def _table(rows: list[dict[str, Any]]) -> str:
    lines = ["engine    " + "".join(f"{c:>14}" for c in COLUMNS)]
    for row in rows:
        lines.append(f"{row['engine']:<10}" + "".join(f"{row[c]:>14}" for c in COLUMNS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--engine", choices=[*ENGINES, "both"], default="both")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--respondents", type=int, default=50)
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                   help="gunicorn workers (default as gunicorn_conf: 2 x cores + 1)")
    p.add_argument("--threads", type=int, default=2, help="threads per worker (as gunicorn_conf)")
    p.add_argument("--resubmit-share", type=float, default=0.2)
    p.add_argument("--concurrent-share", type=float, default=0.1)
    p.add_argument("--time-limit", type=float, default=120, help="seconds per run's clients")
    p.add_argument("--client-timeout", type=float, default=60, help="seconds per request")
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--one-server", action="store_true",
                   help="one gunicorn per engine for all runs (faster; the CI test) instead of "
                        "a freshly started one per run")
    p.add_argument("--sqlite-timeout", type=float, help="SQLite busy timeout (s) in the server")
    p.add_argument("--pg-url", default=os.environ.get(
        "WIJKBEELD_LOAD_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server URL (its maintenance database) for the fresh database")
    args = p.parse_args(argv)
    if not 1 <= args.runs <= 200 or not 1 <= args.respondents <= 1000:
        p.error("--runs must be 1..200 and --respondents 1..1000 (bounded stress test)")
    if args.engine != "both":
        return run_engine(args)
    rest = [a for a in (argv if argv is not None else sys.argv[1:])
            if not a.startswith("--engine") and a != "both"]
    rows, codes = [], []
    for engine in ENGINES:
        done = subprocess.run([sys.executable, __file__, "--engine", engine, *rest],
                              stdout=subprocess.PIPE, text=True)
        codes.append(done.returncode)
        for line in done.stdout.splitlines():
            if line.startswith("STRESS "):
                rows.append(json.loads(line.removeprefix("STRESS ")))
            else:
                print(line)
    print(_table(rows))
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
