"""The comparison table: ``/api/comparisons``, every area of a municipality's level against its
reference set, for one year (one indicator, one theme's indicators, or all).

It reads the same cached comparison as the area page
(:func:`wijkbeeld.web.pages.profile_cache.comparison_for`: the municipality's level over all
years for the default reference, or every stored municipality of that level in that year for
``nl``), so a row here equals the figure on the area page. Rows of other municipalities are
never returned; a suppressed or missing cell has a null value and its status.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from wijkbeeld.web.api.common import (
    EXAMPLE_INDICATOR,
    PageParams,
    check_municipality,
    finite,
    municipality_code,
    year_of,
)
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError
from wijkbeeld.web.pages.profile_cache import ComparisonKey, comparison_for, import_stamp

__all__ = ["router"]

router = Router(tags=["analysis"])


class ComparisonFilters(Schema):
    municipality: str = Field(..., max_length=10, description="GM code",
                              json_schema_extra={"example": "GM0363"})
    year: int = Field(..., ge=1900, le=2200, json_schema_extra={"example": 2024})
    level: Literal["neighbourhood", "district"] = "neighbourhood"
    indicator: str | None = Field(None, max_length=80, json_schema_extra=EXAMPLE_INDICATOR)
    theme: str | None = Field(None, max_length=40, description="only this theme's indicators")
    reference: Literal["municipality", "nl"] = "municipality"


class ComparisonRow(Schema):
    area: str
    area_name: str
    indicator: str
    theme: str | None
    unit: str
    period: str
    year: int | None
    source: str
    status: str
    value: float | None = Field(description="as compared (a count with a base: its share)")
    raw_value: float | None = Field(description="as published")
    reference_value: float | None
    ref_n: float | None
    z: float | None
    percentile: float | None
    index: float | None
    band: str
    band_label: str
    reliability: str
    reliability_reason: str


class ComparisonPage(Schema):
    total: int
    limit: int
    offset: int
    reference: str
    items: list[ComparisonRow]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


@router.get("/comparisons", response={200: ComparisonPage, **ERROR_RESPONSES},
            operation_id="list_comparisons",
            summary="Comparison table: every area of a level against its reference set")
def list_comparisons(request: HttpRequest, filters: Query[ComparisonFilters],
                     paging: Query[PageParams]) -> dict[str, Any]:
    municipality = municipality_code(filters.municipality)
    check_municipality(request, municipality)
    stamp = import_stamp()
    local = filters.reference == "municipality"
    key = ComparisonKey("default", municipality if local else None, (filters.level,),
                        None if local else filters.year, filters.reference, stamp)
    results = comparison_for(key).results
    if results.empty:
        raise ApiError(404, _("Geen cijfers voor deze keuze."))
    rows = results[(results["municipality"] == municipality)
                   & (results["period"].astype(str).str[:4] == str(filters.year))]
    if filters.indicator:
        rows = rows[rows["indicator"] == filters.indicator]
    if filters.theme:
        rows = rows[rows["theme"] == filters.theme]
    if rows.empty:
        raise ApiError(404, _("Geen cijfers voor deze keuze."))
    rows = rows.sort_values(["indicator", "area_code", "period"])
    part = rows.iloc[paging.offset:paging.offset + paging.limit]
    status = part["status"] if "status" in part.columns else None
    items = []
    for i, r in enumerate(part.to_dict(orient="records")):
        state = _text(status.iloc[i]) if status is not None else "ok"
        shown = state == "ok"
        items.append({
            "area": r["area_code"], "area_name": _text(r["area_name"]),
            "indicator": r["indicator"], "theme": _text(r["theme"]) or None,
            "unit": _text(r["unit"]), "period": str(r["period"]),
            "year": year_of(str(r["period"])), "source": _text(r["source"]), "status": state,
            "value": finite(r["value"]) if shown else None,
            "raw_value": finite(r["raw_value"]) if shown else None,
            "reference_value": finite(r["reference_value"]), "ref_n": finite(r["ref_n"]),
            "z": finite(r["z"]) if shown else None,
            "percentile": finite(r["percentile"]) if shown else None,
            "index": finite(r["index"]) if shown else None,
            "band": _text(r["band"]), "band_label": _text(r["band_label"]),
            "reliability": _text(r["reliability"]),
            "reliability_reason": _text(r["reliability_reason"]),
        })
    return {"total": len(rows), "limit": paging.limit, "offset": paging.offset,
            "reference": filters.reference, "items": items}
