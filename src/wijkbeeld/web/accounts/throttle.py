"""Login throttling that holds under parallel requests (issue 18, finding 7).

django-axes checks for a lock-out *before* the password and stores a failure only *after* the
password check failed. Twenty wrong passwords sent at the same moment all passed the check before
any failure was stored, so all twenty reached the password check where the limit is 5.

Here every login attempt is counted *before* the password is checked, in one database transaction
whose first statement is the increment (``UPDATE … SET failures_since_start = … + 1``, or the
insert of the first row, guarded by the table's unique key). That statement takes the row lock on
PostgreSQL and the write lock on SQLite, so concurrent attempts for one user name and address are
counted one after the other, in every process and on every app server; the count each attempt
reads back is its own. An attempt whose count is above the limit is refused without a password
check; so exactly ``AXES_FAILURE_LIMIT`` attempts can reach it within the cool-off time.

The count lives in django-axes' own table (one row per user name and address), so the lock-out
page, the cool-off, ``wijkbeeld manage axes_reset_username`` and the privacy purge work as before.
A successful login deletes the row (``AXES_RESET_ON_SUCCESS``); a row older than the cool-off
starts again at 1. :class:`CountingBackend` replaces ``axes.backends.AxesStandaloneBackend`` first
in ``AUTHENTICATION_BACKENDS``; :class:`CountedHandler` (``AXES_HANDLER``) then no longer adds a
failure after the check (it was counted already) and only marks the lock-out for axes' middleware.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied, AxesBackendRequestParameterRequired
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import Case, F, Sum, Value, When
from django.http import HttpRequest

__all__ = ["CountedHandler", "CountingBackend", "count_attempt"]


def count_attempt(username: str, ip_address: str | None, *, now: datetime,
                  cool_off: timedelta | None, path: str = "", using: str | None = None) -> int:
    """Count one login attempt for ``username`` from ``ip_address``; returns the count including
    it (atomic across threads, processes and servers; see the module docstring)."""
    db = using or router.db_for_write(AccessAttempt)
    bump: Any = F("failures_since_start") + 1
    if cool_off is not None:
        bump = Case(When(attempt_time__lt=now - cool_off, then=Value(1)), default=bump)
    rows = AccessAttempt.objects.using(db).filter(username=username, ip_address=ip_address)
    with transaction.atomic(using=db):
        # The increment is the transaction's first statement: it waits for the lock, and what it
        # writes is what this attempt reads back below.
        if not rows.update(failures_since_start=bump, attempt_time=now):
            try:
                with transaction.atomic(using=db):
                    AccessAttempt.objects.using(db).create(
                        username=username, ip_address=ip_address, user_agent="",
                        http_accept="", path_info=path[:255], get_data="", post_data="",
                        attempt_time=now, failures_since_start=1)
            except IntegrityError:  # another attempt made the row first: count on it
                rows.update(failures_since_start=bump, attempt_time=now)
        return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class CountingBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """First authentication backend: counts the attempt, refuses it above the limit (a subclass
    of axes' backend, whose place it takes; axes' system check looks for one)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        """Never signs anyone in; raises ``PermissionDenied`` (stopping the backends before the
        password check) when this attempt is over the limit."""
        if not settings.AXES_ENABLED:
            return None
        if request is None:
            raise AxesBackendRequestParameterRequired(
                "CountingBackend needs the request to count login attempts")
        credentials = get_credentials(username=username, password=password, **kwargs)
        AxesProxyHandler.update_request(request)
        name = get_client_username(request, credentials)
        if name is None:
            return None
        count = count_attempt(str(name), request.axes_ip_address,  # type: ignore[attr-defined]
                              now=request.axes_attempt_time,  # type: ignore[attr-defined]
                              cool_off=get_cool_off(request),
                              path=request.axes_path_info)  # type: ignore[attr-defined]
        if count > get_failure_limit(request, credentials):
            raise AxesBackendPermissionDenied("locked out: too many login attempts")
        return None


class CountedHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler without its own counting (CountingBackend counted the
    attempt before the password check); marks the request locked out at the limit."""

    def user_login_failed(self, sender: Any, credentials: dict[str, Any],
                          request: HttpRequest | None = None, **kwargs: Any) -> None:
        if request is None:
            return
        failures = self.get_failures(request, credentials)
        request.axes_failures_since_start = failures  # type: ignore[attr-defined]
        if failures >= get_failure_limit(request, credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            user_locked_out.send("axes", request=request,
                                 username=get_client_username(request, credentials),
                                 ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
