"""Profiles and hotspots: ``/api/profiles/{code}``, ``/api/hotspots``.

Both reuse what the pages compute, so the API, the area page, the map and the CLI agree:

* a profile comes from :func:`wijkbeeld.web.pages.area_profile.area_profile_data` (the area
  page's cached comparison of the area's level in its municipality, or the wider set for
  ``nl``/``peers``), served as :meth:`wijkbeeld.compare.Profile.to_dict` (the JSON of
  ``wijkbeeld profile --json``) plus per figure its year and per indicator the trend series;
* hotspots come from :func:`wijkbeeld.web.areas.geodata.area_layer` and
  :func:`wijkbeeld.spatial.hotspots`, as ``wijkbeeld hotspots --json`` computes them, kept per
  process per (import stamp, choice) in a small cache.

Suppressed and missing cells have a null value (never a number); a theme score that is withheld
(too few figures) has a null score and its reason.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import pydantic
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, Query, Router, Schema
from ninja import Path as PathParam

from wijkbeeld.compare import Highlight, IndicatorResult, ProfileError, ThemeResult
from wijkbeeld.web.api.common import (
    EXAMPLE_INDICATOR,
    area_code,
    check_municipality,
    finite,
    json_safe,
    municipality_code,
    year_of,
)
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Observation
from wijkbeeld.web.pages.profile_cache import ImportStamp, LruCache, import_stamp

__all__ = ["router"]

router = Router(tags=["analysis"])

_TYPES: dict[str, Any] = {"float": float | None, "int": int, "str": str, "bool": bool,
                          "tuple[str, ...]": list[str]}


def _model(name: str, source: type, extra: dict[str, Any] | None = None) -> type[Schema]:
    """A response schema with the fields of a core result dataclass (floats may be null)."""
    fields: dict[str, Any] = {f.name: (_TYPES[str(f.type)], ...)
                              for f in dataclasses.fields(source)}
    fields.update(extra or {})
    model: type[Schema] = pydantic.create_model(name, __base__=Schema, **fields)
    return model


IndicatorResultOut = _model("ProfileIndicator", IndicatorResult, {"year": (int | None, ...)})
ThemeResultOut = _model("ProfileTheme", ThemeResult)
HighlightOut = _model("ProfileHighlight", Highlight)


class AreaRef(Schema):
    code: str
    name: str
    level: str
    municipality: str
    parent: str


class SeriesPointOut(Schema):
    period: str
    year: int | None
    status: str
    value: float | None


class ProfileOut(Schema):
    area: AreaRef
    boundary_year: int
    year: int | None
    years: list[int]
    reference: Literal["municipality", "nl", "parent", "peers"]
    reference_n: int
    options: dict[str, Any]
    indicators: list[IndicatorResultOut]  # type: ignore[valid-type]
    themes: list[ThemeResultOut]  # type: ignore[valid-type]
    strengths: list[HighlightOut]  # type: ignore[valid-type]
    challenges: list[HighlightOut]  # type: ignore[valid-type]
    peers: dict[str, Any] | None
    peer_names: dict[str, str]
    series: dict[str, list[SeriesPointOut]]
    theme_names: dict[str, dict[str, str]]
    notes: list[str]


def _area(code: str, boundary_year: int | None) -> Area:
    rows = Area.objects.defer("geometry", "geometry_web").filter(code=code)
    area = (rows.order_by("-boundary_year").first() if boundary_year is None
            else rows.filter(boundary_year=boundary_year).first())
    if area is None:
        raise ApiError(404, _("Onbekend gebied %(code)s.") % {"code": code})
    return area


@router.get("/profiles/{code}", response={200: ProfileOut, **ERROR_RESPONSES},
            operation_id="get_profile",
            summary="How an area stands against a reference set, per figure and theme")
def get_profile(
    request: HttpRequest, code: PathParam[str, P(example="BU0363AA01")],
    boundary_year: int | None = Query(None, ge=1900, le=2200),
    year: int | None = Query(None, ge=1900, le=2200, description="default: the latest"),
    reference: Literal["municipality", "nl", "parent", "peers"] = "municipality",
) -> dict[str, Any]:
    from wijkbeeld.web.pages.area_profile import area_profile_data, reference_choices

    parsed = area_code(code)
    check_municipality(request, parsed.municipality or "")
    area = _area(parsed.code, boundary_year)
    check_municipality(request, area.municipality)
    choices = reference_choices(area.level)
    if reference not in choices:
        raise ApiError(400, _("Referentiegroep %(ref)s past niet bij dit niveau; kies uit "
                              "%(choices)s.") % {"ref": reference, "choices": ", ".join(choices)})
    periods = (Observation.objects.filter(area=area).order_by()
               .values_list("period", flat=True).distinct())
    years = sorted({y for p in periods if (y := year_of(p)) is not None}, reverse=True)
    if not years:
        raise ApiError(404, _("Geen cijfers opgeslagen voor %(code)s.") % {"code": area.code})
    chosen = years[0] if year is None else year
    if chosen not in years:
        raise ApiError(404, _("Geen cijfers van %(code)s in %(year)s.")
                       % {"code": area.code, "year": chosen})
    try:
        data = area_profile_data(area.code, area.level, area.municipality, area.boundary_year,
                                 chosen, reference, import_stamp())
    except ProfileError as exc:
        raise ApiError(404, str(exc)) from exc
    out = json_safe(data.profile.to_dict())
    for row in out["indicators"]:
        row["year"] = year_of(row["period"])
    series = {key: [{"period": p.period, "year": year_of(p.period), "status": p.status,
                     "value": finite(p.value) if p.has_value else None} for p in points]
              for key, points in data.series.items()}
    return {**out, "boundary_year": area.boundary_year, "year": chosen,
            "years": sorted(years), "reference_n": data.reference_n,
            "peer_names": dict(data.peer_names), "series": series,
            "theme_names": {k: {"nl": nl, "en": en} for k, (nl, en) in data.theme_names.items()}}


# --- hotspots ---------------------------------------------------------------------------------


class HotspotFilters(Schema):
    municipality: str = Field(..., max_length=10, description="GM code",
                              json_schema_extra={"example": "GM0363"})
    year: int = Field(..., ge=1900, le=2200, description="year of the figures",
                      json_schema_extra={"example": 2024})
    indicator: str | None = Field(None, max_length=80, description="indicator key",
                                  json_schema_extra=EXAMPLE_INDICATOR)
    theme: str | None = Field(None, max_length=40, description="theme key (theme score)")
    level: Literal["neighbourhood", "district"] = "neighbourhood"
    boundary_year: int | None = Field(None, ge=1900, le=2200)
    permutations: int = Field(999, ge=99, le=9999, json_schema_extra={"example": 99})
    seed: int = Field(12345, ge=0, le=2**31 - 1)
    fdr: bool = False
    island_policy: Literal["attach", "exclude"] = "attach"


class HotspotArea(Schema):
    area: str
    name: str
    value: float | None
    local_i: float | None
    p: float | None
    gi_z: float | None
    gi_p: float | None
    quadrant: str
    significant: bool
    cluster_code: str
    cluster: str


class HotspotLayer(Schema):
    municipality: str
    level: str
    boundary_year: int
    kind: Literal["indicator", "theme"]
    variable: str
    label: str
    label_en: str
    polarity: str
    notes: list[str]


class HotspotsOut(Schema):
    layer: HotspotLayer
    source: str
    year: int
    period: str
    column: str
    seed: int
    permutations: int
    alternative: str
    alpha: float
    fdr: bool
    p_threshold: float | None
    significance_rule: str
    polarity: str
    graph: dict[str, Any]
    global_moran: dict[str, Any] | None
    gi_offset: float | None
    n_areas: int
    n_tested: int
    n_significant: int
    missing: list[str]
    notes: list[str]
    counts: dict[str, int]
    areas: list[HotspotArea]


HOTSPOTS = LruCache(8, shared="hotspots")


def _hotspots(key: tuple[Any, ...]) -> dict[str, Any]:
    from wijkbeeld.spatial import SpatialOptions, hotspots
    from wijkbeeld.web.areas.geodata import area_layer

    (_stamp, municipality, year, indicator, theme, level, boundary_year, permutations, seed,
     fdr, island_policy) = key
    layer = area_layer(municipality, year, indicator=indicator, theme=theme, level=level,
                       boundary_year=boundary_year)
    options = SpatialOptions(permutations=permutations, seed=seed, fdr=fdr,
                             island_policy=island_policy, polarity=layer.polarity)
    result = hotspots(layer.areas, "value", options)
    out = json_safe(result.to_dict())
    names = layer.areas["name"].astype(str).to_dict()
    for row in out["areas"]:
        row["name"] = names.get(row["area"], "")
    out["layer"] = {"municipality": layer.municipality, "level": layer.level,
                    "boundary_year": layer.boundary_year, "kind": layer.kind,
                    "variable": layer.variable, "label": layer.label,
                    "label_en": layer.label_en, "polarity": layer.polarity,
                    "notes": list(layer.notes)}
    out.update({"source": layer.source, "year": layer.year, "period": layer.period})
    return out


@router.get("/hotspots", response={200: HotspotsOut, **ERROR_RESPONSES},
            operation_id="get_hotspots",
            summary="Where challenges concentrate: Local Moran's I and Gi* per area")
def get_hotspots(request: HttpRequest, filters: Query[HotspotFilters]) -> dict[str, Any]:
    """One of ``indicator`` or ``theme``. As ``wijkbeeld hotspots --json``."""
    from wijkbeeld.web.areas.geodata import LayerError

    municipality = municipality_code(filters.municipality)
    check_municipality(request, municipality)
    if (filters.indicator is None) == (filters.theme is None):
        raise ApiError(400, _("Kies een indicator of een thema (één van beide)."))
    stamp: ImportStamp = import_stamp()
    key = (stamp, municipality, filters.year, filters.indicator, filters.theme, filters.level,
           filters.boundary_year, filters.permutations, filters.seed, filters.fdr,
           filters.island_policy)
    try:
        found: dict[str, Any] = HOTSPOTS.get((_Key(stamp), key), lambda: _hotspots(key), stamp)
    except LayerError as exc:
        raise ApiError(404, str(exc)) from exc
    return found


@dataclasses.dataclass(frozen=True)
class _Key:
    """The first element of a cache key carries the import stamp (see ``LruCache``)."""

    stamp: ImportStamp
