"""The checks every name goes through before it is replaced: what ``deduce`` proposes is vetted
(:func:`vet_proposals`), and every name, from any detector, is completed (:func:`complete_names`).

* **Vetting** deduce's person spans: leading titles and ordinary words are trimmed ("Volgens
  Mehmet" -> "Mehmet", "mevrouw De Vries" -> "De Vries", "Bel Fatima" -> "Fatima"); a span is
  dropped when it touches a protected range (a kept area name, another detector's find), holds a
  street, place or facility word, is a street or place with the word before it ("Vaartsche
  Rijn"), is "op de" + a word ("Op de Dam"), or is one ordinary word opening a sentence without
  a verb after it ("Winter is", "Schimmel en").
* **Completing**: every name grows over the particles and surnames after it ("Jeroen" + "Uit
  den Bogaard"); names of streets, facilities and municipalities go back ("Johan de Wittlaan",
  "Sint Franciscus Gasthuis", "Buurtcentrum De Kroon", "Den Haag"), as do an ordinary word
  opening a headline ("Brand in de flat") and a web address ("Change.org"); names that overlap
  or touch (only spaces between) become one.

Both read the tokens once (:func:`~wijkbeeld.voices.detectors.names.tokenize`) and look a
bounded number of tokens around each span, so they are linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from wijkbeeld.voices.detectors.name_context import ContextNames, verb_form
from wijkbeeld.voices.detectors.name_words import (
    ANIMATE_VERBS,
    ARTICLES,
    FACILITY_AFTER,
    FACILITY_BEFORE,
    HEADLINE_PREPOSITIONS,
    IN_PLACE,
    PARTICLES,
    PLACE_PARTICLES,
    STREET_ENDINGS,
)
from wijkbeeld.voices.detectors.names import Token, tokenize
from wijkbeeld.voices.kinds import Kind, Span

__all__ = ["complete_names", "vet_proposals"]

#: Places as people say them, missing from the lists ("in Den Bosch"; "Van den Bosch" is a
#: surname, so only after "in", "naar", "uit" ...).
_SPOKEN_PLACES = frozenset({"den bosch", "den briel", "de bilt", "den hoorn"})
#: A top-level domain right after a word makes it a web address ("Change.org").
_DOMAIN_AFTER = re.compile(r"\.(?:nl|com|org|net|eu|be|de|info|io|app|nu)\b", re.IGNORECASE)

def vet_proposals(
    names: ContextNames,
    text: str,
    spans: Iterable[Span],
    protected: Sequence[tuple[int, int]] = (),
    tokens: Sequence[Token] | None = None,
) -> list[Span]:
    """deduce's person spans, trimmed and checked (see the module docstring)."""
    spans = list(spans)
    if not spans:
        return []
    toks = tokens if tokens is not None else tokenize(text, protected)
    ends = [t.end for t in toks]
    out: list[Span] = []
    for span in spans:
        a = bisect_right(ends, span.start)  # the first token that ends after the start
        b = bisect_left(ends, span.end, lo=a)  # the token holding the last character
        if a >= len(toks) or b >= len(toks) or toks[a].start != span.start:
            continue  # deduce cut a word (or the text has no token there): not a name
        if any(t.protected for t in toks[a:b + 1]):
            continue
        kept = _trimmed(names, toks, a, b)
        if kept is not None:
            out.append(Span(toks[kept[0]].start, toks[kept[1]].end, Kind.NAME, span.rule))
    return out


def _trimmed(names: ContextNames, toks: Sequence[Token], a: int, b: int) -> tuple[int, int] | None:
    """Tokens ``a`` to ``b`` (inclusive) of a deduce proposal without the titles and ordinary
    words at its edges, or None when what is left is no person (see the module docstring)."""

    def edge_word(t: Token) -> bool:
        low = t.lower
        return low not in PARTICLES and (
            low in names.titles or low in names.stop
            or (names.word(low, compounds=False) and not names.listed(low))
            or (t.sentence_start and verb_form(low))  # "Bel Fatima", "Vraag Henk"
        )

    while a <= b and (edge_word(toks[a]) or (
        a < b and toks[a].lower in PARTICLES and toks[a + 1].lower in names.titles
    )):
        a += 1  # "Volgens", "mevrouw", "De heer"
    while b >= a and (edge_word(toks[b]) or toks[b].lower in PARTICLES):
        b -= 1
    if a > b:
        return None
    lead = 0
    while a + lead < b and toks[a + lead].lower in PARTICLES:
        lead += 1
    if lead and a + lead == b and (
        toks[a].lower in PLACE_PARTICLES
        or (toks[a].text.islower() and toks[b].lower in names.lists.streets_lower)
    ):
        return None  # "Op de Dam", "aan de Maas", "bewoners van de Dam"
    if any(names.not_person(t, places=False) for t in toks[a:b + 1]):
        return None
    if a == b and names.not_person(toks[a]):
        return None
    if names.place_phrase(toks, a, b + 1):
        return None
    nxt = toks[b + 1] if b + 1 < len(toks) and toks[b + 1].joined else None
    if a == b and toks[a].sentence_start and names.word(toks[a].lower, False) and not (
        nxt is not None and nxt.lower in ANIMATE_VERBS
    ):
        return None  # one ordinary word opening a sentence: "Winter is", "Schimmel en"
    return a, b


def _place_name(names: ContextNames, toks: Sequence[Token], a: int, b: int) -> bool:
    """Tokens ``a`` to ``b`` (exclusive) name a municipality ("Den Haag", "Den Helder"), or
    a place right after "in", "naar", "uit" ("in Ter Apel"); never after a title ("familie
    De Boer": a place called De Boer exists too)."""
    before = toks[a - 1].lower if a > 0 and not toks[a].sentence_start else ""
    if before in names.titles:
        return False
    phrase = " ".join(t.lower for t in toks[a:b])
    return phrase in names.lists.municipalities_lower or (
        before in IN_PLACE
        and (phrase in names.lists.places_lower or phrase in _SPOKEN_PLACES)
    )


def _headline_word(names: ContextNames, toks: Sequence[Token], i: int) -> bool:
    """An ordinary word opening a sentence before a preposition of place or time, as in a
    headline or a melding ("Brand in de flat", "Lekkage bij de buren"); a name there is
    followed by a verb ("Jan belde") or by "van" ("Piet van hiernaast")."""
    nxt = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].joined else None
    return (
        toks[i].sentence_start
        and nxt is not None
        and nxt.lower in HEADLINE_PREPOSITIONS
        and names.word(toks[i].lower, compounds=False)
    )


def complete_names(
    names: ContextNames,
    text: str,
    spans: Iterable[Span],
    protected: Sequence[tuple[int, int]] = (),
    tokens: Sequence[Token] | None = None,
) -> list[Span]:
    """Every name grown over the particles and surnames after it; without names of streets
    and facilities; names that overlap or touch (only spaces between) become one."""
    spans = list(spans)
    if not spans:
        return []
    toks = tokens if tokens is not None else tokenize(text, protected)
    ends = [t.end for t in toks]
    grown: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        a = bisect_right(ends, span.start)
        b = bisect_left(ends, span.end)
        if 0 < a < len(toks) and toks[a].joined and not toks[a].sentence_start:
            before = toks[a - 1].lower
            venue = toks[a].lower in ARTICLES and toks[a].text[:1].isupper()
            if before.endswith(FACILITY_BEFORE) or (venue and before in IN_PLACE):
                continue  # "Buurtcentrum De Kroon", "feest in De Leeuw"
            if before in ARTICLES and toks[a - 1].text.islower() and a == b:
                continue  # "bij de Dirk", "de Zeeman": a shop or a thing, not a person
        if b >= len(toks) or toks[b].start >= span.end:
            grown.append(span)  # the span does not end with a token
            continue
        end = names.grow(toks, b + 1)
        if end == a + 1 and _headline_word(names, toks, a):
            continue  # "Brand in de flat", "Schimmel op de muur"
        if _place_name(names, toks, a, end):
            continue  # "Den Haag", "in Ter Apel"
        if _DOMAIN_AFTER.match(text, toks[end - 1].end):
            continue  # "Change.org", "Buurtkracht.nl": a web address
        k = names.particles_at(toks, end) if end < len(toks) and toks[end].joined else 0
        after = toks[end + k] if end + k < len(toks) and toks[end + k].joined else None
        if after is not None and (
            (not k and after.lower in FACILITY_AFTER)
            or (
                after.lower.endswith(STREET_ENDINGS)
                and after.lower not in names.surnames
                and names.case(toks, end + k) == "cap"  # "Frankplein", never "thuis"
            )
        ):
            continue  # "Johan de Wittlaan", "Sint Franciscus Gasthuis"
        grown.append(Span(span.start, max(span.end, toks[end - 1].end), Kind.NAME, span.rule))
    merged: list[Span] = []
    for span in grown:
        gap = text[merged[-1].end:span.start] if merged else "x"
        if merged and (span.start < merged[-1].end or (gap.isspace() and "\n" not in gap)):
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), Kind.NAME, last.rule)
        else:
            merged.append(span)
    return merged
