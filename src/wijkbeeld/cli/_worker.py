"""Worker commands: ``wijkbeeld worker [--once] [--poll S]`` runs the queued background jobs;
``wijkbeeld worker status [N]`` lists the latest jobs with their progress (or shows job N).

Jobs (report batches, figure imports) are rows in the database (:mod:`wijkbeeld.web.jobs`);
any number of workers on any number of machines may run against the same PostgreSQL database,
each job is claimed by exactly one of them. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

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


def _when(moment: Any) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else ""


def _line(job: Any) -> str:
    done = f"{job.progress_done}/{job.progress_total}" if job.progress_total else "-"
    note = job.error.splitlines()[0] if job.error else job.message
    return (f"{job.pk:>5}  {job.kind:<15} {job.status:<8} {done:>9} {job.percent:>3}%  "
            f"{_when(job.created_at)[:16]}  {job.municipality or '-':<6}  {note}").rstrip()


def _status(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.jobs.models import Job

    if args.job is None:
        jobs = list(Job.objects.all()[: args.limit])
        print(f"{'taak':>5}  {'soort':<15} {'status':<8} {'voortgang':>9} {'':>4}  "
              f"{'aangemaakt':<16}  {'gem.':<6}  bericht")
        for job in jobs:
            print(_line(job))
        if not jobs:
            print("(nog geen taken)")
        return 0
    job = Job.objects.filter(pk=args.job).first()
    if job is None:
        print(f"fout: er is geen taak {args.job}", file=sys.stderr)
        return 1
    print(_line(job))
    for label, value in (("bestand", job.parameters.get("name") or job.parameters.get("path")),
                         ("worker", job.worker), ("gestart", _when(job.started_at)),
                         ("klaar", _when(job.finished_at))):
        if value:
            print(f"  {label}: {value}")
    if job.error:
        print("  fout:\n" + "\n".join(f"    {line}" for line in job.error.splitlines()))
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
    w_sub = w.add_subparsers(dest="worker_command", metavar="{status}")
    st = w_sub.add_parser("status", help="the latest jobs and their progress, or one job")
    st.add_argument("job", type=int, nargs="?", help="one job's number: its details and error")
    st.add_argument("--limit", type=int, default=20, help="how many jobs to list (default 20)")
    st.set_defaults(func=_status)
