"""The admin, limited to the admin's own municipality (issue 18, finding 4).

An admin tied to a municipality (role ``admin``, ``municipality`` = a GM code) manages that
municipality only; an admin without one (national) and a superuser manage everything.
:class:`ScopedModelAdmin` is the one place that rule lives; every model admin of wijkbeeld
derives from it and only says how its rows reach a municipality:

* ``municipality_lookups``: ORM paths to a GM code (``"municipality"``, ``"user__municipality"``).
  A row belongs to a municipality when any path holds its code. A model without paths is shared
  (national reference data such as the indicator catalogue).
* ``national_rows_visible``: rows of no municipality (or every row of a shared model) are shown
  to a municipality admin, read-only. Off by default, so a new admin that declares nothing shows
  a municipality admin nothing rather than everything.

What a municipality admin gets: lists of its own rows (plus read-only national rows where
allowed); a 404 for any other object by URL (the same answer as for an id that does not exist,
so the URL tells nothing); forms whose foreign keys offer only rows it may see and whose
municipality field offers only its own code, so it can neither create nor move anything into
another municipality nor make it national; and :meth:`~ScopedModelAdmin.save_model` refuses what
slipped past a form anyway. Nobody, superusers included, deletes the organisation they belong to
(:meth:`~ScopedModelAdmin.protected_from_delete`).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Field, Q, QuerySet
from django.http import Http404, HttpRequest

from wijkbeeld.web.accounts.access import municipality_of
from wijkbeeld.web.accounts.admin_site import RoleModelAdmin

__all__ = ["ScopedModelAdmin", "admin_municipality", "lookup_values"]


def admin_municipality(request: HttpRequest) -> str | None:
    """The GM code the signed-in admin is limited to; None for superusers and national admins."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "is_superuser", False):
        return None
    return municipality_of(user)


def lookup_values(obj: Any, lookup: str) -> str:
    """Follow ``lookup`` (``"voice__area__municipality"``) through attributes; "" where it ends."""
    value: Any = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value).strip().upper()


class ScopedModelAdmin(RoleModelAdmin):
    """A model admin that a municipality admin sees through its own municipality only."""

    #: ORM paths from the model to a GM code; empty for shared (national) data.
    municipality_lookups: tuple[str, ...] = ()
    #: Show rows of no municipality (or a shared model's rows) to a municipality admin, read-only.
    national_rows_visible: bool = False

    # --- which rows ------------------------------------------------------------------------------

    def own_filter(self, code: str) -> Q:
        """The rows of municipality ``code`` (matches nothing for a shared model)."""
        if not self.municipality_lookups:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{path: code}) for path in self.municipality_lookups))

    def national_filter(self) -> Q:
        """The rows of no municipality (every row of a shared model)."""
        if not self.municipality_lookups:
            return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when or-ed
        return Q(**{self.municipality_lookups[0]: ""})

    def belongs_to(self, obj: Any, code: str) -> bool:
        """Does ``obj`` (saved or not) belong to municipality ``code``?"""
        return any(lookup_values(obj, path) == code for path in self.municipality_lookups)

    def is_national(self, obj: Any) -> bool:
        """Is ``obj`` a row of no municipality (or of a shared model)?"""
        return all(lookup_values(obj, path) == "" for path in self.municipality_lookups)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        code = admin_municipality(request)
        if code is None:
            return queryset
        wanted = self.own_filter(code)
        if self.national_rows_visible:
            wanted |= self.national_filter()
        return queryset.filter(wanted)

    def get_object(self, request: HttpRequest, object_id: str,
                   from_field: str | None = None) -> Any:
        """A municipality admin gets 404 for an object outside its scope (not a redirect)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None and admin_municipality(request) is not None:
            raise Http404("Dit object bestaat niet of valt buiten uw gemeente.")
        return obj

    # --- what may be done with them --------------------------------------------------------------

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        code = admin_municipality(request)
        if code is None:
            return True
        if not self.municipality_lookups:
            return False  # shared data is read-only for a municipality admin
        return obj is None or self.belongs_to(obj, code)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        code = admin_municipality(request)
        if code is None or obj is None:
            return True
        return self.belongs_to(obj, code) or (self.national_rows_visible
                                              and self.is_national(obj))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) and self._may_edit(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.protected_from_delete(request, obj):
            return False
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def protected_from_delete(self, request: HttpRequest, obj: Any) -> bool:
        """True for the organisation the signed-in user belongs to; models that hold one say so."""
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Last line: never store a row outside the admin's municipality, whatever the form."""
        code = admin_municipality(request)
        if code is not None and not self.belongs_to(obj, code):
            raise PermissionDenied("Dit valt buiten uw gemeente.")
        super().save_model(request, obj, form, change)

    # --- forms -----------------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        """Offer only the related rows the admin may see (their own admin's scoped queryset)."""
        if "queryset" not in kwargs and admin_municipality(request) is not None:
            related = self.admin_site._registry.get(db_field.remote_field.model)
            if isinstance(related, ScopedModelAdmin):
                kwargs["queryset"] = related.get_queryset(request)
            elif related is None or not related.has_view_permission(request):
                kwargs["queryset"] = db_field.remote_field.model._default_manager.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field: Field[Any, Any], request: HttpRequest,
                              **kwargs: Any) -> Any:
        """A municipality admin's own municipality field (a lookup of one step, such as
        ``municipality``) offers its own code only."""
        code = admin_municipality(request)
        if code is not None and db_field.name in self.municipality_lookups:
            return forms.ChoiceField(
                choices=[(code, code)], initial=code, required=True,
                label=db_field.verbose_name, help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

