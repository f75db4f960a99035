"""Template filters for area names (issue 19, "names before codes"): ``{% load area_names %}``.

Thin wrappers over :mod:`wijkbeeld.areas.names`, so every template shows "Morgenstond" where
CBS stores "Wijk 34 Morgenstond", and falls back to the code when there is no name.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from wijkbeeld.areas.names import area_title as _area_title
from wijkbeeld.areas.names import display_name

__all__ = ["area_name", "area_title"]

register = template.Library()


@register.filter
def area_name(area: Any) -> str:
    """The display name of an area object or dict with ``name`` and ``code``."""
    if isinstance(area, dict):
        return display_name(area.get("name"), str(area.get("code", "")))
    return display_name(getattr(area, "name", ""), str(getattr(area, "code", "")))


@register.filter
def area_title(area: Any, municipality_name: str = "") -> str:
    """The title of an area object ("Morgenstond — wijk in 's-Gravenhage") in the active
    language, with the municipality's name as stored."""
    language = "en" if (get_language() or "nl").lower().startswith("en") else "nl"
    return _area_title(getattr(area, "name", ""), str(getattr(area, "code", "")),
                       str(getattr(area, "level", "")), municipality_name or "", language)
