"""A logging filter that keeps personal data out of the logs (AVG; docs/security.md).

Django logs a warning for every 4xx and an error for every 5xx with the request path, and attaches
the request object (with its POST body and cookies) to the record. Wijkbeeld's logging sends every
record through :class:`Redact`, which

* replaces the respondent token in ``/peiling/<token>/`` by ``[token]`` (the token is the key to
  one person's answers),
* cuts query strings (``?gebied=…&thema=…`` may carry free text typed by a user),
* drops the request object, so no handler can write the body, cookies or headers.

A filter on a handler rewrites a record only for that handler, and only after the handlers before
it had it as it was; so the settings also put :class:`Redact` on the loggers that write a path
themselves (``django.request``, ``django.server``: the development server's request line,
``django.security.csrf``), which cleans the record once, before any handler (issue 18).
:class:`RedactSql` does the same for ``django.db.backends``, which with ``DEBUG`` on logs every SQL
statement with its values: session keys, token digests, user names, free text. It keeps the
statement and masks every quoted literal.

>>> import logging
>>> record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
...                            "Not Found: %s", ("/peiling/abc_DEF-123/?x=Jan",), None)
>>> Redact().filter(record), record.getMessage()
(True, 'Not Found: /peiling/[token]/?[…]')
>>> sql = "SELECT 1 FROM s WHERE k = 'ab''c' AND n = 3"
>>> record = logging.makeLogRecord({
...     "name": "django.db.backends", "msg": "(%.3f) %s; args=%s; alias=%s",
...     "args": (0.001, sql, ("ab'c", 3), "default"),
...     "duration": 0.001, "sql": sql, "params": ("ab'c", 3), "alias": "default"})
>>> RedactSql().filter(record), record.getMessage()
(True, "(0.001) SELECT 1 FROM s WHERE k = '…' AND n = 3; args=[…]; alias=default")
"""

from __future__ import annotations

import logging
import re

__all__ = ["Redact", "RedactSql", "redact", "redact_sql"]

_TOKEN = re.compile(r"(/peiling/)[^/\s?#]+")
_QUERY = re.compile(r"\?[^\s\"']*")
#: A quoted SQL literal ('' is an escaped quote inside it).
_SQL_LITERAL = re.compile(r"'(?:[^']|'')*'")


def redact(text: str) -> str:
    """``text`` with respondent tokens and query strings replaced by placeholders."""
    return _QUERY.sub("?[…]", _TOKEN.sub(r"\1[token]", text))


def redact_sql(sql: str) -> str:
    """``sql`` with every quoted literal replaced by ``'…'`` (numbers and names stay)."""
    return _SQL_LITERAL.sub("'…'", sql)


class Redact(logging.Filter):
    """Rewrites each record's message without tokens or query strings; drops ``request``."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if hasattr(record, "request"):
            record.request = None
        return True


class RedactSql(logging.Filter):
    """Rewrites ``django.db.backends`` records: the statement with its literals masked, no
    parameters (in the message and in the ``sql`` and ``params`` fields handlers may format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = redact_sql(str(getattr(record, "sql", "")))
        duration = getattr(record, "duration", None)
        alias = getattr(record, "alias", "")
        if hasattr(record, "sql"):
            record.sql = sql
        if hasattr(record, "params"):
            record.params = None
        if duration is not None:
            record.msg, record.args = "(%.3f) %s; args=[…]; alias=%s", (duration, sql, alias)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = str(record.msg)
            record.msg, record.args = redact_sql(message), ()
        return True
