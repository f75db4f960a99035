"""API tokens in the admin: make one (shown once, on the page that answers the form), see who
has one and when it was last used, and revoke it. The admin stores only the token's digest, like
``wijkbeeld api token USER``; the token itself never goes into a message, a cookie or the
session."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from wijkbeeld.web.admin_scope import ScopedModelAdmin
from wijkbeeld.web.api.models import ApiToken
from wijkbeeld.web.api.tokens import PREFIX, digest


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedModelAdmin):
    municipality_lookups = ("user__municipality",)  # the tokens of the own municipality's users
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "expires_at",
                    "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "name")
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "expires_at",
                "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["user", "prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if not change:
            token = PREFIX + secrets.token_urlsafe(32)
            obj.prefix, obj.digest = token[:10], digest(token)
            request._new_api_token = token  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def response_add(self, request: HttpRequest, obj: ApiToken,
                     post_url_continue: str | None = None) -> HttpResponse:
        token = getattr(request, "_new_api_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "token": token, "row": obj,
                   "opts": self.opts}
        response = TemplateResponse(request, "api/token_created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Geselecteerde tokens intrekken"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
