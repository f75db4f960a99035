"""Admin for stored areas and crosswalks. Geometry is shown read-only (it is large GeoJSON text)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wijkbeeld.areas.codes import Level
from wijkbeeld.web.accounts.access import municipality_of
from wijkbeeld.web.admin_scope import ScopedModelAdmin
from wijkbeeld.web.areas.models import Area, Crosswalk

__all__ = ["AreaAdmin", "CrosswalkAdmin"]


@admin.register(Area)
class AreaAdmin(ScopedModelAdmin):
    """Areas; a municipality admin edits its own and sees national ones (NL) read-only."""

    municipality_lookups = ("municipality",)
    national_rows_visible = True
    list_display = ("code", "name", "level", "boundary_year", "municipality", "parent_code")
    list_filter = ("level", "boundary_year", "municipality")
    search_fields = ("code", "name")
    ordering = ("boundary_year", "code")
    list_per_page = 100
    raw_id_fields = ("parent", "geometry_batch")
    readonly_fields = ("has_geometry",)
    exclude = ("geometry", "geometry_web")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        # The geometry columns can hold megabytes; a list of areas never needs them.
        return super().get_queryset(request).defer("geometry", "geometry_web")

    def protected_from_delete(self, request: HttpRequest, obj: Any) -> bool:
        """Nobody deletes the organisation they belong to: the own municipality, or (for a
        national admin who is not a superuser) the country."""
        own = municipality_of(request.user)
        if own is not None:
            return bool(obj.level == Level.MUNICIPALITY and obj.code.upper() == own)
        superuser = getattr(request.user, "is_superuser", False)
        return bool(obj.level == Level.COUNTRY and not superuser)

    @admin.display(description="geometrie", boolean=True)
    def has_geometry(self, obj: Area) -> bool:
        return bool(obj.geometry)


@admin.register(Crosswalk)
class CrosswalkAdmin(ScopedModelAdmin):
    """Crosswalks come from import batches; they are not edited by hand. National data: every
    admin sees them."""

    national_rows_visible = True

    list_display = ("from_code", "from_year", "to_code", "to_year", "weight", "batch")
    list_filter = ("from_year", "to_year")
    search_fields = ("from_code", "to_code")
    list_select_related = ("batch",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
