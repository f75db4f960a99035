"""Areas and their stored figures: ``/api/areas``, ``/api/areas/{code}``, ``/api/figures``.

Lists are scoped like the pages: a user tied to a municipality sees its areas (and areas of no
municipality, the country); asking for another municipality is a 403. Figures are served as
stored, each with its source and year; a suppressed (geheim) or missing cell has ``value`` null
and its status, never a number.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, P, Query, Router, Schema
from ninja import Path as PathParam

from wijkbeeld.areas.names import display_name
from wijkbeeld.figures.display import format_figure
from wijkbeeld.web.accounts.access import scope_by_municipality
from wijkbeeld.web.api.common import (
    EXAMPLE_INDICATOR,
    PageParams,
    area_code,
    check_municipality,
    municipality_code,
    page,
    year_of,
)
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError
from wijkbeeld.web.areas.finding import find_areas
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Observation

__all__ = ["router"]

router = Router(tags=["areas"])

LevelName = Literal["country", "municipality", "district", "neighbourhood"]


class AreaOut(Schema):
    code: str
    name: str
    display_name: str = Field(description=(
        "the name as people read it: level words dropped ('Morgenstond', not 'Wijk 34 "
        "Morgenstond'); the code when there is no name"))
    level: str
    boundary_year: int
    municipality: str
    parent_code: str
    has_geometry: bool


class AreaPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[AreaOut]


class AreaFilters(Schema):
    municipality: str | None = Field(None, max_length=10, description="GM code",
                                      json_schema_extra={"example": "GM0363"})
    level: LevelName | None = None
    boundary_year: int | None = Field(None, ge=1900, le=2200, description="indeling")
    q: str | None = Field(None, max_length=100, description=(
        "name or code, typos allowed; best match first, latest boundary year per code"))


class AreaDetail(AreaOut):
    parent: AreaOut | None
    children: list[AreaOut]
    boundary_years: list[int]
    figure_years: list[int]
    n_figures: int
    geometry: dict[str, Any] | None = Field(None, description="simplified GeoJSON, WGS84")


class FigureOut(Schema):
    area: str
    area_name: str
    boundary_year: int
    indicator: str
    indicator_name: str
    unit: str
    period: str
    year: int | None
    value: float | None = Field(description="null unless status is ok")
    value_text: str | None = Field(description=(
        "the value as the pages show it, with its unit ('7,8 %', '€ 312.000'; English with "
        "Accept-Language: en); null unless status is ok. For reading, not for computing: use "
        "value"))
    status: Literal["ok", "suppressed", "missing"]
    source: str
    source_column: str


class FigurePage(Schema):
    total: int
    limit: int
    offset: int
    items: list[FigureOut]


class FigureFilters(Schema):
    area: str | None = Field(None, max_length=12, description="CBS code (any boundary year)",
                             json_schema_extra={"example": "BU0363AA01"})
    indicator: str | None = Field(None, max_length=80, description="indicator key",
                                  json_schema_extra=EXAMPLE_INDICATOR)
    year: int | None = Field(None, ge=1900, le=2200, description="only periods of this year")
    municipality: str | None = Field(None, max_length=10, description="GM code")
    level: LevelName | None = None
    boundary_year: int | None = Field(None, ge=1900, le=2200)
    status: Literal["ok", "suppressed", "missing"] | None = None


_AREA_FIELDS = ("code", "name", "level", "boundary_year", "municipality", "parent_code")


def _area_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in _AREA_FIELDS}, "has_geometry": bool(row["has_geometry"]),
            "display_name": display_name(row["name"], row["code"])}


def _areas(request: HttpRequest) -> Any:
    return scope_by_municipality(Area.objects.all(), request.user).annotate(
        has_geometry=~Q(geometry=""))


@router.get("/areas", response={200: AreaPage, **ERROR_RESPONSES}, operation_id="list_areas",
            summary="Areas (gemeenten, wijken, buurten) per boundary year")
def list_areas(request: HttpRequest, filters: Query[AreaFilters],
               paging: Query[PageParams]) -> dict[str, Any]:
    qs = _areas(request)
    if filters.municipality:
        code = municipality_code(filters.municipality)
        check_municipality(request, code)
        qs = qs.filter(municipality=code)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.boundary_year is not None:
        qs = qs.filter(boundary_year=filters.boundary_year)
    if filters.q and filters.q.strip():
        return _ranked_page(qs, filters.q, paging)
    qs = qs.order_by("boundary_year", "code").values(*_AREA_FIELDS, "has_geometry")
    return page(qs, paging, lambda rows: [_area_out(r) for r in rows])


def _ranked_page(qs: Any, query: str, paging: PageParams) -> dict[str, Any]:
    """One page of the name search (``q``): the areas of ``qs`` ranked by
    :func:`~wijkbeeld.web.areas.finding.find_areas` (best first, latest boundary year per
    code), in the same shape as the plain list."""
    matches = find_areas(qs, query, limit=None)
    chosen = [(m.area.code, m.area.boundary_year)
              for m in matches[paging.offset:paging.offset + paging.limit]]
    wanted = Q(pk__in=[])
    for code, year in chosen:
        wanted |= Q(code=code, boundary_year=year)
    rows = {(r["code"], r["boundary_year"]): r
            for r in qs.filter(wanted).values(*_AREA_FIELDS, "has_geometry")}
    return {"total": len(matches), "limit": paging.limit, "offset": paging.offset,
            "items": [_area_out(rows[key]) for key in chosen if key in rows]}


@router.get("/areas/{code}", response={200: AreaDetail, **ERROR_RESPONSES},
            operation_id="get_area", summary="One area: parent, children, years")
def get_area(request: HttpRequest, code: PathParam[str, P(example="WK0363AF")],
             boundary_year: int | None = Query(None, ge=1900, le=2200),
             geometry: bool = False) -> dict[str, Any]:
    """The area in ``boundary_year`` (default: its newest stored boundary year)."""
    parsed = area_code(code)
    check_municipality(request, parsed.municipality or "")
    rows = Area.objects.filter(code=parsed.code).order_by("-boundary_year")
    years = list(rows.values_list("boundary_year", flat=True))
    if not years:
        raise ApiError(404, _("Onbekend gebied %(code)s.") % {"code": parsed.code})
    year = years[0] if boundary_year is None else boundary_year
    if year not in years:
        raise ApiError(404, _("Gebied %(code)s staat niet in indeling %(year)s.")
                       % {"code": parsed.code, "year": year})
    area = Area.objects.get(code=parsed.code, boundary_year=year)
    check_municipality(request, area.municipality)
    listed = Area.objects.annotate(has_geometry=~Q(geometry="")).order_by("code")
    parent = listed.filter(pk=area.parent_id).values(*_AREA_FIELDS, "has_geometry").first() \
        if area.parent_id else None
    children = listed.filter(parent=area).values(*_AREA_FIELDS, "has_geometry")
    periods = (Observation.objects.filter(area=area).order_by()
               .values_list("period", flat=True).distinct())
    counted = Observation.objects.filter(area=area).aggregate(n=Count("id"))["n"]
    out = _area_out({**{k: getattr(area, k) for k in _AREA_FIELDS},
                     "has_geometry": bool(area.geometry)})
    geo = None
    if geometry and (area.geometry_web or area.geometry):
        import json

        geo = json.loads(area.geometry_web or area.geometry)
    return {**out, "parent": _area_out(parent) if parent else None,
            "children": [_area_out(c) for c in children], "boundary_years": sorted(years),
            "figure_years": sorted({y for p in periods if (y := year_of(p)) is not None}),
            "n_figures": counted, "geometry": geo}


_FIGURE_FIELDS = ("area__code", "area__name", "area__boundary_year", "indicator__key",
                  "indicator__name_nl", "indicator__unit", "period", "value", "status",
                  "batch__source", "source_column")


def _figure_out(row: tuple[Any, ...]) -> dict[str, Any]:
    (code, name, by, key, ind_name, unit, period, value, status, source, column) = row
    ok = status == Observation.Status.OK and value is not None
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return {"area": code, "area_name": name, "boundary_year": by, "indicator": key,
            "indicator_name": ind_name, "unit": unit, "period": period, "year": year_of(period),
            "value": value if status == Observation.Status.OK else None,
            "value_text": format_figure(value, unit, lang) if ok else None, "status": status,
            "source": source, "source_column": column}


@router.get("/figures", response={200: FigurePage, **ERROR_RESPONSES},
            operation_id="list_figures", tags=["figures"],
            summary="Stored figures per area and indicator, with source and year")
def list_figures(request: HttpRequest, filters: Query[FigureFilters],
                 paging: Query[PageParams]) -> dict[str, Any]:
    """At least one of ``area``, ``indicator`` or ``municipality`` is required."""
    if not (filters.area or filters.indicator or filters.municipality):
        raise ApiError(400, _("Kies een gebied, een indicator of een gemeente."))
    qs = scope_by_municipality(Observation.objects.all(), request.user, "area__municipality")
    if filters.area:
        parsed = area_code(filters.area)
        check_municipality(request, parsed.municipality or "")
        qs = qs.filter(area__code=parsed.code)
    if filters.municipality:
        gm = municipality_code(filters.municipality)
        check_municipality(request, gm)
        qs = qs.filter(area__municipality=gm)
    if filters.indicator:
        qs = qs.filter(indicator__key=filters.indicator)
    if filters.year is not None:
        qs = qs.filter(period__startswith=str(filters.year))
    if filters.level:
        qs = qs.filter(area__level=filters.level)
    if filters.boundary_year is not None:
        qs = qs.filter(area__boundary_year=filters.boundary_year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    qs = qs.order_by("area__code", "indicator__key", "period", "area__boundary_year").values_list(
        *_FIGURE_FIELDS)
    return page(qs, paging, lambda rows: [_figure_out(r) for r in rows])
