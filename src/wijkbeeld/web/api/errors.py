"""One error shape for every API answer that is not a success.

``{"error": {"code": "...", "message": "...", "details": ...}}`` with the HTTP status:

=====  ====================  ==================================================================
400    ``bad_request``       a valid parameter that makes no sense here (reference for a level)
401    ``unauthorized``      no session and no token, or an invalid, revoked or expired token
403    ``forbidden``         the role does not allow it, or another municipality's data
404    ``not_found``         unknown area, indicator, round, or no figures for the choice
405    ``method_not_allowed`` the path exists, the method does not
422    ``validation_error``  a parameter of the wrong form (``details``: one entry per problem)
500    ``server_error``      a bug; logged, never with a traceback in the answer
=====  ====================  ==================================================================
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

__all__ = [
    "ERROR_RESPONSES",
    "ApiError",
    "ErrorBody",
    "ErrorOut",
    "error_response",
    "install_handlers",
    "not_found_view",
]

log = logging.getLogger("wijkbeeld.api")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 422: "validation_error", 429: "too_many_requests",
         500: "server_error"}


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    """Every error answer of the API."""

    error: ErrorBody


#: The error statuses every operation may answer with (declared in the OpenAPI document).
ERROR_RESPONSES: dict[int, type[ErrorOut]] = {
    status: ErrorOut for status in (400, 401, 403, 404, 422, 500)
}


class ApiError(HttpError):
    """An error with its own code and details (raised by the endpoints)."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 details: Any = None) -> None:
        super().__init__(status, message)
        self.code = code or CODES.get(status, "error")
        self.details = details


def error_response(status: int, message: str, code: str | None = None,
                   details: Any = None) -> HttpResponse:
    """A JSON error answer outside ninja (unknown paths under /api/, wrong methods)."""
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message,
                      "details": details}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def _plain(value: Any) -> Any:
    """JSON-safe copy of a validation error entry (pydantic puts exceptions in ``ctx``)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != "url"}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default error answers by the one shape above."""

    def respond(request: HttpRequest, status: int, message: str, code: str | None = None,
                details: Any = None) -> HttpResponse:
        body = {"error": {"code": code or CODES.get(status, "error"), "message": message,
                          "details": details}}
        return api.create_response(request, body, status=status)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [_plain({k: e.get(k) for k in ("loc", "msg", "type")}) for e in exc.errors]
        return respond(request, 422, _("Ongeldige parameter(s)."), details=details)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else _(
            "Log in of stuur een geldig token (Authorization: Bearer …).")
        response = respond(request, 401, message)
        response["WWW-Authenticate"] = 'Bearer realm="wijkbeeld"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return respond(request, exc.status_code, exc.message, exc.code, exc.details)
        return respond(request, exc.status_code, str(exc))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("Geen toegang."))

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, str(exc) or _("Niet gevonden."))

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, _("Interne fout; de beheerder kan het logboek bekijken."))

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(Exception, on_exception)


def not_found_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/ that is no operation: the JSON 404 (not the HTML page)."""
    return error_response(404, _("Onbekend API-pad."))
