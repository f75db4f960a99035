"""App config of the voices web app (label ``voices_web``, so it never clashes with the core)."""

from __future__ import annotations

from django.apps import AppConfig


class VoicesWebConfig(AppConfig):
    name = "wijkbeeld.web.voices"
    label = "voices_web"
    verbose_name = "Stemmen"
    default_auto_field = "django.db.models.BigAutoField"
