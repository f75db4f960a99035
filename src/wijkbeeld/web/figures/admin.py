"""Admin for themes and indicators (editable) and import batches (read-only: a batch is a record
of what was imported, by whom and when; its figures are changed by importing, not by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wijkbeeld.web.accounts.admin_site import RoleModelAdmin
from wijkbeeld.web.figures.models import ImportBatch, Indicator, Theme

__all__ = ["ImportBatchAdmin", "IndicatorAdmin", "ThemeAdmin"]


@admin.register(Theme)
class ThemeAdmin(RoleModelAdmin):
    list_display = ("key", "name_nl", "name_en")
    search_fields = ("key", "name_nl", "name_en")


@admin.register(Indicator)
class IndicatorAdmin(RoleModelAdmin):
    list_display = ("key", "name_nl", "theme", "unit", "polarity", "context_only", "source")
    list_filter = ("theme", "unit", "polarity", "context_only", "source")
    search_fields = ("key", "name_nl", "name_en", "description")
    list_select_related = ("theme",)
    autocomplete_fields = ("base",)


@admin.register(ImportBatch)
class ImportBatchAdmin(RoleModelAdmin):
    list_display = (
        "created_at", "kind", "file_name", "source", "boundary_year", "rows", "cells", "who",
        "outcome",
    )
    list_filter = ("kind", "outcome", "boundary_year", "source")
    search_fields = ("file_name", "sha256", "source", "who")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
