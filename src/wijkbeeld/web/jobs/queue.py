"""The job queue in the database: enqueue, claim, report progress, finish.

Claiming is safe with several workers: on PostgreSQL the oldest queued job is locked with
``SELECT … FOR UPDATE SKIP LOCKED`` (a worker skips a job another one is taking); on SQLite, which
has no row locks, a conditional ``UPDATE … WHERE status = 'queued'`` decides: only the worker
whose update changed the row owns the job. Either way two workers never run the same job.
Progress is written with plain ``UPDATE`` statements outside any transaction, so the web app
sees it while the job runs.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from wijkbeeld.web.jobs.models import Job, JobResult

__all__ = ["Progress", "claim", "enqueue", "error_text", "finish", "progress", "run_job",
           "take", "worker_name"]

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
#: Claim attempts on SQLite when another worker keeps winning the race for the oldest job.
_SQLITE_TRIES = 20


def worker_name() -> str:
    """``host:pid`` of this process, stored on the jobs it claims (for operators)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def enqueue(kind: str, parameters: dict[str, Any], *, municipality: str = "",
            user: Any = None, using: str = "default") -> Job:
    """A new queued job."""
    if kind not in Job.Kind.values:
        raise ValueError(f"onbekende taak: {kind}")
    return Job.objects.using(using).create(
        kind=kind, parameters=parameters, municipality=municipality.upper(),
        created_by=user if getattr(user, "is_authenticated", False) else None)


def claim(worker: str | None = None, using: str = "default") -> Job | None:
    """Take the oldest queued job for this worker (status running), or None when none waits."""
    worker = worker or worker_name()
    now = timezone.now()
    queued = Job.objects.using(using).filter(status=Job.Status.QUEUED).order_by("created_at", "pk")
    if connections[using].vendor == "postgresql":
        with transaction.atomic(using=using):
            job = queued.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            job.status, job.started_at, job.worker = Job.Status.RUNNING, now, worker
            job.save(using=using, update_fields=["status", "started_at", "worker"])
            return job
    for _ in range(_SQLITE_TRIES):
        pk = queued.values_list("pk", flat=True).first()
        if pk is None:
            return None
        if take(pk, worker, using):
            return Job.objects.using(using).get(pk=pk)
    return None


def take(pk: int, worker: str, using: str = "default") -> bool:
    """The conditional update that decides a race on SQLite: True only for the one worker whose
    ``UPDATE … WHERE status = 'queued'`` changed the row."""
    return bool(Job.objects.using(using).filter(pk=pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker))


def progress(job: Job, done: int, total: int, message: str = "",
             using: str = "default") -> None:
    """Record progress at once (visible to the web app while the job runs)."""
    job.progress_done, job.progress_total, job.message = done, total, message[:200]
    Job.objects.using(using).filter(pk=job.pk).update(
        progress_done=done, progress_total=total, message=message[:200])


def finish(job: Job, *, result: tuple[str, bytes] | None = None, message: str = "",
           using: str = "default") -> None:
    """Mark ``job`` done, with its result file (name, bytes) when it made one."""
    with transaction.atomic(using=using):
        if result is not None:
            name, data = result
            JobResult.objects.using(using).update_or_create(
                job=job, defaults={"filename": name, "data": data, "size": len(data)})
        job.status, job.finished_at = Job.Status.DONE, timezone.now()
        if message:
            job.message = message[:200]
        job.progress_done = max(job.progress_done, job.progress_total)
        job.save(using=using, update_fields=["status", "finished_at", "message",
                                             "progress_done"])


def error_text(exc: BaseException) -> str:
    """What a failed job shows: the message of an input error (it names file, row and column and
    may quote the offending cell, which the person who queued the file already has), otherwise
    only the kind of error, since an
    unexpected exception may carry data from the database (the full traceback goes to the
    worker's log, not to the web app)."""
    from wijkbeeld.compare import ProfileError

    if isinstance(exc, ValueError | ProfileError | FileNotFoundError | PermissionError):
        return f"{type(exc).__name__}: {exc}"[:2000]
    return f"{type(exc).__name__} (zie het log van de worker)"


def _fail(job: Job, exc: BaseException, using: str) -> None:
    job.status, job.finished_at, job.error = Job.Status.FAILED, timezone.now(), error_text(exc)
    Job.objects.using(using).filter(pk=job.pk).update(
        status=job.status, finished_at=job.finished_at, error=job.error)


def run_job(job: Job, using: str = "default") -> Job:
    """Run a claimed job to the end; a failure is recorded on the job, never raised."""
    from wijkbeeld.web.jobs.runners import RUNNERS

    try:
        RUNNERS[job.kind](job, using)
    except Exception as exc:  # every failure is recorded; the worker keeps going
        log.exception("taak %s (%s) mislukt", job.pk, job.kind)
        _fail(job, exc, using)
    job.refresh_from_db(using=using)
    return job
