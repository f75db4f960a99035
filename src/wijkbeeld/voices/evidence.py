"""Where the terms of a lexicon occur in a Dutch text: whole words, compounds, word beginnings.

The tagger (:mod:`wijkbeeld.voices.tagging`) asks this module which terms of which theme (or
which side of the tone) a text holds. Matching respects word boundaries, so "ziek" is found in
"ziek" and "zieke", never inside "muziek". A word is looked up in this order, and the first rule
that finds something decides:

1. **the word itself or its lemma** (``simplemma``), against every form of every lexicon word:
   a word of the lexicon stands for its regular inflections too ("woning": "woningen";
   "boom": "bomen", "boompje"; "huis": "huizen"; see :func:`inflections`);
2. **a hyphenated word** by a word beginning that covers it ("re-integr"), else by its parts:
   the last part is the head ("wmo-indicatie");
3. **a compound** split into a known first part and a lexicon word as its last part, the head,
   which decides: "hondenpoep" is "honden" + "poep", "drugsoverlast" and "jongerenoverlast"
   are "overlast" (nuisance, whoever causes it). The first part must be a Dutch word
   (``simplemma`` knows it, or the lexicon does), optionally with a linking "s", "e", "en" or
   "er" ("verkeers-", "honde-", "kinder-"), at least three letters, and not a prefix or
   function word such as "ver", "be", "over" or "onder" ("verzorgen" is not "ver" + "zorgen").
   When the first part is a lexicon word too, it adds evidence for its own theme at
   :data:`MODIFIER_FACTOR` of its weight;
4. **a compound whose head is no lexicon word**: the first part (at least four letters) speaks,
   at :data:`MODIFIER_ONLY_FACTOR` of its weight: "politiebureau" is "politie" + "bureau";
5. **a word beginning** (the lexicon's ``parts``) of the word or its lemma: "sollicit" finds
   "sollicitatiebrief", "discrimin" finds "gediscrimineerd" (lemma "discrimineren").

Phrases ("geen geld") are sequences of words as written, within one clause (a punctuation mark
breaks them).

Time is linear in the length of the text: a word is at most
:data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` long, a compound is only split up to
:data:`COMPOUND_MAX_CHARS`, every split is a dictionary look-up, and each distinct word is looked
up once (cached).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from wijkbeeld.voices.lexicon import TermSet
from wijkbeeld.voices.text import CLAUSE_MARKS, lemma

__all__ = [
    "COMPOUND_MAX_CHARS",
    "MIN_PART",
    "MODIFIER_FACTOR",
    "MODIFIER_ONLY_FACTOR",
    "EvidenceFinder",
    "Found",
    "inflections",
]

#: Shortest part of a compound, first part or head ("mu" + "ziek" is not a compound).
MIN_PART = 3
#: Longer words are not split (no Dutch compound of interest is longer; bounds the work).
COMPOUND_MAX_CHARS = 40
#: Weight of a compound's first part beside a head that is a lexicon word ("jongeren" in
#: "jongerenoverlast" adds a little for youth; the head "overlast" decides).
MODIFIER_FACTOR = 0.5
#: Weight of a compound's first part when its head is no lexicon word ("politiebureau").
MODIFIER_ONLY_FACTOR = 0.8

_VOWELS = frozenset("aeiouy")
_LONG_VOWELS = ("aa", "ee", "oo", "uu")
#: Linking sounds between the parts of a compound ("verkeer-s-drempel", "hond-en-poep").
_LINKS = ("s", "en", "e", "er", "n")
#: Verb prefixes and short function words: never the first part of a compound, so
#: "verzorgen", "bezorgen", "overwerk", "aanbouw" are not split.
_NOT_MODIFIERS = frozenset({
    "aan", "af", "achter", "al", "be", "bij", "boven", "door", "er", "ge", "her", "in", "mede",
    "mee", "mis", "na", "nu", "om", "on", "onder", "ont", "op", "over", "rond", "samen", "te",
    "tegen", "terug", "toe", "tussen", "uit", "ver", "voor", "weg", "weder", "weer", "wan",
    "zelf", "zo", "niet", "geen", "wel", "als", "dat", "die", "met", "van", "des", "der", "het",
    "een", "ons",
})
#: Endings of generated forms (plural, adjective, diminutive), see :func:`inflections`.
_ENDINGS = ("s", "'s", "en", "e", "er", "je", "jes", "tje", "tjes", "pje", "pjes", "etje",
            "etjes")

#: ``(key, term, weight)``: a lexicon term found, for one theme (or tone side).
Entry = tuple[str, str, float]


@dataclass(frozen=True, slots=True)
class Found:
    """A term of ``key`` (a theme or a tone side) found at token ``position``; a phrase spans
    ``span`` tokens from there."""

    key: str
    term: str
    weight: float
    position: int
    span: int = 1


def _regular_forms(word: str) -> set[str]:
    """Regular Dutch inflections of ``word``: plural, adjective, diminutive, with the spelling
    rules for doubled consonants ("bus": "bussen"), long vowels ("boom": "bomen") and voicing
    ("huis": "huizen", "brief": "brieven"). Over-generation is filtered by :func:`inflections`."""
    out = {word + end for end in _ENDINGS}
    if word.endswith("e"):
        out.add(word + "n")
    last = word[-1]
    if last in _VOWELS or len(word) < 3:
        return out
    voiced = {"f": "v", "s": "z"}.get(last, last)
    if word[-2] in _VOWELS and word[-3] not in _VOWELS:  # short vowel: consonant doubles
        double = word + last
        out |= {double + "en", double + "e", double + "er", double + "etje", double + "etjes"}
    if word[-3:-1] in _LONG_VOWELS:  # long vowel written single in an open syllable
        short = word[:-2] + voiced
        out |= {short + "en", short + "e"}
    if voiced != last:
        out |= {word[:-1] + voiced + "en", word[:-1] + voiced + "e"}
    return out


def inflections(word: str) -> set[str]:
    """``word`` and those of its regular forms that are either unknown to ``simplemma``'s
    Dutch dictionary or known with ``word`` (or its lemma) as their lemma. So "woningen",
    "bomen", "huizen" stand for their lexicon word, while "gelden" (to apply) is not taken for
    a form of "geld" (money). A phrase is only itself."""
    if " " in word or len(word) < MIN_PART:
        return {word}
    base = {word, lemma(word)}
    candidates = _regular_forms(word)
    out = {word}
    for form in candidates:
        if not simplemma.is_known(form, lang="nl"):
            out.add(form)
            continue
        stem = lemma(form)
        # a plural diminutive may lemmatise to the singular one ("boompjes": "boompje")
        if stem in base or (form.endswith("jes") and stem in candidates):
            out.add(form)
    return out


def _freeze(table: Mapping[str, list[Entry]]) -> dict[str, tuple[Entry, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


class EvidenceFinder:
    """Finds the terms of several term sets (themes, or the two sides of tone) in a text.

    Build once per lexicon (it expands every word into its forms); :meth:`find` per text.
    """

    def __init__(self, term_sets: Mapping[str, TermSet], *, cache_size: int = 100_000) -> None:
        forms: dict[str, list[Entry]] = defaultdict(list)
        listed: set[str] = set()
        generated: list[tuple[str, Entry]] = []
        stems: dict[str, list[Entry]] = defaultdict(list)
        phrases: dict[str, list[tuple[tuple[str, ...], Entry]]] = defaultdict(list)
        for key, terms in term_sets.items():
            for term, weight in terms.words.items():
                forms[term].append((key, term, weight))
                listed.add(term)
                generated += [(f, (key, term, weight)) for f in inflections(term) if f != term]
            for stem in terms.parts:
                stems[stem].append((key, stem, 1.0))
            for phrase, weight in terms.phrases.items():
                parts = tuple(phrase.split())
                phrases[parts[0]].append((parts, (key, phrase, weight)))
        for form, entry in generated:
            if form not in listed:  # a word listed as itself wins over a generated form
                forms[form].append(entry)
        self._forms = _freeze(forms)
        self._stems = _freeze(stems)
        self._stem_lengths = sorted({len(s) for s in self._stems}, reverse=True)
        self._phrases = {k: tuple(v) for k, v in phrases.items()}
        self.lookup: Callable[[str], tuple[Entry, ...]] = lru_cache(maxsize=cache_size)(
            self._word
        )

    # -- one word ---------------------------------------------------------------------------
    def _whole(self, word: str) -> tuple[Entry, ...]:
        found = self._forms.get(word)
        if found is None:
            found = self._forms.get(lemma(word), ())
        return found

    def _known(self, part: str) -> bool:
        """``part`` can be the first part of a compound: a Dutch word, possibly with a link."""
        if len(part) < MIN_PART or part in _NOT_MODIFIERS:
            return False
        if part in self._forms or simplemma.is_known(part, lang="nl"):
            return True
        for link in _LINKS:
            if part.endswith(link):
                stem = part[: -len(link)]
                if len(stem) >= MIN_PART and stem not in _NOT_MODIFIERS and (
                    stem in self._forms or simplemma.is_known(stem, lang="nl")
                ):
                    return True
        return False

    def _modifier(self, part: str, factor: float) -> list[Entry]:
        """The first part's own entries (with a link stripped), weighed by ``factor``."""
        if len(part) < MIN_PART or part in _NOT_MODIFIERS:
            return []
        found = self._forms.get(part)
        if found is None:
            for link in _LINKS:
                stem = part[: -len(link)]
                if part.endswith(link) and len(stem) >= MIN_PART and stem in self._forms:
                    found = self._forms[stem]
                    break
        return [(k, t, w * factor) for k, t, w in found or ()]

    def _stem(self, word: str) -> tuple[Entry, ...]:
        """The longest word beginning of the lexicon that starts the word or its lemma
        ("gediscrimineerd": "discrimineren": "discrimin")."""
        for form in (word, lemma(word)):
            for length in self._stem_lengths:
                if length <= len(form):
                    found = self._stems.get(form[:length])
                    if found is not None:
                        return found
        return ()

    def _compound(self, word: str) -> tuple[Entry, ...]:
        """Longest lexicon head after a known first part; the first part adds a little."""
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head = self._forms.get(word[i:])
            if head is not None and self._known(word[:i]):
                return (*head, *self._modifier(word[:i], MODIFIER_FACTOR))
        return ()

    def _first_part(self, word: str) -> tuple[Entry, ...]:
        """Longest lexicon word at the start, followed by a known Dutch word. The first part
        needs four letters here ("bom" + "vol" is not a bomb)."""
        for i in range(len(word) - MIN_PART, MIN_PART, -1):
            first = self._modifier(word[:i], MODIFIER_ONLY_FACTOR)
            rest = word[i:]
            if first and (rest in self._forms or simplemma.is_known(rest, lang="nl")):
                return tuple(first)
        return ()

    def _word(self, word: str) -> tuple[Entry, ...]:
        """Every entry one word gives (see the module docstring for the order of the rules)."""
        found = self._whole(word)
        if found:
            return found
        if "-" in word:  # "wmo-indicatie", "30-kilometerzone": the last part is the head
            found = self._stem(word)  # unless a word beginning covers it ("re-integr")
            if found:
                return found
            parts = [p for p in word.split("-") if p]
            if len(parts) > 1:
                head = self.lookup(parts[-1])
                factor = MODIFIER_FACTOR if head else MODIFIER_ONLY_FACTOR
                mods = [(k, t, w * factor) for p in parts[:-1] for k, t, w in self._whole(p)]
                if head or mods:
                    return (*head, *mods)
        if len(word) > COMPOUND_MAX_CHARS:
            return self._stem(word)
        return self._compound(word) or self._first_part(word) or self._stem(word)

    # -- a text -------------------------------------------------------------------------------
    def find(self, toks: Iterable[str]) -> list[Found]:
        """Every term found in ``toks`` (from :func:`~wijkbeeld.voices.text.tokens`), in
        order: one :class:`Found` per occurrence."""
        seq = list(toks)
        out: list[Found] = []
        for i, tok in enumerate(seq):
            if tok in CLAUSE_MARKS:
                continue
            out += [Found(k, t, w, i) for k, t, w in self.lookup(tok)]
            for parts, (k, t, w) in self._phrases.get(tok, ()):
                if tuple(seq[i:i + len(parts)]) == parts:
                    out.append(Found(k, t, w, i, len(parts)))
        return out

    @staticmethod
    def distinct(found: Iterable[Found]) -> list[Found]:
        """``found`` without what a longer phrase of the same key already covers: "geen geld
        voor" holds "geen geld", which holds "geld"; the evidence counts once, as the longest
        phrase (longer phrases first, then words)."""
        covered: set[tuple[str, int]] = set()
        out: list[Found] = []
        for f in sorted(found, key=lambda f: (-f.span, f.position)):
            cells = {(f.key, p) for p in range(f.position, f.position + f.span)}
            if cells <= covered:
                continue
            covered |= cells
            out.append(f)
        return sorted(out, key=lambda f: f.position)
