"""Areas: CBS codes, hierarchy, boundary years, crosswalks and geometry I/O.

The geometry and crosswalk readers and the name search are loaded on first use, so that code
which only needs :mod:`wijkbeeld.areas.codes` does not pay for importing GeoPandas or rapidfuzz.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from wijkbeeld.areas.codes import (
    AreaCode,
    InvalidAreaCode,
    Level,
    is_valid_code,
    normalise_code,
    parse_code,
)

if TYPE_CHECKING:
    from wijkbeeld.areas.crosswalk import Crosswalk, read_crosswalk
    from wijkbeeld.areas.geometry import Boundaries, read_boundaries
    from wijkbeeld.areas.search import AreaCandidate, AreaMatch, MatchKind, rank_areas, unambiguous

__all__ = [
    "AreaCandidate",
    "AreaCode",
    "AreaMatch",
    "Boundaries",
    "Crosswalk",
    "InvalidAreaCode",
    "Level",
    "MatchKind",
    "is_valid_code",
    "normalise_code",
    "parse_code",
    "rank_areas",
    "read_boundaries",
    "read_crosswalk",
    "unambiguous",
]

_LAZY = {
    "Boundaries": "wijkbeeld.areas.geometry",
    "read_boundaries": "wijkbeeld.areas.geometry",
    "Crosswalk": "wijkbeeld.areas.crosswalk",
    "read_crosswalk": "wijkbeeld.areas.crosswalk",
    **{name: "wijkbeeld.areas.search" for name in (
        "AreaCandidate", "AreaMatch", "MatchKind", "rank_areas", "unambiguous")},
}


def __getattr__(name: str) -> Any:
    """Import the geometry and crosswalk readers when first asked for."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
