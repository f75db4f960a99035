"""The stakeholder groups (belanghebbende groepen), shared by the rounds and voices apps.

The keys equal :data:`wijkbeeld.urgency.GROUPS`, so stored answers and voices feed the core as is.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Group"]


class Group(models.TextChoices):
    RESIDENTS = "residents", _("bewoners")
    PROFESSIONALS = "professionals", _("professionals")
    POLICY = "policy", _("beleid")
