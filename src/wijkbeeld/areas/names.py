"""How an area is named to people: its name first, the CBS code only in small print.

CBS stores some wijk and buurt names with their level word and number in front ("Wijk 34
Morgenstond" in Den Haag, "Buurt 12 …" elsewhere). A page that also says "wijk" then reads
"Wijk Wijk 34 Morgenstond". :func:`display_name` drops that prefix for display only, and only
when a real name remains; the stored name is never changed. :func:`area_title` builds the one
title every page, the dashboard and the report use ("Morgenstond — wijk in Den Haag"). Plain
strings in, plain strings out, so the web, the report and the CLI share it without Django.
"""

from __future__ import annotations

import re

__all__ = ["LEVEL_WORDS", "area_title", "display_name"]

#: A leading level word and number: "Wijk 34 ", "Buurt 12 ", "wijk 03a ", "Wijk 07: ".
# The level word may come twice: the demo's Den Haag names read "Wijk Wijk 34 Morgenstond"
# (the series' own "Wijk 34 Morgenstond" with the level put in front once more).
_PREFIX = re.compile(r"^\s*(?:(?:wijk|buurt)\s+)+\d+[a-z]?\s*[:.\-–]?\s+", re.IGNORECASE)

#: The level word in a title, per language (the keys are :class:`~wijkbeeld.areas.Level` values).
LEVEL_WORDS: dict[str, dict[str, str]] = {
    "nl": {"municipality": "gemeente", "district": "wijk", "neighbourhood": "buurt",
           "country": "land"},
    "en": {"municipality": "municipality", "district": "district",
           "neighbourhood": "neighbourhood", "country": "country"},
}

_IN = {"nl": "in", "en": "in"}


def display_name(name: str | None, code: str) -> str:
    """The name to show for an area: the stored name without a leading "Wijk 34 " or
    "Buurt 12 " when what is left contains a letter; the stored name as is otherwise; the CBS
    code when there is no name at all."""
    stored = (name or "").strip()
    if not stored:
        return code
    rest = _PREFIX.sub("", stored, count=1).strip()
    if rest != stored and re.search(r"[^\W\d_]", rest):
        return rest
    return stored


def area_title(name: str | None, code: str, level: str, municipality_name: str = "",
               language: str = "nl") -> str:
    """The title of an area: "Morgenstond — wijk in Den Haag" (``language="en"``:
    "Morgenstond — district in Den Haag"). The municipality's name is used as stored; without
    one, or for a municipality itself, the title is "name — level word". An unknown level gives
    the display name alone."""
    lang = language if language in LEVEL_WORDS else "nl"
    shown = display_name(name, code)
    word = LEVEL_WORDS[lang].get(str(level))
    if word is None:
        return shown
    if municipality_name and str(level) in ("district", "neighbourhood"):
        return f"{shown} — {word} {_IN[lang]} {municipality_name}"
    return f"{shown} — {word}"
