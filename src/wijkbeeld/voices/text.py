"""Words and lemmas of Dutch text, shared by tagging and quote selection.

Lemmas come from ``simplemma`` (Dutch dictionary, no model download, works offline). Its
dictionary loads on the first call (about 1.5 s); look-ups are cached per word.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

__all__ = ["lemma", "words"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:-[^\W\d_]+)+")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order (hyphenated words stay whole)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The Dutch lemma of a lower-case word ("huizen" -> "huis"), or the word itself."""
    try:
        return str(simplemma.lemmatize(word, lang="nl")).lower()
    except ValueError:  # pragma: no cover - simplemma rejects only non-strings
        return word
