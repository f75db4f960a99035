"""Helpers the routers share: pagination, area-code checks, scoping and JSON-safe numbers."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from wijkbeeld.areas.codes import AreaCode, InvalidAreaCode, Level, parse_code
from wijkbeeld.web.accounts.access import can_see_municipality
from wijkbeeld.web.api.errors import ApiError

__all__ = [
    "EXAMPLE_INDICATOR",
    "MAX_LIMIT",
    "PageParams",
    "area_code",
    "check_municipality",
    "finite",
    "json_safe",
    "municipality_code",
    "page",
    "year_of",
]

#: The example indicator of the OpenAPI document (the property-based run starts from it).
EXAMPLE_INDICATOR: dict[str, Any] = {"example": "huishoudens_laag_inkomen_pct"}

#: The largest page a list answers with.
MAX_LIMIT = 1000


class PageParams(Schema):
    """``limit`` (1..1000, default 100) and ``offset`` (from 0) of a list."""

    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10**9)


def page(queryset: QuerySet[Any], params: PageParams, items: Any = None) -> dict[str, Any]:
    """``{"total", "limit", "offset", "items"}``: ``items`` are the rows of the queryset's
    slice, or ``items(rows)`` when a converter is given. The queryset must be ordered."""
    total = queryset.count()
    rows = list(queryset[params.offset:params.offset + params.limit])
    return {"total": total, "limit": params.limit, "offset": params.offset,
            "items": items(rows) if items is not None else rows}


def area_code(raw: str) -> AreaCode:
    """A parsed CBS code, or 422 naming the bad code."""
    try:
        return parse_code(raw)
    except InvalidAreaCode as exc:
        raise ApiError(422, _("Ongeldige gebiedscode %(code)s.") % {"code": raw[:20]},
                       details=[{"loc": ["code"], "msg": str(exc), "type": "area_code"}]
                       ) from exc


def municipality_code(raw: str) -> str:
    """A GM code (upper case), or 422."""
    parsed = area_code(raw.strip().upper())
    if parsed.level is not Level.MUNICIPALITY:
        raise ApiError(422, _("Geen gemeentecode: %(code)s.") % {"code": raw[:20]},
                       details=[{"loc": ["municipality"], "msg": "expected GMxxxx",
                                 "type": "municipality_code"}])
    return parsed.code


def check_municipality(request: HttpRequest, code: str) -> None:
    """403 when the caller is tied to another municipality than ``code``."""
    if not can_see_municipality(request.user, code):
        raise ApiError(403, _("Deze gemeente valt buiten uw account."))


def finite(value: Any) -> float | None:
    """A float, or None for NaN/inf/None."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def json_safe(value: Any) -> Any:
    """Recursively: non-finite floats → None, tuples → lists, numpy scalars → Python."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    item = getattr(value, "item", None)  # numpy scalar
    if callable(item):
        return json_safe(item())
    return value


def year_of(period: str) -> int | None:
    """The year of a period such as ``2024`` or ``2024MM03``."""
    head = (period or "")[:4]
    return int(head) if head.isdigit() else None
