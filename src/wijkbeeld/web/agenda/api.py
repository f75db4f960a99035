"""The agenda in the JSON API: ``/api/agenda/{code}`` and ``/api/agenda/network``.

Same rules as the pages: a caller tied to a municipality gets 403 for another municipality's
area; drafts (``concept``) only for professionals, analysts and admins; the learning network is
aggregates only, under the small-number rule (``WIJKBEELD_MIN_GROUP_SIZE``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, Query, Router, Schema
from ninja import Path as PathParam

from wijkbeeld.web.agenda.network import network_comparison
from wijkbeeld.web.agenda.reading import agenda_state, state_dict, visible_agendas
from wijkbeeld.web.api.common import area_code, check_municipality, json_safe
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError

__all__ = ["router"]

router = Router(tags=["agenda"])


class AgendaOut(Schema):
    id: int
    area_code: str
    municipality: str
    title: str
    status: str = Field(description="concept or vastgesteld")
    agreed_on: str | None
    min_n: int
    items: list[dict[str, Any]] = Field(
        description="per item: current version, every version (history is never edited "
                    "away), parties, progress per target, actions and the persistence alert")
    coverage: list[dict[str, Any]]
    notes: list[str]
    timeline: list[dict[str, Any]] | None


class NetworkOut(Schema):
    municipalities: list[str]
    themes: list[str]
    min_n: int
    cells: list[dict[str, Any]] = Field(
        description="per municipality x theme: mean theme score (null when the indicator sets "
                    "differ), urgency classes and group shares (null when withheld), progress")
    notes: list[str]


@router.get("/agenda/network", response={200: NetworkOut, **ERROR_RESPONSES},
            operation_id="get_agenda_network",
            summary="Learning network: municipalities side by side (aggregates only)")
def get_network(request: HttpRequest) -> dict[str, Any]:
    return dict(json_safe(network_comparison().to_dict()))


@router.get("/agenda/{code}", response={200: AgendaOut, **ERROR_RESPONSES},
            operation_id="get_agenda", summary="The neighbourhood agenda of an area")
def get_agenda(request: HttpRequest, code: PathParam[str, P(example="WK051834")],
               timeline: bool = Query(False, description="add the combined timeline")
               ) -> dict[str, Any]:
    parsed = area_code(code)
    check_municipality(request, parsed.municipality or "")
    agenda = visible_agendas(request.user).filter(area_code=parsed.code).order_by("-id").first()
    if agenda is None:
        raise ApiError(404, _("Voor dit gebied is (nog) geen agenda."))
    return dict(json_safe(
        state_dict(agenda_state(agenda), with_timeline=timeline)))
