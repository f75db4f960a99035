"""App config of the agenda app (label ``agenda_web``, so it never clashes with the core)."""

from __future__ import annotations

from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "wijkbeeld.web.agenda"
    label = "agenda_web"
    verbose_name = "Buurtagenda"
    default_auto_field = "django.db.models.BigAutoField"
