"""Urgency rounds and matrices: ``/api/urgency/rounds``, ``/api/urgency/{code}``.

The matrix is the dashboard's (:func:`wijkbeeld.web.urgency.reading.area_matrix`, served as
:meth:`wijkbeeld.urgency.UrgencyMatrix.to_dict`): a measure computed from fewer answers than the
site's minimum (``WIJKBEELD_MIN_GROUP_SIZE``) is withheld, so it is not in the object and not in
the answer (its cell has ``withheld: true`` and null numbers). The figures beside the ratings
(theme scores) carry their year; ``figures_sources`` names where the area's figures come from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, Query, Router, Schema
from ninja import Path as PathParam

from wijkbeeld.web.accounts.access import municipality_of
from wijkbeeld.web.api.common import PageParams, area_code, check_municipality, json_safe, page
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError
from wijkbeeld.web.figures.models import Observation

__all__ = ["router"]

router = Router(tags=["urgency"])


class RoundOut(Schema):
    key: str
    title: str
    held_on: date
    status: str
    themes: list[str]
    areas: list[str]


class RoundPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[RoundOut]


class RoundInfoOut(Schema):
    key: str
    held_on: str
    year: int
    label: str
    blind: bool | None = Field(
        None, description="true: every rating was asked before any figure was shown; false: "
                          "not asked blind (older form or imported); null: no answers")


class MatrixOut(Schema):
    area_code: str
    round: RoundInfoOut
    rounds: list[RoundInfoOut]
    groups: list[dict[str, str]]
    themes: list[dict[str, Any]] = Field(
        description="per theme: class, consensus, gap, a cell per group (withheld cells "
                    "carry no numbers) and alerts")
    alerts: list[dict[str, Any]]
    withheld: list[dict[str, Any]]
    picture_shift: list[dict[str, Any]] = Field(
        default_factory=list,
        description="per theme and group the mean rating blind and after the picture, the "
                    "shift and whether the picture changes the urgency (|shift| >= 0.5); "
                    "fewer than the minimum: withheld, no numbers")
    options: dict[str, Any]
    figures_sources: list[str]


@router.get("/urgency/rounds", response={200: RoundPage, **ERROR_RESPONSES},
            operation_id="list_rounds", summary="Urgency rounds (peilingen)")
def list_rounds(request: HttpRequest, paging: Query[PageParams],
                area: str | None = Query(None, max_length=12)) -> dict[str, Any]:
    from wijkbeeld.web.urgency.models import Round

    qs = Round.objects.all()
    own = municipality_of(request.user)
    if own is not None:
        qs = qs.filter(areas__municipality=own).distinct()
    if area:
        parsed = area_code(area)
        check_municipality(request, parsed.municipality or "")
        qs = qs.filter(areas__code=parsed.code).distinct()
    qs = qs.prefetch_related("areas").order_by("-held_on", "key")

    def rows(found: list[Any]) -> list[dict[str, Any]]:
        return [{"key": r.key, "title": r.title, "held_on": r.held_on, "status": r.status,
                 "themes": [str(t) for t in r.themes or []],
                 "areas": sorted({a.code for a in r.areas.all()})} for r in found]

    return page(qs, paging, rows)


@router.get("/urgency/{code}", response={200: MatrixOut, **ERROR_RESPONSES},
            operation_id="get_urgency_matrix",
            summary="Themes x stakeholder groups of an area in one round")
def get_matrix(request: HttpRequest, code: PathParam[str, P(example="WK0363AF")],
               round: str | None = Query(None, max_length=60, description="round key; "
                                         "default the latest with answers"),
               with_figures: bool = True) -> dict[str, Any]:
    from wijkbeeld.urgency import UrgencyError
    from wijkbeeld.web.urgency.reading import area_matrix

    parsed = area_code(code)
    check_municipality(request, parsed.municipality or "")
    try:
        matrix = area_matrix(parsed.code, round_key=round or None, with_figures=with_figures)
    except UrgencyError as exc:
        raise ApiError(404, _("Voor dit gebied zijn nog geen antwoorden.")
                       if round is None else str(exc)) from exc
    sources = sorted({s for s in Observation.objects.filter(area__code=parsed.code)
                      .order_by().values_list("batch__source", flat=True).distinct() if s})
    return {**json_safe(matrix.to_dict()), "figures_sources": sources}
