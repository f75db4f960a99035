"""Who is calling: a browser session or a script's token, and may that role read this.

Two ways in, tried in this order:

* ``Authorization: Bearer wb_…``: an :class:`~wijkbeeld.web.api.models.ApiToken`. A token that
  is given but unknown, revoked or expired is a 401 at once (never a silent fall-back to the
  session);
* the Django session cookie of a signed-in user (the pages' login). Only safe methods are
  served today; should a router add unsafe ones, ninja's CSRF check applies to the session.

Then the role: the user must have one of the operation's roles (``READERS`` for every read, as
on the pages), else 403. Municipality scoping happens in the endpoints
(:func:`~wijkbeeld.web.accounts.access.scope_by_municipality`, ``require_municipality``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer

from wijkbeeld.web.accounts.access import READERS, has_role
from wijkbeeld.web.api.tokens import user_for_token

__all__ = ["BearerToken", "SessionUser", "api_auth"]


def _allowed(user: Any, roles: tuple[str, ...]) -> Any:
    if not has_role(user, *roles):
        raise AuthorizationError(403, _("Uw rol geeft geen toegang tot deze gegevens."))
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` (see docs/api.md)."""

    def __init__(self, roles: tuple[str, ...] = READERS) -> None:
        self.roles = roles
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(401, _("Ongeldig, ingetrokken of verlopen token."))
        request.user = user
        request.api_via = "token"  # type: ignore[attr-defined]
        return _allowed(user, self.roles)


class SessionUser(APIKeyCookie):
    """The signed-in user of the pages (session cookie)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self, roles: tuple[str, ...] = READERS) -> None:
        self.roles = roles
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        request.api_via = "session"  # type: ignore[attr-defined]
        return _allowed(user, self.roles)


def api_auth(roles: tuple[str, ...] = READERS) -> list[Any]:
    """The ``auth=`` of an operation or router that needs one of ``roles``."""
    return [BearerToken(roles), SessionUser(roles)]
