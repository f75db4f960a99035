"""Words and numbers of the report: Dutch by default, English on request, neutral in tone.

Labels live in one small dictionary per language so the wording can be reviewed in one place
(plain language, no stigmatising terms: "aandachtspunt", never "probleemwijk"). Numbers are
written the Dutch way (``1.234,5``) in Dutch and the English way in English.
"""

from __future__ import annotations

import base64
import math
from decimal import ROUND_HALF_UP, Decimal

from wijkbeeld.figures.display import format_figure

__all__ = ["LABELS", "data_uri", "format_number", "format_value", "label"]

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Wijkbeeld",
        "toc": "Inhoud",
        "summary": "Samenvatting",
        "figures": "Sterke punten en aandachtspunten per thema",
        "maps": "Kaarten",
        "voices": "Stemmen uit de wijk",
        "urgency": "Urgentie per groep",
        "questions": "Open vragen",
        "method": "Methode en bronnen",
        "strengths": "Sterke punten",
        "challenges": "Aandachtspunten",
        "indicator": "Cijfer",
        "value": "Waarde",
        "reference": "Vergelijking",
        "band": "Ten opzichte van de vergelijking",
        "source": "Bron",
        "none": "Geen cijfers die duidelijk gunstiger of ongunstiger zijn dan de vergelijking.",
        "withheld": "te weinig om te tonen",
        "few_voices": "Te weinig reacties over dit thema om aantallen of citaten te tonen.",
        "group": "Groep",
        "theme": "Thema",
        "class": "Beeld",
        "alerts": "Signalen",
        "generated": "Gemaakt op",
        "versions": "Versies",
        "page": "pagina",
        "no_questions": "Cijfers en ervaringen wijzen dezelfde kant op; er zijn geen open vragen.",
        "unreliable": "onzeker",
        "occasions": "Aanleidingen",
        "occasions_intro": "Wat de aandacht voor dit gebied in gang zette, los van hoe het "
                           "gebied ervoor staat.",
        "no_triggers": "Er zijn geen aanleidingen vastgelegd.",
        "timeline": "Tijdlijn",
        "timeline_caption": "Punten: themascore per cijferjaar (boven de stippellijn gunstiger, "
                            "eronder ongunstiger). Ruiten: peilingen, gekleurd naar de urgentie. "
                            "Driehoeken: aanleidingen.",
        "date": "Datum",
        "status": "Status",
        "description": "Omschrijving",
        "persistence": "Blijft de urgentie?",
        "voice_signals": "Wat er in gesprekken vaak genoemd wordt",
        "responses": "reacties",
        "trend": "Verloop",
        "peers": "Vergelijkbare gebieden",
        "area": "Gebied",
        "similarity": "Verschil (sd)",
        "peer_mean": "Gemiddelde vergelijkbare gebieden",
        "recognition": "Herkenning per groep",
        "recognition_intro": "Aandeel dat het beeld uit de cijfers (deels) herkent, per thema "
                             "en groep.",
        "figures_vs_voices": "Cijfers en stemmen",
        "map_locator": "ligging in de gemeente",
        "map_theme": "Themascore",
        "map_hotspots": "Waar uitkomsten samenkomen",
        "hotspot_test": "Local Moran's I, 999 permutaties, p ≤ 0,05",
        "this_area": "dit gebied",
        "other_areas": "andere gebieden",
    },
    "en": {
        "title": "Neighbourhood picture",
        "toc": "Contents",
        "summary": "Summary",
        "figures": "Strengths and points of attention per theme",
        "maps": "Maps",
        "voices": "Voices from the neighbourhood",
        "urgency": "Urgency per group",
        "questions": "Open questions",
        "method": "Method and sources",
        "strengths": "Strengths",
        "challenges": "Points of attention",
        "indicator": "Figure",
        "value": "Value",
        "reference": "Comparison",
        "band": "Against the comparison",
        "source": "Source",
        "none": "No figures clearly more or less favourable than the comparison.",
        "withheld": "too few to show",
        "few_voices": "Too few responses on this theme to show counts or quotes.",
        "group": "Group",
        "theme": "Theme",
        "class": "Picture",
        "alerts": "Signals",
        "generated": "Generated on",
        "versions": "Versions",
        "page": "page",
        "no_questions": "Figures and experience point the same way; no open questions.",
        "unreliable": "uncertain",
        "occasions": "Occasions",
        "occasions_intro": "What started the attention for this area, apart from how the area "
                           "is doing.",
        "no_triggers": "No occasions have been recorded.",
        "timeline": "Timeline",
        "timeline_caption": "Dots: theme score per figure year (above the dotted line more "
                            "favourable, below less favourable). Diamonds: rounds, coloured by "
                            "urgency. Triangles: occasions.",
        "date": "Date",
        "status": "Status",
        "description": "Description",
        "persistence": "Does the urgency last?",
        "voice_signals": "What conversations often mention",
        "responses": "responses",
        "trend": "Trend",
        "peers": "Comparable areas",
        "area": "Area",
        "similarity": "Difference (sd)",
        "peer_mean": "Mean of comparable areas",
        "recognition": "Recognition per group",
        "recognition_intro": "Share that (partly) recognises the picture from the figures, per "
                             "theme and group.",
        "figures_vs_voices": "Figures and voices",
        "map_locator": "location in the municipality",
        "map_theme": "Theme score",
        "map_hotspots": "Where outcomes cluster",
        "hotspot_test": "Local Moran's I, 999 permutations, p ≤ 0.05",
        "this_area": "this area",
        "other_areas": "other areas",
    },
}


def label(key: str, language: str = "nl") -> str:
    """The label ``key`` in ``language`` (Dutch when the language or key is unknown)."""
    return LABELS.get(language, LABELS["nl"]).get(key) or LABELS["nl"][key]


def format_number(value: float | None, language: str = "nl", decimals: int = 1) -> str:
    """``value`` with at most ``decimals`` decimals (trailing zeros dropped) and thousands
    separators: ``1.234,5`` in Dutch, ``1,234.5`` in English; ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # Half up, as CBS publishes (5 of 8 is 63 %, not Python's half-to-even 62 %); from the
    # shortest repr so 2.675 rounds as written, not as its binary neighbour 2.67499….
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if language == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_value(value: float | None, unit: str, language: str = "nl") -> str:
    """A figure with its unit, as everywhere a person reads one (``7,8 %``, ``€ 31.400``,
    ``< 0,1 %``): see :func:`wijkbeeld.figures.display.format_figure`."""
    return format_figure(value, unit, "en" if language == "en" else "nl")


def data_uri(data: bytes, mime: str) -> str:
    """``data:`` URI of an image, so the document embeds it instead of fetching it."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
