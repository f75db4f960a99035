"""Citizen service numbers (BSN), bank account numbers (IBAN) and Dutch licence plates.

* BSN: nine digits (also ``1234.56.782`` and ``123 456 782``) that pass the 11-check
  (``stdnum.nl.bsn``). A nine-digit number that fails the check is a count or an order number and
  stays, unless the words "BSN", "burgerservicenummer" or "sofinummer" stand at most five
  words before it ("Het BSN van mijn zoon is 2345 67 892"): a mistyped BSN is still one.
* IBAN: any country, checked with ``stdnum.iban`` (mod-97); a Dutch-shaped number
  (``NL`` + 2 digits + 4 letters + 10 digits) is replaced even when its check digits are wrong.
* Licence plates: the fourteen Dutch sidecodes (``XX-99-99`` … ``999-XX-9``) written with dashes;
  without dashes only right after "kenteken" or "nummerbord" (``GM0363``, an area code, has the
  shape of sidecode 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn

from wijkbeeld.voices.kinds import Kind, Span

__all__ = ["PLATE_SIDECODES", "find_bsns", "find_ibans", "find_plates"]

_BSN = re.compile(
    r"(?<![\w.,€-])"
    r"(?:\d{9}|\d{8}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3}|\d{3}\.\d{3}\.\d{3})"
    r"(?!\w|-|[.,]\d)"
)
_BSN_CONTEXT = re.compile(
    r"(?:\bbsn|burgerservicenummer|sofi-?nummer|\bsofi)\b"
    # up to five short words between ("BSN van mijn zoon is ..."); bounded, so linear
    r"(?:\W{1,3}[^\W\d_]{1,14}+){0,5}\W{0,5}"
    r"(?P<number>\d(?:[ .]?\d){7,8})(?!\w|-|[.,]\d)",
    re.IGNORECASE,
)
_AMOUNT_AFTER = re.compile(r"\s*+(?:euro|eur|€|mensen|inwoners|keer|kilo|km|m2|m²|liter)\b", re.I)

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
_IBAN_NL = re.compile(r"NL ?\d{2} ?[A-Z]{4}(?: ?\d){10}", re.IGNORECASE)

#: The Dutch sidecodes 1-14 as (group lengths, letter groups) in "L"/"D" notation.
PLATE_SIDECODES: tuple[str, ...] = (
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
    "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
)


def _sidecode_regex(code: str, dash: str) -> str:
    parts = []
    for group in code.split("-"):
        parts.append(("[A-Z]" if group[0] == "L" else r"\d") + "{" + str(len(group)) + "}")
    return dash.join(parts)


_PLATE_DASHED = re.compile(
    r"(?<![\w-])(?:" + "|".join(_sidecode_regex(c, "-") for c in PLATE_SIDECODES) + r")(?![\w-])"
)
_PLATE_CONTEXT = re.compile(
    r"\b(?:kenteken(?:plaat|nummer)?|nummerbord|nummerplaat)\W{0,12}((?:"
    + "|".join(_sidecode_regex(c, "-?") for c in PLATE_SIDECODES)
    + r"))(?![\w-])",
    re.IGNORECASE,
)


def find_bsns(text: str) -> Iterator[Span]:
    """BSNs that pass the 11-check, or any 8-9 digit number introduced as a BSN."""
    introduced: set[int] = set()
    if "bsn" in text.lower() or "sofi" in text.lower() or "burgerservice" in text.lower():
        for m in _BSN_CONTEXT.finditer(text):
            introduced.add(m.start("number"))
            yield Span(m.start("number"), m.end("number"), Kind.BSN, "bsn-context")
    for m in _BSN.finditer(text):
        raw = m.group()
        if m.start() in introduced:
            continue
        if "." in raw and raw.count(".") == 2 and len(raw.split(".")[0]) == 3:
            continue  # 123.456.789 is a Dutch thousands-separated amount, not a BSN
        if _AMOUNT_AFTER.match(text, m.end()):
            continue
        if len(raw.replace(" ", "").replace(".", "")) == 9 and std_bsn.is_valid(raw):
            yield Span(m.start(), m.end(), Kind.BSN, "bsn-11-check")


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs with valid check digits (any country) and every Dutch-shaped IBAN."""
    for m in _IBAN.finditer(text):
        raw = m.group()
        # the regex may have taken a trailing group too many ("... 00 en"): drop groups until valid
        candidate = raw
        while candidate:
            if std_iban.is_valid(candidate, check_country=False) or _IBAN_NL.fullmatch(candidate):
                yield Span(m.start(), m.start() + len(candidate), Kind.IBAN, "iban")
                break
            cut = candidate.rfind(" ")
            if cut < 0:
                break
            candidate = candidate[:cut]


def find_plates(text: str) -> Iterator[Span]:
    """Dutch licence plates: dashed sidecodes anywhere, undashed ones after "kenteken"."""
    for m in _PLATE_DASHED.finditer(text):
        yield Span(m.start(), m.end(), Kind.PLATE, "plate")
    if "kenteken" in text.lower() or "nummer" in text.lower():
        for m in _PLATE_CONTEXT.finditer(text):
            yield Span(m.start(1), m.end(1), Kind.PLATE, "plate-context")
