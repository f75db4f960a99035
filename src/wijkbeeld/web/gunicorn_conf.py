"""gunicorn settings for wijkbeeld in production (docs/operations.md)::

    gunicorn -c python:wijkbeeld.web.gunicorn_conf wijkbeeld.web.wsgi

The application is loaded once in the master (``preload_app``) and warmed there before the
workers are forked: the URL configuration and every view module are imported, and the scrubber's
word lists and the tagger's lexicon are built (about 2.5 s in all). Without this, the first answer
each worker receives waits those seconds. The master holds no database connection when it forks
(closed after warming), so no connection is shared between workers.

Settings from the environment: ``WIJKBEELD_BIND`` (default 127.0.0.1:8000), ``WIJKBEELD_WORKERS``
(default 2 x CPU cores + 1), ``WIJKBEELD_THREADS`` (default 2).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["bind", "graceful_timeout", "preload_app", "threads", "timeout", "warm", "when_ready",
           "workers"]

bind = os.environ.get("WIJKBEELD_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WIJKBEELD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("WIJKBEELD_THREADS", "2"))
timeout = 60
graceful_timeout = 10
preload_app = True


def warm() -> None:
    """Import every view and build the scrubber and tagger (shared by the forked workers)."""
    from django.db import connections
    from django.urls import get_resolver

    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.voices.scrub import scrub
    from wijkbeeld.voices.tagging import tag

    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and its views
    load_catalogue()
    scrub("Bel 06-12345678 over de speeltuin")
    tag("zwerfafval bij de speeltuin")
    connections.close_all()


def when_ready(server: Any) -> None:
    """gunicorn hook: the master is ready and about to fork its workers."""
    warm()
