"""Quote selection: representative, diverse across groups and dates, deterministic, scrubbed,
and withheld below the small-number minimum."""

from __future__ import annotations

import random
from datetime import date

import pytest

from wijkbeeld.voices import VoiceText, select_quotes
from wijkbeeld.voices.quotes import shorten

AREA = "BU03440101"

# Ten voices about veiligheid in one buurt: most speak of overlast by youths at night; one is
# about something else entirely (a bench), one is very short.
VOICES = [
    VoiceText(1, AREA, date(2024, 3, 4), "residents",
              "Elke avond overlast van jongeren bij de speeltuin, ik durf 's avonds niet naar "
              "buiten.",
              frozenset({"veiligheid"})),
    VoiceText(2, AREA, date(2024, 3, 9), "residents",
              "De jongeren bij de speeltuin maken 's avonds lawaai en overlast, de politie komt "
              "niet.",
              frozenset({"veiligheid", "jeugd_onderwijs"})),
    VoiceText(3, AREA, date(2024, 4, 2), "professionals:welzijn",
              "Jongerenwerk ziet dat de overlast 's avonds bij de speeltuin toeneemt; jongeren "
              "hebben geen eigen plek.",
              frozenset({"veiligheid", "jeugd_onderwijs"})),
    VoiceText(4, AREA, date(2024, 4, 15), "professionals:politie",
              "Meldingen van overlast door jongeren zijn gestegen, vooral 's avonds rond de "
              "speeltuin en het winkelcentrum.",
              frozenset({"veiligheid"})),
    VoiceText(5, AREA, date(2024, 5, 1), "policy",
              "De gemeente zet extra handhaving in op de overlast van jongeren in de avond.",
              frozenset({"veiligheid"})),
    VoiceText(6, AREA, date(2024, 5, 20), "residents",
              "Het bankje bij de vijver is een prettige plek en voelt veilig.",
              frozenset({"veiligheid"})),
    VoiceText(7, AREA, date(2024, 6, 3), "residents", "Onveilig.", frozenset({"veiligheid"})),
    VoiceText(8, AREA, date(2024, 6, 9), "residents",
              "Mevrouw Jansen zegt dat jongeren 's avonds overlast geven bij de speeltuin "
              "(06-12345678).",
              frozenset({"veiligheid"})),
    VoiceText(9, AREA, date(2024, 6, 12), "professionals:corporatie",
              "Huurders klagen over overlast in de portieken 's avonds.",
              frozenset({"veiligheid", "wonen"})),
    VoiceText(10, AREA, date(2024, 7, 1), "residents",
              "Jongeren hangen 's avonds bij de speeltuin en er is overlast.",
              frozenset({"veiligheid"})),
    # other area, other theme: never chosen
    VoiceText(11, "BU03440102", date(2024, 3, 4), "residents",
              "Overlast van jongeren bij de speeltuin, elke avond weer.",
              frozenset({"veiligheid"})),
    VoiceText(12, AREA, date(2024, 3, 4), "residents",
              "De huur is te hoog voor gezinnen.", frozenset({"wonen"})),
]


def test_three_quotes_from_the_right_area_and_theme() -> None:
    selection = select_quotes(VOICES, AREA, "veiligheid")
    assert selection.candidates == 10 and not selection.withheld
    assert len(selection.quotes) == 3
    ids = [q.id for q in selection.quotes]
    assert not {11, 12} & set(ids)
    # the odd one out (a bench) and the one-word voice are not representative
    assert 6 not in ids and 7 not in ids


def test_quotes_span_groups_and_dates() -> None:
    quotes = select_quotes(VOICES, AREA, "veiligheid").quotes
    assert len({q.group for q in quotes}) == 3
    assert len({(q.date.year, q.date.month) for q in quotes}) == 3


def test_selection_is_deterministic_whatever_the_input_order() -> None:
    first = select_quotes(VOICES, AREA, "veiligheid", n=4)
    for seed in range(5):
        shuffled = VOICES[:]
        random.Random(seed).shuffle(shuffled)
        assert select_quotes(shuffled, AREA, "veiligheid", n=4) == first


def test_quotes_are_scrubbed_again() -> None:
    voices = [*VOICES[:5], *(v for v in VOICES if v.id == 8)]
    quotes = select_quotes(voices, AREA, "veiligheid", n=6, minimum=5).quotes
    text = next(q.text for q in quotes if q.id == 8)
    assert "Jansen" not in text and "06-12345678" not in text
    assert "[NAAM]" in text and "[TELEFOON]" in text


def test_quotes_are_withheld_below_the_minimum() -> None:
    few = [v for v in VOICES if v.id in (1, 2, 3, 4)]
    selection = select_quotes(few, AREA, "veiligheid")
    assert selection.withheld and selection.quotes == () and selection.candidates == 4
    assert select_quotes(few, AREA, "veiligheid", minimum=3).quotes != ()
    assert select_quotes(VOICES, AREA, "cultuur").quotes == ()


def test_long_quotes_are_shortened_at_a_sentence_end() -> None:
    long = "Het is hier al jaren onrustig. " * 4 + "Er moet iets gebeuren aan de overlast."
    assert shorten(long, 100) == " ".join(["Het is hier al jaren onrustig."] * 3)
    cut = shorten("woord " * 50, 60)
    assert len(cut) <= 60 and cut.endswith("woord…")
    assert shorten("kort  en\ngoed", 100) == "kort en goed"


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError):
        select_quotes(VOICES, AREA, "veiligheid", n=0)
    with pytest.raises(ValueError):
        select_quotes(VOICES, AREA, "veiligheid", max_chars=10)
