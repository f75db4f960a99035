"""Invitation tokens: a random secret shown once, stored only as its SHA-256 hash.

The plain token (``secrets.token_urlsafe(32)``: 256 bits, 43 URL-safe characters) goes into the
personal link and is never stored; the database holds ``sha256(token)`` in hex. A leaked database
therefore reveals no usable link, and a lookup by hash needs no slow password hash because the
token itself carries 256 bits of randomness.

>>> len(new_token())
43
>>> hash_token("abc") == hash_token("abc") != hash_token("abd")
True
"""

from __future__ import annotations

import hashlib
import re
import secrets

__all__ = ["TOKEN_PATTERN", "hash_token", "looks_like_token", "new_token"]

#: What a token from :func:`new_token` looks like (used to refuse junk before any query).
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    """A fresh random token for one invitation (shown once, never stored)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256 in hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """True when ``token`` has the shape of a token from :func:`new_token`."""
    return bool(TOKEN_PATTERN.fullmatch(token))
