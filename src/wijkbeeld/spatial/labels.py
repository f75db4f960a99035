"""Words (Dutch and English) and colours of hotspot classes, shared by results, maps and web.

Codes are stable and language-free (for JSON, CSS and colours); labels are what people read.
The meaning of hoog-hoog depends on the indicator's polarity: where higher is worse (the default,
e.g. % low-income households) hoog-hoog is a "concentratie van opgaven"; where higher is better
(a theme score, income) it is a "concentratie van kracht"; a neutral indicator speaks of high and
low values. Outliers keep their value pattern (hoog-laag, laag-hoog) whatever the polarity.

Colours follow the Okabe-Ito palette, which stays distinguishable with the common forms of colour
blindness: orange-red for challenges, blue for strengths, light versions for the outliers, light
grey for "niet significant"; "niet getoetst" and "geen gegevens" are white with a hatch on maps.

>>> cluster_label("HH", "higher_is_better")
'concentratie van kracht'
>>> cluster_label("LH", "higher_is_worse")
'uitschieter (laag-hoog)'
"""

from __future__ import annotations

from wijkbeeld.spatial.options import Polarity

__all__ = [
    "CLUSTER_CODES",
    "CLUSTER_COLOURS",
    "CLUSTER_HATCHES",
    "NOT_SIGNIFICANT",
    "NOT_TESTED",
    "NO_DATA",
    "QUADRANT_CODES",
    "QUADRANT_LABELS",
    "cluster_colour",
    "cluster_label",
    "cluster_labels",
]

NOT_SIGNIFICANT = "niet significant"
NOT_TESTED = "niet getoetst"
NO_DATA = "geen gegevens"

#: esda's PySAL quadrant numbers (``geoda_quads=False``): 1 HH, 2 LH, 3 LL, 4 HL.
QUADRANT_CODES: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
QUADRANT_LABELS: dict[str, str] = {
    "HH": "hoog-hoog",
    "LL": "laag-laag",
    "HL": "hoog-laag",
    "LH": "laag-hoog",
}

#: Codes in legend order.
CLUSTER_CODES: tuple[str, ...] = ("HH", "LL", "HL", "LH", "ns", "not_tested", "no_data")

_FIXED: dict[str, str] = {
    "HL": "uitschieter (hoog-laag)",
    "LH": "uitschieter (laag-hoog)",
    "ns": NOT_SIGNIFICANT,
    "not_tested": NOT_TESTED,
    "no_data": NO_DATA,
}
_FIXED_EN: dict[str, str] = {
    "HL": "outlier (high-low)",
    "LH": "outlier (low-high)",
    "ns": "not significant",
    "not_tested": "not tested",
    "no_data": "no data",
}
_CONCENTRATION: dict[str, tuple[str, str]] = {
    "higher_is_worse": ("concentratie van opgaven", "concentratie van kracht"),
    "higher_is_better": ("concentratie van kracht", "concentratie van opgaven"),
    "neutral": ("concentratie van hoge waarden", "concentratie van lage waarden"),
}
_CONCENTRATION_EN: dict[str, tuple[str, str]] = {
    "higher_is_worse": ("concentration of challenges", "concentration of strength"),
    "higher_is_better": ("concentration of strength", "concentration of challenges"),
    "neutral": ("concentration of high values", "concentration of low values"),
}

# Okabe-Ito: vermillion, blue, orange, sky blue; challenges warm, strengths cool.
_CHALLENGE, _STRENGTH = "#D55E00", "#0072B2"
_CHALLENGE_LIGHT, _STRENGTH_LIGHT = "#E69F00", "#56B4E9"
_NEUTRAL_HIGH, _NEUTRAL_LOW = "#CC79A7", "#009E73"

CLUSTER_COLOURS: dict[str, str] = {"ns": "#E5E5E5", "not_tested": "#FFFFFF", "no_data": "#FFFFFF"}
CLUSTER_HATCHES: dict[str, str] = {"not_tested": "...", "no_data": "///"}


def cluster_label(code: str, polarity: Polarity, language: str = "nl") -> str:
    """The label of a cluster code under the indicator's polarity, in Dutch (default) or English.

    >>> cluster_label("HH", "higher_is_worse", "en")
    'concentration of challenges'
    """
    fixed, concentration = ((_FIXED_EN, _CONCENTRATION_EN) if language == "en"
                            else (_FIXED, _CONCENTRATION))
    if code in fixed:
        return fixed[code]
    high, low = concentration[polarity]
    if code == "HH":
        return high
    if code == "LL":
        return low
    raise KeyError(code)


def cluster_labels(polarity: Polarity, language: str = "nl") -> dict[str, str]:
    """Code → label for every cluster code, in legend order."""
    return {code: cluster_label(code, polarity, language) for code in CLUSTER_CODES}


def cluster_colour(code: str, polarity: Polarity) -> str:
    """Fill colour of a cluster code: warm for challenges, cool for strengths."""
    if code in CLUSTER_COLOURS:
        return CLUSTER_COLOURS[code]
    if polarity == "neutral":
        return {"HH": _NEUTRAL_HIGH, "LL": _NEUTRAL_LOW, "HL": _CHALLENGE_LIGHT,
                "LH": _STRENGTH_LIGHT}[code]
    high_is_bad = polarity == "higher_is_worse"
    return {
        "HH": _CHALLENGE if high_is_bad else _STRENGTH,
        "LL": _STRENGTH if high_is_bad else _CHALLENGE,
        "HL": _CHALLENGE_LIGHT if high_is_bad else _STRENGTH_LIGHT,
        "LH": _STRENGTH_LIGHT if high_is_bad else _CHALLENGE_LIGHT,
    }[code]
