"""Who may see what: roles per view, and the municipality a user is tied to.

Every view is wrapped in :func:`role_required` (function views) or uses :class:`RoleRequiredMixin`
(class-based views): an anonymous visitor is sent to the login page, a signed-in user without one
of the roles gets 403. Data is scoped by municipality: a user whose ``municipality`` holds a GM
code only sees that municipality (and national reference rows, which belong to none); an empty
``municipality`` means all municipalities (a learning network, or the national analyst).

>>> READERS
('admin', 'analyst', 'professional', 'viewer')
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from wijkbeeld.web.accounts.models import Role

__all__ = [
    "ADMINS",
    "ANALYSTS",
    "PROFESSIONALS",
    "READERS",
    "RoleRequiredMixin",
    "can_see_municipality",
    "has_role",
    "municipality_of",
    "require_municipality",
    "role_required",
    "scope_by_municipality",
]

#: Role sets, from the widest to the narrowest. Each includes the roles above it.
READERS: tuple[str, ...] = (
    Role.ADMIN.value, Role.ANALYST.value, Role.PROFESSIONAL.value, Role.VIEWER.value
)
PROFESSIONALS: tuple[str, ...] = READERS[:3]
ANALYSTS: tuple[str, ...] = READERS[:2]
ADMINS: tuple[str, ...] = READERS[:1]

_KNOWN = frozenset(Role.values)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _check_roles(roles: tuple[str, ...]) -> tuple[str, ...]:
    if not roles:
        raise ValueError("role_required needs at least one role")
    unknown = sorted(set(roles) - _KNOWN)
    if unknown:
        raise ValueError(f"unknown role(s) {unknown}; known: {sorted(_KNOWN)}")
    return tuple(str(r) for r in roles)


def has_role(user: Any, *roles: str) -> bool:
    """True for a signed-in, active user with one of ``roles`` (superusers count as admin)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_role(*roles))


def _gate(request: HttpRequest, roles: tuple[str, ...]) -> HttpResponse | None:
    """The response that stops the request (login redirect), or None to go on; 403 raises."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_role(request.user, *roles):
        raise PermissionDenied("Uw rol geeft geen toegang tot deze pagina.")
    return None


def role_required(*roles: str) -> Callable[[View], View]:
    """Decorator for a function view: anonymous → login redirect, wrong role → 403.

    >>> @role_required(*READERS)
    ... def page(request): ...
    """
    wanted = _check_roles(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            stop = _gate(request, wanted)
            if stop is not None:
                return stop
            return view(request, *args, **kwargs)

        wrapper.required_roles = wanted  # type: ignore[attr-defined]
        return cast(View, wrapper)

    return decorate


class RoleRequiredMixin:
    """Mixin for class-based views; set ``roles`` (default: every reader)."""

    roles: tuple[str, ...] = READERS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        stop = _gate(request, _check_roles(tuple(self.roles)))
        if stop is not None:
            return stop
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


def municipality_of(user: Any) -> str | None:
    """The GM code a user is tied to, or None when the user may see every municipality."""
    code = (getattr(user, "municipality", "") or "").strip().upper()
    return code or None


def can_see_municipality(user: Any, code: str) -> bool:
    """May ``user`` see data of municipality ``code``? Rows of no municipality (NL) are public."""
    if not getattr(user, "is_authenticated", False):
        return False
    own = municipality_of(user)
    code = (code or "").strip().upper()
    return own is None or code == "" or code == own


def require_municipality(user: Any, code: str) -> None:
    """Raise 403 when ``user`` is tied to another municipality than ``code``."""
    if not can_see_municipality(user, code):
        raise PermissionDenied("Deze gemeente valt buiten uw account.")


def scope_by_municipality[Q_T: QuerySet[Any]](
    queryset: Q_T, user: Any, field: str = "municipality"
) -> Q_T:
    """Only the rows of the user's municipality (plus rows of none) when the user is tied to one."""
    own = municipality_of(user)
    if own is None:
        return queryset
    return queryset.filter(Q(**{field: own}) | Q(**{field: ""}))
