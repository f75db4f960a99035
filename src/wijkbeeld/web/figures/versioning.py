"""Bump the data version whenever the data behind comparisons changes outside an import.

Cached profiles, theme scores and hotspot maps are keyed by the data version
(:func:`wijkbeeld.web.pages.profile_cache.import_stamp`). An import or a deleted batch changes the
:class:`~wijkbeeld.web.figures.models.ImportBatch` table in the same transaction as its figures, so
the stamp moves with the data by itself. Hand edits do not: a changed polarity (the admin), a
renamed or re-parented area, a re-synced catalogue. They bump :class:`DataVersion` here, inside the
same transaction as the edit, so no reader can see the new data with the old version.

No receiver is connected to ``Observation`` or ``Crosswalk`` on purpose: a receiver makes Django
load and signal every row of a cascading delete (600,000 for a national batch) instead of one
``DELETE``; those rows only change through imports, which the batch stamp already covers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

__all__ = ["bump_data_version", "connect"]


def bump_data_version(using: str = "default") -> None:
    """Add one to the data version of database ``using`` (in the caller's transaction)."""
    from wijkbeeld.web.figures.models import DataVersion

    with transaction.atomic(using=using):
        if not DataVersion.objects.using(using).filter(pk=1).update(counter=F("counter") + 1):
            DataVersion.objects.using(using).get_or_create(pk=1, defaults={"counter": 1})


def _on_change(sender: Any, instance: Any, using: str = "default", **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata / fixtures: the loaded rows carry their own state
        return
    bump_data_version(using)


def connect() -> None:
    """Connect the receivers (from the figures app's ``ready``)."""
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Theme

    for model in (Theme, Indicator, Area, ImportBatch):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"dataversion-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"dataversion-del-{model}")
