"""Scrubbing and tagging in linear time (issue 20, item 1): hostile and very long texts finish
quickly, long texts are scrubbed piece by piece without losing anything, and every pattern of
the voices core stays linear on inputs built to make a backtracking pattern go quadratic.

The limit per text is a generous 5 s for CI on a busy machine; ``benchmarks/text_worst_case.py``
prints the real figures (goal: under 1 s each).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable

import pytest
from worst_case_inputs import INPUTS, REALISTIC_NAMES, SIZE, realistic

from wijkbeeld.voices import Scrubber, Tagger
from wijkbeeld.voices.limits import (
    MAX_PIECE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TOKEN_CHARS,
    context,
    pieces,
    too_long_message,
)
from wijkbeeld.voices.text import words

LIMIT_S = 5.0


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    scrubber = Scrubber(keep=("Zuilen", "Leidsche Rijn"))
    scrubber.scrub("Jan Jansen belt 06-12345678.")  # word lists read before the clock runs
    return scrubber


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    tagger = Tagger()
    tagger.tag("Er is overlast van jongeren.")  # simplemma's dictionary loaded before timing
    return tagger


def _timed(call: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    call(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_worst_case_inputs_scrub_and_tag_quickly(
    name: str, scrubber: Scrubber, tagger: Tagger
) -> None:
    text = INPUTS[name](SIZE)
    assert len(text) > 0.99 * SIZE
    scrub_s = _timed(scrubber.scrub, text)
    tag_s = _timed(tagger.tag, text)
    assert scrub_s < LIMIT_S, f"scrub of {name} took {scrub_s:.1f} s"
    assert tag_s < LIMIT_S, f"tag of {name} took {tag_s:.1f} s"


def test_realistic_long_text_keeps_its_length_and_loses_its_names(scrubber: Scrubber) -> None:
    text = realistic(SIZE)
    result = scrubber.scrub(text)
    assert 0.8 * len(text) < len(result.text) <= len(text)
    for name in REALISTIC_NAMES:
        for part in name.split():
            if part[0].isupper() and part != "De":
                assert part not in result.text, part
    assert "06-12345678" not in result.text and "Kerkstraat 12" not in result.text
    copies = text.count("Henk Postma")
    assert result.counts["NAAM"] >= 6 * copies
    assert result.counts["TELEFOON"] == text.count("06-12345678")
    # the words around the names are all still there, in order
    assert words(re.sub(r"\[[A-Z]+\]", " ", result.text))[:8] == [
        "belde", "over", "de", "overlast", "bij", "het", "speelveld", "de"]


def test_long_text_is_scrubbed_as_its_pieces_together(scrubber: Scrubber) -> None:
    """Nothing is truncated, and a name across a cut between pieces is still found whole."""
    filler = "De speeltuin is mooi opgeknapt. "
    for offset in range(MAX_PIECE_CHARS - 40, MAX_PIECE_CHARS + 10, 3):
        head = (filler * (offset // len(filler) + 1))[:offset]
        text = head + " Gesprek gehad met mevr. Dogterom en A.P. Huijzers. " + filler * 80
        out = scrubber.scrub(text).text
        assert "Dogterom" not in out and "Huijzers" not in out, offset
        assert out.endswith(filler * 80)
        assert out.count("[NAAM]") == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "kort",
        " " * 5000,
        "a" * 5000,
        ("Een zin. " * 700) + "a" * 3000 + (" woord" * 700),
        ("regel\n" * 1000),
        "x" * 2500 + " " + "y" * 10,
        realistic(12_000),
    ],
)
def test_pieces_cover_the_text_exactly_and_never_cut_a_token(text: str) -> None:
    cut = pieces(text)
    assert "".join(text[s:e] for s, e in cut) == text
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cut))
    for start, end in cut:
        assert end - start <= MAX_PIECE_CHARS or not any(c.isspace() for c in text[start:end])
        assert start == 0 or text[start - 1].isspace() or text[start].isspace()
        lo, hi = context(text, start, end)
        assert lo <= start <= end <= hi and end - start + 400 >= hi - lo


def test_an_overlong_token_is_not_a_name_but_structured_data_inside_it_goes(
    scrubber: Scrubber,
) -> None:
    long_word = "Jansen" * 20  # 120 letters: not a word
    assert len(long_word) > MAX_TOKEN_CHARS
    assert scrubber.scrub(f"Gesprek met {long_word} over de buurt.").text == (
        f"Gesprek met {long_word} over de buurt.")
    url = "https://example.org/" + "pad/" * 40 + "?mail=jan@example.org&tel=0612345678"
    out = scrubber.scrub(f"Zie {url} voor meer.").text
    assert "jan@example.org" not in out and "[EMAIL]" in out
    assert out.startswith("Zie https://example.org/pad/pad/")
    assert words(long_word) == []  # and not a theme word either


def test_too_long_message_is_dutch_with_dutch_numbers() -> None:
    message = too_long_message(6200)
    assert message == (
        "de tekst is te lang: 6.200 tekens, er mogen hoogstens 5.000 in; maak hem korter of "
        "verdeel hem over meer stemmen")
    assert MAX_TEXT_CHARS == 5_000


# -- every pattern of the core, on inputs that make backtracking patterns quadratic ---------------
_UNITS = (
    "a", "A", "1", " ", "!", "a1", "A ", "A. ", ". A", "van ", "Aa ", ".", "a.", "a@", "@a.",
    "1234 AB ", "Kerkstraat 12 ", "Kerkstraat", "06", "0 6 ", "bsn ", "😀", "-", "\n", "Jan ",
    "a-", "1-", "1-a", "1a", "Aa.", "J. ", "mevrouw ", "Jan,Jansen,", "NL12ABCD", "’a", "Ab-",
    "geb 12-03-1980 ", "1234AB,", "x(at)", "12-jarige ",
)


@pytest.mark.parametrize("unit", _UNITS)
def test_time_grows_linearly_on_repeated_units(
    unit: str, scrubber: Scrubber, tagger: Tagger
) -> None:
    """Four times the text may cost at most about four times the time (a quadratic pattern
    costs sixteen); small absolute times are not compared, they are noise."""
    for call in (scrubber.scrub, tagger.tag):
        small = (unit * (5_000 // len(unit) + 1))[:5_000]
        large = (unit * (20_000 // len(unit) + 1))[:20_000]
        small_s = min(_timed(call, small) for _ in range(2))
        large_s = min(_timed(call, large) for _ in range(2))
        assert large_s < max(8 * small_s, 0.25), (unit, call, small_s, large_s)
