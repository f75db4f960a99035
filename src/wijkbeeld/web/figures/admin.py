"""Admin for themes and indicators (editable) and import batches (read-only: a batch is a record
of what was imported, by whom and when; its figures are changed by importing, not by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest

from wijkbeeld.web.admin_scope import ScopedModelAdmin
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation, Theme

__all__ = ["ImportBatchAdmin", "IndicatorAdmin", "ThemeAdmin"]


@admin.register(Theme)
class ThemeAdmin(ScopedModelAdmin):
    national_rows_visible = True  # national: read-only for a municipality admin
    list_display = ("key", "name_nl", "name_en")
    search_fields = ("key", "name_nl", "name_en")


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    national_rows_visible = True  # national definitions: read-only for a municipality admin
    list_display = ("key", "name_nl", "theme", "unit", "polarity", "context_only", "source")
    list_filter = ("theme", "unit", "polarity", "context_only", "source")
    search_fields = ("key", "name_nl", "name_en", "description")
    list_select_related = ("theme",)
    autocomplete_fields = ("base",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedModelAdmin):
    """A municipality admin sees the batches that hold its areas or figures, and the national
    crosswalks; not what other municipalities uploaded (file names, who)."""

    national_rows_visible = True
    list_display = (
        "created_at", "kind", "file_name", "source", "boundary_year", "rows", "cells", "who",
        "outcome",
    )
    list_filter = ("kind", "outcome", "boundary_year", "source")
    search_fields = ("file_name", "sha256", "source", "who")
    date_hierarchy = "created_at"

    def own_filter(self, code: str) -> Q:
        return Q(Exists(Observation.objects.filter(batch=OuterRef("pk"), area__municipality=code))
                 ) | Q(Exists(Area.objects.filter(geometry_batch=OuterRef("pk"),
                                                  municipality=code)))

    def national_filter(self) -> Q:
        return Q(kind=ImportBatch.Kind.CROSSWALK)

    def belongs_to(self, obj: Any, code: str) -> bool:
        return ImportBatch.objects.filter(self.own_filter(code), pk=obj.pk).exists()

    def is_national(self, obj: Any) -> bool:
        return bool(obj.kind == ImportBatch.Kind.CROSSWALK)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
