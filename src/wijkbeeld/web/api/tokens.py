"""Make, check and revoke API tokens (see :mod:`wijkbeeld.web.api.models`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wijkbeeld.web.api.models import ApiToken

__all__ = ["PREFIX", "create_token", "digest", "revoke", "user_for_token"]

#: Every token starts with this, so a leaked one is easy to recognise (and to scan for).
PREFIX = "wb_"
#: ``last_used_at`` is written at most once per this interval per token.
_TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    """The stored form of a token: its SHA-256 hex digest."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    username: str, *, name: str = "", days: int | None = None, using: str = "default"
) -> tuple[ApiToken, str]:
    """A new token for ``username``: (the stored row, the token itself, shown only now).
    Raises ``LookupError`` for an unknown or inactive user."""
    user = get_user_model().objects.using(using).filter(username=username).first()
    if user is None:
        raise LookupError(f"onbekende gebruiker {username!r}")
    if not user.is_active:
        raise LookupError(f"gebruiker {username!r} is niet actief")
    token = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days) if days else None
    row = ApiToken.objects.using(using).create(
        user=user, name=name, prefix=token[:10], digest=digest(token), expires_at=expires)
    return row, token


def user_for_token(token: str, using: str = "default") -> Any | None:
    """The active user a usable token belongs to, or None (unknown, revoked, expired)."""
    token = token.strip()
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = (ApiToken.objects.using(using).select_related("user")
           .filter(digest=digest(token)).first())
    if row is None or not secrets.compare_digest(row.digest, digest(token)):
        return None
    if not row.is_usable():
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.using(using).filter(pk=row.pk).update(last_used_at=now)
    return row.user


def revoke(prefix: str, using: str = "default") -> int:
    """Revoke every unrevoked token starting with ``prefix`` (at least 6 characters); returns
    how many were revoked."""
    prefix = prefix.strip().rstrip("…")
    if len(prefix) < 6:
        raise ValueError("geef minstens 6 tekens van het token")
    return ApiToken.objects.using(using).filter(
        prefix__startswith=prefix[:10], revoked_at__isnull=True).update(revoked_at=timezone.now())
