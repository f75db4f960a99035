"""A logging filter that keeps personal data out of the logs (AVG; docs/security.md).

Django logs a warning for every 4xx and an error for every 5xx with the request path, and attaches
the request object (with its POST body and cookies) to the record. Wijkbeeld's logging sends every
record through :class:`Redact`, which

* replaces the respondent token in ``/peiling/<token>/`` by ``[token]`` (the token is the key to
  one person's answers),
* cuts query strings (``?gebied=…&thema=…`` may carry free text typed by a user),
* drops the request object, so no handler can write the body, cookies or headers.

>>> import logging
>>> record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
...                            "Not Found: %s", ("/peiling/abc_DEF-123/?x=Jan",), None)
>>> Redact().filter(record), record.getMessage()
(True, 'Not Found: /peiling/[token]/?[…]')
"""

from __future__ import annotations

import logging
import re

__all__ = ["Redact", "redact"]

_TOKEN = re.compile(r"(/peiling/)[^/\s?#]+")
_QUERY = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    """``text`` with respondent tokens and query strings replaced by placeholders."""
    return _QUERY.sub("?[…]", _TOKEN.sub(r"\1[token]", text))


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
