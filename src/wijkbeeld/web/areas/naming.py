"""Names of stored areas for pages: the display name and title of a CBS code, looked up once.

The naming rules live in :mod:`wijkbeeld.areas.names`; this module only finds the stored name,
level and municipality name (latest boundary year) and asks the core for the words, in the
reader's language. Pages that get only a code (the urgency dashboard and timeline) use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from wijkbeeld.areas.codes import Level
from wijkbeeld.areas.names import area_title, display_name
from wijkbeeld.web.areas.models import Area

__all__ = ["AreaNaming", "naming_of"]


@dataclass(frozen=True, slots=True)
class AreaNaming:
    """How a stored area is called: its CBS code, display name and full title."""

    code: str
    name: str
    title: str


def _language() -> str:
    return "en" if (get_language() or "nl").lower().startswith("en") else "nl"


def naming_of(code: str) -> AreaNaming | None:
    """The naming of the area ``code`` in its latest boundary year; ``None`` when not stored."""
    area = (Area.objects.filter(code=code).only("code", "name", "level", "municipality")
            .order_by("-boundary_year").first())
    if area is None:
        return None
    municipality = ""
    if area.municipality and area.level != Level.MUNICIPALITY:
        municipality = (Area.objects.filter(level=Level.MUNICIPALITY, code=area.municipality)
                        .exclude(name="").order_by("-boundary_year")
                        .values_list("name", flat=True).first()) or ""
    return AreaNaming(code=area.code, name=display_name(area.name, area.code),
                      title=area_title(area.name, area.code, area.level, municipality,
                                       _language()))
