"""``/api/``: the ninja API, then a JSON 404 for every other path under it.

Ninja answers a method a path does not have with Django's plain 405; each of its views is
wrapped so that answer too has the API's error shape (and keeps its ``Allow`` header).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from wijkbeeld.web.api.errors import error_response, not_found_view
from wijkbeeld.web.api.main import api


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get(
                "Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error_response(405, _("Deze methode kan hier niet."),
                                      details={"allowed": allowed.split(", ") if allowed
                                               else []})
            response["Allow"] = allowed
        return response

    return wrapper


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if isinstance(_pattern, URLPattern):
        _pattern.callback = _json_405(_pattern.callback)

urlpatterns = [
    path("api/", (_patterns, _app_name, _namespace)),
    re_path(r"^api/(?P<rest>.*)$", not_found_view),
]
