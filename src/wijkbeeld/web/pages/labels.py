"""The words of the area profile in the reader's language: bands, reliability, reference sets.

The comparison core (:mod:`wijkbeeld.compare`) speaks Dutch in its result rows (``band_label``,
``reliability_reason``); the page maps the *codes* to translated labels here, so the English
page reads English while the Dutch page shows exactly the core's wording.

The other core packages (:mod:`wijkbeeld.spatial`, :mod:`wijkbeeld.urgency`) also return Dutch
labels and notes (hotspot classes, urgency classes, group names, alerts). :func:`core_text`
translates those at the web layer: each known Dutch phrase (:data:`CORE_TEXTS`) is replaced by
its translation, also inside a longer note ("niet (genoeg) gepeild: bewoners, beleid"), and in
English the numbers in the text follow English separators (``9,9 – 12,5`` → ``9.9 – 12.5``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

__all__ = [
    "BAND_LABELS",
    "CORE_TEXTS",
    "LEVEL_LABELS",
    "REFERENCE_LABELS",
    "RELIABILITY_LABELS",
    "band_label",
    "core_text",
    "english",
    "english_numbers",
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


#: Dutch phrases the core packages return, with their translation (msgid = the core's words).
CORE_TEXTS: dict[str, Promise] = {
    # wijkbeeld.web.areas: notes of a map layer
    "waarden komen uit een andere indeling met dezelfde code":
        gettext_lazy("waarden komen uit een andere indeling met dezelfde code"),
    "gebieden met een cijfer hebben geen opgeslagen grens":
        gettext_lazy("gebieden met een cijfer hebben geen opgeslagen grens"),
    # wijkbeeld.spatial.labels: hotspot classes (Local Moran's I)
    "concentratie van opgaven": gettext_lazy("concentratie van opgaven"),
    "concentratie van kracht": gettext_lazy("concentratie van kracht"),
    "concentratie van hoge waarden": gettext_lazy("concentratie van hoge waarden"),
    "concentratie van lage waarden": gettext_lazy("concentratie van lage waarden"),
    "uitschieter (hoog-laag)": gettext_lazy("uitschieter (hoog-laag)"),
    "uitschieter (laag-hoog)": gettext_lazy("uitschieter (laag-hoog)"),
    "niet significant": gettext_lazy("niet significant"),
    "niet getoetst": gettext_lazy("niet getoetst"),
    "geen gegevens": gettext_lazy("geen gegevens"),
    # wijkbeeld.urgency.options: classes, alerts and groups
    "gedeelde urgentie": gettext_lazy("gedeelde urgentie"),
    "van bovenaf": gettext_lazy("van bovenaf"),
    "gevoeld, niet gemeten": gettext_lazy("gevoeld, niet gemeten"),
    "verdeeld": gettext_lazy("verdeeld"),
    "geen urgentie": gettext_lazy("geen urgentie"),
    "onvoldoende gegevens": gettext_lazy("onvoldoende gegevens"),
    "urgentie neemt af terwijl de cijfers niet verbeteren": gettext_lazy(
        "urgentie neemt af terwijl de cijfers niet verbeteren"),
    "aanleiding vervaagd, opgave blijft": gettext_lazy("aanleiding vervaagd, opgave blijft"),
    "nieuwe urgentie": gettext_lazy("nieuwe urgentie"),
    "cijfers verbeteren": gettext_lazy("cijfers verbeteren"),
    "bewoners": gettext_lazy("bewoners"),
    "beleid": gettext_lazy("beleid"),
    # wijkbeeld.urgency.classes: notes
    "risico op een valse start en op stigmatisering van de buurt": gettext_lazy(
        "risico op een valse start en op stigmatisering van de buurt"),
    "zoek naar een gat in de cijfers of een nieuw probleem": gettext_lazy(
        "zoek naar een gat in de cijfers of een nieuw probleem"),
    "geen cijfers voor dit thema": gettext_lazy("geen cijfers voor dit thema"),
    "tonen deze urgentie niet": gettext_lazy("tonen deze urgentie niet"),
    "zoek naar een gat": gettext_lazy("zoek naar een gat"),
    "niet (genoeg) gepeild": gettext_lazy("niet (genoeg) gepeild"),
    "op basis van verhalen": gettext_lazy("op basis van verhalen"),
    "weinig overeenstemming binnen de groep": gettext_lazy(
        "weinig overeenstemming binnen de groep"),
    "verhalen wijken af van de peiling": gettext_lazy("verhalen wijken af van de peiling"),
    "de cijfers": gettext_lazy("de cijfers"),
    "themascore": gettext_lazy("themascore"),
    # wijkbeeld.compare.profile: notes
    "cijfers uit verschillende perioden": gettext_lazy("cijfers uit verschillende perioden"),
}
_PHRASES = re.compile(
    "|".join(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])"
             for k in sorted(CORE_TEXTS, key=len, reverse=True)))
_DUTCH_NUMBER = re.compile(r"(?<![\w.,])-?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\w]|[.,]\d)"
                           r"|(?<![\w.,])-?\d+,\d+(?![\w]|[.,]\d)")


def english() -> bool:
    """Is the active language English?"""
    return (get_language() or "nl").lower().startswith("en")


def english_numbers(text: str) -> str:
    """Dutch-written numbers in ``text`` with English separators: ``1.234,5`` → ``1,234.5``."""
    return _DUTCH_NUMBER.sub(
        lambda m: m.group(0).replace(".", "\0").replace(",", ".").replace("\0", ","), text)


def core_text(text: str) -> str:
    """A label or note from a core package in the reader's language: unchanged in Dutch; in
    English every phrase of :data:`CORE_TEXTS` translated and the numbers written the English
    way. Unknown words (names of areas, rounds) stay as they are."""
    if not english():
        return text
    translated = _PHRASES.sub(lambda m: str(CORE_TEXTS[m.group(0)]), text)
    return english_numbers(translated)


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
