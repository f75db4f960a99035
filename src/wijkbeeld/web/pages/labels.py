"""The words of the area profile in the reader's language: bands, reliability, reference sets.

The comparison core (:mod:`wijkbeeld.compare`) speaks Dutch in its result rows (``band_label``,
``reliability_reason``); the page maps the *codes* to translated labels here, so the English
page reads English while the Dutch page shows exactly the core's wording.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

__all__ = [
    "BAND_LABELS",
    "LEVEL_LABELS",
    "REFERENCE_LABELS",
    "RELIABILITY_LABELS",
    "band_label",
    "english",
    "level_label",
    "reference_description",
    "reliability_label",
    "reliability_reason",
]

#: PBL-style bands (docs/compare.md §4), by the codes the core uses.
BAND_LABELS: dict[str, Promise] = {
    "very_favourable": gettext_lazy("veel gunstiger"),
    "favourable": gettext_lazy("gunstiger"),
    "around_average": gettext_lazy("rond het gemiddelde"),
    "unfavourable": gettext_lazy("ongunstiger"),
    "very_unfavourable": gettext_lazy("veel ongunstiger"),
    "much_higher": gettext_lazy("veel hoger"),
    "higher": gettext_lazy("hoger"),
    "lower": gettext_lazy("lager"),
    "much_lower": gettext_lazy("veel lager"),
}

RELIABILITY_LABELS: dict[str, Promise] = {
    "ok": gettext_lazy("betrouwbaar"),
    "suppressed": gettext_lazy("geheim"),
    "missing": gettext_lazy("ontbreekt"),
    "no_reference": gettext_lazy("geen vergelijking mogelijk"),
    "small_base": gettext_lazy("kleine basis"),
    "shrunk": gettext_lazy("kleine basis, bijgesteld"),
}

#: The reference-set choices of the selector (``?referentie=``), in the order shown.
REFERENCE_LABELS: dict[str, Promise] = {
    "municipality": gettext_lazy("Zelfde niveau in de gemeente"),
    "nl": gettext_lazy("Alle gebieden van dit niveau (Nederland)"),
    "parent": gettext_lazy("Het bovenliggende gebied"),
    "peers": gettext_lazy("Vergelijkbare gebieden"),
}

LEVEL_LABELS: dict[str, Promise] = {
    "country": gettext_lazy("Land"),
    "municipality": gettext_lazy("Gemeente"),
    "district": gettext_lazy("Wijk"),
    "neighbourhood": gettext_lazy("Buurt"),
}


def english() -> bool:
    """Is the active language English?"""
    return (get_language() or "nl").lower().startswith("en")


def band_label(code: str) -> str:
    """The band in words (``ongunstiger`` / ``less favourable``); ``""`` without a band."""
    label = BAND_LABELS.get(code)
    return str(label) if label is not None else ""


def level_label(level: str) -> str:
    label = LEVEL_LABELS.get(level)
    return str(label) if label is not None else level


def reliability_label(code: str, source: str = "") -> str:
    """``geheim (CBS)`` for a withheld figure (with the publisher), else the plain label."""
    label = RELIABILITY_LABELS.get(code)
    text = str(label) if label is not None else code
    publisher = source.split(",", 1)[0].strip()
    if code == "suppressed" and publisher:
        return f"{text} ({publisher})"
    return text


def reference_description(kind: str, level: str, municipality_name: str) -> str:
    """What the area is compared with, as a sentence part: ``de buurten van Amsterdam``."""
    if kind == "municipality":
        if level == "neighbourhood":
            return _("alle buurten van %(name)s") % {"name": municipality_name}
        if level == "district":
            return _("alle wijken van %(name)s") % {"name": municipality_name}
        return _("het gebied zelf (geen andere gebieden van dit niveau in de gemeente)")
    if kind == "nl":
        if level == "neighbourhood":
            return _("alle buurten in de database (heel Nederland voor zover geladen)")
        if level == "district":
            return _("alle wijken in de database (heel Nederland voor zover geladen)")
        return _("alle gemeenten in de database")
    if kind == "parent":
        return _("het eigen cijfer van het bovenliggende gebied")
    return _("de 10 gebieden die er qua soort plek het meest op lijken")


def _number(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else "?"


def reliability_reason(row: Any, min_base: float) -> str:
    """Why a figure is not (fully) reliable. Dutch: the core's own reason, verbatim. Other
    languages: the same reason rebuilt from the row's fields and translated."""
    code = str(row.reliability)
    if code == "ok":
        return ""
    if not english():
        return str(row.reliability_reason)
    column, base = str(row.source_column), str(row.base)
    if code == "suppressed":
        return _("geheimgehouden door de bron (kolom %(column)s): geen z-score") % {
            "column": column}
    if code == "missing":
        if base and not float(row.base_value) > 0:
            return _("noemer %(base)s ontbreekt of is 0: geen aandeel te berekenen") % {
                "base": base}
        return _("geen cijfer in de bron (kolom %(column)s): geen z-score") % {"column": column}
    if code == "no_reference":
        n = float(row.ref_n)
        if not n >= 2:
            return _("referentiegroep te klein (n=%(n)s): geen z-score") % {
                "n": int(n) if math.isfinite(n) else 0}
        return _("geen spreiding in de referentiegroep (SD = 0): geen z-score")
    values = {"base": base, "value": _number(float(row.base_value)), "min": _number(min_base)}
    if code == "shrunk":
        return _(
            "kleine basis (%(base)s %(value)s < %(min)s): waarde naar het "
            "referentiegemiddelde getrokken (empirical Bayes); ruwe waarde bewaard"
        ) % values
    return _("kleine basis (%(base)s %(value)s < %(min)s): met voorzichtigheid lezen") % values
