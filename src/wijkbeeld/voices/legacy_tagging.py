"""The theme tagger as it was before issue 20, item 3: the lexicon-only baseline, never used to tag.

``wijkbeeld voices evaluate`` reports the tagger against two baselines; this is the second: the
substring tagger with its own frozen lexicon (``voices/lexicons/themes_legacy.toml``, the
lexicon of commit 41969b0, unchanged). A word part counted wherever it occurred inside a word
("ziek" in "muziek"), every theme at or above confidence 0.5 was suggested, strongest first.

Why keep the old code instead of only its figures: the evaluation command takes any labelled
file (a municipality's own export, the older development sets), and a baseline recorded on one
file says nothing about another. Keeping the old matching here, frozen and small, lets every
evaluation measure the old behaviour on the same texts as the new.
"""

from __future__ import annotations

import math
from functools import lru_cache

from wijkbeeld.voices.lexicon import Lexicon, TermSet, load_lexicon
from wijkbeeld.voices.text import lemma, words

__all__ = ["LEGACY_LEXICON", "LegacyTagger", "legacy_tagger"]

#: The frozen lexicon of the baseline, a file under ``voices/lexicons/``.
LEGACY_LEXICON = "themes_legacy.toml"
_MIN_CONFIDENCE = 0.5


def _hits(terms: TermSet, toks: list[str], lemmas: list[str], padded: str) -> dict[str, float]:
    """The old matching, unchanged: word or lemma, any part as a substring, phrases."""
    found: dict[str, float] = {}
    for tok, lem in dict.fromkeys(zip(toks, lemmas, strict=True)):
        for form in (tok, lem):
            weight = terms.words.get(form)
            if weight is not None:
                found[form] = max(weight, found.get(form, 0.0))
                break
        for part in terms.parts:
            if part in tok and part not in found:
                found[part] = 1.0
    for phrase, weight in terms.phrases.items():
        if f" {phrase} " in padded:
            found[phrase] = weight
    return found


class LegacyTagger:
    """The pre-issue-20 theme tagger; :meth:`themes` gives its suggestions, strongest first."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon(bundled=(LEGACY_LEXICON,))

    def themes(self, text: str) -> tuple[str, ...]:
        """The suggested theme keys, strongest first (ties by key), as the old tagger gave."""
        toks = words(text)
        lemmas = [lemma(t) for t in toks]
        padded = f" {' '.join(toks)} "
        scored: list[tuple[float, str]] = []
        for key, theme in self.lexicon.themes.items():
            found = _hits(theme.terms, toks, lemmas, padded)
            if found:
                confidence = round(1.0 - math.exp(-sum(found.values())), 3)
                if confidence >= _MIN_CONFIDENCE:
                    scored.append((confidence, key))
        return tuple(key for _, key in sorted(scored, key=lambda s: (-s[0], s[1])))


@lru_cache(maxsize=1)
def legacy_tagger() -> LegacyTagger:
    """One shared baseline tagger (building it reads the frozen lexicon)."""
    return LegacyTagger()
