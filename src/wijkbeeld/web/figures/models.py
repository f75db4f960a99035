"""Stored figures: themes, indicators, observations and the import batches they came in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name_nl


class Indicator(models.Model):
    class Polarity(models.TextChoices):
        HIGHER_IS_WORSE = "higher_is_worse", _("hoger is ongunstiger")
        HIGHER_IS_BETTER = "higher_is_better", _("hoger is gunstiger")
        NEUTRAL = "neutral", _("neutraal")

    # Scope (issue 18): an empty owner is a national definition (the bundled catalogue,
    # read-only for accounts tied to a municipality); otherwise the GM code of the municipality
    # that defined it, and the key carries it as its namespace ("GM0518:eigen_score"), so keys
    # stay unique across municipalities and national keys stay as they are
    # (wijkbeeld.web.figures.scope).
    key = models.CharField(max_length=80, unique=True)
    owner = models.CharField(
        max_length=6, blank=True, default="",
        help_text=_("leeg: landelijke indicator; anders de gemeente (GM-code) die hem definieerde"),
    )
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL)
    unit = models.CharField(max_length=20)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    context_only = models.BooleanField(
        default=False, help_text=_("alleen context: telt nooit mee in een score (bijv. herkomst)")
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.key})"


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        FIGURES = "figures", _("cijfers")
        AREAS = "areas", _("gebieden")
        CROSSWALK = "crosswalk", _("omzettabel")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=200)
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=0)
    boundary_year = models.PositiveSmallIntegerField(null=True, blank=True)
    reader = models.CharField(max_length=60, blank=True)
    who = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, default="ok")
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "sha256", "boundary_year"], name="batch_once")
        ]
        ordering = ["-created_at"]
        verbose_name = _("importbatch")
        verbose_name_plural = _("importbatches")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("ok")
        SUPPRESSED = "suppressed", _("geheim")
        MISSING = "missing", _("ontbreekt")

    # Observations are the fact table (600,000 rows for one national RIVM workbook). No separate
    # indexes: the unique (area, indicator, period) constraint and the (indicator, period) index
    # serve every lookup. No database-level foreign keys either: per-row FK triggers were more
    # than half of a PostgreSQL import. Django still cascades deletes (it always does so itself),
    # and the importer, the only writer, checks the references of every batch in one set-based
    # query before it commits (web.figures.store._check_references).
    area = models.ForeignKey(
        "areas.Area", on_delete=models.CASCADE, related_name="observations", db_index=False,
        db_constraint=False,
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=10)
    value = models.FloatField(null=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    source_column = models.CharField(max_length=200)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, db_constraint=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "period"], name="observation_cell"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.indicator_id} {self.period}: {self.value} ({self.status})"


class DataVersion(models.Model):
    """One row counting hand edits of the data behind comparisons (themes, indicators, areas).

    Imports and deleted batches already change the :class:`ImportBatch` table in the same
    transaction as their figures; edits in the admin do not, so they bump this counter (see
    :mod:`wijkbeeld.web.figures.versioning`). Both together are the data version that keys every
    cached profile, theme score and hotspot map
    (:func:`wijkbeeld.web.pages.profile_cache.import_stamp`).
    """

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("dataversie")
        verbose_name_plural = _("dataversies")

    def __str__(self) -> str:
        return f"data version {self.counter}"
