"""A job in the queue and its result.

A job is a row: kind and parameters (JSON), status (queued → running → done or failed),
progress (``done`` of ``total`` steps with a short message), who started it, for which
municipality, and when. A failed job keeps an error text that names the problem (file, row,
column) but never personal data. The result (a ZIP of reports) is stored as bytes in its own
table, so listing jobs never reads megabytes and every app server can serve the download.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Job", "JobResult"]


class Job(models.Model):
    class Kind(models.TextChoices):
        REPORT_BATCH = "report_batch", _("Rapporten van een gemeente")
        IMPORT_FIGURES = "import_figures", _("Cijfers importeren")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    municipality = models.CharField(max_length=6, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 before the total is known)."""
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class JobResult(models.Model):
    """The file a job produced, as bytes in the database (no shared file system needed)."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, primary_key=True,
                               related_name="result")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, default="application/zip")
    data = models.BinaryField()
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("resultaat van een taak")
        verbose_name_plural = _("resultaten van taken")

    def __str__(self) -> str:
        return self.filename
