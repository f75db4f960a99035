"""How figures are written on the pages: numbers in the reader's language (Dutch by default),
units in words, the status of a withheld figure, and the source line under every figure.

Kept apart from the views and templates so the rules are tested once and reused by every page.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "SIGNIFICANT_DIGITS",
    "UNIT_LABELS",
    "format_number",
    "source_line",
    "status_label",
    "unit_label",
]

#: Figures show at most this many significant digits (but never fewer than their whole part),
#: so a share such as 0.0626258657 reads 0,062626 and a cost of 1975.4338 reads 1.975,43.
SIGNIFICANT_DIGITS = 6

UNIT_LABELS: dict[str, str | Promise] = {
    "count": _("aantal"),
    "percent": "%",
    "fraction": _("aandeel (0–1)"),
    "eur": _("euro"),
    "eur_1000": _("× 1.000 euro"),
    "km": "km",
    "number": _("getal"),
    "years": _("jaar"),
    "per_km2": _("per km²"),
    "class": _("klasse"),
}

_STATUS_LABELS = {
    "ok": _("ok"),
    "suppressed": _("geheim"),
    "missing": _("ontbreekt"),
}


def format_number(value: float | int | None) -> str:
    """``value`` written for the active language: ``931298.0`` → ``931.298`` in Dutch,
    ``931,298`` in English; ``39.7`` → ``39,7``; at most :data:`SIGNIFICANT_DIGITS` digits."""
    if value is None or isinstance(value, bool):
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    whole_digits = len(str(int(abs(number))))
    decimals = max(0, SIGNIFICANT_DIGITS - whole_digits)
    text = f"{round(number, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", ""}:
        text = "0"
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(Decimal(text), decimal_pos=places, use_l10n=True, force_grouping=True)


def unit_label(unit: str) -> str:
    """The unit in words (translated); an unknown unit code is shown as it is."""
    label = UNIT_LABELS.get(unit)
    return str(label) if label is not None else unit


def status_label(status: str) -> str:
    """``geheim`` for a figure the source withheld, ``ontbreekt`` for one it does not have."""
    label = _STATUS_LABELS.get(status)
    return str(label) if label is not None else status


_YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})(?![0-9])")


def source_line(source: str, period: str) -> str:
    """``Bron: <source>, <period>``; the period is left out when the source already names it
    (``Bron: CBS, Kerncijfers wijken en buurten 2024`` for period 2024)."""
    source = (source or "").strip() or str(_("onbekende bron"))
    period = (period or "").strip()
    prefix = str(_("Bron"))
    year = _YEAR.match(period)
    if not period or (year is not None and year.group(1) in _YEAR.findall(source)):
        return f"{prefix}: {source}"
    return f"{prefix}: {source}, {period}"
