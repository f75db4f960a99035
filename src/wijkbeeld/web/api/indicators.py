"""The indicator catalogue and the themes: ``/api/indicators``, ``/api/themes``.

The catalogue is the same for everyone (no municipality data), but like every operation it
needs a signed-in reader or a token. An indicator a municipality defined itself has that
municipality as ``owner`` and in its key (``GM0518:eigen_score``); national ones have an empty
owner (issue 18, :mod:`wijkbeeld.web.figures.scope`).
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, Query, Router, Schema
from ninja import Path as PathParam

from wijkbeeld.web.api.common import PageParams, page
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError
from wijkbeeld.web.figures.models import Indicator, Theme

__all__ = ["router"]

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    key: str = Field(description="unique key; an owned indicator's starts with its owner, "
                                 "GM0518:eigen_score")
    owner: str = Field(description="GM code of the municipality that defined it; empty: national")
    name_nl: str
    name_en: str
    theme: str | None
    unit: str
    polarity: Literal["higher_is_worse", "higher_is_better", "neutral"]
    base: str | None
    source: str
    description: str
    context_only: bool = Field(description="context only: never part of a score")


class IndicatorPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[IndicatorOut]


class IndicatorFilters(Schema):
    theme: str | None = Field(None, max_length=40)
    q: str | None = Field(None, max_length=100, description="part of the key or name")
    context_only: bool | None = None


class ThemeOut(Schema):
    key: str
    name_nl: str
    name_en: str
    description: str
    n_indicators: int


_FIELDS = ("key", "owner", "name_nl", "name_en", "theme__key", "unit", "polarity", "base__key",
           "source", "description", "context_only")


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {"key": row["key"], "owner": row["owner"], "name_nl": row["name_nl"],
            "name_en": row["name_en"],
            "theme": row["theme__key"], "unit": row["unit"], "polarity": row["polarity"],
            "base": row["base__key"], "source": row["source"], "description": row["description"],
            "context_only": row["context_only"]}


@router.get("/indicators", response={200: IndicatorPage, **ERROR_RESPONSES},
            operation_id="list_indicators", summary="The indicator catalogue")
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters],
                    paging: Query[PageParams]) -> dict[str, Any]:
    qs = Indicator.objects.all()
    if filters.theme:
        qs = qs.filter(theme__key=filters.theme)
    if filters.q:
        qs = qs.filter(Q(key__icontains=filters.q) | Q(name_nl__icontains=filters.q)
                       | Q(name_en__icontains=filters.q))
    if filters.context_only is not None:
        qs = qs.filter(context_only=filters.context_only)
    return page(qs.order_by("key").values(*_FIELDS), paging,
                lambda rows: [_out(r) for r in rows])


@router.get("/indicators/{key}", response={200: IndicatorOut, **ERROR_RESPONSES},
            operation_id="get_indicator", summary="One indicator")
def get_indicator(
    request: HttpRequest, key: PathParam[str, P(example="huishoudens_laag_inkomen_pct")],
) -> dict[str, Any]:
    row = Indicator.objects.filter(key=key).values(*_FIELDS).first()
    if row is None:
        raise ApiError(404, _("Onbekende indicator %(key)s.") % {"key": key[:80]})
    return _out(row)


@router.get("/themes", response={200: list[ThemeOut], **ERROR_RESPONSES},
            operation_id="list_themes", summary="The themes")
def list_themes(request: HttpRequest) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for key in Indicator.objects.exclude(theme=None).values_list("theme__key", flat=True):
        counts[key] = counts.get(key, 0) + 1
    return [{"key": t.key, "name_nl": t.name_nl, "name_en": t.name_en,
             "description": t.description, "n_indicators": counts.get(t.key, 0)}
            for t in Theme.objects.order_by("key")]
