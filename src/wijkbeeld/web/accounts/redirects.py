"""Where a login may send the browser next: same-site paths only (issue 18, finding 4).

``?next=`` comes from the address bar, so anyone can put a link to
``/admin/login/?next=https://evil.example/`` in a mail. Django's
:func:`~django.utils.http.url_has_allowed_host_and_scheme` decides whether a URL stays on this
site (with ``require_https`` when the request came over HTTPS, as Django's own ``LoginView``
does). On top of that only a *path* is accepted: it starts with one ``/`` (not ``//`` or ``/\\``,
which browsers read as another host), and holds no control character (a newline in a
``Location`` header is refused by Django with a 500). Anything else means "the default page".
"""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["safe_next"]


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` when it is a same-site path, else None.

    >>> from django.test import RequestFactory
    >>> request = RequestFactory().get("/")
    >>> safe_next(request, "/admin/areas/area/")
    '/admin/areas/area/'
    >>> [safe_next(request, url) for url in ("//evil.example", "javascript:alert(1)", "\\\\evil")]
    [None, None, None]
    """
    if not candidate or not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return None
    if any(unicodedata.category(char).startswith("C") for char in candidate):
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return candidate
