"""Users and their role. A user may be tied to one municipality; admins and analysts without one
work across municipalities (a learning network)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("beheerder")
    ANALYST = "analyst", _("analist")
    PROFESSIONAL = "professional", _("professional")
    VIEWER = "viewer", _("lezer")


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    municipality = models.CharField(
        _("gemeente"), max_length=6, blank=True, help_text=_("GM-code; leeg = alle gemeenten")
    )
    language = models.CharField(
        _("taal"), max_length=8, blank=True, default="", choices=settings.LANGUAGES,
        help_text=_("Taal van de pagina's na het inloggen; leeg = de taal van de browser"),
    )

    def has_role(self, *roles: str) -> bool:
        """True for an active user with one of ``roles``; superusers count as admin."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return self.role in roles
