"""Theme and tone suggestions for a voice, from the Dutch lexicon.

**Evidence.** :mod:`~wijkbeeld.voices.evidence` finds the lexicon's terms in the text on word
boundaries: the word, its lemma (``simplemma``) and its regular forms; compounds by their head
("drugsoverlast" is nuisance, "hondenpoep" litter); word beginnings; phrases. "ziek" is never
found inside "muziek".

**Negation.** A problem that is said to be absent ("geen last meer van hangjongeren", "geen
enkel probleem met veiligheid", "geen overlast van de buren") is not what the text is about:
from the negated problem word to the end of its clause (a punctuation mark, "maar", "wel") every
theme term counts for :data:`NEGATED_FACTOR` of its weight. Only problem words open such a scope
(:data:`PROBLEM_WORDS`, and the tone lexicon's ``zorg`` words that are theme terms), so "geen
werk", "geen geld" or "geen bankje" still speak for their theme: there the absence is the
problem. A text that speaks of nothing but an absent problem ("er is geen overlast meer") is
still about it: the discount applies only when the text has other evidence.

**Ranking and cut.** A theme's score adds the weights of the distinct terms found, strongest
first, each further term counting :data:`SUPPORT` times the one before (a term counts once
however often it occurs, and a word inside a phrase of the same theme counts with the phrase):
one word for the problem itself ("gedeald") is not outweighed by a setting named three ways
("school", "schoolplein", "ouders"). The confidence is ``1 - exp(-score / scale)``: one word
gives 0.63, a weak word 0.39, a strong word 0.86. Themes are ranked by score, ties by the
earliest term in the text. The first is suggested when its confidence reaches
``min_confidence``; each further theme also needs at least ``relative_cut`` of the first
theme's score, and at most ``max_themes`` are suggested: a passing mention does not become a
theme, so suggesting more themes does not buy recall at the cost of precision. A person
confirms or corrects the suggestions.

**Tone** weighs concern (``zorg``) against strength (``kracht``); a tone word within a few words
after a negation, in the same clause, counts for the other side ("niet veilig" is a concern,
"geen overlast meer" a strength). Equal weight, or none, is ``neutraal``.

Tagging takes time linear in the length of the text: tokens come from a linear pattern and are
at most :data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` long, each distinct word is looked up
once, and phrases are compared from an index on their first word.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from wijkbeeld.voices.evidence import EvidenceFinder, Found
from wijkbeeld.voices.lexicon import Lexicon, load_lexicon
from wijkbeeld.voices.text import CLAUSE_MARKS, tokens

__all__ = [
    "MAX_THEMES",
    "NEGATED_FACTOR",
    "PROBLEM_WORDS",
    "RELATIVE_CUT",
    "SUPPORT",
    "TagResult",
    "Tagger",
    "ThemeSuggestion",
    "Tone",
    "tag",
]

#: Weight of a theme term inside the scope of a negated problem ("geen last van ...").
NEGATED_FACTOR = 0.25
#: A further theme is suggested only with at least this share of the first theme's score.
RELATIVE_CUT = 0.65
#: Each further term of a theme counts this fraction of the one before it (strongest first).
SUPPORT = 0.7
#: At most this many themes are suggested.
MAX_THEMES = 3
#: Words for a problem in general whose negation says the problem is absent ("geen last van",
#: "geen enkel probleem met"); the tone lexicon's concern words that are theme terms count too.
PROBLEM_WORDS = frozenset({
    "last", "overlast", "probleem", "problemen", "hinder", "klacht", "klachten", "gedoe",
    "zorgen", "moeite", "ellende", "narigheid",
})
#: Words that end the scope of a negation as a clause mark does ("geen overlast, maar ...").
_CONTRAST = frozenset({"maar", "wel", "behalve", "alleen", "enkel"})


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


@dataclass(frozen=True, slots=True)
class _Reading:
    """One text read once: its tokens, the theme and tone terms found, the negated scopes."""

    toks: list[str]
    themes: list[Found]
    tone: list[Found]
    negated: frozenset[int]


class Tagger:
    """Tags texts with one lexicon; build once, call :meth:`tag` per text."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        min_confidence: float = 0.5,
        scale: float = 1.0,
        relative_cut: float = RELATIVE_CUT,
        max_themes: int = MAX_THEMES,
        support: float = SUPPORT,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError("min_confidence must lie in 0..1")
        if scale <= 0:
            raise ValueError("scale must be positive")
        if not 0.0 <= relative_cut <= 1.0:
            raise ValueError("relative_cut must lie in 0..1")
        if max_themes < 1:
            raise ValueError("max_themes must be at least 1")
        self.lexicon = lexicon or load_lexicon()
        self.min_confidence = min_confidence
        self.scale = scale
        self.relative_cut = relative_cut
        self.max_themes = max_themes
        self.support = support
        self._theme_finder = EvidenceFinder({k: t.terms for k, t in self.lexicon.themes.items()})
        self._tone_finder = EvidenceFinder(
            {Tone.ZORG.value: self.lexicon.zorg, Tone.KRACHT.value: self.lexicon.kracht}
        )
        self._order = {k: i for i, k in enumerate(self.lexicon.theme_keys)}

    # -- reading ----------------------------------------------------------------------------
    def _negated_before(self, toks: list[str], i: int) -> bool:
        """A negation within the window before token ``i``, in the same clause."""
        for tok in reversed(toks[max(0, i - self.lexicon.negation_window):i]):
            if tok in CLAUSE_MARKS:
                return False
            if tok in self.lexicon.negations:
                return True
        return False

    def _read(self, text: str) -> _Reading:
        toks = tokens(text)
        themes = self._theme_finder.find(toks)
        tone = self._tone_finder.find(toks)
        # a problem word: a general one, or a concern word of tone that is also a theme term
        problems = {f.position for f in tone if f.key == Tone.ZORG} & {f.position for f in themes}
        negated: set[int] = set()
        for i, tok in enumerate(toks):
            if i in negated or not (tok in PROBLEM_WORDS or i in problems):
                continue
            if self._negated_before(toks, i):
                j = i
                while j < len(toks) and toks[j] not in CLAUSE_MARKS and (
                    j == i or toks[j] not in _CONTRAST
                ):
                    negated.add(j)
                    j += 1
        return _Reading(toks, themes, tone, frozenset(negated))

    def _ranked(self, reading: _Reading) -> list[tuple[ThemeSuggestion, float]]:
        """Every theme with evidence, strongest first, with its score."""
        terms: dict[str, dict[str, float]] = {}
        first: dict[str, int] = {}
        # a negated problem steps back behind what else the text is about; a text that speaks
        # only of absent problems ("er is geen overlast meer") is still about them
        negated = reading.negated
        if all(f.position in negated for f in reading.themes):
            negated = frozenset()
        for f in EvidenceFinder.distinct(reading.themes):
            weight = f.weight * (NEGATED_FACTOR if f.position in negated else 1.0)
            found = terms.setdefault(f.key, {})
            found[f.term] = max(weight, found.get(f.term, 0.0))
            if f.position not in negated:
                first.setdefault(f.key, f.position)
        ranked: list[tuple[ThemeSuggestion, float, int, int]] = []
        for key, found in terms.items():
            # the strongest term counts in full, each further one a fraction of the one before
            # (support): a setting named three ways ("school", "schoolplein", "ouders") does
            # not outweigh one word for the problem itself ("gedeald")
            score = sum(w * self.support**i for i, w in enumerate(sorted(found.values(),
                                                                         reverse=True)))
            confidence = round(1.0 - math.exp(-score / self.scale), 3)
            ranked.append((ThemeSuggestion(key, confidence, tuple(sorted(found))), score,
                           first.get(key, len(reading.toks)), self._order.get(key, 0)))
        ranked.sort(key=lambda r: (-r[1], r[2], r[3]))
        return [(s, score) for s, score, _, _ in ranked]

    def _tone(self, reading: _Reading) -> tuple[Tone, float, float]:
        score = {Tone.ZORG: 0.0, Tone.KRACHT: 0.0}
        for f in reading.tone:
            polarity = Tone(f.key)
            # a phrase is read as written ("geen geld"); a word after a negation flips
            if " " not in f.term and self._negated_before(reading.toks, f.position):
                polarity = Tone.KRACHT if polarity is Tone.ZORG else Tone.ZORG
            score[polarity] += f.weight
        zorg, kracht = round(score[Tone.ZORG], 3), round(score[Tone.KRACHT], 3)
        tone = Tone.NEUTRAAL if zorg == kracht else (Tone.ZORG if zorg > kracht else Tone.KRACHT)
        return tone, zorg, kracht

    # -- public -----------------------------------------------------------------------------
    def scores(self, text: str) -> dict[str, ThemeSuggestion]:
        """Every theme with at least one term found, strongest first (no threshold)."""
        return {s.theme: s for s, _ in self._ranked(self._read(text))}

    def tone(self, text: str) -> tuple[Tone, float, float]:
        """``(tone, zorg score, kracht score)``."""
        return self._tone(self._read(text))

    def tag(self, text: str) -> TagResult:
        """Suggested themes (strongest first, see the module docstring for the cut) and tone."""
        reading = self._read(text)
        ranked = self._ranked(reading)
        themes: list[ThemeSuggestion] = []
        if ranked and ranked[0][0].confidence >= self.min_confidence:
            top = ranked[0][1]
            themes = [s for s, score in ranked[: self.max_themes]
                      if s.confidence >= self.min_confidence
                      and score >= self.relative_cut * top]
        tone, zorg, kracht = self._tone(reading)
        return TagResult(tuple(themes), tone, zorg, kracht, self.min_confidence)

    def tag_many(self, texts: Iterable[str]) -> list[TagResult]:
        """:meth:`tag` for each text."""
        return [self.tag(t) for t in texts]


@lru_cache(maxsize=1)
def _default_tagger() -> Tagger:
    return Tagger()


def tag(text: str) -> TagResult:
    """Tag one text with the default lexicon and threshold."""
    return _default_tagger().tag(text)
