"""The API object: routers, authentication, error handlers and the OpenAPI document.

Routers are mounted under ``/api/``. Every operation needs a signed-in reader (session) or a
token (:mod:`wijkbeeld.web.api.auth`); the OpenAPI document (``/api/openapi.json``) and its
documentation page (``/api/docs``, Swagger UI served from django-ninja's own static files, no
CDN) are public: they describe the API, not the data.

Adding a router (e.g. the agenda of issue 11): write ``router = Router(tags=[...])`` in the app
(``wijkbeeld/web/<app>/api.py``), declare ``response={200: ..., **ERROR_RESPONSES}`` on each
operation, and add one entry to :data:`ROUTERS` below. Operations that change data set
``auth=api_auth(PROFESSIONALS)`` (or another role set); the session then needs a CSRF token.
"""

from __future__ import annotations

from django.utils.module_loading import import_string
from ninja import NinjaAPI, Router, Swagger

from wijkbeeld.web.api.auth import api_auth
from wijkbeeld.web.api.errors import install_handlers

__all__ = ["ROUTERS", "api", "build_api"]

#: (URL prefix under /api/, dotted path of a ninja Router). One line per app.
ROUTERS: tuple[tuple[str, str], ...] = (
    ("", "wijkbeeld.web.api.me.router"),
    ("", "wijkbeeld.web.api.areas.router"),
    ("", "wijkbeeld.web.api.indicators.router"),
    ("", "wijkbeeld.web.api.analysis.router"),
    ("", "wijkbeeld.web.api.comparisons.router"),
    ("", "wijkbeeld.web.api.urgency.router"),
    ("", "wijkbeeld.web.api.triggers.router"),  # issue 17: aanleidingen
    ("", "wijkbeeld.web.agenda.api.router"),  # issue 11: the neighbourhood agenda
)

DESCRIPTION = """\
wijkbeeld's JSON API: areas, the indicator catalogue, stored figures, area profiles, comparison
tables, hotspots and urgency matrices, with the same roles, municipality scoping and
small-number rules as the web pages. Sign in on the site (session) or send
`Authorization: Bearer <token>` (a token from `wijkbeeld api token USER`). Lists take `limit`
and `offset` and answer `total`. Every error is `{"error": {"code", "message", "details"}}`.
Every figure carries its source and year. See docs/api.md.
"""


def build_api(urls_namespace: str = "api") -> NinjaAPI:
    """A fresh API object with every router of :data:`ROUTERS`."""
    api = NinjaAPI(
        title="wijkbeeld API", version="1", description=DESCRIPTION,
        urls_namespace=urls_namespace, auth=api_auth(),
        # Swagger UI from ninja's static files; no validator badge (it would call out).
        docs=Swagger(settings={"validatorUrl": None}), docs_url="/docs",
    )
    install_handlers(api)
    for prefix, dotted in ROUTERS:
        router: Router = import_string(dotted)
        api.add_router(prefix, router)
    return api


api = build_api()
