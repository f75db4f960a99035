"""Worker command: ``wijkbeeld worker [--once] [--poll S]`` runs the queued background jobs.

Jobs (report batches, figure imports) are rows in the database (:mod:`wijkbeeld.web.jobs`);
any number of workers on any number of machines may run against the same PostgreSQL database,
each job is claimed by exactly one of them. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import sys
import time

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _worker(args: argparse.Namespace) -> int:
    django_ready()
    from django.db import close_old_connections

    from wijkbeeld.web.jobs.queue import claim, run_job, worker_name

    name = worker_name()
    ran = 0
    try:
        while True:
            close_old_connections()  # a long-lived process: drop broken or expired connections
            job = claim(name)
            if job is None:
                if args.once:
                    break
                time.sleep(args.poll)
                continue
            print(f"taak {job.pk} ({job.kind}) gestart", file=sys.stderr)
            job = run_job(job)
            ran += 1
            print(f"taak {job.pk} ({job.kind}): {job.status}"
                  f"{': ' + job.error if job.error else ''}", file=sys.stderr)
            if args.once and ran >= args.max_jobs:
                break
    except KeyboardInterrupt:
        pass
    print(f"{ran} taken uitgevoerd")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``worker`` to the ``wijkbeeld`` parser."""
    w = sub.add_parser("worker", help="run queued background jobs (report batches, imports)")
    w.add_argument("--once", action="store_true",
                   help="run the queued jobs (at most --max-jobs) and stop when none waits")
    w.add_argument("--max-jobs", type=int, default=1_000_000,
                   help="with --once: stop after this many jobs")
    w.add_argument("--poll", type=float, default=5.0,
                   help="seconds between looks at the queue when it is empty (default 5)")
    w.set_defaults(func=_worker)
