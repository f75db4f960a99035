"""Words and lemmas of Dutch text, shared by tagging and quote selection.

Lemmas come from ``simplemma`` (Dutch dictionary, no model download, works offline). Its
dictionary loads on the first call (about 1.5 s); look-ups are cached per word.

The word pattern runs in linear time on any input: a run of digits is tried once, from its first
digit (``(?<!\\d)``), and every run is taken possessively, so 100 kB of digits or letters costs one
pass instead of one pass per position. A "word" longer than
:data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` is not a word and is left out (it would only
cost the lemmatiser time and match nothing in the lexicon).
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from wijkbeeld.voices.limits import MAX_TOKEN_CHARS

__all__ = ["lemma", "words"]

_WORD = re.compile(r"[^\W\d_]++(?:['’-][^\W\d_]++)*+|(?<!\d)\d++(?:-[^\W\d_]++)++")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order (hyphenated words stay whole)."""
    return [w for w in _WORD.findall(text.lower()) if len(w) <= MAX_TOKEN_CHARS]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The Dutch lemma of a lower-case word ("huizen" -> "huis"), or the word itself."""
    try:
        return str(simplemma.lemmatize(word, lang="nl")).lower()
    except ValueError:  # pragma: no cover - simplemma rejects only non-strings
        return word
