"""How figures are written on the pages: numbers in the reader's language (Dutch by default),
units in words, the status of a withheld figure, and the source line under every figure.

Kept apart from the views and templates so the rules are tested once and reused by every page.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wijkbeeld.figures.display import unit_text

__all__ = [
    "SIGNIFICANT_DIGITS",
    "format_fixed",
    "format_number",
    "format_significant",
    "source_line",
    "status_label",
    "unit_label",
]

#: Figures show at most this many significant digits (but never fewer than their whole part),
#: so a share such as 0.0626258657 reads 0,062626 and a cost of 1975.4338 reads 1.975,43.
SIGNIFICANT_DIGITS = 6

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
    """The unit in words in the active language ("%" for a share), as
    the core formatter writes it (:func:`wijkbeeld.figures.display.unit_text`)."""
    return unit_text(unit, "en" if (get_language() or "nl").startswith("en") else "nl")


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


def format_significant(value: float | int | None, digits: int = 3) -> str:
    """A computed figure (a reference value, a share) to ``digits`` significant digits, never
    dropping whole digits: ``9.2946`` → ``9,29``, ``1801.35`` → ``1.801``, ``0.042416`` →
    ``0,0424`` (Dutch). Published figures use :func:`format_number`, which keeps them exact."""
    if value is None or isinstance(value, bool):
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    if number == 0:
        return format_fixed(0.0, 0)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(number))))
    text = f"{number:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    places = len(text.split(".")[1]) if "." in text else 0
    return format_fixed(float(text), places)


def format_fixed(value: float | int | None, decimals: int) -> str:
    """``value`` with exactly ``decimals`` decimals in the active language (``-0,96``); ``""``
    for a missing value. Used for z-scores (2), theme scores (2), indices and percentiles (0)."""
    if value is None or isinstance(value, bool):
        return ""
    number = float(value)
    if not math.isfinite(number):
        return ""
    text = f"{number:.{decimals}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "-0,00"
    return number_format(Decimal(text), decimal_pos=decimals, use_l10n=True, force_grouping=True)
