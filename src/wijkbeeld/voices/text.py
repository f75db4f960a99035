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

__all__ = ["CLAUSE_MARKS", "lemma", "tokens", "words"]

_WORD_PATTERN = r"[^\W\d_]++(?:['’-][^\W\d_]++)*+|(?<!\d)\d++(?:-[^\W\d_]++)++"
_WORD = re.compile(_WORD_PATTERN)
#: Marks that end a clause: a negation ("geen last van ...") reaches no further than these.
CLAUSE_MARKS = frozenset(".,;:!?()…")
# One alternative more than _WORD, a single character, so still one pass over the text.
_TOKEN = re.compile(_WORD_PATTERN + r"|[.,;:!?()…]")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order (hyphenated words stay whole)."""
    return [w for w in _WORD.findall(text.lower()) if len(w) <= MAX_TOKEN_CHARS]


def tokens(text: str) -> list[str]:
    """:func:`words` with the clause marks between them (``,`` ``.`` ``;`` ``:`` ``!`` ``?``
    parentheses, ``…``) kept as tokens of their own, so that a phrase or a negation does not
    run on into the next clause."""
    return [t for t in _TOKEN.findall(text.lower()) if len(t) <= MAX_TOKEN_CHARS]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The Dutch lemma of a lower-case word ("huizen" -> "huis"), or the word itself."""
    try:
        return str(simplemma.lemmatize(word, lang="nl")).lower()
    except ValueError:  # pragma: no cover - simplemma rejects only non-strings
        return word
