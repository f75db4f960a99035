"""API tokens for scripts: ``Authorization: Bearer <token>``.

A token is shown once, when it is made (``wijkbeeld api token USER``); only its SHA-256 digest is
stored, with a short prefix to recognise it in lists. Tokens are 256-bit random values, so a plain
(unsalted) digest is enough: nothing to guess, nothing to look up in a table. A token acts as its
user, with the user's role and municipality; it stops working when revoked, when it expires, or
when the user is deactivated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ApiToken"]


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("gebruiker"),
    )
    name = models.CharField(_("naam"), max_length=100, blank=True)
    prefix = models.CharField(_("begin"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True,
                                        editable=False)
    expires_at = models.DateTimeField(_("verloopt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self) -> bool:
        """Not revoked, not expired, and its user is active."""
        now = timezone.now()
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return bool(self.user.is_active)
