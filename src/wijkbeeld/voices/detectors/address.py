"""Postcodes and street addresses.

* ``1234 AB`` (also ``1234AB``, and lower case when written together: ``1234ab``) is a postcode;
  with a house number after it (``1234 AB 12``, ``1234 AB, nr. 12``) it is an address.
* A street with a house number is an address: a word ending in a street suffix (``-straat``,
  ``-laan``, ``-weg``, ``-plein``, ``-gracht``, ``-kade`` …, with the capitalised words or
  interfixes before it: ``Burgemeester de Withstraat 12``), or one of the 153,000 Dutch street
  names in deduce's list (``Dam 1``, ``Lange Voorhout 5``). Abbreviated street types count
  too (``Kerkstr 12``, ``Oranjeln 55``, ``Stationspln 2``, ``Molenwg 14``, ``Singelkd 7``,
  ``Wilhelminapk 12``, ``Hoogstr. 8``), as do abbreviated titles in the name (``Burg.
  Roelenweg 16``, ``Kon. Julianaln 3``). A street *without* a number stays: it is a place in
  the area, not personal data, and "de Kerkstraat" or "op de Dam" keep their meaning. A number
  followed by a unit ("30 km", "3 keer") is not a house number.
* A house number may carry up to two additions: ``12a``, ``44-A``, ``22 A``, ``214-3``,
  ``7-9``, ``14-II``, ``3 III``, ``55 bis``, ``88 bov``, ``101 hs``, ``12 3hg``, ``12 3 hoog``.

Every pattern here runs in linear time: runs of word characters are taken possessively and at
most :data:`_RUN` characters long (no street word is longer), the street suffix is checked by a
look-behind at the end of the word instead of by trying every suffix at every position, a street
never starts right after a letter, and whitespace is taken possessively. Before, 100 kB of one
letter took minutes (the suffix loop backtracked over the whole run from every position).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wijkbeeld.voices.detectors.name_words import FUNCTION_WORDS
from wijkbeeld.voices.detectors.wordlists import word_lists
from wijkbeeld.voices.kinds import Kind, Span

__all__ = ["ABBREVIATED_SUFFIXES", "STREET_SUFFIXES", "find_addresses", "find_postcodes"]

#: Endings of Dutch street names (capitalised words ending in these are streets).
STREET_SUFFIXES: tuple[str, ...] = (
    "straat", "straatje", "laan", "laantje", "weg", "plein", "pleintje", "gracht", "kade",
    "singel", "dijk", "steeg", "dreef", "plantsoen", "hof", "park", "pad", "markt", "baan",
    "ring", "allee", "boulevard", "wal", "haven", "erf", "veld", "burg", "promenade", "passage",
    "dam", "zijde", "vaart", "kanaal", "hoeve", "akker", "weide", "oord", "horst", "donk",
    "poort", "brug", "kwartier", "schans", "wetering", "stede", "gang", "kamp", "hoek", "rade",
)
#: Abbreviated street types, as written in notes and meldingen ("Kerkstr 12", "Oranjeln 55",
#: "Stationspln 2", "Molenwg 14", "Singelkd 7", "Oudegr 3", "Wilhelminapk 12"), also with a
#: full stop ("Hoogstr. 8"). They count only with a house number after them, like every street.
ABBREVIATED_SUFFIXES: tuple[str, ...] = tuple(
    form
    for short in ("str", "ln", "pln", "plnts", "wg", "kd", "gr", "pk", "sngl", "stg", "mrkt")
    for form in (short, short + ".")
)
#: Suffixes strong enough to accept a street written in lower case ("kerkstraat 12").
_LOWER_SUFFIXES = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "steeg", "dreef",
    "plantsoen", "straatje", "str", "str.",
)
#: What may follow a house number: "214-3", "7-9", "14-II", "3 III", "55 bis", "88 bov",
#: "101 hs", "12 3hg", "12 3 hoog", "9c", "44-A", "22 A"; at most two ("14-II 3hg").
_ADDITION = (
    r"(?:\s?-\s?\d{1,4}"
    r"|\s?-?\s?(?:bis|hs|huis|boven|bov|beneden|zw|rd|bg|I{1,3}|IV|V|VI)\b"
    r"|\s\d{1,2}\s?(?:hg|hoog)\b"
    r"|[a-zA-Z]\b|-[a-zA-Z]\b"
    r"|\s[a-zA-Z]\b(?!\.))"
)
_HOUSE_NUMBER = r"(?:(?:nr|no|nummer|huisnummer)\.?\s*)?[1-9]\d{0,4}" + _ADDITION + "{0,2}"
_UNIT = re.compile(
    r"\s*+(?:%|procent|keer|maal|km|kilometer|m\b|meter|min|minuten|uur|jaar|jaren|euro|eur|"
    r"kinderen|mensen|woningen|huizen|bewoners|auto|auto's|dagen|weken|maanden|x\b|stuks)",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3}(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})(?![\w-])"
    r"(?P<number>,?\s*+(?:(?:nr\.?|nummer|huisnummer)\s*+)?" + _HOUSE_NUMBER + r")?"
)
#: A postcode introduced as one: lower case with a space is one too ("postcode 9741 kl").
_POSTCODE_CONTEXT = re.compile(
    r"\bpostcode\b\W{0,3}+(?:(?:is|was|luidt|nr|nummer)\W{1,3}+)?"
    r"([1-9]\d{3}\s?+(?!sa|sd|ss)[a-z]{2})(?![\w-])",
    re.IGNORECASE,
)
#: Longest run of word characters after the first letter of a word that can be (part of) a
#: street name; a longer run is not a street and is given up after this many characters.
_RUN = 60
_WORD = r"[A-ZÀ-Ý][\w'’.-]{0," + str(_RUN) + "}+"  # capitalised, possessive, bounded
_LOWER_WORD = r"[a-z][\w'’-]{0," + str(_RUN) + "}+"


def _ends_with(suffixes: tuple[str, ...]) -> str:
    """A look-behind that holds when the text before it ends in one of ``suffixes`` (one
    look-behind per suffix length, since Python needs a fixed width)."""
    by_length: dict[int, list[str]] = {}
    for suffix in suffixes:
        by_length.setdefault(len(suffix), []).append(re.escape(suffix))
    return "(?:" + "|".join(
        f"(?<={'|'.join(group)})" for _, group in sorted(by_length.items())
    ) + ")"


_STREET_SUFFIX_RE = re.compile(
    r"(?<![^\W\d_])"  # never from the middle of a run of letters
    r"(?:(?:" + _WORD + r"|(?:van|de|der|den|het|'t|ter|ten|op|aan|in|la|le|du))\s++){0,4}?"
    r"(?P<street>(?:" + _WORD + "|" + _LOWER_WORD + ")"
    + _ends_with(STREET_SUFFIXES + ABBREVIATED_SUFFIXES)
    + r")\s++(?P<number>" + _HOUSE_NUMBER + r")",
)
#: Single words in the street list that are mostly something else when a number follows.
_NOT_STREETS = frozenset({
    "lijn", "bus", "tram", "metro", "groep", "blok", "fase", "hal", "kamer", "poort", "route",
    "spoor", "klas", "lokaal", "verdieping", "etage", "nummer", "deel", "hoofdstuk", "artikel",
    "versie", "stap", "ronde", "week", "dag", "jaar", "tafel", "zaal", "team", "portiek", "flat",
    "gebouw", "toren", "vak", "perron", "afrit", "uitgang", "ingang", "fort", "sluis", "brug",
    "pand", "unit", "kavel", "veld", "baan", "plein", "park", "markt", "molen", "kerk",
})
_NUMBER = re.compile(r"(?<![\w,.-])" + _HOUSE_NUMBER + r"(?![\w-]|[.,]\d)")
_TOKEN = re.compile(r"[\w'’.-]+")
_INTERFIXES = frozenset({"van", "de", "der", "den", "het", "'t", "ter", "ten", "la", "le", "du"})
_LEAD_WORD = re.compile(r"[\w'’.-]++\s++")

#: Words that do begin street names ("Lange Voorhout", "Laan van Meerdervoort", "Achter de
#: Dom"): never trimmed from the front of an address.
_STREET_PREFIXES = frozenset({
    "lange", "korte", "nieuwe", "oude", "eerste", "tweede", "derde", "vierde", "burgemeester",
    "koningin", "koning", "prins", "prinses", "graaf", "gravin", "hertog", "dokter", "pastoor",
    "kapelaan", "meester", "generaal", "admiraal", "kolonel", "kapitein", "sint", "laan",
    "hoge", "lage", "grote", "kleine", "achter", "voor", "binnen", "buiten", "noord", "zuid",
    "oost", "west", "noorder", "zuider", "ooster", "wester", "heren", "keizers", "bisschop",
    "president", "minister", "professor", "kardinaal", "dominee", "jonkheer", "ridder",
    "baron", "gouverneur", "rector", "pater", "broeder", "zuster", "heilige", "plein", "markt",
    "kade", "weg", "dijk", "park", "hof", "singel", "gracht", "straat", "baan", "ring",
})


#: Prepositions that open a sentence before an address ("Vanaf Laan van Meerdervoort 1021").
_PREPOSITIONS = frozenset({
    "vanaf", "vanuit", "tegenover", "naast", "bij", "richting", "langs", "nabij", "rond",
    "via", "naar", "op", "in", "aan", "om", "onder", "tot", "tussen", "door", "met", "zonder",
    "sinds", "tijdens", "van", "uit", "voorbij",
})


#: Abbreviated titles that begin street names ("Burg. Roelenweg", "Kon. Julianaplein").
_ABBREVIATED_TITLES = frozenset({
    "burg", "kon", "pr", "dr", "mr", "prof", "st", "gen", "jhr", "ds", "past", "adm", "luit",
    "kard", "mgr", "ir", "ing", "drs", "gebr", "wed", "v",
})
#: Nouns that name what is at an address; before a street they are not part of it.
_ADDRESS_NOUNS = frozenset({
    "adres", "woonadres", "huisadres", "postadres", "bezoekadres", "woning", "bovenwoning",
    "benedenwoning", "pand", "huisnummer", "flat", "portiek",
})


def _ordinary(word: str) -> bool:
    """A capitalised function word, preposition or address noun that is no first word of a
    street name ("Vanaf", "Sindsdien", "Bovenwoning"). Other ordinary words stay: many street
    names begin with one ("Plantage Middenlaan", "Nieuwe Binnenweg"), and a leaked street is
    worse than one word too many in ``[ADRES]``."""
    low = word.casefold()
    return low not in _STREET_PREFIXES and (
        low in _PREPOSITIONS or low in FUNCTION_WORDS or low in _ADDRESS_NOUNS
    )


def _is_house_number(text: str, end: int) -> bool:
    return not _UNIT.match(text, end)


def find_postcodes(text: str) -> Iterator[Span]:
    """``1234 AB`` alone is a postcode; with a house number after it, an address. Right after
    the word "postcode" any case and spacing counts ("postcode 9741 kl")."""
    starts: set[int] = set()
    for m in _POSTCODE.finditer(text):
        starts.add(m.start())
        number = m.group("number")
        if number and number.strip(", ") and _is_house_number(text, m.end()):
            yield Span(m.start(), m.end(), Kind.ADDRESS, "postcode+number")
        else:
            end = m.start("number") if number else m.end()
            yield Span(m.start(), end, Kind.POSTCODE, "postcode")
    if "postcode" in text.casefold():
        for m in _POSTCODE_CONTEXT.finditer(text):
            if m.start(1) not in starts:
                yield Span(m.start(1), m.end(1), Kind.POSTCODE, "postcode-context")


def _trimmed_start(text: str, start: int, street_start: int) -> int:
    """Drop words before the street name that are not part of it: ordinary words ("Ik", "Bij"),
    a leading interfix ("de Kerkstraat"), or a word that ends a sentence ("Zuilen.")."""
    stop = word_lists().stop_lower
    pos = start
    keep_from = start
    while pos < street_start:
        m = _LEAD_WORD.match(text, pos, street_start)
        if m is None:
            break
        word = m.group().strip()
        pos = m.end()
        bare = word.rstrip(".")
        if word[0].islower():
            if word.casefold() not in _INTERFIXES:
                keep_from = m.end()
        elif word.casefold() in _INTERFIXES or (
            word.endswith(".") and bare.casefold() in _ABBREVIATED_TITLES
        ):
            pass  # "Van Speijkstr 88", "Kon. Wilhelminaln 1": these start the name
        elif bare.casefold() in stop or (word.endswith(".") and len(bare) > 5) or _ordinary(bare):
            keep_from = m.end()
    # an interfix may stay inside the name ("Burgemeester de With"), never at its start
    while True:
        lead = _LEAD_WORD.match(text, keep_from)
        if not lead or lead.start() >= street_start or not lead.group()[0].islower():
            break
        keep_from = lead.end()
    return keep_from


def _words_before(text: str, end: int) -> list[re.Match[str]]:
    """Up to four word tokens right before ``end``, separated from it and each other by spaces."""
    tokens = list(_TOKEN.finditer(text, max(0, end - 80), end))
    chain: list[re.Match[str]] = []
    boundary = end
    for tok in reversed(tokens):
        gap = text[tok.end():boundary]
        if not gap or not gap.isspace() or len(chain) == 4:
            break
        chain.insert(0, tok)
        boundary = tok.start()
    return chain


def find_addresses(text: str) -> Iterator[Span]:
    """Street + house number, by suffix or by deduce's street list."""
    found: list[tuple[int, int]] = []  # in text order
    for m in _STREET_SUFFIX_RE.finditer(text):
        street = m.group("street")
        if street[0].islower() and not street.lower().endswith(_LOWER_SUFFIXES):
            continue
        if street.lower().rstrip(".") in STREET_SUFFIXES + ABBREVIATED_SUFFIXES:
            continue  # the bare word "weg" or "park" is not a street name
        if not _is_house_number(text, m.end()):
            continue
        start = _trimmed_start(text, m.start(), m.start("street"))
        found.append((start, m.end()))
        yield Span(start, m.end(), Kind.ADDRESS, "street-suffix")
    if not any(c.isdigit() for c in text):
        return
    lists = word_lists()
    streets = lists.streets_lower
    k = 0  # the first address by suffix that does not end before this number
    for m in _NUMBER.finditer(text):
        while k < len(found) and found[k][1] <= m.start():
            k += 1
        inside = k < len(found) and found[k][0] <= m.start()
        if inside or not _is_house_number(text, m.end()):
            continue
        words = _words_before(text, m.start())
        for n in range(len(words), 0, -1):
            first = words[-n]
            if not first.group()[:1].isupper():
                continue
            name = " ".join(w.group() for w in words[-n:])
            single_word = n == 1 and (
                name.casefold() in lists.common_lower or name.casefold() in _NOT_STREETS
            )
            if single_word:
                continue  # "Lijn 8", "Groep 7", "Blok 3" are not addresses
            if name.casefold() in streets:
                # capitalised words before a listed street belong to it ("Vaartsche Rijn 9")
                start = _trimmed_start(text, words[0].start(), first.start())
                yield Span(start, m.end(), Kind.ADDRESS, "street-list")
                break
