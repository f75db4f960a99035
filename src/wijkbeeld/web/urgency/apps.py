"""App config of the rounds app (label ``rounds``, so it never clashes with the core package)."""

from __future__ import annotations

from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "wijkbeeld.web.urgency"
    label = "rounds"
    verbose_name = "Peilingen"
    default_auto_field = "django.db.models.BigAutoField"
