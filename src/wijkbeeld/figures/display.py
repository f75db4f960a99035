"""One way to show a figure to a person: its number with its unit, in Dutch or English.

Web pages, the PDF report and the CLI all call :func:`format_figure`, so a share reads "7,8 %"
everywhere (never a bare fraction), money carries "€", a rate its base ("12 per 1.000
inwoners") and counts their thousands separators. The precision follows the unit, and a non-zero
value never reads as zero: a share too small to show reads "< 0,1 %". Raw values stay raw in
exports and the API's value fields; this module is only for what people read.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["MISSING", "format_figure", "format_plain", "unit_text"]

#: What a missing figure reads as.
MISSING = "–"

#: Per unit: the text before the number, the text after it (Dutch, English), and how many
#: decimals the unit is shown with (None: by size, see :func:`_decimals`). A share stored as a
#: fraction is shown as a percentage; a thousand euros as euros.
_PREFIX = {"eur": "€ ", "eur_1000": "€ "}
_SUFFIX_NL = {
    "percent": " %", "fraction": " %", "km": " km", "years": " jaar", "per_km2": " per km²",
    "per_1000": " per 1.000 inwoners",
}
_SUFFIX_EN = {
    "percent": " %", "fraction": " %", "km": " km", "years": " years", "per_km2": " per km²",
    "per_1000": " per 1,000 residents",
}
_UNIT_NL = {
    "count": "aantal", "percent": "%", "fraction": "%", "eur": "euro", "eur_1000": "euro",
    "km": "km", "number": "", "years": "jaar", "per_km2": "per km²",
    "per_1000": "per 1.000 inwoners", "class": "klasse",
}
_UNIT_EN = {
    "count": "number", "percent": "%", "fraction": "%", "eur": "euro", "eur_1000": "euro",
    "km": "km", "number": "", "years": "years", "per_km2": "per km²",
    "per_1000": "per 1,000 residents", "class": "class",
}
_FIXED_DECIMALS = {
    "percent": 1, "fraction": 1, "eur": 0, "eur_1000": 0, "km": 1, "years": 1, "per_km2": 0,
}


def unit_text(unit: str, lang: str = "nl") -> str:
    """The unit in words for a column head or a map legend ("%", "euro", "per km²"); ``""``
    for a plain number, the code itself for a unit this module does not know."""
    table = _UNIT_EN if lang == "en" else _UNIT_NL
    return table.get(unit, unit)


def format_plain(value: float | None, decimals: int, lang: str = "nl") -> str:
    """``value`` rounded half up (as CBS publishes) to at most ``decimals`` decimals, trailing
    zeros dropped, with thousands separators: ``1.234,5`` (nl), ``1,234.5`` (en); ``–`` when
    missing. For numbers without a unit: scores, z-values, counts of respondents."""
    number = _finite(value)
    if number is None:
        return MISSING
    return _localise(_round(number, decimals), lang)


def format_figure(value: float | None, unit: str, lang: str = "nl") -> str:
    """A figure as a person reads it, with its unit: ``7,8 %``, ``< 0,1 %``, ``€ 31.400``,
    ``1.234``, ``2,13``, ``1,2 km``, ``41,3 jaar``, ``klasse 2``; ``–`` when missing.

    Shares in ``percent`` and ``fraction`` (times 100) get one decimal, euros
    none (``eur_1000`` is multiplied by 1,000), distances and ages one; counts and plain numbers
    get their precision from their size (:func:`_decimals`). A non-zero value that would round
    to zero reads "< 0,1 %" (the smallest step of its unit)."""
    number = _finite(value)
    if number is None:
        return MISSING
    if unit == "fraction":
        number *= 100
    elif unit == "eur_1000":
        number *= 1000
    decimals = _FIXED_DECIMALS.get(unit)
    if decimals is None:
        decimals = _decimals(number)
    text = _round(number, decimals)
    if number != 0 and text.lstrip("-") == "0":
        step = _localise(f"{Decimal(1).scaleb(-decimals):f}", lang)
        text = f"< {step}" if number > 0 else f"> -{step}"
    else:
        text = _localise(text, lang)
    if unit == "class":
        return f"{'class' if lang == 'en' else 'klasse'} {text}"
    suffix = (_SUFFIX_EN if lang == "en" else _SUFFIX_NL).get(unit, "")
    prefix = _PREFIX.get(unit, "")
    if prefix and text.startswith("-"):
        return f"-{prefix}{text[1:]}{suffix}"
    return f"{prefix}{text}{suffix}"


def _decimals(number: float) -> int:
    """Decimals of a count or plain number by its size: 2 below 10 (a household size of 2,13,
    a score of -0,12), 1 below 100, none from 100 (1.234): about three significant digits."""
    size = abs(number)
    if size < 10:
        return 2
    if size < 100:
        return 1
    return 0


def _finite(value: float | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _round(number: float, decimals: int) -> str:
    """Half up from the shortest repr (2.675 rounds as written), trailing zeros dropped, with
    ``,`` as the thousands separator and ``.`` as the decimal point (English)."""
    rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def _localise(text: str, lang: str) -> str:
    """English text (``1,234.5``) in ``lang``: Dutch swaps the separators (``1.234,5``)."""
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
