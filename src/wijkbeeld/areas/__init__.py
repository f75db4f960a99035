"""Areas: CBS codes, hierarchy, boundary years, crosswalks and geometry I/O."""

from wijkbeeld.areas.codes import (
    AreaCode,
    InvalidAreaCode,
    Level,
    is_valid_code,
    normalise_code,
    parse_code,
)

__all__ = ["AreaCode", "InvalidAreaCode", "Level", "is_valid_code", "normalise_code", "parse_code"]
