"""``/api/me``: who the API takes the caller to be (handy to check a token)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from wijkbeeld.web.accounts.access import municipality_of
from wijkbeeld.web.api.errors import ERROR_RESPONSES

__all__ = ["router"]

router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    role: str
    municipality: str | None
    via: Literal["session", "token"]


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, operation_id="get_me",
            summary="The signed-in user or the token's user")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    role = "admin" if user.is_superuser else str(user.role)
    return {"username": user.get_username(), "role": role,
            "municipality": municipality_of(user), "via": getattr(request, "api_via", "session")}
