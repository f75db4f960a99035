"""The kinds of personal data the scrubber replaces, and the spans detectors report.

A detector reports :class:`Span` objects (character offsets into the text it was given, the kind,
and the rule that fired). The scrubber resolves overlaps with :func:`resolve_overlaps` and
replaces each span by its kind's placeholder, e.g. ``[NAAM]``. Placeholders are Dutch because the
scrubbed text is stored and shown to Dutch readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Kind", "Span", "resolve_overlaps"]


class Kind(StrEnum):
    """A type of personal data; the value is the placeholder text between brackets."""

    EMAIL = "EMAIL"
    IBAN = "IBAN"
    BSN = "BSN"
    PHONE = "TELEFOON"
    PLATE = "KENTEKEN"
    BIRTH_DATE = "GEBOORTEDATUM"
    ADDRESS = "ADRES"
    POSTCODE = "POSTCODE"
    NAME = "NAAM"

    @property
    def placeholder(self) -> str:
        """The text that replaces a detected span, e.g. ``[NAAM]``."""
        return f"[{self.value}]"

    @property
    def priority(self) -> int:
        """Higher wins when two spans overlap: structured identifiers before names."""
        return len(_ORDER) - _ORDER.index(self)


_ORDER: tuple[Kind, ...] = tuple(Kind)


@dataclass(frozen=True, slots=True)
class Span:
    """A detected piece of personal data: ``text[start:end]`` is of ``kind``; ``rule`` says why."""

    start: int
    end: int
    kind: Kind
    rule: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative span {self.start}..{self.end}")

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans in text order. Overlapping spans are merged into one span covering
    all of them (so nothing any detector found survives), of the kind with the highest priority
    (a name inside an address becomes part of ``[ADRES]``); ties go to the longer span.
    """
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = max(
                (last, span), key=lambda s: (s.kind.priority, s.end - s.start)
            )
            merged[-1] = Span(last.start, max(last.end, span.end), best.kind, best.rule)
        else:
            merged.append(span)
    return merged
