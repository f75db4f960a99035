"""Admin for users: role and municipality beside Django's account fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wijkbeeld.areas.codes import Level, parse_code
from wijkbeeld.web.accounts.models import User
from wijkbeeld.web.admin_scope import ScopedModelAdmin

__all__ = ["UserAdmin", "clean_municipality"]


def clean_municipality(value: str) -> str:
    """A GM code (trimmed, upper case) or empty; anything else is a form error."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    try:
        parsed = parse_code(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.level is not Level.MUNICIPALITY:
        raise forms.ValidationError(
            _("Vul een gemeentecode in zoals GM0363, of laat het veld leeg voor alle gemeenten.")
        )
    return parsed.code


class _MunicipalityMixin(forms.ModelForm):  # type: ignore[type-arg]
    def clean_municipality(self) -> str:
        return clean_municipality(self.cleaned_data.get("municipality", ""))


class WijkbeeldUserChangeForm(_MunicipalityMixin, UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):
        model = User


class WijkbeeldUserCreationForm(_MunicipalityMixin, AdminUserCreationForm):  # type: ignore[type-arg]
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role", "municipality")


@admin.register(User)
class UserAdmin(ScopedModelAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    """Users; a municipality admin manages the users of its municipality only (not superusers,
    not national users) and cannot move them elsewhere (:class:`ScopedModelAdmin`)."""

    municipality_lookups = ("municipality",)
    form = WijkbeeldUserChangeForm
    add_form = WijkbeeldUserCreationForm
    list_display = ("username", "role", "municipality", "first_name", "last_name", "is_active")
    list_filter = ("role", "municipality", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Rol en gemeente"), {"fields": ("role", "municipality", "language")}),
        (_("Persoonsgegevens"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username", "role", "municipality", "usable_password", "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Only a superuser may hand out superuser status."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if not getattr(request.user, "is_superuser", False):
            fields += ("is_superuser",)
        return fields

    def own_filter(self, code: str) -> Q:
        # A superuser tied to the municipality is still out of a municipality admin's reach.
        return Q(municipality=code, is_superuser=False)

    def belongs_to(self, obj: Any, code: str) -> bool:
        return super().belongs_to(obj, code) and not obj.is_superuser
