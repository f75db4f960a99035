"""``django.contrib.admin`` with wijkbeeld's role-checking site as its default site.

Listed in ``INSTALLED_APPS`` instead of ``django.contrib.admin``. Kept apart from
:mod:`wijkbeeld.web.accounts.admin_site` because an app config module is imported before the
models are ready.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig

__all__ = ["WijkbeeldAdminConfig"]


class WijkbeeldAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`~.admin_site.WijkbeeldAdminSite` as default site."""

    default_site = "wijkbeeld.web.accounts.admin_site.WijkbeeldAdminSite"
