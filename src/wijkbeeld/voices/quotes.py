"""Representative quotes for an area and theme, for the area page and the report.

From the voices of one area about one theme, a few scrubbed quotes are chosen:

1. **Typical**: a voice scores by how common its content words (lemmas) are among all the
   candidate voices, so quotes say what many say, not the odd one out; a readable length scores
   higher, and every placeholder (``[NAAM]``) costs a little.
2. **Diverse**: chosen one by one; a candidate loses score for a stakeholder group, a month or
   words already quoted, so the set spans groups and dates.
3. **Deterministic**: ties go to the earlier date, then the smaller id; no randomness.
4. **Safe**: each quote is scrubbed again (the text should already be scrubbed; this is a
   second line of defence), and quotes are withheld altogether when the area and theme have
   fewer voices than the small-number minimum, so a quote cannot point at one of two speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wijkbeeld.voices.scrub import Scrubber, default_scrubber
from wijkbeeld.voices.smalln import DEFAULT_MINIMUM
from wijkbeeld.voices.text import lemma, words

__all__ = ["Quote", "QuoteSelection", "VoiceText", "select_quotes", "shorten"]

_PLACEHOLDER = re.compile(
    r"\[(?:NAAM|TELEFOON|EMAIL|BSN|IBAN|POSTCODE|ADRES|KENTEKEN|GEBOORTEDATUM)\]"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
#: Function words that say nothing about what a voice is about.
_STOP_WORDS = (
    "aan al alle alles als altijd ander andere ben bij daar dan dat de deze die dit doch doen "
    "door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe "
    "hun iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar "
    "niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit "
    "uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij "
    "zijn zo zonder zou zeer erg wel we wij jullie gaan gaat komen komt zien zegt zeggen "
    "mensen"
)
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class VoiceText:
    """What quote selection needs of a voice: the storage layer maps its records to this."""

    id: int | str
    area: str
    date: date
    group: str
    text: str
    themes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Quote:
    """A chosen quote: scrubbed (and maybe shortened) text, its group and date, and its score."""

    id: int | str
    text: str
    group: str
    date: date
    score: float


@dataclass(frozen=True, slots=True)
class QuoteSelection:
    """The quotes for ``area`` and ``theme`` and the parameters of the choice. ``candidates`` is
    the number of voices of the area about the theme; ``withheld`` is true when that number is
    below ``minimum`` (then there are no quotes)."""

    area: str
    theme: str
    quotes: tuple[Quote, ...]
    candidates: int
    withheld: bool
    n: int
    minimum: int
    max_chars: int


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars``: at the last sentence end that fits, else at a word,
    with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= max_chars // 3:
        return head[:ends[-1]]
    cut = head[:max_chars - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _content(text: str) -> frozenset[str]:
    return frozenset(
        lemma(w) for w in words(_PLACEHOLDER.sub(" ", text)) if len(w) > 2 and w not in _STOP
    )


def _length_factor(length: int, max_chars: int) -> float:
    if length < 30:
        return 0.5
    if length < 60:
        return 0.8
    return 1.0 if length <= max_chars else 0.9


def select_quotes(
    voices: Iterable[VoiceText],
    area: str,
    theme: str,
    *,
    n: int = 3,
    minimum: int = DEFAULT_MINIMUM,
    max_chars: int = 280,
    scrubber: Scrubber | None = None,
) -> QuoteSelection:
    """Up to ``n`` representative, diverse, scrubbed quotes of ``area`` about ``theme``."""
    if n < 1 or minimum < 1 or max_chars < 40:
        raise ValueError("n and minimum must be >= 1 and max_chars >= 40")
    pool = sorted(
        (v for v in voices if v.area == area and theme in v.themes and v.text.strip()),
        key=lambda v: (v.date, str(v.id)),
    )
    if len(pool) < minimum:
        return QuoteSelection(area, theme, (), len(pool), True, n, minimum, max_chars)
    scrubber = scrubber or default_scrubber()
    texts = [scrubber.scrub(v.text).text for v in pool]
    content = [_content(t) for t in texts]
    frequency: Counter[str] = Counter(w for c in content for w in c)
    base: list[float] = []
    for text, words_ in zip(texts, content, strict=True):
        typical = (
            sum((frequency[w] - 1) / max(len(pool) - 1, 1) for w in words_) / len(words_)
            if words_ else 0.0
        )
        placeholders = len(_PLACEHOLDER.findall(text))
        base.append((0.2 + typical) * _length_factor(len(text), max_chars) * 0.85**placeholders)
    chosen: list[int] = []
    while len(chosen) < min(n, len(pool)):
        best, best_score = -1, float("-inf")
        for i, voice in enumerate(pool):
            if i in chosen:
                continue
            score = base[i]
            for j in chosen:
                if pool[j].group == voice.group:
                    score *= 0.6
                if (pool[j].date.year, pool[j].date.month) == (voice.date.year, voice.date.month):
                    score *= 0.8
                overlap = len(content[i] & content[j]) / max(len(content[i] | content[j]), 1)
                score *= 1.0 - 0.7 * overlap
            if score > best_score + 1e-12:
                best, best_score = i, score
        chosen.append(best)
    quotes = tuple(
        Quote(pool[i].id, shorten(texts[i], max_chars), pool[i].group, pool[i].date,
              round(base[i], 4))
        for i in chosen
    )
    return QuoteSelection(area, theme, quotes, len(pool), False, n, minimum, max_chars)
