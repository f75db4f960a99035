"""Names the list-and-capital rules miss: any case, alone after a verb or preposition, in
families, with particles; and the vetting of what ``deduce`` proposes.

Real notes write "jan zei", "IK HEB HET AAN KEES GEZEGD", "met Olena", "de familie bakker",
"agent el idrissi", "Ik ken Pattinama al dertig jaar". :class:`ContextNames` adds, on top of
:class:`~wijkbeeld.voices.detectors.names.NameFinder` and deduce's person annotators:

* **titles and family words in any case** ("gezin", "familie", "mevrouw", "mw.", "dhr.",
  "buurman", "tante", "agent" ...): the name after one goes, in lower case too, and with its
  particles ("mevrouw de wit"); the title itself stays;
* **after a verb of speech or a preposition** ("zei Henk", "volgens Mehmet", "met Fatima",
  "bij SHIRLEY"): a capitalised word, or a listed name in any case that is no ordinary word;
* **case-insensitive list matching with context rules**: in lower case, or in a run of capitals
  (a shouted text, not one acronym), a listed first name that is no ordinary Dutch word is a
  name ("fatima", "GERRIT"); one that is also a word ("jan", "piet") only before a verb of
  speech or joined by "en" to another name. Tokens are whole words (hyphenated words stay
  whole), so "jan" is never found inside "januari" or "jan-uari";
* **capitalised words outside every dictionary**: in mid-sentence a capitalised word that is no
  Dutch word, place, street, area, shop, country or organisation is a name ("Het is Kowalski
  die"); at the start of a sentence only before a verb, "en" or another such word ("Ramsaroep
  heeft", "Filmon Tesfay zit");
* **particles**: names grow over particles in any case ("Jeroen Uit den Bogaard", "ivo van den
  berg", "agent el idrissi"), and capitalised particles start a name ("Ben Ali", "Ter Beek").

What deduce proposes, and every name from any detector, then goes through the checks of
:mod:`~wijkbeeld.voices.detectors.name_checks`.

Everything is one pass over the tokens with a bounded look-around (a name is at most
:data:`~wijkbeeld.voices.detectors.names.MAX_NAME_TOKENS` tokens), so linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from wijkbeeld.voices.detectors.name_words import (
    ADDRESS_TITLES,
    ANIMATE_VERBS,
    ARTICLES,
    DETERMINERS,
    DUTCH_PARTICLES,
    FACILITY_BEFORE,
    FAMILY_TITLES,
    NEVER_NAMES,
    NOT_PERSONS_LOWER,
    PARTICLES,
    PERSON_PREPOSITIONS,
    PLACE_PREFIXES,
    SPEECH_VERBS,
    STARTING_PARTICLES,
    STREET_ENDINGS,
    VERBS_AFTER_NAME,
    WATERS,
    is_dutch_compound,
    is_dutch_word,
)
from wijkbeeld.voices.detectors.names import MAX_NAME_TOKENS, Token, tokenize
from wijkbeeld.voices.detectors.wordlists import WordLists, word_lists
from wijkbeeld.voices.kinds import Kind, Span
from wijkbeeld.voices.text import lemma

__all__ = ["ContextNames", "area_words", "verb_form"]

#: A short word with a capital inside: an acronym ("VvE", "GGz", "BSNr"), not a name (all
#: capitals are judged by :meth:`ContextNames.case`).
_ACRONYM_LIKE = re.compile(r"[^\W\d_][^\W\d_]?[A-Z][^\W\d_]?")


def verb_form(low: str) -> bool:
    """A form of a verb ("bel" -> "bellen", "vraag" -> "vragen"), by its lemma."""
    base = lemma(low)
    return base != low and base.endswith("en")


#: Words right before a name that vouch for it even when the name is also a word.
_STRONG_CONTEXT = frozenset({
    "met", "bij", "aan", "van", "voor", "namens", "tegen", "samen", "zei", "zegt", "vroeg",
    "vraagt", "belde", "vertelde", "vertelt", "volgens", "aldus",
})


@cache
def area_words() -> frozenset[str]:
    """Words of Dutch wijk and buurt names that no other list knows (``area_words.txt``, made
    by ``scripts/make_area_words.py`` from the CBS indelingen), read once per process."""
    path = Path(__file__).with_name("area_words.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


class ContextNames:
    """The rules of the module docstring; build once (it reads the word lists)."""

    def __init__(self, lists: WordLists | None = None) -> None:
        self.lists = lists or word_lists()
        self.first = frozenset(n.casefold() for n in self.lists.first_names)
        self.surnames = frozenset(
            n.casefold() for n in self.lists.surnames | self.lists.interfix_surnames
        )
        self.titles = FAMILY_TITLES | self.lists.titles
        self.areas = area_words()
        self.stop = (
            self.lists.stop_lower | NEVER_NAMES | VERBS_AFTER_NAME | PERSON_PREPOSITIONS
            | DETERMINERS
        )

    # -- word classes ---------------------------------------------------------------------------
    def word(self, low: str, compounds: bool = True) -> bool:
        """An ordinary Dutch word (also when it is a name too: "roos", "visser"); with
        ``compounds``, also a compound of two ("zwerfafval")."""
        if low in self.lists.common_lower or low in self.stop:
            return True
        return is_dutch_compound(low) if compounds else is_dutch_word(low)

    def listed(self, low: str) -> bool:
        """A first name or surname of deduce's lists."""
        return low in self.first or low in self.surnames

    def not_person(self, tok: Token, places: bool = True) -> bool:
        """A country, shop, organisation, street or facility, and with ``places`` also a place
        or (unless it is a listed name) an area or street name: never a person."""
        low = tok.lower
        parts = low.split("-")
        if (
            tok.protected
            # a shop or country that is a listed name too ("Dirk", "Zeeman", "Mercedes") is
            # judged by its context (an article before it: "de Dirk")
            or (low in NOT_PERSONS_LOWER and not self.listed(low))
            or (_ACRONYM_LIKE.fullmatch(tok.text) is not None and not tok.text.isupper())
            or (len(parts) > 1 and (
                parts[0] in PLACE_PREFIXES
                or (
                    (parts[0] in self.lists.places_lower or parts[0] in NOT_PERSONS_LOWER)
                    and (parts[-1] in PLACE_PREFIXES or is_dutch_word(parts[-1]))
                )
            ))  # "Oost-Indië", "Amsterdam-Noord", "WhatsApp-groep"; not "Bosch-Ramdin"
            or low in NEVER_NAMES
            or (low.endswith(STREET_ENDINGS) and low not in self.surnames)
            or len(tok.text) > 40
            or not tok.text[:1].isalpha()
        ):
            return True
        if not places:
            return False
        return (
            low in self.lists.places_lower
            or low in self.lists.municipalities_lower
            or low in WATERS
            or (not self.listed(low) and (low in self.areas or low in self.lists.streets_lower))
        )

    def place_phrase(self, toks: Sequence[Token], a: int, b: int) -> bool:
        """Tokens ``a`` to ``b`` (exclusive) with the capitalised word before them are a street
        or place ("Vaartsche Rijn", "Lange Voorhout")."""
        if a == 0 or not toks[a].joined or self.case(toks, a - 1) != "cap":
            return False
        phrase = " ".join(t.lower for t in toks[a - 1:b])
        return phrase in self.lists.streets_lower or phrase in self.lists.places_lower

    def case(self, toks: Sequence[Token], i: int) -> str:
        """``"cap"`` (written as a name is), ``"lower"``, ``"shout"`` (all capitals among all
        capitals), or ``""`` (an acronym, a number)."""
        text = toks[i].text
        if not text[:1].isalpha():
            return ""
        if text.islower():
            return "lower"
        if text.isupper() and len(text) > 1:
            def caps(k: int) -> bool:
                return 0 <= k < len(toks) and len(toks[k].text) > 1 and toks[k].text.isupper()
            return "shout" if caps(i - 1) or caps(i + 1) else ""
        return "cap" if text[:1].isupper() else ""

    def name_like(self, toks: Sequence[Token], i: int, context: str = "") -> bool:
        """Could token ``i`` be a name? ``context`` (``"title"``, ``"speech"``,
        ``"preposition"`` or ``""``) is what stands right before it."""
        tok = toks[i]
        low = tok.lower
        if low in self.stop or low in self.titles or len(low) < 2:
            return False
        if self.not_person(tok, places=not (context and self.listed(low))):
            return False
        case = self.case(toks, i)
        if case == "cap":
            if context in ("title", "speech"):
                return True
            return self.listed(low) if context else not self.word(low)
        if case in ("lower", "shout"):
            address = context == "title" and i > 0 and toks[i - 1].lower in ADDRESS_TITLES
            if address and self.listed(low):
                return True  # "familie bakker", "agent bakker", "tante lenie"
            # compounds are not tried here: a first name may split into words ("wille-mijn")
            if context == "title":
                return len(low) > 2 and not self.word(low, compounds=False)
            return low in self.first and len(low) > 2 and not self.word(low, compounds=False)
        return False

    # -- growing a name to the right ------------------------------------------------------------
    def particles_at(self, toks: Sequence[Token], i: int) -> int:
        """Number of particle tokens starting at ``i`` ("van der", "Uit den", "el"), at most 3."""
        n = 0
        while n < 3 and i + n < len(toks) and toks[i + n].lower in PARTICLES and (
            n == 0 or toks[i + n].joined
        ):
            n += 1
        return n

    def grow(self, toks: Sequence[Token], end: int) -> int:
        """Index after the last token of a name whose tokens before ``end`` are taken: more
        surnames, or particles followed by one."""
        stop = min(len(toks), end + MAX_NAME_TOKENS)
        caseless = end > 0 and self.case(toks, end - 1) in ("lower", "shout")
        while end < stop and toks[end].joined and not toks[end].protected:
            k = self.particles_at(toks, end)
            particle = toks[end].lower if k else ""
            nxt = end + k
            if nxt < len(toks) and toks[nxt].joined and self._surname_part(
                toks, nxt, caseless, particle
            ):
                end = nxt + 1
                continue
            break
        return end

    def _surname_part(
        self, toks: Sequence[Token], i: int, caseless: bool, particle: str = ""
    ) -> bool:
        """Can token ``i`` continue a name (after ``particle``, if any)?"""
        tok = toks[i]
        low = tok.lower
        if (
            low in self.stop or low in self.titles or len(low) < 2
            or self.not_person(tok, places=not particle)
        ):
            return False
        case = self.case(toks, i)
        if case == "cap":
            return bool(particle) or self.listed(low) or not self.word(low)
        if case in ("lower", "shout") and caseless:
            if particle in DUTCH_PARTICLES:
                return low in self.surnames  # "ivo van den berg", never "van de overkant"
            # "krzysztof nowak", "el idrissi", "MARLON PINAS" (a listed surname that is a word
            # too, but no plural or verb: "shirley komen", "lieve mensen" stay)
            return len(low) > 2 and (
                not self.word(low, compounds=False)
                or (not particle and low in self.surnames and not low.endswith("en")
                    and lemma(low) == low)
            )
        return False

    # -- the rules ------------------------------------------------------------------------------
    def _context_before(self, toks: Sequence[Token], i: int) -> str:
        """What vouches for a name at ``i``: a title, a verb of speech or a preposition right
        before it in the same sentence (``"title"``, ``"speech"``, ``"preposition"``), or ``""``."""
        if i == 0 or toks[i].sentence_start or not toks[i].joined:
            return ""
        low = toks[i - 1].lower
        if low in self.titles:
            return "title"
        if low in SPEECH_VERBS:
            return "speech"
        if low in PERSON_PREPOSITIONS:
            return "preposition"
        return ""

    def find(
        self,
        text: str,
        protected: Sequence[tuple[int, int]] = (),
        tokens: Sequence[Token] | None = None,
    ) -> list[Span]:
        """Name spans in ``text`` by the rules of the module docstring (``tokens``: those of
        ``tokenize(text, protected)``, when the caller has them already)."""
        toks = tokens if tokens is not None else tokenize(text, protected)
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(toks):
            start, end, rule = self._match(toks, i)
            if end > start:
                found.append((start, end, rule))
                i = end
            else:
                i += 1
        found = self._coordinated(toks, found)
        return [Span(toks[s].start, toks[e - 1].end, Kind.NAME, r) for s, e, r in found]

    def _match(self, toks: Sequence[Token], i: int) -> tuple[int, int, str]:
        """``(first, after_last, rule)`` of a name starting at token ``i``; empty when none."""
        tok = toks[i]
        low = tok.lower
        if tok.protected or not tok.text[:1].isalpha():
            return i, i, ""
        context = self._context_before(toks, i)
        prev = toks[i - 1].lower if i > 0 and not tok.sentence_start else ""
        if prev.endswith(FACILITY_BEFORE):
            return i, i, ""  # "Stichting Buurtkracht", "Speeltuin De Hoop"
        case = self.case(toks, i)
        nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].joined else None
        # particles after a form of address: "mevrouw de wit", "agent el idrissi"
        k = self.particles_at(toks, i)
        if k and context == "title" and prev in ADDRESS_TITLES and i + k < len(toks):
            j = i + k
            first_name = toks[j].lower in self.first and toks[j].lower not in self.surnames
            if case == "lower" and low == "van" and first_name:
                return i, i, ""  # "het gezin van Mahad Jama": "van" is a preposition
            if toks[j].joined and self._surname_part(toks, j, True, low):
                return i, self.grow(toks, j + 1), "title-particle"
        # a capitalised particle starting a name: "Ben Ali", "El Amrani", "Ter Beek"
        if k and case == "cap" and low in STARTING_PARTICLES and prev not in DETERMINERS:
            j = i + k
            if j < len(toks) and toks[j].joined and self.case(toks, j) == "cap":
                sur = toks[j].lower
                dutch = low in DUTCH_PARTICLES
                ok = not self.not_person(toks[j], places=not (low in {"ter", "ten"} or k > 1))
                if ok and (not dutch or sur in self.surnames or not self.word(sur)):
                    return i, self.grow(toks, j + 1), "particle"
        if context and self.name_like(toks, i, context):
            return i, self.grow(toks, i + 1), context
        if (
            context in ("speech", "preposition")
            and case in ("lower", "shout")
            and prev in _STRONG_CONTEXT
            and self._weak_first_name(tok)
        ):
            # a first name that is a word too, right after "met", "van", "zei": "met daan",
            # "DE FIETS VAN MEES" (not a frequent word: "met een" never gets here)
            return i, self.grow(toks, i + 1), context
        if prev in (ARTICLES if case != "cap" else DETERMINERS):
            return i, i, ""
        if case in ("lower", "shout"):
            # a listed first name that is no ordinary word: "fatima", "GERRIT"
            if self.name_like(toks, i):
                return i, self.grow(toks, i + 1), "caseless"
            if nxt is None or self.not_person(tok) or low in self.stop or len(low) < 3:
                return i, i, ""
            # a listed first name that is a word too, before a verb of speech: "jan zei"
            if low in self.first and nxt.lower in SPEECH_VERBS:
                return i, i + 1, "caseless-speech"
            # ... or before a surname: "JAN DE VRIES", "piet smit"
            if low in self.first:
                end = self.grow(toks, i + 1)
                if any(t.lower in self.surnames for t in toks[i + 1:end]):
                    return i, end, "caseless-full"
            # an unknown word opening a sentence before a verb: "pawel heeft"
            if (
                tok.sentence_start and len(low) > 3 and not self.word(low)
                and nxt.lower in ANIMATE_VERBS
            ):
                return i, i + 1, "caseless-unknown"
            return i, i, ""
        # a capitalised word outside every dictionary
        if case == "cap" and self.name_like(toks, i) and not self.place_phrase(toks, i, i + 1):
            if not tok.sentence_start:
                return i, self.grow(toks, i + 1), "unknown-word"
            if nxt is not None and (
                nxt.lower in ANIMATE_VERBS or nxt.lower == "en"
                or (self.case(toks, i + 1) == "cap" and self._surname_part(toks, i + 1, False))
            ):
                return i, self.grow(toks, i + 1), "unknown-word"
        return i, i, ""

    def _weak_first_name(self, tok: Token) -> bool:
        """A listed first name that is also a Dutch word, but not one of the frequent words
        ("daan", "mees", "rob"; never "met", "een", "wel")."""
        low = tok.lower
        return (
            low in self.first
            and len(low) > 2
            and low not in self.stop
            and low not in self.lists.common_lower
            and not self.not_person(tok)
            and lemma(low) in (low, tok.text)  # not an inflected form of another word
        )

    def _coordinated(
        self, toks: Sequence[Token], found: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """A listed first name joined by "en" to a found name is a name too ("piet en ria")."""
        starts = {s for s, _, _ in found}
        ends = {e for _, e, _ in found}
        extra: list[tuple[int, int, str]] = []
        for k, tok in enumerate(toks):
            if tok.lower != "en" or not tok.joined or k + 1 >= len(toks) or not toks[k + 1].joined:
                continue
            if k in ends and k + 1 not in starts and self._first_alone(toks, k + 1):
                extra.append((k + 1, k + 2, "coordinated"))
            if k + 1 in starts and k not in ends and k > 0 and self._first_alone(toks, k - 1):
                extra.append((k - 1, k, "coordinated"))
        return sorted(found + extra)

    def _first_alone(self, toks: Sequence[Token], i: int) -> bool:
        tok = toks[i]
        before = toks[i - 1].lower if i > 0 and not tok.sentence_start else ""
        return (
            tok.lower in self.first
            and len(tok.lower) > 2
            and before not in DETERMINERS
            and tok.lower not in self.stop
            and not self.not_person(tok)
            and self.case(toks, i) in ("cap", "lower", "shout")
        )
