"""Stored areas (gemeente, wijk, buurt per boundary year) and crosswalks between boundary years."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A CBS area in one boundary year. Geometry is GeoJSON in WGS84 (EPSG:4326)."""

    code = models.CharField(max_length=10, db_index=True)
    boundary_year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=16, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    parent_code = models.CharField(max_length=10, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    municipality = models.CharField(max_length=6, db_index=True, blank=True)
    geometry = models.TextField(blank=True, help_text="GeoJSON geometry, WGS84")
    geometry_web = models.TextField(blank=True, help_text="simplified GeoJSON for the web")
    geometry_batch = models.ForeignKey(
        "figures.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "boundary_year"], name="area_code_year")
        ]
        ordering = ["boundary_year", "code"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.boundary_year})"


class Crosswalk(models.Model):
    """``weight`` of the old area maps to the new one (1.0 for a one-to-one relabelling)."""

    from_code = models.CharField(max_length=10)
    from_year = models.PositiveSmallIntegerField()
    to_code = models.CharField(max_length=10)
    to_year = models.PositiveSmallIntegerField()
    weight = models.FloatField(default=1.0)
    batch = models.ForeignKey("figures.ImportBatch", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_code", "from_year", "to_code", "to_year"], name="crosswalk_pair"
            )
        ]
        indexes = [models.Index(fields=["from_year", "to_year"])]

    def __str__(self) -> str:
        return f"{self.from_code} ({self.from_year}) → {self.to_code} ({self.to_year})"
