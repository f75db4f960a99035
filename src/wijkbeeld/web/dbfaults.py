"""A database that is briefly unreachable or busy answers 503 with ``Retry-After``, never a 500.

When PostgreSQL restarts, or SQLite stays locked longer than its busy timeout ("database is
locked"), a view raises :class:`django.db.OperationalError` (or ``InterfaceError`` on a dropped
connection). The transaction of the request has then been rolled back, so nothing was half
stored; the client may simply send the same request again. :class:`DatabaseUnavailableMiddleware`
turns that exception into a small page "tijdelijk niet beschikbaar" with status 503 and
``Retry-After`` (no stack trace, no request data), and logs one line with the exception class only:
the URL may hold an invitation token and the message may hold SQL.

The page renders without the request context on purpose: the base template looks up the user,
which needs the database that just failed. ``CONN_HEALTH_CHECKS`` (settings) makes the next
request reconnect instead of reusing the dead connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils.cache import add_never_cache_headers

__all__ = ["RETRY_AFTER_SECONDS", "DatabaseUnavailableMiddleware", "unavailable_response"]

RETRY_AFTER_SECONDS = 5
_log = logging.getLogger("wijkbeeld.web.dbfaults")


def unavailable_response() -> HttpResponse:
    """The 503 page: try again in a few seconds (Dutch first, English below)."""
    html = get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (not 500) when a view fails because the database is unreachable or locked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        _log.warning("database unavailable, answered 503 (%s)", type(exception).__name__)
        return unavailable_response()
