"""Dutch name, place and street lists, read from the lookup lists that ship with ``deduce``.

``deduce`` (the Dutch de-identification package, a registry dependency) bundles curated plain-text
lists: about 14,700 first names, 10,300 surnames, 2,400 surnames that follow an interfix
("de Vries"), interfixes, titles, 6,700 Dutch places, 153,000 street names and a small list of
common Dutch words. Its whole pipeline is not used: building all its lookup structures takes
minutes on a fresh install and about 8 s per start after that, and its place and street
annotators would erase the area names the scrubber keeps. Only its person annotators run
(:mod:`~wijkbeeld.voices.detectors.persons`, built from these same lists in about a second).
Reading the text lists directly takes a fraction of a second; the package is located without
importing it.

Each list is ``items.txt`` minus ``exceptions.txt`` (deduce's own list of entries too ambiguous to
use, such as the first name "Mei").
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["WordLists", "WordListsMissing", "lookup_dir", "read_list", "word_lists"]


class WordListsMissing(RuntimeError):
    """The ``deduce`` package (and with it the name lists) is not installed."""


def lookup_dir() -> Path:
    """The folder of deduce's source lookup lists (``deduce/data/lookup/src``)."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise WordListsMissing(
            "the name lists come from the 'deduce' package: pip install deduce"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "lookup" / "src"
    if not folder.is_dir():
        raise WordListsMissing(f"deduce lookup lists not found in {folder}")
    return folder


def _lines(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def read_list(relative: str) -> frozenset[str]:
    """One deduce list (``items.txt`` minus ``exceptions.txt``), e.g. ``names/lst_first_name``."""
    folder = lookup_dir() / relative
    if not (folder / "items.txt").exists():
        raise WordListsMissing(f"deduce lookup list {relative} missing in {folder}")
    return frozenset(_lines(folder / "items.txt") - _lines(folder / "exceptions.txt"))


@dataclass(frozen=True, slots=True)
class WordLists:
    """The lists the name and address detectors use. Names keep their capitalisation; the
    ``*_lower`` sets are case-folded for case-insensitive look-ups."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    interfix_surnames: frozenset[str]
    interfixes: frozenset[str]
    titles: frozenset[str]
    places_lower: frozenset[str]
    municipalities_lower: frozenset[str]
    streets_lower: frozenset[str]
    common_lower: frozenset[str]
    stop_lower: frozenset[str]


@cache
def word_lists() -> WordLists:
    """All lists, read once per process."""
    places = (
        read_list("locations/lst_placename/lst_residence")
        | read_list("locations/lst_placename/lst_municipality")
        | read_list("locations/lst_placename/lst_province")
        | read_list("locations/lst_placename/lst_region")
    )
    municipalities = read_list("locations/lst_placename/lst_municipality") | read_list(
        "locations/lst_placename/lst_province"
    )
    common = read_list("whitelist/lst_common_word") | read_list("whitelist/lst_stop_word")
    return WordLists(
        first_names=read_list("names/lst_first_name"),
        surnames=read_list("names/lst_surname"),
        interfix_surnames=read_list("names/lst_interfix_surname"),
        interfixes=frozenset(i.lower() for i in read_list("names/lst_interfix")),
        titles=frozenset(t.lower().rstrip(".") for t in read_list("names/lst_prefix")),
        places_lower=frozenset(p.casefold() for p in places),
        municipalities_lower=frozenset(m.casefold() for m in municipalities),
        streets_lower=frozenset(s.casefold() for s in read_list("locations/lst_street")),
        common_lower=frozenset(c.casefold() for c in common),
        stop_lower=frozenset(c.casefold() for c in read_list("whitelist/lst_stop_word")),
    )
