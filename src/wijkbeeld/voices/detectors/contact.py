"""E-mail addresses and telephone numbers.

Phone numbers are found with Google's ``phonenumbers`` matcher (region NL, leniency POSSIBLE: the
length fits the numbering plan; validity of the number range is not required, since a mistyped
real number is still personal data). The matcher also accepts plain digit runs such as a count or
a date, so a match must look dialled: start with ``+``, ``00``, ``0`` or ``(0`` and hold at least
nine digits, and a date shape is refused. A second, regex pass catches Dutch mobile numbers the
matcher splits oddly ("06 - 12 34 56 78").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from wijkbeeld.voices.kinds import Kind, Span

__all__ = ["find_emails", "find_phones"]

#: Linear: the local part starts only where a run of its characters starts, and each run is
#: taken possessively (none of them can hold the character that must follow it).
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]++(?:@|\s?[\[(](?:at|apenstaartje)[\])]\s?)"
    r"[\w-]++(?:(?:\.|\s?[\[(](?:dot|punt)[\])]\s?)[\w-]++)*"
    r"(?:\.|\s?[\[(](?:dot|punt)[\])]\s?)[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_ENOUGH_DIGITS = re.compile(r"(?:\d\D{0,3}){8}")
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_MOBILE = re.compile(r"(?<![\w+])0\s*6\s*[-./]?\s*(?:\d[\s.-]?){7}\d(?!\d)")


def find_emails(text: str) -> Iterator[Span]:
    """E-mail addresses, also written as ``naam [at] domein [punt] nl``."""
    if "@" not in text and "[" not in text and "(" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Span(m.start(), m.end(), Kind.EMAIL, "email")


def _dialled(raw: str) -> bool:
    raw = raw.strip()
    digits = len(_DIGITS.findall(raw))
    if _DATE.fullmatch(raw):
        return False
    if raw.startswith("+") or raw.startswith("00"):
        return digits >= 8
    return (raw.startswith("0") or raw.startswith("(0")) and digits >= 9


def find_phones(text: str) -> Iterator[Span]:
    """Dutch and international telephone numbers (``06-12345678``, ``010 123 45 67``,
    ``+31 6 1234 5678``, ``0031 20 123 4567``, ``+32 470 12 34 56``, ``+44 20 7946 0958``)."""
    if not _ENOUGH_DIGITS.search(text):
        return
    matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if _dialled(match.raw_string):
            start = match.start
            if match.raw_string.startswith("(") and ")" not in match.raw_string:
                start += 1  # "(06 12 34 56 78)": the bracket belongs to the sentence
            yield Span(start, match.end, Kind.PHONE, "phonenumbers")
    for m in _MOBILE.finditer(text):
        yield Span(m.start(), m.end(), Kind.PHONE, "mobile")
