"""App config of the jobs app (label ``jobs``)."""

from __future__ import annotations

from django.apps import AppConfig

__all__ = ["JobsConfig"]


class JobsConfig(AppConfig):
    name = "wijkbeeld.web.jobs"
    label = "jobs"
    verbose_name = "Taken"
    default_auto_field = "django.db.models.BigAutoField"
