"""A labelled corpus of Dutch sentences with planted personal data, for the scrubber tests and
``benchmarks/voices.py``.

Sentences are built from templates (realistic notes of residents and professionals) with a fixed
seed. Each sentence is a list of segments: literal template text, or a planted item of a known
kind whose exact text is recorded. Names are drawn from the real Dutch first-name and surname
lists shipped with the ``deduce`` package (read here directly from its files, not through the
code under test), plus a hand-written list of names common in Dutch cities. Identifiers are made
valid independently of the code under test: BSNs with the 11-check, IBANs with mod-97 check digits.
"""

from __future__ import annotations

import importlib.util
import random
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "KEEP_PLACES",
    "NEGATIVE_SENTENCES",
    "Planted",
    "Sentence",
    "bsn",
    "build_corpus",
    "fragments_leaked",
    "iban_nl",
]

# Kinds as the placeholders name them.
NAME, PHONE, EMAIL, BSN, IBAN, ADDRESS, POSTCODE_NR, PLATE, BIRTH = (
    "NAAM", "TELEFOON", "EMAIL", "BSN", "IBAN", "ADRES", "POSTCODE_NR", "KENTEKEN", "GEBOORTEDATUM",
)

#: Names common in Dutch cities, written here (the fallback list, also used to measure recall
#: on names that may be missing from deduce's lists).
EXTRA_FIRST = (
    "Fatima", "Mohamed", "Yusuf", "Ayşe", "Emre", "Khadija", "Youssef", "Noor", "Ilse", "Sanne",
    "Priya", "Dewi", "Rajesh", "Shanti", "Kofi", "Ama", "Oleksandr", "Kasia", "Tomasz", "Aylin",
    "Bilal", "Samira", "Naima", "Hakan", "Esra", "Joost", "Marieke", "Kees", "Gerda", "Henk",
)
EXTRA_SURNAMES = (
    "El Amrani", "Bouzid", "Yilmaz", "Kaya", "Öztürk", "Demir", "Ramdin", "Sewdien", "Mohan",
    "Kowalski", "Nowak", "Al-Hassan", "Haddou", "Boukhari", "Ait Taleb", "Martina", "Doornbos",
    "Bijlsma", "Hoekstra", "Veenstra", "Brouwer", "Kuipers", "Postma", "Dijkstra", "Wijnands",
)
STREETS = (
    "Kerkstraat", "Molenweg", "Dorpsstraat", "Stationsweg", "Julianalaan", "Oudegracht",
    "Prins Hendrikkade", "Burgemeester de Withstraat", "Van Oldenbarneveltlaan",
    "Amsterdamsestraatweg",
    "Nieuwe Kerkstraat", "Marnixkade", "Vondellaan", "Lange Voorhout", "Coolsingel", "Rokin",
    "Dam", "Neude", "Lijnbaan", "Zonnebloemstraat", "Jan van Galenstraat",
    "Eerste Oosterparkstraat",
    "Kanaalweg", "Marktplein", "Beatrixplein", "Vaartsche Rijn", "Sterrenburgdreef", "Eikenlaan",
    "Plantage Middenlaan", "Wilhelminapark",
)
KEEP_PLACES = (
    "Zuilen", "Overvecht", "Kanaleneiland", "Lunetten", "Hoograven", "Ondiep", "Lombok",
    "Tuindorp", "Leidsche Rijn", "Vleuten", "De Meern", "Oog in Al",
)
DOMAINS = ("gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl",
           "planet.nl", "welzijnutrecht.nl", "portaal.nl", "buurtteams.nl")
INTERFIXES = ("van", "de", "van der", "van den", "van de", "ter", "ten", "den", "in 't")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
TITLES = ("mevrouw", "meneer", "mw.", "dhr.", "de heer", "buurvrouw", "buurman", "mevr.")


@dataclass(frozen=True)
class Planted:
    """One planted item: its kind and the exact text put in the sentence."""

    kind: str
    text: str
    form: str = ""
    source: str = "deduce"


@dataclass(frozen=True)
class Sentence:
    """A generated sentence as segments (``str`` literal or :class:`Planted`)."""

    segments: tuple[str | Planted, ...]

    @property
    def text(self) -> str:
        return "".join(s if isinstance(s, str) else s.text for s in self.segments)

    @property
    def planted(self) -> list[Planted]:
        return [s for s in self.segments if isinstance(s, Planted)]

    @property
    def literal(self) -> str:
        return " ".join(s for s in self.segments if isinstance(s, str))


# -- identifiers, made valid independently ---------------------------------------------------------
def bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the 11-check (weights 9..2 and -1)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        last = sum((9 - i) * d for i, d in enumerate(digits)) % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))


def failing_bsn(rng: random.Random) -> str:
    """A nine-digit number that fails the 11-check."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        total = sum((9 - i) * d for i, d in enumerate(digits[:8])) - digits[8]
        if total % 11:
            return "".join(map(str, digits))


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def iban_nl(rng: random.Random) -> str:
    """A Dutch IBAN (compact) with correct mod-97 check digits."""
    bank = rng.choice(("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"))
    bban = bank + "".join(rng.choice(string.digits) for _ in range(10))
    return "NL" + _iban_check("NL", bban) + bban


def iban_be(rng: random.Random) -> str:
    """A Belgian IBAN (compact) with correct check digits (national check not needed here)."""
    digits = "".join(rng.choice(string.digits) for _ in range(10))
    national = digits + f"{int(digits) % 97 or 97:02d}"
    return "BE" + _iban_check("BE", national) + national


def _grouped(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


# -- names ----------------------------------------------------------------------------------------
def _deduce_list(relative: str) -> list[str]:
    spec = importlib.util.find_spec("deduce")
    assert spec is not None and spec.submodule_search_locations, "deduce is not installed"
    folder = Path(next(iter(spec.submodule_search_locations))) / "data/lookup/src" / relative
    items = (folder / "items.txt").read_text(encoding="utf-8").splitlines()
    exceptions_file = folder / "exceptions.txt"
    exceptions = set(exceptions_file.read_text(encoding="utf-8").splitlines()) if (
        exceptions_file.exists()
    ) else set()
    return sorted({i.strip() for i in items if i.strip()} - exceptions)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first = [n for n in _deduce_list("names/lst_first_name") if n.isalpha() and len(n) > 2]
        self.surnames = [n for n in _deduce_list("names/lst_surname") if " " not in n]
        self.interfix_surnames = _deduce_list("names/lst_interfix_surname")

    def first_name(self, extra: bool) -> str:
        return self.rng.choice(EXTRA_FIRST if extra else self.first)

    def surname(self, extra: bool, capital_interfix: bool) -> str:
        """A surname, sometimes with an interfix ("van der Berg"; "Van der Berg" on its own)."""
        if extra:
            return self.rng.choice(EXTRA_SURNAMES)
        if self.rng.random() < 0.3:
            interfix = self.rng.choice(INTERFIXES)
            if capital_interfix:
                interfix = interfix[0].upper() + interfix[1:]
            return f"{interfix} {self.rng.choice(self.interfix_surnames)}"
        return self.rng.choice(self.surnames)

    def planted(self, form: str) -> list[str | Planted]:
        """Segments for a name in ``form``: title and name kept apart (a title is not a name)."""
        extra = self.rng.random() < 0.2
        source = "extra" if extra else "deduce"
        if form == "full":
            text = f"{self.first_name(extra)} {self.surname(extra, capital_interfix=False)}"
            return [Planted(NAME, text, form, source)]
        if form == "title":
            title = self.rng.choice(TITLES)
            return [f"{title} ", Planted(NAME, self.surname(extra, True), form, source)]
        if form == "initials":
            letters = self.rng.sample(string.ascii_uppercase, self.rng.randint(1, 2))
            initials = "".join(f"{c}." for c in letters)
            text = f"{initials} {self.surname(extra, capital_interfix=False)}"
            return [Planted(NAME, text, form, source)]
        if form == "first":
            return [Planted(NAME, self.first_name(extra), form, source)]
        raise ValueError(form)


# -- other planted items --------------------------------------------------------------------------
def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def _phone(rng: random.Random) -> str:
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    mobile = f"6{rng.choice('12345')}{d(7)}"
    area, rest = rng.choice((("10", 7), ("20", 7), ("30", 7), ("70", 7), ("40", 7), ("348", 6)))
    landline = area + str(rng.randint(2, 9)) + d(rest - 1)
    forms = (
        f"0{mobile[:1]}-{mobile[1:]}", f"0{mobile[:1]} {mobile[1:]}", f"0{mobile}",
        f"0{mobile[:1]}-{mobile[1:5]} {mobile[5:]}", f"+31 {mobile[:1]} {mobile[1:]}",
        f"+31{mobile}",
        f"0031 {mobile[:1]} {mobile[1:]}", f"0{area}-{landline[len(area):]}",
        f"0{area} {landline[len(area):len(area) + 3]} {landline[len(area) + 3:]}",
        f"(0{area}) {landline[len(area):]}", f"+31 (0){area} {landline[len(area):]}",
        f"+32 4{rng.choice('789')}{d(1)} {d(2)} {d(2)} {d(2)}", f"+44 20 7{d(3)} {d(4)}",
        f"+49 30 {d(7)}", f"06 {mobile[1:3]} {mobile[3:5]} {mobile[5:7]} {mobile[7:]}",
    )
    return rng.choice(forms)


def _postcode(rng: random.Random) -> str:
    while True:
        letters = rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
        if letters not in ("SA", "SD", "SS"):
            return f"{rng.randint(1000, 9999)}{rng.choice(('', ' '))}{letters}"


def _house_number(rng: random.Random) -> str:
    n = str(rng.randint(1, 250))
    return rng.choice((n, n, n, f"{n}a", f"{n}A", f"{n}-2", f"{n} bis", f"{n}-hs"))


def _postcode_nr(rng: random.Random) -> str:
    pc, nr = _postcode(rng), str(rng.randint(1, 250))
    return rng.choice((f"{pc} {nr}", f"{pc}, nr. {nr}", f"{pc} huisnummer {nr}", f"{pc}, {nr}"))


def _plate(rng: random.Random) -> str:
    codes = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
             "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D")
    consonants = "BDFGHJKLNPRSTVXZ"
    return "".join(
        rng.choice(consonants) if c == "L" else rng.choice(string.digits) if c == "D" else c
        for c in rng.choice(codes)
    )


def _birth(rng: random.Random) -> tuple[str, str]:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1930, 2015)
    date = rng.choice((
        f"{day:02d}-{month:02d}-{year}", f"{day}-{month}-{year}", f"{day}/{month}/{year}",
        f"{day} {MONTHS[month - 1]} {year}", f"{day:02d}.{month:02d}.{year}",
    ))
    lead = rng.choice(("geboren op ", "geb. ", "geboortedatum: ", "(geb. ", "geboren "))
    return lead, date


# -- templates ------------------------------------------------------------------------------------
# {N:form} name, {P} phone, {E} e-mail, {B} BSN, {I} IBAN, {A} street + number, {C} postcode+nr,
# {K} plate, {G} birth date (with its lead words); everything else is literal.
TEMPLATES = (
    "{N:full} belt steeds de politie over de jongeren bij de speeltuin.",
    "Gesprek gehad met {N:title}, zij is bereikbaar op {P}.",
    "{N:first} vertelde dat de trap in de flat al weken kapot is.",
    "Bewoner {N:full} ({G}) heeft een betalingsachterstand bij de woningcorporatie.",
    "Graag terugbellen naar {P} of mailen naar {E}, vraagt {N:title}.",
    "Het BSN van de cliënt is {B} en het rekeningnummer {I}.",
    "{N:initials} woont op {A} en voelt zich niet veilig in de buurt.",
    "Melding: de auto met kenteken {K} staat al drie weken op de stoep.",
    "Adres voor het huisbezoek: {A}, postcode {C}.",
    "Ik heb {N:full} doorverwezen naar de schuldhulpverlening, tel. {P}.",
    "De wijkagent sprak {N:title} aan over de overlast op de Molenweg.",
    "Contactpersoon {N:full}, e-mail {E}, telefoon {P}.",
    "{N:first} en {N:first} organiseren elke woensdag een koffieochtend in het buurthuis.",
    "Volgens {N:initials} is de verlichting in het park al maanden stuk.",
    "Zijn vader, {G}, woont alleen en komt de deur niet meer uit.",
    "Overmaken naar {I} ten name van {N:title} onder vermelding van de huur.",
    "Woonachtig te {C}, bij de Kerkstraat.",
    "Er staat een foutgeparkeerde bus met nummerbord {K} bij {A}.",
    "Mijn buurvrouw {N:first} helpt iedereen met de formulieren van de gemeente.",
    "Mevrouw vertelt dat {N:full} haar bedreigd heeft; zijn nummer is {P}.",
    "Burgerservicenummer {B}, cliënt {N:full}, {G}.",
    "Op {A} is vorige week ingebroken, zegt {N:title}.",
    "Het jongerenwerk ({N:first}, {P}) wil een voetbaltoernooi op het Marktplein.",
    "We hebben {N:full} en {N:initials} gesproken op de bijeenkomst van 12 maart 2024.",
    "Stuur de uitnodiging naar {E} en naar {N:first}.",
    "De huurachterstand van {N:title} ({A}) loopt op; IBAN {I}.",
    "Klacht over geluidsoverlast door de buren van {C}.",
    "{N:title} belde op {P} over de ratten bij de containers.",
    "De scooter {K} rijdt elke avond hard door de Dorpsstraat.",
    "Ik ben {N:full} en ik woon al dertig jaar in deze wijk.",
    "Het gaat om {N:first} ({G}), die sinds de scheiding in geldnood zit.",
    "Cliënt {N:initials}, BSN {B}, woont op {C}.",
    "Terugbelverzoek van {N:title}: {P}.",
    "{N:full} (tel. {P}, mail {E}) wil meedoen met het buurtcomité.",
)

#: Sentences without personal data that must come out unchanged.
NEGATIVE_SENTENCES = (
    "Op de Dam is het elke zaterdag erg druk met toeristen.",
    "De Kerkstraat is 's avonds slecht verlicht.",
    "Langs de Molenweg wordt veel te hard gereden.",
    "Bij de Oudegracht liggen veel fietsen in het water.",
    "Aan de Molenweg 3 keer per week vuilnis op straat.",
    "In de Dorpsstraat staan 40 woningen leeg.",
    "Er kwamen 123456789 bezoekers naar de website.",
    "Het project kostte 250000 euro en liep van 2019 tot 2023.",
    "De bijeenkomst is op 12-03-2024 om 19.30 uur in het buurthuis.",
    "Op 5 mei 2025 vieren we samen Bevrijdingsdag op het plein.",
    "Ongeveer 35% van de huishoudens heeft een laag inkomen.",
    "Buurt BU03630000 en wijk WK036300 liggen in gemeente GM0363.",
    "Het jongerenwerk heeft 14 activiteiten georganiseerd in de zomer.",
    "We zagen 1.234.567 bezoeken aan de site in 2024.",
    "Bij de Albert Heijn hangen 's avonds jongeren rond.",
    "De gemeente Utrecht investeert in groen in de wijk.",
    "Wil je even terugbellen over de afspraak van dinsdag?",
    "Door de bouw van 120 woningen is het erg druk.",
    "Speeltuin De Hoop is opgeknapt door vrijwilligers.",
    "Lijn 8 rijdt niet meer door de wijk sinds 1 januari.",
    "Ik woon sinds 1998 in deze straat en voel me thuis.",
    "<script>alert('x')</script> & <b>vet</b> blijft tekst.",
)


def _fill(template: str, names: _Names, rng: random.Random) -> Sentence:
    segments: list[str | Planted] = []
    pos = 0
    for m in re.finditer(r"\{(\w)(?::(\w+))?\}", template):
        if m.start() > pos:
            segments.append(template[pos:m.start()])
        key, form = m.group(1), m.group(2)
        if key == "N":
            segments.extend(names.planted(form or "full"))
        elif key == "P":
            segments.append(Planted(PHONE, _phone(rng)))
        elif key == "E":
            first, last = names.first_name(False), names.surname(False, False)
            a, b = _ascii(first), _ascii(last)
            local = rng.choice((f"{a}.{b}", f"{a[0]}{b}", f"{a}{rng.randint(1, 99)}"))
            segments.append(Planted(EMAIL, f"{local}@{rng.choice(DOMAINS)}"))
        elif key == "B":
            value = bsn(rng)
            value = rng.choice((value, value, f"{value[:4]}.{value[4:6]}.{value[6:]}",
                                f"{value[:3]} {value[3:6]} {value[6:]}"))
            segments.append(Planted(BSN, value))
        elif key == "I":
            value = iban_nl(rng) if rng.random() < 0.8 else iban_be(rng)
            segments.append(Planted(IBAN, rng.choice((value, _grouped(value)))))
        elif key == "A":
            segments.append(Planted(ADDRESS, f"{rng.choice(STREETS)} {_house_number(rng)}"))
        elif key == "C":
            segments.append(Planted(POSTCODE_NR, _postcode_nr(rng)))
        elif key == "K":
            segments.append(Planted(PLATE, _plate(rng)))
        elif key == "G":
            lead, date = _birth(rng)
            segments.append(lead)
            segments.append(Planted(BIRTH, date))
            if lead.startswith("("):
                segments.append(")")
        pos = m.end()
    segments.append(template[pos:])
    return Sentence(tuple(s for s in segments if s != ""))


def build_corpus(n: int = 600, seed: int = 20240501) -> list[Sentence]:
    """``n`` sentences from the templates (cycled, so every template is used), fixed seed."""
    rng = random.Random(seed)
    names = _Names(rng)
    return [_fill(TEMPLATES[i % len(TEMPLATES)], names, rng) for i in range(n)]


# -- leak check -----------------------------------------------------------------------------------
_CHUNK = re.compile(r"[^\W_]+")
_INTERFIX_WORDS = {w for i in INTERFIXES for w in i.split()} | {"t", "el", "al", "ait"}


def fragments_leaked(planted: Planted, scrubbed: str, literal: str) -> list[str]:
    """Pieces of a planted item still in the scrubbed text that the template itself does not hold:
    whole words of a name (not interfixes or initials), digit runs of three or more, e-mail parts.
    """
    leaked = []
    words = set(_CHUNK.findall(scrubbed))
    literal_words = set(_CHUNK.findall(literal))
    for chunk in _CHUNK.findall(planted.text):
        if chunk.lower() in _INTERFIX_WORDS or len(chunk) < 2:
            continue
        if planted.kind == NAME and (chunk.isupper() and len(chunk) <= 2):
            continue
        if chunk.isdigit() and len(chunk) < 3:
            continue
        short_letters = chunk.isalpha() and len(chunk) <= 3
        if planted.kind in (POSTCODE_NR, ADDRESS, PLATE, IBAN) and short_letters:
            continue
        if chunk in words and chunk not in literal_words:
            leaked.append(chunk)
    return leaked
