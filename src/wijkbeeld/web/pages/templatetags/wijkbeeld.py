"""Template filters for the wijkbeeld pages: ``{% load wijkbeeld %}``."""

from __future__ import annotations

import math
from typing import Any

from django import template

from wijkbeeld.web.accounts.access import has_role as _has_role
from wijkbeeld.web.pages import formatting

__all__ = ["exact", "has_role", "number", "status", "unit"]

register = template.Library()


@register.filter
def number(value: Any) -> str:
    """A figure in the active language's notation (``931.298`` / ``39,7`` in Dutch)."""
    return formatting.format_number(value)


@register.filter
def exact(value: Any) -> str:
    """A number in full precision for a ``data-`` attribute (``repr`` of the float, so a test or
    a script can read the exact figure behind a rounded one); ``""`` when there is none."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return repr(number) if math.isfinite(number) else ""


@register.filter
def unit(value: str) -> str:
    """A unit code in words."""
    return formatting.unit_label(value)


@register.filter
def status(value: str) -> str:
    """The status of a figure in words (``geheim`` for suppressed)."""
    return formatting.status_label(value)


@register.filter
def has_role(user: Any, roles: str) -> bool:
    """``{% if user|has_role:"admin,analyst" %}``."""
    return _has_role(user, *[r.strip() for r in roles.split(",") if r.strip()])
