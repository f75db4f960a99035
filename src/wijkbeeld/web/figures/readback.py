"""Read stored figures back, with their status, source and year."""

from __future__ import annotations

from typing import Any

from wijkbeeld.web.figures.models import Observation

__all__ = ["figures_for_area"]


def figures_for_area(
    code: str, *, year: int | None = None, using: str = "default"
) -> list[dict[str, Any]]:
    """Every stored figure of the area with this CBS code (any boundary year), optionally only
    for periods in ``year``. ``value`` is None unless the status is ``ok``."""
    qs = (
        Observation.objects.using(using)
        .filter(area__code=code.strip().upper())
        .select_related("area", "indicator", "batch")
        .order_by("indicator__key", "period", "area__boundary_year")
    )
    if year is not None:
        qs = qs.filter(period__startswith=str(year))
    out: list[dict[str, Any]] = []
    for o in qs:
        out.append(
            {
                "area": o.area.code,
                "area_name": o.area.name,
                "boundary_year": o.area.boundary_year,
                "indicator": o.indicator.key,
                "indicator_name": o.indicator.name_nl,
                "unit": o.indicator.unit,
                "source_column": o.source_column,
                "period": o.period,
                "value": o.value if o.status == Observation.Status.OK else None,
                "status": o.status,
                "source": o.batch.source,
                "file": o.batch.file_name,
            }
        )
    return out
