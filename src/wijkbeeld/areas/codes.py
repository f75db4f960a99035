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

__all__ = ["AreaCode", "InvalidAreaCode", "Level", "build_code", "code_from_parts", "is_valid_code",
           "normalise_code", "parse_code", "placeholder_reason"]


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


def placeholder_reason(code: AreaCode) -> str | None:
    """Why ``code`` cannot be a real area although it has the form of one, or None.

    Gemeente number ``0000`` does not exist: ``GM0000``, ``WK000000`` and ``BU00000000`` are
    placeholders some exports write for "unknown" or "total", never a real area.
    """
    if code.level is Level.COUNTRY:
        return None
    if code.code[2:6] == "0000":
        return (f"{code.code} is een plaatsvervangende code (gemeentenummer 0000 bestaat niet), "
                "geen echt gebied")
    return None


_FULL_LENGTH = {"GM": 6, "WK": 8, "BU": 10}
_PREFIX = re.compile(r"(?:GM|WK|BU)(?:[0-9]{4}[0-9A-Z]*)?")


def build_code(prefix: str, number: str) -> str:
    """The CBS code from a prefix and the number a municipal file holds: ``build_code("BU0758",
    "103")`` is ``BU07580103``, ``build_code("WK0758", "1")`` is ``WK075801``. The number is
    padded with zeros to fill the code; a number that is already a whole code of the prefix's
    level is taken as it is. Raises :class:`InvalidAreaCode` when no valid code results."""
    pre = normalise_code(prefix)
    if not _PREFIX.fullmatch(pre):
        raise InvalidAreaCode(f"{prefix.strip()!r} is geen codevoorvoegsel: GM, WK of BU, "
                              "eventueel met het gemeentenummer (zoals BU0758)")
    if len(pre) >= _FULL_LENGTH[pre[:2]]:
        raise InvalidAreaCode(f"{prefix.strip()!r} is al een hele code, geen voorvoegsel")
    raw = normalise_code(number)
    if raw.endswith(".0") and raw[:-2].isdigit():  # an Excel number cell: 103.0
        raw = raw[:-2]
    if not raw:
        raise InvalidAreaCode("geen nummer om de code mee te maken")
    if raw.startswith(pre[:2]) and len(raw) == _FULL_LENGTH[pre[:2]]:
        code = raw
    else:
        width = _FULL_LENGTH[pre[:2]] - len(pre)
        if len(raw) > width:
            raise InvalidAreaCode(f"nummer {number.strip()!r} is te lang voor {pre} "
                                  f"(hooguit {width} tekens)")
        code = pre + raw.rjust(width, "0")
    parsed = parse_code(code)
    if not parsed.code.startswith(pre):
        raise InvalidAreaCode(f"{parsed.code} begint niet met {pre}")
    return parsed.code


def _number(text: str, width: int, what: str) -> str:
    raw = normalise_code(text)
    if raw.endswith(".0") and raw[:-2].isdigit():
        raw = raw[:-2]
    if not raw.isalnum() or len(raw) > width:
        raise InvalidAreaCode(f"{what}nummer {text.strip()!r} is geen nummer van hooguit "
                              f"{width} tekens")
    return raw.rjust(width, "0")


def code_from_parts(gemeente: str, wijk: str = "", buurt: str = "") -> str:
    """The CBS code from gemeente, wijk and buurt numbers: ``("758", "1", "3")`` is
    ``BU07580103``, ``("758", "1")`` is ``WK075801``, ``("758",)`` is ``GM0758``.
    A buurt number without a wijk number cannot be placed: :class:`InvalidAreaCode`."""
    if not gemeente.strip():
        raise InvalidAreaCode("geen gemeentenummer")
    gm = _number(gemeente, 4, "gemeente")
    if not wijk.strip():
        if buurt.strip():
            raise InvalidAreaCode("een buurtnummer zonder wijknummer")
        return parse_code("GM" + gm).code
    wk = _number(wijk, 2, "wijk")
    if not buurt.strip():
        return parse_code("WK" + gm + wk).code
    return parse_code("BU" + gm + wk + _number(buurt, 2, "buurt")).code
