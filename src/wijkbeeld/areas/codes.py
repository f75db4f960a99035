"""CBS area codes: validation, level and hierarchy derived from the code itself.

CBS codes carry their own hierarchy: ``BU03630000`` lies in ``WK036300`` in ``GM0363``. From the
2022 indeling on, some municipalities use alphanumeric codes (``BU0363AA01`` in ``WK0363AA``).

>>> parse_code("  BU0363AA01 ").parent
'WK0363AA'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["AreaCode", "InvalidAreaCode", "Level", "is_valid_code", "normalise_code", "parse_code"]


class Level(StrEnum):
    """CBS area levels, from the country down to the buurt."""

    COUNTRY = "country"
    MUNICIPALITY = "municipality"
    DISTRICT = "district"
    NEIGHBOURHOOD = "neighbourhood"


_PATTERNS: dict[Level, re.Pattern[str]] = {
    Level.COUNTRY: re.compile(r"NL0[0-9]"),
    Level.MUNICIPALITY: re.compile(r"GM[0-9]{4}"),
    # Numeric wijk codes (WK036300) and the 2022+ alphanumeric ones (WK0363AA).
    Level.DISTRICT: re.compile(r"WK[0-9]{4}(?:[0-9]{2}|[A-Z][A-Z0-9])"),
    Level.NEIGHBOURHOOD: re.compile(r"BU[0-9]{4}(?:[0-9]{4}|[A-Z][A-Z0-9][0-9A-Z]{2})"),
}


class InvalidAreaCode(ValueError):
    """Raised for a string that is not a CBS area code."""


@dataclass(frozen=True, slots=True)
class AreaCode:
    """A parsed CBS code with its level, parent and municipality."""

    code: str
    level: Level

    @property
    def municipality(self) -> str | None:
        """The GM code the area lies in (itself for a municipality, None for the country)."""
        if self.level is Level.COUNTRY:
            return None
        return "GM" + self.code[2:6]

    @property
    def parent(self) -> str | None:
        """The code one level up: buurt → wijk → gemeente; None for a gemeente or the country."""
        if self.level is Level.NEIGHBOURHOOD:
            return "WK" + self.code[2:8]
        if self.level is Level.DISTRICT:
            return "GM" + self.code[2:6]
        return None


def normalise_code(raw: str) -> str:
    """Trim the padding StatLine puts around codes (``"GM0363    "`` → ``"GM0363"``)."""
    return raw.strip().upper()


def parse_code(raw: str) -> AreaCode:
    """Parse a (possibly padded) CBS code; raise :class:`InvalidAreaCode` when it is not one."""
    code = normalise_code(raw)
    for level, pattern in _PATTERNS.items():
        if pattern.fullmatch(code):
            return AreaCode(code=code, level=level)
    raise InvalidAreaCode(f"{raw.strip()!r} is not a CBS area code (GMxxxx, WKxxxxxx, BUxxxxxxxx)")


def is_valid_code(raw: str) -> bool:
    """True when ``raw`` parses as a CBS area code."""
    try:
        parse_code(raw)
    except InvalidAreaCode:
        return False
    return True
