"""Labelled texts for the learning tests: a few voices per theme that a municipality's
analysts confirmed, one text the lexicon gets wrong and a paraphrase of it (other words, same
meaning). Written for these tests; not taken from an evaluation set."""

from __future__ import annotations

SEED: dict[str, tuple[str, ...]] = {
    "openbare_ruimte": (
        "Overal zwerfafval en volle containers bij het winkelcentrum.",
        "Het speeltuintje is kapot en het gras wordt nooit gemaaid.",
        "De stoep ligt open en er zijn geen bankjes meer in het plantsoen.",
    ),
    "veiligheid": (
        "Jongeren hangen 's nachts rond bij de snackbar en maken lawaai.",
        "Er wordt gedeald in het portiek, ik voel me niet veilig.",
        "Weer een inbraak in de flat, de politie komt niet.",
    ),
    "sociale_samenhang": (
        "Veel ouderen zijn eenzaam en kennen hun buren niet meer.",
        "Het buurthuis organiseert een straatfeest, veel mensen doen mee.",
        "Oudere bewoners redden het niet met alles wat online moet en vragen niemand om hulp.",
    ),
    "jeugd_onderwijs": (
        "Op de basisschool zitten te veel kinderen in een klas.",
        "Er is geen huiswerkbegeleiding voor de kinderen na school.",
        "Tieners spijbelen en halen hun diploma niet.",
    ),
}
#: The lexicon puts this under jeugd_onderwijs (library, learning); the analyst corrects it.
CORRECTED = ("De wifi in de bibliotheek valt steeds uit, ouderen kunnen hun DigiD-zaken daar "
             "niet regelen.")
CORRECT_THEME = "sociale_samenhang"
LEXICON_THEME = "jeugd_onderwijs"
#: The same complaint in other words.
PARAPHRASE = "In de bieb werkt het internet niet, daardoor kunnen senioren hun DigiD niet regelen."
