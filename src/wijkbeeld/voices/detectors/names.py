"""Person names in Dutch text, from name lists plus capitalisation and context rules.

A name is one of:

* a title or form of address followed by capitalised words: ``mevrouw De Vries``,
  ``meneer Yilmaz``, ``dhr. J. Jansen``, ``buurvrouw Fatma`` (the title stays, the name goes);
* a known first name (deduce's 14,700), capitalised, with whatever follows it that looks like the
  rest of a name: more first names, initials, interfixes and capitalised words (``Anna Maria van
  den Berg``, ``Mohamed El Amrani``, ``Piet Jansen-de Boer``);
* initials followed by a surname: ``J.P. de Wit``, ``A. Bakker``;
* an interfix with a known surname that is not also a street or municipality: ``van Dijk``,
  ``De Jong`` (but not "op de Dam", "van Utrecht");
* a known surname on its own in mid-sentence, if it is not also a common Dutch word or a place;
* a capitalised word after "heet", "genaamd", "mijn naam is", "naam:".

Guards keep ordinary words: a first name that is also a common word at the start of a sentence
("Wil je even bellen?") counts only when a surname follows; a word after an article ("de Roos")
is not a first name; words in the ``protected`` ranges (the area's own place names) are never
part of a name, and neither is a run of more than
:data:`~wijkbeeld.voices.limits.MAX_TOKEN_CHARS` word characters.

Finding names takes time linear in the text: a name is at most :data:`MAX_NAME_TOKENS` tokens
(so a run of "A A A A ..." is not followed to its end from every token), the sentence-break test
reads only the gap before a token, and the protected ranges are swept once in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wijkbeeld.voices.detectors.wordlists import WordLists, word_lists
from wijkbeeld.voices.kinds import Kind, Span
from wijkbeeld.voices.limits import MAX_TOKEN_CHARS

__all__ = ["MAX_NAME_TOKENS", "NameFinder", "Token", "tokenize"]

_TOKEN = re.compile(r"[^\W\d_](?:\w|['’-](?=\w))*+|'t\b|\d++")
#: Characters that end a sentence when only whitespace follows them before the next token.
_BREAK_BEFORE_SPACE = frozenset(".!?:;\"“”([\n•*-")
#: The longest name, in tokens ("dhr. J.P. van der Berg-de Vries" is 7); initials, interfixes
#: and surnames are not taken beyond it.
MAX_NAME_TOKENS = 12

#: Forms of address that introduce a name (besides deduce's titles such as "dhr", "mevr", "dr").
EXTRA_TITLES = frozenset({
    "meneer", "mevrouw", "mijnheer", "juffrouw", "juf", "meester", "dokter", "buurman",
    "buurvrouw", "wijkagent", "oom", "tante", "opa", "oma", "zuster", "broeder", "pastor",
    "pastoor", "dominee", "imam", "familie", "fam", "collega", "cliënt", "client", "bewoner",
    "bewoonster", "huurder", "heer",
})
#: Rivers and waters, missing from the place lists; alone they are not surnames ("Vaartsche Rijn").
_WATERS = frozenset({
    "rijn", "maas", "amstel", "vecht", "ijssel", "waal", "lek", "schelde", "dommel", "zaan",
    "spaarne", "eem", "gouwe", "rotte", "schie", "merwede", "noordzee", "ijsselmeer", "markermeer",
})
#: Abbreviated titles: the full stop after them does not end a sentence ("dhr. Jansen").
_ABBREVIATIONS = frozenset({
    "dhr", "mevr", "mw", "mr", "dr", "drs", "ir", "ing", "prof", "ds", "mej", "fam", "bc",
    "kand", "lec", "dra", "bacc", "st", "wed",
})
#: Words that introduce a name that may not be in any list.
_NAMING = frozenset({"heet", "genaamd", "naam", "alias", "bijnaam", "noemde", "heette"})
_ARTICLES = frozenset({"de", "het", "een", "'t", "deze"})
#: Words after which a capitalised word names a facility, not a person ("Speeltuin De Hoop",
#: "basisschool Jan Ligthart"); compounds ending in them count too ("speeltuinvereniging").
_FACILITIES = (
    "speeltuin", "school", "buurthuis", "wijkcentrum", "centrum", "café", "cafe", "stichting",
    "kerk", "moskee", "sporthal", "zwembad", "bibliotheek", "apotheek", "praktijk", "flat",
    "complex", "gebouw", "park", "vereniging", "club", "restaurant", "bakkerij", "boerderij",
    "theater", "snackbar", "cafetaria", "winkel", "supermarkt", "huis", "hof", "tuin", "kliniek",
    "ziekenhuis", "straat", "plein", "laan", "weg", "brug", "hotel", "team", "project", "fonds",
)
#: Interfix phrases that start with a preposition; alone they are more often a place ("op de").
_STREET_ENDINGS = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "steeg", "dreef",
    "plantsoen", "park", "markt",
)
_PREPOSITION_INTERFIX = frozenset({"in", "op", "aan", "bij", "uit"})
#: Prepositions of place: a capitalised word after them is a place ("in Zuilen"), not a person.
_PLACE_PREPOSITIONS = frozenset({
    "in", "op", "naar", "uit", "vanuit", "richting", "nabij", "rond", "langs", "tegenover",
    "vanaf", "te", "buiten", "binnen",
})
_PREPOSITIONS = frozenset({
    "op", "in", "aan", "naar", "bij", "langs", "over", "door", "via", "uit", "rond", "voor",
    "achter", "naast", "tegenover", "onder", "boven", "richting", "vanaf", "tot", "nabij",
})
#: Capitalised words that are never (part of) a person name in running text.
_NOT_NAMES = frozenset({
    "ik", "wij", "we", "jij", "je", "u", "hij", "zij", "ze", "het", "de", "een", "dit", "dat",
    "deze", "die", "er", "daar", "hier", "ook", "maar", "en", "of", "want", "dus", "toen", "nu",
    "wel", "niet", "geen", "mijn", "onze", "ons", "hun", "haar", "zijn", "uw", "jullie", "men",
    "alle", "veel", "sommige", "iedereen", "niemand", "bewoners", "buurt", "wijk", "gemeente",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "pasen", "kerst", "kerstmis", "ramadan", "suikerfeest",
    "nederland", "nederlands", "nederlandse", "engels", "turks", "marokkaans", "arabisch",
    "sinds", "volgens", "tijdens", "na", "sinterklaas", "koningsdag",
})


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number of the text, with what the name rules need to know about its place:
    does it start a sentence, is it separated from the previous token by spaces only
    (``joined``), does it lie in a protected range (a kept place name, or another detector's
    find)."""

    text: str
    start: int
    end: int
    sentence_start: bool
    joined: bool  # separated from the previous token by spaces only
    protected: bool
    lower: str  # the text case-folded, once (every rule looks it up)

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def initial(self) -> bool:
        return len(self.text) <= 2 and self.text[:1].isupper() and self.text.isalpha()


def _sentence_break(gap: str) -> bool:
    """True when the text between two tokens ends a sentence: a line break, or one of
    ``. ! ? : ; " “ ” ( [ • * -`` followed only by whitespace, or ``. ! ?`` followed only by
    non-word characters. One pass from the end of the gap (a gap of 100 kB of punctuation used
    to be searched from every position)."""
    body = gap.rstrip()
    if "\n" in gap[len(body):] or (body and body[-1] in _BREAK_BEFORE_SPACE):
        return True
    for ch in reversed(body):
        if ch in ".!?":
            return True
        if ch.isalnum() or ch == "_":
            return False
    return False


def _merged(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint ranges covering the same characters as ``ranges``."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[0] < r[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def tokenize(text: str, protected: Sequence[tuple[int, int]]) -> list[Token]:
    """The tokens of ``text`` in order, in one pass (``protected``: ranges to mark)."""
    toks: list[Token] = []
    prev_end = 0
    ranges = _merged(protected)
    k = 0  # the first protected range that does not end before the current token
    for m in _TOKEN.finditer(text):
        gap = text[prev_end:m.start()]
        first = not toks
        sentence_start = first or _sentence_break(gap)
        abbreviation = bool(toks) and (toks[-1].initial or toks[-1].lower in _ABBREVIATIONS)
        if abbreviation and gap.startswith("."):
            # "J. Jansen", "dhr. Jansen": that full stop does not end the sentence
            sentence_start = False
        joined = not first and (gap.strip() == "" or (abbreviation and gap.strip() == "."))
        while k < len(ranges) and ranges[k][1] <= m.start():
            k += 1
        inside = (k < len(ranges) and ranges[k][0] < m.end()) or (
            m.end() - m.start() > MAX_TOKEN_CHARS  # not a word, so not a name
        )
        word = m.group()
        toks.append(
            Token(word, m.start(), m.end(), sentence_start, joined, inside, word.casefold())
        )
        prev_end = m.end()
    return toks


class NameFinder:
    """Finds person names; build once (it holds the word lists) and call :meth:`find` often."""

    def __init__(self, lists: WordLists | None = None) -> None:
        self.lists = lists or word_lists()
        self.titles = frozenset(self.lists.titles | EXTRA_TITLES)
        self._first_lower = frozenset(n.casefold() for n in self.lists.first_names)
        self._surname_lower = frozenset(
            n.casefold() for n in self.lists.surnames | self.lists.interfix_surnames
        )
        self._interfixes = frozenset(p.casefold() for p in self.lists.interfixes) - {
            "v", "la", "le", "lo", "di", "da", "du", "del", "dos", "d'", "l'"
        }

    # -- word classes ---------------------------------------------------------------------------
    def _common(self, tok: Token) -> bool:
        return tok.lower in self.lists.common_lower or tok.lower in _NOT_NAMES

    def _is_first_name(self, tok: Token) -> bool:
        return (
            tok.cap
            and not tok.text.isupper()
            and tok.lower in self._first_lower
            and tok.lower not in _NOT_NAMES
        )

    def _name_like(self, tok: Token) -> bool:
        """Could be part of a surname: capitalised, not all caps, not an ordinary word."""
        return (
            tok.cap
            and not tok.protected
            and len(tok.text) > 1
            and not (tok.text.isupper() and len(tok.text) > 1)
            and tok.lower not in _NOT_NAMES
            and tok.lower not in self.lists.common_lower
        )

    def _after_interfix(self, tok: Token) -> bool:
        """After "van der" or a title any capitalised word is a surname ("van den Berg",
        "De Groot", even "ter Wel", "van der Want")."""
        return tok.cap and not tok.protected and len(tok.text) > 1 and not tok.text.isupper()

    def _placeish(self, tok: Token, streets: bool = False) -> bool:
        """A municipality or province name; with ``streets``, also a bare street name ("Dam")."""
        return tok.lower in self.lists.municipalities_lower or (
            streets and tok.lower in self.lists.streets_lower
        )

    def _interfix_at(self, toks: list[Token], i: int, standalone: bool = False) -> int:
        """Number of tokens of the longest interfix ("van", "van der", "in 't") at ``i``, or 0.
        ``standalone``: with no first name, initials or title before it, where phrases that
        start with a preposition ("op de", "in 't") do not count."""
        for n in (3, 2, 1):
            part = toks[i:i + n]
            if len(part) < n or any(not t.joined for t in part[1:]):
                continue
            phrase = " ".join(t.lower for t in part)
            if phrase in self._interfixes and not (
                standalone and part[0].lower in _PREPOSITION_INTERFIX
            ):
                return n
        return 0

    # -- extension of a name to the right ----------------------------------------------------------
    def _extend(self, toks: list[Token], j: int, need_surname: bool = False) -> int:
        """Index after the last token of a name whose part before ``j`` is already taken
        (more first names, initials, interfix + surname, a surname); ``-1`` when
        ``need_surname`` and no surname follows."""
        end = j
        seen_surname = double = False
        stop = min(len(toks), j + MAX_NAME_TOKENS)
        while j < stop and toks[j].joined and not toks[j].protected:
            tok = toks[j]
            if tok.initial and tok.text.isupper():
                j += 1
                end = j
                continue
            k = self._interfix_at(toks, j)
            if k and j + k < stop and toks[j + k].joined and self._surname_like(toks[j + k]):
                j += k + 1
                end = j
                seen_surname = True
                continue
            if not seen_surname and (
                self._name_like(tok) or (self._after_interfix(tok) and self._is_surname(tok))
            ) and not self._streetish(tok):
                j += 1
                end = j
                seen_surname = True
                continue
            if seen_surname and not double and (
                self._name_like(tok) or (self._is_surname(tok) and self._after_interfix(tok))
            ) and not self._streetish(tok):
                j += 1  # a double surname: "Esra Ait Taleb", "Mohamed El Amrani Haddou"
                end = j
                double = True
                continue
            break
        if need_surname and not seen_surname:
            return -1
        return end

    def _streetish(self, tok: Token) -> bool:
        """A word ending in a street or facility suffix that is not a known surname
        ("Molenweg", "Frankschool")."""
        return (
            tok.lower.endswith(_STREET_ENDINGS) or tok.lower.endswith(_FACILITIES)
        ) and tok.lower not in self._surname_lower

    def _surname_like(self, tok: Token) -> bool:
        """What may follow an interfix: any capitalised word but a street name."""
        return self._after_interfix(tok) and not self._streetish(tok)

    def _is_surname(self, tok: Token) -> bool:
        return tok.lower in self._surname_lower or "-" in tok.text

    # -- the rules -----------------------------------------------------------------------------
    def _title_at(self, toks: list[Token], i: int) -> int:
        """Tokens of a title starting at ``i`` ("de heer" is two), or 0."""
        tok = toks[i]
        if tok.lower == "de" and i + 1 < len(toks) and toks[i + 1].lower == "heer":
            return 2
        if tok.lower in self.titles and tok.lower != "heer":
            return 1
        return 0

    def find(
        self,
        text: str,
        protected: Sequence[tuple[int, int]] = (),
        tokens: list[Token] | None = None,
    ) -> Iterator[Span]:
        """Name spans in ``text``; no span touches a ``protected`` range. ``tokens``: the
        result of ``tokenize(text, protected)`` when the caller has it already."""
        toks = tokens if tokens is not None else tokenize(text, protected)
        i = 0
        while i < len(toks):
            if i > 0 and toks[i].joined and toks[i].cap and toks[i - 1].lower.endswith(_FACILITIES):
                # "Stichting Jan Pieter Heije", "Speeltuin De Hoop": the name of a place
                i += 1
                while i < len(toks) and toks[i].joined and (
                    toks[i].cap or self._interfix_at(toks, i)
                ):
                    i += 1
                continue
            start, end, rule = self._match_at(toks, i)
            if end > start and not self._known_place(text, toks, start, end, rule):
                yield Span(toks[start].start, toks[end - 1].end, Kind.NAME, rule)
                i = end
            else:
                i += 1

    def _known_place(self, text: str, toks: list[Token], start: int, end: int, rule: str) -> bool:
        """A name found from a surname alone that is really a street or place ("Vaartsche Rijn",
        "Lange Voorhout"), also with the capitalised word before it."""
        if rule not in ("surname", "interfix-surname"):
            return False
        first = start - 1 if start > 0 and toks[start].joined and toks[start - 1].cap else start
        for s in {start, first}:
            phrase = " ".join(t.text for t in toks[s:end]).casefold()
            if phrase in self.lists.streets_lower or phrase in self.lists.places_lower:
                return True
        return False

    def _match_at(self, toks: list[Token], i: int) -> tuple[int, int, str]:
        """``(first, after_last, rule)`` token indexes of a name found at token ``i``; the first
        may lie after ``i`` (a title stays), ``first == after_last`` when there is none."""
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = toks[i - 1] if i > 0 and not tok.sentence_start else None
        if tok.protected or (prev is not None and prev.lower.endswith(_FACILITIES)):
            return i, i, ""
        # a title followed by a name: "mevrouw De Vries", "dhr. J.P. van der Berg"
        t = self._title_at(toks, i)
        if t and i + t < len(toks) and toks[i + t].joined:
            j = i + t
            stop = min(len(toks), j + MAX_NAME_TOKENS)
            while j < stop and toks[j].initial and toks[j].joined:
                j += 1
            k = self._interfix_at(toks, j)
            if (
                j + k < len(toks)
                and toks[j + k].joined
                and self._surname_like(toks[j + k])
                and (k or toks[j + k].lower not in _NOT_NAMES | self.lists.stop_lower)
            ):
                return i + t, max(self._extend(toks, j + k + 1), j + k + 1), "title"
        # "heet Fatima", "genaamd Bram", "mijn naam is Xylo", "ik ben Kasia"
        naming = tok.lower in _NAMING or (
            tok.lower == "ben" and prev is not None and prev.lower == "ik"
        )
        if naming and nxt is not None and nxt.joined:
            j = i + 1
            if nxt.lower == "is" and j + 1 < len(toks) and toks[j + 1].joined:
                j += 1
            if self._surname_like(toks[j]) and not self._common(toks[j]):
                return j, max(self._extend(toks, j + 1), j + 1), "naming"
        # initials followed by a surname: "J.P. de Wit", "A. Bakker"
        if tok.initial and tok.text.isupper() and nxt is not None and nxt.joined:
            j = i
            stop = min(len(toks), i + MAX_NAME_TOKENS)
            while j < stop and toks[j].initial and (j == i or toks[j].joined):
                j += 1
            if j < len(toks) and toks[j].joined:
                k = self._interfix_at(toks, j)
                sur = toks[j + k] if j + k < len(toks) else None
                if sur is not None and self._surname_like(sur) and (
                    k or j - i > 1 or self._is_surname(sur) or self._name_like(sur)
                ) and (k or sur.lower not in _NOT_NAMES | self.lists.stop_lower):
                    return i, max(self._extend(toks, j + k + 1), j + k + 1), "initials"
        # a first name and what follows
        if (
            self._is_first_name(tok)
            and not (prev is not None and prev.lower in _ARTICLES)
            and not (tok.sentence_start and tok.lower in self.lists.stop_lower)
        ):
            ambiguous = self._common(tok) or self._placeish(tok)
            end = self._extend(toks, i + 1, need_surname=ambiguous or tok.sentence_start)
            if end > i + 1:
                return i, end, "first-name"
            if not ambiguous and (not tok.sentence_start or self._sentence_start_ok(nxt)):
                return i, i + 1, "first-name"
        # an interfix with a surname: "van Dijk", "De Jong" (not "op de Dam", "van Utrecht")
        k = self._interfix_at(toks, i, standalone=True)
        # without a first name or initials before it an interfix is written with a capital
        # ("De Vries", "Van der Berg"); lower case it is a preposition: "bewoners van de Dam"
        if k and i + k < len(toks) and toks[i + k].joined and (tok.cap or tok.sentence_start):
            sur = toks[i + k]
            if (
                self._surname_like(sur)
                and sur.lower in self._surname_lower
                and not self._placeish(sur, streets=tok.sentence_start)
                and not (prev is not None and prev.lower in _PREPOSITIONS | _ARTICLES)
            ):
                end = max(self._extend(toks, i + k + 1), i + k + 1)
                return self._left(toks, i), end, "interfix-surname"
        # a surname alone in mid-sentence: "gesprek met Yilmaz"
        if (
            not tok.sentence_start
            and self._name_like(tok)
            and tok.lower in self._surname_lower
            and not self._placeish(tok)
            and tok.lower not in self.lists.places_lower
            and tok.lower not in _WATERS
            and not (prev is not None and prev.lower in _ARTICLES | _PLACE_PREPOSITIONS)
        ):
            return self._left(toks, i), max(self._extend(toks, i + 1), i + 1), "surname"
        return i, i, ""

    def _left(self, toks: list[Token], i: int) -> int:
        """Take in an unlisted first name right before a surname ("Björn Verkijk")."""
        if i == 0 or not toks[i].joined:
            return i
        before = toks[i - 1]
        if self._name_like(before) and before.lower not in self.titles and not self._streetish(
            before
        ):
            return i - 1
        return i

    def _sentence_start_ok(self, nxt: Token | None) -> bool:
        """A lone first name opening a sentence ("Fatima belde"): a name unless it is followed by
        nothing or by a capitalised word (then it is likely a heading or a place)."""
        return nxt is not None and not nxt.cap
