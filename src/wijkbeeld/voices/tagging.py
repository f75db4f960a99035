"""Theme and tone suggestions for a voice, from the Dutch lexicon.

Each word of the text is compared, as written and as its lemma (``simplemma``), with the
lexicon's words; word parts catch compounds; phrases are matched as written. A theme's score is
the sum of the weights of the distinct terms found, and its confidence ``1 - exp(-score /
scale)``: one word gives 0.63, a weak word 0.39, two words 0.86. Themes at or above
``min_confidence`` are suggested, strongest first; a person confirms or corrects them.

Tone weighs concern (``zorg``) against strength (``kracht``); a tone word within a few words
after a negation counts for the other side ("niet veilig" is a concern, "geen overlast meer" a
strength). Equal weight, or none, is ``neutraal``.

Tagging takes time linear in the length of the text: words come from a linear pattern and are
at most :data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` long
(:func:`~wijkbeeld.voices.text.words`), word parts and phrases are plain substring tests, and
each distinct word is scored once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from wijkbeeld.voices.lexicon import Lexicon, TermSet, load_lexicon
from wijkbeeld.voices.text import lemma, words

__all__ = ["TagResult", "Tagger", "ThemeSuggestion", "Tone", "tag"]


class Tone(StrEnum):
    """The tone of a voice."""

    ZORG = "zorg"
    KRACHT = "kracht"
    NEUTRAAL = "neutraal"


@dataclass(frozen=True, slots=True)
class ThemeSuggestion:
    """A suggested theme, its confidence (0..1) and the lexicon terms that gave it."""

    theme: str
    confidence: float
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TagResult:
    """Suggested themes (strongest first), tone, the two tone scores and the threshold used."""

    themes: tuple[ThemeSuggestion, ...]
    tone: Tone
    zorg: float
    kracht: float
    min_confidence: float

    @property
    def theme_keys(self) -> tuple[str, ...]:
        """The keys of the suggested themes."""
        return tuple(s.theme for s in self.themes)

    def to_dict(self) -> dict[str, Any]:
        """``{"themes": [{"theme": KEY, "confidence": 0..1}], "tone": ...}`` (the CLI format)."""
        return {
            "themes": [{"theme": s.theme, "confidence": s.confidence} for s in self.themes],
            "tone": self.tone.value,
        }


def _hits(terms: TermSet, toks: list[str], lemmas: list[str], padded: str) -> dict[str, float]:
    """The terms of ``terms`` found in the text, with their weights. Each distinct word is
    looked at once (a repeated word adds no new term), so a long text of few words is cheap."""
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


class Tagger:
    """Tags texts with one lexicon; build once, call :meth:`tag` per text."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        min_confidence: float = 0.5,
        scale: float = 1.0,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError("min_confidence must lie in 0..1")
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.lexicon = lexicon or load_lexicon()
        self.min_confidence = min_confidence
        self.scale = scale
        self._tone_words = _polarity_index(self.lexicon.zorg, self.lexicon.kracht)

    def scores(self, text: str) -> dict[str, ThemeSuggestion]:
        """Every theme with at least one term found, with its confidence (no threshold)."""
        toks = words(text)
        lemmas = [lemma(t) for t in toks]
        padded = f" {' '.join(toks)} "
        out: dict[str, ThemeSuggestion] = {}
        for key, theme in self.lexicon.themes.items():
            found = _hits(theme.terms, toks, lemmas, padded)
            if found:
                score = sum(found.values())
                confidence = round(1.0 - math.exp(-score / self.scale), 3)
                out[key] = ThemeSuggestion(key, confidence, tuple(sorted(found)))
        return out

    def tone(self, text: str) -> tuple[Tone, float, float]:
        """``(tone, zorg score, kracht score)``."""
        toks = words(text)
        lemmas = [lemma(t) for t in toks]
        padded = f" {' '.join(toks)} "
        negations = self.lexicon.negations
        window = self.lexicon.negation_window
        score = {Tone.ZORG: 0.0, Tone.KRACHT: 0.0}
        for i, (tok, lem) in enumerate(zip(toks, lemmas, strict=True)):
            hit = self._tone_words(tok) or self._tone_words(lem)
            if hit is None:
                continue
            polarity, weight = hit
            if any(t in negations for t in toks[max(0, i - window):i]):
                polarity = Tone.KRACHT if polarity is Tone.ZORG else Tone.ZORG
            score[polarity] += weight
        for polarity, terms in ((Tone.ZORG, self.lexicon.zorg), (Tone.KRACHT, self.lexicon.kracht)):
            for phrase, weight in terms.phrases.items():
                if f" {phrase} " in padded:
                    score[polarity] += weight
        zorg, kracht = round(score[Tone.ZORG], 3), round(score[Tone.KRACHT], 3)
        tone = Tone.NEUTRAAL if zorg == kracht else (Tone.ZORG if zorg > kracht else Tone.KRACHT)
        return tone, zorg, kracht

    def tag(self, text: str) -> TagResult:
        """Suggested themes at or above ``min_confidence`` (strongest first) and the tone."""
        ranked = sorted(self.scores(text).values(), key=lambda s: (-s.confidence, s.theme))
        themes = tuple(s for s in ranked if s.confidence >= self.min_confidence)
        tone, zorg, kracht = self.tone(text)
        return TagResult(themes, tone, zorg, kracht, self.min_confidence)

    def tag_many(self, texts: Iterable[str]) -> list[TagResult]:
        """:meth:`tag` for each text."""
        return [self.tag(t) for t in texts]


def _polarity_index(zorg: TermSet, kracht: TermSet) -> Any:
    """A cached function word -> (polarity, weight) or None, from words and parts."""
    table: Mapping[Tone, TermSet] = {Tone.ZORG: zorg, Tone.KRACHT: kracht}

    @lru_cache(maxsize=100_000)
    def lookup(word: str) -> tuple[Tone, float] | None:
        for polarity, terms in table.items():
            weight = terms.words.get(word)
            if weight is not None:
                return polarity, weight
        for polarity, terms in table.items():
            if any(part in word for part in terms.parts):
                return polarity, 1.0
        return None

    return lookup


@lru_cache(maxsize=1)
def _default_tagger() -> Tagger:
    return Tagger()


def tag(text: str) -> TagResult:
    """Tag one text with the default lexicon and threshold."""
    return _default_tagger().tag(text)
