"""Finding an area by name or code, for people who know "Morgenstond" but not "WK051834".

Web, API and CLI all search the same way, so this is plain Python without Django: the caller
hands over the candidate areas (code, name, level, municipality name, boundary year) and the
query, and gets ranked :class:`AreaMatch` values back.

Ranking, best first: an exact CBS code; then names compared case- and accent-insensitively and
without the level word and number CBS puts in front of some names ("Wijk 34 Morgenstond" is
"Morgenstond", see :func:`~wijkbeeld.areas.names.display_name`): the whole name, a name that
starts with the query, a name that contains the query's words as whole words, a name that contains
the query; last, names within a few typos (rapidfuzz), above a score cut-off so that nonsense finds
nothing. Only the latest boundary year of each code is kept: a search is about the area as it is
now. :func:`unambiguous` says when one match is clear enough to go straight to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.areas.names import display_name

__all__ = ["FUZZY_CUTOFF", "AreaCandidate", "AreaMatch", "MatchKind", "fold", "rank_areas",
           "unambiguous"]

#: The lowest rapidfuzz similarity (0–100) a typo match needs: "Morgestond" passes, "xyz" not.
FUZZY_CUTOFF = 80.0

#: Words that name a level, ignored in names and queries ("wijk Morgenstond").
_LEVEL_WORDS = frozenset({"wijk", "buurt", "gemeente", "district", "neighbourhood",
                          "municipality"})

#: Order of levels among equally good matches: the wider area first.
_LEVEL_ORDER = {"country": 0, "municipality": 1, "district": 2, "neighbourhood": 3}


class MatchKind(IntEnum):
    """How a candidate matched; a lower value is a better match."""

    CODE = 0
    EXACT = 1
    PREFIX = 2
    WORD = 3
    CONTAINS = 4
    FUZZY = 5


@dataclass(frozen=True, slots=True)
class AreaCandidate:
    """One area that may be found: as stored, ``name`` possibly with its level prefix."""

    code: str
    name: str
    level: str
    municipality_name: str
    boundary_year: int


@dataclass(frozen=True, slots=True)
class AreaMatch:
    """A candidate that matched the query, how (``kind``) and how well (``score``, 0–100)."""

    area: AreaCandidate
    kind: MatchKind
    score: float

    @property
    def display_name(self) -> str:
        """The name to show: without "Wijk 34 ", the code when there is no name."""
        return display_name(self.area.name, self.area.code)


def _fold(text: str) -> str:
    """Lower case, accents off, punctuation to spaces: "'s-Gravenhage" → "s gravenhage"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


#: The folding names are compared in (also used to match the names of imported tables).
fold = _fold


def _strip_level_words(folded: str) -> str:
    """The folded text without level words, unless nothing would be left."""
    kept = [w for w in folded.split() if w not in _LEVEL_WORDS]
    return " ".join(kept) if kept else folded


def _name_key(area: AreaCandidate) -> str:
    return _strip_level_words(_fold(display_name(area.name, area.code)))


def _code_of(query: str) -> str | None:
    """The CBS code the query is, or None."""
    try:
        return parse_code(query.strip()).code
    except InvalidAreaCode:
        return None


def _fuzzy_score(query: str, name: str) -> float:
    """Similarity of the query to the whole name or to a run of as many words of the name."""
    best = fuzz.ratio(query, name)
    words, size = name.split(), len(query.split())
    for start in range(max(len(words) - size + 1, 0)):
        best = max(best, fuzz.ratio(query, " ".join(words[start:start + size])))
    return float(best)


def _classify(query: str, name: str) -> tuple[MatchKind, float] | None:
    """How the folded ``query`` matches the folded ``name``, or None."""
    if not name:
        return None
    if name == query:
        return MatchKind.EXACT, 100.0
    if name.startswith(query):
        return MatchKind.PREFIX, 100.0 * len(query) / len(name)
    if re.search(rf"(?<!\w){re.escape(query)}(?!\w)", name):
        return MatchKind.WORD, 100.0 * len(query) / len(name)
    if len(query) >= 3 and query in name:
        return MatchKind.CONTAINS, 100.0 * len(query) / len(name)
    score = _fuzzy_score(query, name)
    if score >= FUZZY_CUTOFF:
        return MatchKind.FUZZY, score
    return None


def _latest(candidates: Iterable[AreaCandidate]) -> list[AreaCandidate]:
    """Only the latest boundary year of each code."""
    newest: dict[str, AreaCandidate] = {}
    for area in candidates:
        seen = newest.get(area.code)
        if seen is None or area.boundary_year > seen.boundary_year:
            newest[area.code] = area
    return list(newest.values())


def rank_areas(candidates: Iterable[AreaCandidate], query: str,
               limit: int | None = 50) -> list[AreaMatch]:
    """The candidates matching ``query``, best first (see the module docstring), at most
    ``limit`` (None: all). An empty query finds nothing."""
    latest = _latest(candidates)
    matches: list[AreaMatch] = []
    code = _code_of(query)
    if code is not None:
        matches += [AreaMatch(a, MatchKind.CODE, 100.0) for a in latest if a.code == code]
    folded = _strip_level_words(_fold(display_name(query, "")))  # "Wijk 34 X" asks for X
    if folded:
        for area in latest:
            if area.code == code:
                continue
            found = _classify(folded, _name_key(area))
            if found is not None:
                matches.append(AreaMatch(area, *found))
    matches.sort(key=lambda m: (m.kind, -m.score, _LEVEL_ORDER.get(m.area.level, 9),
                                _fold(m.display_name), m.area.municipality_name, m.area.code))
    return matches if limit is None else matches[:limit]


def unambiguous(matches: list[AreaMatch]) -> AreaMatch | None:
    """The one match to go straight to, or None when the user should choose: an exact code, or
    the only match of the best kind when that kind is a name match (a typo match never counts,
    someone should confirm it). ``matches`` must be ranked by :func:`rank_areas`."""
    if not matches:
        return None
    best = matches[0]
    if best.kind is MatchKind.CODE:
        return best
    if best.kind is MatchKind.FUZZY:
        return None
    same = [m for m in matches if m.kind is best.kind]
    return best if len(same) == 1 else None
