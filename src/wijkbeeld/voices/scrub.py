"""Personal-data scrubbing: free text in, text with typed placeholders out.

Every detector of :mod:`wijkbeeld.voices.detectors` runs over the text; overlapping findings are
merged (nothing any detector found survives) and each is replaced by its placeholder:
``[NAAM]``, ``[TELEFOON]``, ``[EMAIL]``, ``[BSN]``, ``[IBAN]``, ``[POSTCODE]``, ``[ADRES]``,
``[KENTEKEN]``, ``[GEBOORTEDATUM]``. A street with a house number next to a postcode becomes one
``[ADRES]``.

Person names come from three sources, after the structured detectors (whose finds, and the
``keep`` terms, no name may touch): deduce's own person annotators
(:mod:`~wijkbeeld.voices.detectors.persons`, loaded once per process on the first text, each
proposal vetted by :func:`~wijkbeeld.voices.detectors.name_checks.vet_proposals`), the
list-and-capital rules of :class:`~wijkbeeld.voices.detectors.names.NameFinder`, and the context
rules of :class:`~wijkbeeld.voices.detectors.name_context.ContextNames` (any case, after a verb
of speech or a preposition, families and titles, particles). Then
:func:`~wijkbeeld.voices.detectors.name_checks.complete_names` grows each name over the
particles and surnames after it, drops names of streets, facilities and places, and joins names
that touch. ``persons=False`` leaves deduce out (quicker to start, lower recall).

The :class:`ScrubResult` keeps the scrubbed text and the counts per placeholder (the scrub report
that is stored with a voice), never the original text. Place names of the area itself are passed
as ``keep`` and are never taken for a person name ("Zuilen", "Lunetten"). The text is treated as
plain text: no HTML is parsed or escaped here (``<script>`` stays ``<script>``); escaping is the
job of whatever renders it.

Scrubbing takes time linear in the length of the text, whatever the text: a text longer than
:data:`~wijkbeeld.voices.limits.MAX_PIECE_CHARS` is scrubbed piece by piece
(:func:`~wijkbeeld.voices.limits.pieces`: cut after a line break or a sentence, never inside a
token, each read with a margin of context on either side) and the scrubbed pieces are joined, so
nothing is cut off; every detector's patterns are linear by themselves (see
:mod:`wijkbeeld.voices.limits`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from wijkbeeld.voices.detectors import (
    ContextNames,
    NameFinder,
    find_addresses,
    find_birth_dates,
    find_bsns,
    find_emails,
    find_ibans,
    find_persons,
    find_phones,
    find_plates,
    find_postcodes,
)
from wijkbeeld.voices.detectors.name_checks import complete_names, vet_proposals
from wijkbeeld.voices.detectors.names import tokenize
from wijkbeeld.voices.kinds import Kind, Span, resolve_overlaps
from wijkbeeld.voices.limits import MAX_PIECE_CHARS, context, pieces

__all__ = [
    "NOT_PERSONS", "ScrubResult", "Scrubber", "default_scrubber", "scrub", "total_counts",
]

#: Shop and organisation names that look like person names; never scrubbed as ``[NAAM]``.
NOT_PERSONS: tuple[str, ...] = (
    "Albert Heijn", "Jan Linders", "Dirk van den Broek", "Hoogvliet", "Jumbo",
    "Leger des Heils", "Humanitas", "Sint Maarten", "Sint Nicolaas",
    # housing corporations and services whose names are words or person names
    "Haag Wonen", "Eigen Haard", "De Key", "De Alliantie", "Ons Huis", "Woonstad Rotterdam",
    "De Woonplaats", "Het Servicehuis", "Vincent van Gogh", "Anne Frank", "Willem Alexander",
    "Johan Cruijff", "Johan Cruyff", "Zwarte Piet", "Sinterklaas", "Sint", "Kerstman",
    "Rode Kruis", "Oud en Nieuw", "Veilig Thuis", "Burger King", "Eigen Huis",
)
_ADDRESS_GLUE = re.compile(r"[,\s]*+")


@dataclass(frozen=True, slots=True)
class ScrubResult:
    """Scrubbed text and how many of each kind were replaced (the scrub report).

    ``counts`` maps placeholder names (``"NAAM"``, ``"TELEFOON"``, …) to how often they were put
    in, only kinds that occurred, in a fixed order. ``keep`` and ``kinds`` are the parameters the
    scrubber ran with. The original text is deliberately not kept.
    """

    text: str
    counts: Mapping[str, int]
    keep: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = tuple(Kind)

    @property
    def total(self) -> int:
        """Number of placeholders put in."""
        return sum(self.counts.values())

    @property
    def changed(self) -> bool:
        """True when anything was replaced."""
        return self.total > 0

    def report(self) -> dict[str, int]:
        """The counts as a plain dict, for storage next to the scrubbed text."""
        return dict(self.counts)


def _merge_addresses(text: str, spans: list[Span]) -> list[Span]:
    """"Kerkstraat 12, 1234 AB" is one address, not an address and a postcode."""
    out: list[Span] = []
    for span in spans:
        if out and {out[-1].kind, span.kind} <= {Kind.ADDRESS, Kind.POSTCODE}:
            glue = _ADDRESS_GLUE.fullmatch(text, out[-1].end, span.start)
            if glue is not None and Kind.ADDRESS in (out[-1].kind, span.kind):
                out[-1] = Span(out[-1].start, span.end, Kind.ADDRESS, "address+postcode")
                continue
        out.append(span)
    return out


@dataclass(frozen=True)
class Scrubber:
    """A configured scrubber; build once and call :meth:`scrub` for each text.

    ``keep``: place names (or other phrases) that are never taken for a person name, matched
    case-insensitively as whole words; :data:`NOT_PERSONS` is always added. ``kinds``: which kinds
    to replace (default: all). ``persons``: use deduce's person annotators too (default).
    """

    keep: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = tuple(Kind)
    persons: bool = True
    names: NameFinder = field(default_factory=NameFinder, repr=False, compare=False)
    context: ContextNames = field(default_factory=ContextNames, repr=False, compare=False)
    _keep_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = sorted({t.strip() for t in (*self.keep, *NOT_PERSONS) if t.strip()}, key=len)
        pattern = "|".join(re.escape(t).replace(r"\ ", r"\s++") for t in reversed(terms))
        compiled = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE) if terms else None
        object.__setattr__(self, "keep", tuple(self.keep))
        object.__setattr__(self, "kinds", tuple(self.kinds))
        object.__setattr__(self, "_keep_re", compiled)

    def spans(self, text: str) -> list[Span]:
        """The resolved spans that :meth:`scrub` replaces (offsets into ``text``), found piece by
        piece (:func:`~wijkbeeld.voices.limits.pieces`) so that a long text costs linear time."""
        if len(text) <= MAX_PIECE_CHARS:
            return self._piece_spans(text)
        # deduce reads the whole text once (in its own bounded windows), not every piece with
        # its margins: its proposals are handed to the piece that holds them
        persons = list(find_persons(text)) if self._deduce_wanted else []
        k = 0
        found: list[Span] = []
        for start, end in pieces(text):
            lo, hi = context(text, start, end)
            while k < len(persons) and persons[k].start < lo:
                k += 1
            mine = [
                Span(p.start - lo, p.end - lo, p.kind, p.rule)
                for p in persons[k:]
                if p.start < hi and p.end <= hi
            ] if persons else []
            found.extend(
                Span(s.start + lo, s.end + lo, s.kind, s.rule)
                for s in self._piece_spans(text[lo:hi], mine)
                if s.start + lo < end and start < s.end + lo  # it touches the piece itself
            )
        return _merge_addresses(text, resolve_overlaps(found))

    @property
    def _deduce_wanted(self) -> bool:
        return self.persons and Kind.NAME in self.kinds

    def _piece_spans(self, text: str, persons: list[Span] | None = None) -> list[Span]:
        """The resolved spans of one piece of text (``persons``: deduce's proposals for it,
        when they were found already)."""
        wanted = set(self.kinds)
        found: list[Span] = []
        finders = (
            find_emails, find_ibans, find_bsns, find_phones, find_plates, find_birth_dates,
            find_postcodes, find_addresses,
        )
        for finder in finders:
            found.extend(s for s in finder(text) if s.kind in wanted)
        if Kind.NAME in wanted:
            protected = (
                [(m.start(), m.end()) for m in self._keep_re.finditer(text)]
                if self._keep_re is not None
                else []
            )
            blocked = protected + [(s.start, s.end) for s in found]
            toks = tokenize(text, blocked)  # once, for every name rule
            names = [
                *self.names.find(text, blocked, toks),
                *self.context.find(text, blocked, toks),
            ]
            if self.persons:
                proposed = find_persons(text) if persons is None else persons
                names.extend(vet_proposals(self.context, text, proposed, blocked, toks))
            found.extend(complete_names(self.context, text, names, blocked, toks))
        return _merge_addresses(text, resolve_overlaps(found))

    def scrub(self, text: str) -> ScrubResult:
        """``text`` with every detected piece of personal data replaced by its placeholder."""
        spans = self.spans(text)
        parts: list[str] = []
        pos = 0
        counts: Counter[Kind] = Counter()
        for span in spans:
            parts.append(text[pos:span.start])
            parts.append(span.kind.placeholder)
            counts[span.kind] += 1
            pos = span.end
        parts.append(text[pos:])
        ordered = {k.value: counts[k] for k in Kind if counts[k]}
        return ScrubResult("".join(parts), MappingProxyType(ordered), self.keep, self.kinds)


@lru_cache(maxsize=16)
def default_scrubber(keep: tuple[str, ...] = ()) -> Scrubber:
    """A shared :class:`Scrubber` for these ``keep`` terms (building one reads the word lists)."""
    return Scrubber(keep=keep)


def scrub(text: str, keep: Iterable[str] = ()) -> ScrubResult:
    """Scrub one text with a cached default :class:`Scrubber` for these ``keep`` terms."""
    return default_scrubber(tuple(keep)).scrub(text)


def total_counts(results: Iterable[ScrubResult]) -> dict[str, int]:
    """The counts of many scrub results added up, in placeholder order."""
    total: Counter[str] = Counter()
    for result in results:
        total.update(result.counts)
    return {k.value: total[k.value] for k in Kind if total[k.value]}
