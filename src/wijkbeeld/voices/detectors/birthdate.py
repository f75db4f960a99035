"""Dates of birth: a date near "geboren", "geb." or "geboortedatum".

Dates are written as ``12-03-1980``, ``12/3/80``, ``12.03.1980``, ``1980-03-12`` or
``12 maart 1980`` (month names and their abbreviations). Only a date within a few words after
such a word (or right before "geboren") is a birth date; every other date ("de bijeenkomst van
12 maart 2024") stays, because dates of events are the substance of many voices.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wijkbeeld.voices.kinds import Kind, Span

__all__ = ["find_birth_dates"]

_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    r"(?<![\w/.-])(?:"
    r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:e|ste|de)?\s+(?:" + _MONTHS + r")\.?\s+(?:\d{4}|'\d{2})"
    r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    r"\b(?:geboren|geb\.?|geboortedatum|geboortedag|geb\.datum|geboorte|d\.o\.b\.?|dob|"
    r"verjaardag|°|\*)"
    r"(?:\s+(?:op|de|in|is|:|per|d\.d\.|dd|den)|[\s:,()]){0,3}\s*$",
    re.IGNORECASE,
)
_AFTER = re.compile(r"\s*+(?:,\s*+)?(?:\w++\s++)?geboren\b", re.IGNORECASE)
_TRIGGER = re.compile(r"geb|geboorte|dob|d\.o\.b|verjaardag|°|\*", re.IGNORECASE)


def find_birth_dates(text: str) -> Iterator[Span]:
    """Dates introduced as a date of birth."""
    if not _TRIGGER.search(text):
        return
    for m in _DATE.finditer(text):
        before = _BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before or _AFTER.match(text, m.end()):
            yield Span(m.start(), m.end(), Kind.BIRTH_DATE, "birth-date")
