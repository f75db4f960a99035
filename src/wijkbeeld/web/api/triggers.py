"""Aanleidingen (triggers) in the API: list an area's triggers, read, create, edit, change status.

* ``GET /api/areas/{code}/triggers``: every reader of the area's municipality;
* ``POST /api/triggers``: analysts and admins record one (``area_code`` in the body); the
  description is scrubbed first;
* ``PATCH /api/triggers/{trigger_id}``: analysts and admins edit description, date, source,
  themes (fields left out stay as they are);
* ``POST /api/triggers/{trigger_id}/status``: analysts and admins close a trigger (``vervaagd``,
  ``opgelost``) or open it again (``actief``) from a date; the history keeps every change.

Same roles and municipality scoping as the pages (:mod:`wijkbeeld.web.voices.trigger_views`);
a rule the service refuses (unknown source or theme, a date before the trigger) is a 422. Each
operation only turns the request into a call of :mod:`wijkbeeld.web.voices.triggers`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, Router, Schema, Status
from ninja import Path as PathParam

from wijkbeeld.web.accounts.access import ANALYSTS
from wijkbeeld.web.api.auth import api_auth
from wijkbeeld.web.api.common import area_code, check_municipality
from wijkbeeld.web.api.errors import ERROR_RESPONSES, ApiError

__all__ = ["router"]

router = Router(tags=["triggers"])


class StatusChangeOut(Schema):
    status: str
    date: dt.date


class TriggerOut(Schema):
    id: int
    area_code: str
    date: dt.date
    source: str = Field(description="bewoners, gemeente, rijk, incident, nieuws, raadsvraag, "
                                    "professionals or overig")
    themes: list[str] = Field(description="theme keys; empty: about the whole area")
    description: str = Field(description="scrubbed of personal data")
    status: str = Field(description="actief, vervaagd or opgelost")
    status_since: dt.date
    history: list[StatusChangeOut] = Field(description="every status, oldest first")


class TriggerListOut(Schema):
    area_code: str
    items: list[TriggerOut]


class TriggerIn(Schema):
    area_code: str = Field(max_length=12, examples=["WK0363AF"])
    date: dt.date
    source: str = Field(max_length=20)
    themes: list[str] = Field(default_factory=list, max_length=20)
    description: str = Field(min_length=1, max_length=2000)


class TriggerPatch(Schema):
    date: dt.date | None = None
    source: str | None = Field(None, max_length=20)
    themes: list[str] | None = Field(None, max_length=20)
    description: str | None = Field(None, min_length=1, max_length=2000)


class StatusIn(Schema):
    status: str = Field(max_length=10, description="vervaagd, opgelost or actief")
    date: dt.date


def _out(row: Any) -> dict[str, Any]:
    return {"id": row.pk, "area_code": row.area.code, "date": row.date, "source": row.source,
            "themes": [str(t) for t in row.themes or []], "description": row.description,
            "status": row.status, "status_since": row.status_since,
            "history": [{"status": h["status"], "date": dt.date.fromisoformat(str(h["date"]))}
                        for h in row.history or []]}


def _area(request: HttpRequest, code: str) -> Any:
    from wijkbeeld.web.areas.models import Area

    parsed = area_code(code)
    check_municipality(request, parsed.municipality or "")
    area = (Area.objects.defer("geometry", "geometry_web").filter(code=parsed.code)
            .order_by("-boundary_year").first())
    if area is None:
        raise ApiError(404, _("Onbekende gebiedscode."))
    check_municipality(request, area.municipality)
    return area


def _trigger(request: HttpRequest, trigger_id: int) -> Any:
    from wijkbeeld.web.voices.models import Trigger

    row = Trigger.objects.select_related("area").filter(pk=trigger_id).first()
    if row is None:
        raise ApiError(404, _("Deze aanleiding bestaat niet."))
    check_municipality(request, row.area.municipality)
    return row


def _refused(exc: ValueError) -> ApiError:
    return ApiError(422, str(exc), details=[{"loc": ["body"], "msg": str(exc),
                                             "type": "trigger"}])


@router.get("/areas/{code}/triggers", response={200: TriggerListOut, **ERROR_RESPONSES},
            operation_id="list_triggers", summary="The aanleidingen (triggers) of an area")
def list_triggers(request: HttpRequest,
                  code: PathParam[str, P(example="WK0363AF")]) -> dict[str, Any]:
    from wijkbeeld.web.voices.triggers import area_trigger_rows

    area = _area(request, code)
    return {"area_code": area.code, "items": [_out(r) for r in area_trigger_rows(area.code)]}


@router.post("/triggers", response={201: TriggerOut, **ERROR_RESPONSES},
             operation_id="create_trigger", summary="Record an aanleiding (analysts, admins)",
             auth=api_auth(ANALYSTS))
def create_trigger(request: HttpRequest, body: TriggerIn) -> Status:
    from wijkbeeld.web.voices.triggers import record_trigger

    area = _area(request, body.area_code)
    try:
        row = record_trigger(area, body.description, when=body.date, source=body.source,
                             themes=body.themes)
    except ValueError as exc:
        raise _refused(exc) from exc
    return Status(201, _out(row))


@router.patch("/triggers/{trigger_id}", response={200: TriggerOut, **ERROR_RESPONSES},
              operation_id="update_trigger", summary="Edit an aanleiding (analysts, admins)",
              auth=api_auth(ANALYSTS))
def update_trigger(request: HttpRequest, trigger_id: int, body: TriggerPatch) -> dict[str, Any]:
    from wijkbeeld.web.voices.triggers import update_trigger as update

    row = _trigger(request, trigger_id)
    try:
        update(row, description=body.description, source=body.source, themes=body.themes,
               when=body.date)
    except ValueError as exc:
        raise _refused(exc) from exc
    return _out(row)


@router.post("/triggers/{trigger_id}/status", response={200: TriggerOut, **ERROR_RESPONSES},
             operation_id="set_trigger_status",
             summary="Close an aanleiding or open it again (analysts, admins)",
             auth=api_auth(ANALYSTS))
def set_status(request: HttpRequest, trigger_id: int, body: StatusIn) -> dict[str, Any]:
    from wijkbeeld.web.voices.triggers import set_trigger_status

    row = _trigger(request, trigger_id)
    try:
        set_trigger_status(row, body.status, on=body.date)
    except ValueError as exc:
        raise _refused(exc) from exc
    return _out(row)
