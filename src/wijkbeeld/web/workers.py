"""Run independent pieces of a long computation on several processes, each with its own database
connection: the national comparison (one period per task) and the hotspots of every municipality
use both cores of a small server instead of one.

:func:`map_in_workers` yields the results in the order of the items, keeping at most a few tasks
ahead of the consumer so finished results do not pile up in memory. The worker processes are
started with ``forkserver`` (a clean interpreter, not a fork of a process that may hold open
connections and library thread pools), set up Django and connect to the same database as the
caller (its settings are passed along, so a test database is found too). A database the workers
cannot reach (SQLite in memory) or ``workers=1`` runs everything in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from django.db import connections

__all__ = ["map_in_workers", "usable_workers"]

def usable_workers(workers: int | None, using: str = "default") -> int:
    """How many processes to use: ``workers`` (default: the number of cores), or 1 when the
    database lives in this process's memory."""
    wanted = workers if workers is not None else (os.cpu_count() or 1)
    connection = connections[using]
    name = str(connection.settings_dict.get("NAME") or "")
    in_memory = connection.vendor == "sqlite" and (
        not name or name == ":memory:" or "mode=memory" in name)
    return 1 if in_memory else max(1, int(wanted))


def _start_worker(settings_module: str, using: str, database: dict[str, Any]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.conf import settings

    settings.DATABASES[using] = database
    connections.settings[using] = database  # connections made from now on use the caller's
    connections[using].settings_dict.update(database)


def map_in_workers[T, R](
    fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None,
    using: str = "default", ahead: int = 0,
) -> Iterator[R]:
    """``fn(item)`` for every item, in order, on up to ``workers`` processes (see the module
    docstring). ``fn`` must be a module-level function; its results are pickled back."""
    count = usable_workers(workers, using)
    if count <= 1:
        for item in items:
            yield fn(item)
        return
    database = dict(connections[using].settings_dict)
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    context = multiprocessing.get_context("forkserver")
    pending: deque[Future[R]] = deque()
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker,
                             initargs=(settings_module, using, database)) as pool:
        for item in items:
            if len(pending) >= count + ahead:  # at most count + ahead results held at once
                yield pending.popleft().result()
            pending.append(pool.submit(fn, item))
        while pending:
            yield pending.popleft().result()
