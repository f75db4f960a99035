"""Hostile and very long texts for the linear-time checks of scrubbing and tagging, shared by
``tests/voices/test_worst_case.py`` and ``benchmarks/text_worst_case.py``.

Each input is about ``size`` characters (100 kB by default): one letter, digits, ``a@``
repeated, mixed Unicode (letters of several scripts, combining marks, emoji with joiners,
right-to-left text and direction marks, a few spaces and punctuation), one long URL, and a
realistic text (notes with names, a phone number and an address, repeated). Everything is built
from a fixed seed, so every run times the same texts.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["INPUTS", "REALISTIC_NAMES", "SIZE", "realistic"]

#: Default size of each input, in characters.
SIZE = 100_000

#: The people named in :func:`realistic`; none of them may survive scrubbing.
REALISTIC_NAMES = (
    "Jan Jansen", "Fatima Yilmaz", "De Vries", "Kees Bakker", "Samira El Amrani", "Henk Postma",
)

_SENTENCES = (
    "Jan Jansen belde over de overlast bij het speelveld; de jongeren blijven er 's avonds hangen.",
    "Mevrouw De Vries zegt dat de portiek vies is en dat er te weinig licht is op straat.",
    "Fatima Yilmaz vindt dat de buurt schoner moet, bel haar op 06-12345678.",
    "Het buurthuis is een fijne plek, maar de huur gaat omhoog en veel mensen hebben schulden.",
    "Kees Bakker woont op de Kerkstraat 12 en ziet dat ouderen eenzaam zijn.",
    "Volgens Samira El Amrani is er op school weinig aandacht voor kinderen met taalachterstand.",
    "Henk Postma meldt dat de stoep kapot is en dat er afval naast de containers ligt.",
)

_UNICODE_POOL = (
    "a", "e", "z", "é", "ß", "ø", "Ж", "щ", "Ω", "中", "文", "ا", "ل", "ע", "ש",
    "\u0301", "\u0308", "\u200f", "\u202e", "\u200d", "😀", "👩\u200d👩\u200d👧", "🇳🇱",
    " ", " ", ".", "-", "'", "1", "@",
)


def one_letter(size: int = SIZE) -> str:
    """``"a" * size``: the address detector's street-suffix loop once took minutes on it."""
    return "a" * size


def digits(size: int = SIZE) -> str:
    """Digits without a break: the tagger's word pattern once took minutes on it."""
    return ("1234567890" * (size // 10 + 1))[:size]


def a_at(size: int = SIZE) -> str:
    """``"a@"`` repeated: an e-mail address shape at every other character."""
    return ("a@" * (size // 2 + 1))[:size]


def mixed_unicode(size: int = SIZE, seed: int = 20) -> str:
    """A random mix of scripts, combining marks, emoji, direction marks, a few spaces."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(_UNICODE_POOL)
        parts.append(piece)
        length += len(piece)
    return "".join(parts)[:size]


def long_url(size: int = SIZE) -> str:
    """One URL of ``size`` characters: ``https://example.org/`` and a long path."""
    head = "https://example.org/"
    return head + ("wijk/buurt-" * (size // 11 + 1))[:size - len(head)]


def realistic(size: int = SIZE) -> str:
    """Notes of residents and professionals with names, repeated up to ``size`` characters
    (cut at a sentence end, so each copy of a name is whole)."""
    out: list[str] = []
    length = 0
    i = 0
    while True:
        sentence = _SENTENCES[i % len(_SENTENCES)]
        if length + len(sentence) + 1 > size:
            break
        out.append(sentence)
        length += len(sentence) + 1
        i += 1
    return " ".join(out)


#: The inputs by name, each a function of the size.
INPUTS: dict[str, Callable[[int], str]] = {
    "one letter": one_letter,
    "digits": digits,
    "a@ repeated": a_at,
    "mixed Unicode": mixed_unicode,
    "long URL": long_url,
    "realistic": realistic,
}
