"""Areas: CBS codes, hierarchy, boundary years, crosswalks and geometry I/O.

The geometry and crosswalk readers are loaded on first use, so that code which only needs
:mod:`wijkbeeld.areas.codes` does not pay for importing GeoPandas.
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

__all__ = [
    "AreaCode",
    "Boundaries",
    "Crosswalk",
    "InvalidAreaCode",
    "Level",
    "is_valid_code",
    "normalise_code",
    "parse_code",
    "read_boundaries",
    "read_crosswalk",
]

_LAZY = {
    "Boundaries": "wijkbeeld.areas.geometry",
    "read_boundaries": "wijkbeeld.areas.geometry",
    "Crosswalk": "wijkbeeld.areas.crosswalk",
    "read_crosswalk": "wijkbeeld.areas.crosswalk",
}


def __getattr__(name: str) -> Any:
    """Import the geometry and crosswalk readers when first asked for."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
