"""Name search over the stored areas: the rows the caller may see, ranked by the core.

The ranking lives in :mod:`wijkbeeld.areas.search` (no Django); this module only reads the
candidate rows (code, name, level, boundary year) and the municipality names from the database,
so that the search page, the API and the CLI rank the same way. The caller passes the queryset,
already scoped to what the user may see
(:func:`~wijkbeeld.web.accounts.access.scope_by_municipality`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wijkbeeld.areas.codes import Level
from wijkbeeld.areas.search import AreaCandidate, AreaMatch, rank_areas
from wijkbeeld.web.areas.models import Area

__all__ = ["find_areas", "municipality_names"]


def municipality_names() -> dict[str, str]:
    """The name of every stored municipality by GM code (its latest boundary year wins)."""
    names: dict[str, str] = {}
    rows = (Area.objects.filter(level=Level.MUNICIPALITY).exclude(name="")
            .order_by("boundary_year").values_list("code", "name"))
    for code, name in rows:
        names[code] = name
    return names


def find_areas(queryset: QuerySet[Any], query: str, limit: int | None = 50) -> list[AreaMatch]:
    """The areas of ``queryset`` that match ``query``, best first (latest boundary year per
    code). Only five short columns are read, never the geometry."""
    if not query.strip():
        return []
    names = municipality_names()
    rows = queryset.order_by().values_list("code", "name", "level", "municipality",
                                           "boundary_year")
    candidates = [
        AreaCandidate(code=code, name=name, level=level,
                      municipality_name=names.get(municipality, municipality),
                      boundary_year=year)
        for code, name, level, municipality, year in rows
    ]
    return rank_areas(candidates, query, limit=limit)
