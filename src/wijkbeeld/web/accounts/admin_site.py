"""The Django admin, open to the ``admin`` role only.

Django's stock admin lets in any ``is_staff`` user and then checks per-model permissions. wijkbeeld
grants access by role instead: :class:`WijkbeeldAdminSite` admits active users with the ``admin``
role (superusers count as admin), and :class:`RoleModelAdmin` gives them the model permissions.
Signing in happens on the ordinary login page; a signed-in user without the role gets 403.

The site replaces ``django.contrib.admin``'s default site through
:class:`wijkbeeld.web.accounts.adminapp.WijkbeeldAdminConfig` (listed in ``INSTALLED_APPS``),
so ``admin.site.register(...)`` in any app lands here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkbeeld.web.accounts.access import ADMINS, has_role
from wijkbeeld.web.accounts.redirects import safe_next

__all__ = ["RoleModelAdmin", "WijkbeeldAdminSite"]


class WijkbeeldAdminSite(admin.AdminSite):
    site_header = _("wijkbeeld beheer")
    site_title = _("wijkbeeld beheer")
    index_title = _("Beheer")

    def has_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, *ADMINS)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign in on the application's own login page; a signed-in non-admin gets 403.

        ``next`` is followed only when it is a same-site path (:func:`.redirects.safe_next`);
        anything else (another host, ``javascript:``, ``\\\\host``) leads to the admin index.
        """
        if request.user.is_authenticated:
            if self.has_permission(request):
                from django.shortcuts import redirect

                return redirect(safe_next(request, request.GET.get("next")) or "admin:index")
            raise PermissionDenied("Alleen beheerders hebben toegang tot het beheer.")
        # Only a same-site path travels on to the login page (issue 18, finding 4).
        index = reverse("admin:index", current_app=self.name)
        return redirect_to_login(safe_next(request, request.GET.get("next")) or index)


class RoleModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Model admin whose permissions follow the ``admin`` role, not Django's per-model perms."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, *ADMINS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *ADMINS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return has_role(request.user, *ADMINS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *ADMINS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_role(request.user, *ADMINS)
