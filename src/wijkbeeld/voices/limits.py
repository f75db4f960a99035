"""Bounds on free text, so that scrubbing and tagging take time linear in the length of a text.

Free text comes from people and from exports, so it may be long, glued together or hostile: a
pasted log, 100 kB of one letter, a URL of 100 kB. Every pattern of :mod:`wijkbeeld.voices` is
written to run in linear time by itself (possessive quantifiers, anchored starts, bounded runs);
the bounds here keep the constant small and the behaviour predictable:

* :data:`MAX_TEXT_CHARS`: the longest text of one voice that a form, the API or an importer
  accepts (longer input is refused with :func:`too_long_message`, never cut silently);
* :data:`MAX_PIECE_CHARS`: a longer text (the ``wijkbeeld scrub`` command takes any line) is
  scrubbed in pieces of about this size (:func:`pieces`), cut after a line break, else after the
  end of a sentence, else at a space, never inside a token. Each piece is read together with up
  to :data:`CONTEXT_CHARS` of text on either side (:func:`context`), so that a name or address
  across a cut ("mevr. | Jansen") is still found whole; what is found in a piece is kept, and the
  scrubbed pieces are joined again: nothing is truncated;
* :data:`MAX_TOKEN_CHARS`: a run of letters and digits longer than this is not a word, so never
  (part of) a person name and never a theme word. Such a run is one unit: it is not cut into
  pieces, and the detectors of structured data (e-mail, phone, BSN, IBAN, postcode, licence plate,
  date of birth) still run over it, so an e-mail address inside a long URL is replaced
  (``[EMAIL]``) while the rest of the URL stays.
"""

from __future__ import annotations

__all__ = [
    "CONTEXT_CHARS",
    "MAX_PIECE_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_TOKEN_CHARS",
    "context",
    "pieces",
    "too_long_message",
]

#: Longest text of one voice (characters, before scrubbing) accepted from a form or an import.
MAX_TEXT_CHARS = 5_000
#: Longer texts are scrubbed in pieces of at most this many characters (cut between tokens).
MAX_PIECE_CHARS = 2_000
#: A run of word characters longer than this is not a word: not a name, not a theme word.
MAX_TOKEN_CHARS = 100
#: Text read on either side of a piece, so that what crosses a cut is seen whole.
CONTEXT_CHARS = 200

_SENTENCE_END = ".!?…"
_CLOSERS = "\"'”’)]»"


def _dutch_count(number: int) -> str:
    """``5000`` -> ``"5.000"`` (Dutch thousands separator)."""
    return f"{number:,}".replace(",", ".")


def too_long_message(length: int, limit: int = MAX_TEXT_CHARS) -> str:
    """The Dutch message for a text of ``length`` characters over ``limit``."""
    return (
        f"de tekst is te lang: {_dutch_count(length)} tekens, er mogen hoogstens "
        f"{_dutch_count(limit)} in; maak hem korter of verdeel hem over meer stemmen"
    )


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end the piece that starts at ``start`` and may run to ``stop`` (exclusive).

    After the last line break in the second half of the window, else after the last sentence
    end followed by a space, else after the last space in the window; with no space at all
    the piece runs to the end of the token that crosses ``stop`` (a long token stays whole).
    Each call reads at most the window and the rest of one token, so cutting a text into pieces
    is linear in its length.
    """
    half = start + (stop - start) // 2
    newline = text.rfind("\n", half, stop)
    if newline >= 0:
        return newline + 1
    last_space = -1
    for i in range(stop - 1, start, -1):
        if not text[i].isspace():
            continue
        if last_space < 0:
            last_space = i
        if i < half:
            break
        j = i - 1
        while j > start and text[j] in _CLOSERS:
            j -= 1
        if text[j] in _SENTENCE_END:
            return i + 1
    if last_space >= 0:
        return last_space + 1
    end = stop
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces that together are exactly ``text``.

    Each piece is at most ``limit`` characters, unless a single token (a run without whitespace)
    is longer: then that token ends its piece. A text of at most ``limit`` characters is one
    piece. ``limit`` must be at least 2.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        out.append((start, end))
        start = end
    if start < len(text) or not out:
        out.append((start, len(text)))
    return out


def context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[int, int]:
    """``(lo, hi)``: the piece ``text[start:end]`` widened by up to ``chars`` characters on
    either side, to the nearest token boundary inside that margin (a token is never cut; with
    no boundary in the margin that side is not widened)."""
    lo = max(0, start - chars)
    while lo < start and lo > 0 and not text[lo - 1].isspace():
        lo += 1
    hi = min(len(text), end + chars)
    while hi > end and hi < len(text) and not text[hi].isspace():
        hi -= 1
    return lo, hi
