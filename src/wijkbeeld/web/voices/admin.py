"""Admin: the audit log of full-text reads, read-only and for the admin role only (AVG: an admin
can show who read which voice, and when; nobody can change or remove the record by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wijkbeeld.web.admin_scope import ScopedModelAdmin
from wijkbeeld.web.voices.models import TextReadAudit

__all__ = ["TextReadAuditAdmin"]


@admin.register(TextReadAudit)
class TextReadAuditAdmin(ScopedModelAdmin):
    # A municipality admin sees reads of its voices and reads by its users, nothing else.
    municipality_lookups = ("voice__area__municipality", "user__municipality")
    list_display = ("read_at", "user", "voice", "voice_area")
    list_filter = ("read_at",)
    search_fields = ("user__username", "voice__id")
    date_hierarchy = "read_at"
    list_select_related = ("user", "voice", "voice__area")
    fields = ("read_at", "user", "voice")
    readonly_fields = ("read_at", "user", "voice")

    @admin.display(description="gebied")
    def voice_area(self, obj: TextReadAudit) -> str:
        return str(obj.voice.area.code)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
