"""Matching the area names of a name-keyed table to CBS codes, safely.

Municipal tables often name their buurten instead of coding them ("BUURT: Oud-Zuid"). A name is
matched within one municipality and boundary year, after normalisation (:func:`name_key`): case,
accents, the level word and number CBS puts in front ("Wijk 01 Oostduinen"), ``'s-`` and ``'t``,
hyphens and spaces, and common abbreviations (``St.`` = Sint, ``Z.`` = Zuid, ``v.d.`` = van de).

Only a match that is exact after normalisation and unique is applied. A name that matches no area
or several is a :class:`NameOutcome` with the nearest candidates (rapidfuzz), for an error message
and for a proposed mapping (:func:`proposed_mapping`): a fuzzy match is never applied without an
explicit mapping file (name → code) that a person has reviewed.

Plain Python without Django and without the figures package: the caller passes the candidate
areas (:class:`~wijkbeeld.areas.search.AreaCandidate`) and turns outcomes into its own errors.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from wijkbeeld.areas.names import display_name
from wijkbeeld.areas.search import AreaCandidate, fold

__all__ = ["NEAREST", "NameOutcome", "match_names", "name_key", "proposed_mapping"]

#: How many nearest candidates an error lists.
NEAREST = 3

_LEVEL_WORDS = frozenset({"wijk", "buurt", "gemeente", "stadsdeel", "district"})

#: Abbreviations in area names (after folding: lower case, punctuation to spaces).
_ABBREVIATIONS: Mapping[str, str] = {
    "st": "sint", "str": "straat", "pl": "plein", "ln": "laan", "bd": "boulevard",
    "z": "zuid", "n": "noord", "o": "oost", "w": "west", "nw": "nieuw",
    "vd": "van de", "v": "van", "d": "de", "t": "het", "s": "des",
    "bedr": "bedrijventerrein", "bedrijventerr": "bedrijventerrein",
}


def name_key(name: str, code: str = "") -> str:
    """The form in which two names count as the same: ``"Wijk 01 's-Gravenzande"``,
    ``"S GRAVENZANDE"`` and ``"'s Gravenzande"`` all give ``"desgravenzande"``.

    Lower case without accents; without a leading level word and number and without level words;
    abbreviations written out; then without spaces, so that "Oud-Zuid", "Oud Zuid" and
    "Oudzuid" agree."""
    words = fold(display_name(name, code) if name.strip() else "").split()
    kept = [w for w in words if w not in _LEVEL_WORDS] or words
    return "".join(_ABBREVIATIONS.get(w, w) for w in kept)


@dataclass(frozen=True, slots=True)
class NameOutcome:
    """What one distinct name of the file matched.

    ``code`` is set only for a unique exact match (after normalisation) or a mapping entry;
    otherwise ``matches`` holds the areas that matched equally (ambiguous) and ``nearest`` the
    closest candidates with their rapidfuzz score (0–100), best first."""

    name: str
    code: str | None
    via_mapping: bool = False
    matches: tuple[AreaCandidate, ...] = ()
    nearest: tuple[tuple[AreaCandidate, float], ...] = field(default=())

    @property
    def ambiguous(self) -> bool:
        return self.code is None and len(self.matches) > 1

    def candidates_text(self) -> str:
        """The candidates for a message: "Oud-Zuid (BU0363AA01), Oud-West (BU0363AB02)"."""
        shown = self.matches if self.ambiguous else tuple(a for a, _ in self.nearest)
        return ", ".join(f"{display_name(a.name, a.code)} ({a.code})" for a in shown)


def match_names(
    names: Iterable[str],
    candidates: Sequence[AreaCandidate],
    mapping: Mapping[str, str] | None = None,
) -> dict[str, NameOutcome]:
    """Outcome per distinct name. ``mapping`` (name → code, keys compared by :func:`name_key`)
    wins over matching; the candidates are the areas of one municipality and boundary year."""
    by_key: dict[str, list[AreaCandidate]] = {}
    for area in candidates:
        key = name_key(area.name, area.code)
        if key and area.name.strip():
            by_key.setdefault(key, []).append(area)
    mapped = {name_key(k): v.strip().upper() for k, v in (mapping or {}).items()}
    keys = list(by_key)
    outcomes: dict[str, NameOutcome] = {}
    for name in dict.fromkeys(names):
        key = name_key(name)
        if key in mapped:
            outcomes[name] = NameOutcome(name, mapped[key], via_mapping=True)
            continue
        found = by_key.get(key, [])
        if len(found) == 1:
            outcomes[name] = NameOutcome(name, found[0].code, matches=(found[0],))
            continue
        nearest: list[tuple[AreaCandidate, float]] = []
        if not found and key:
            for hit, score, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=NEAREST):
                nearest += [(a, float(score)) for a in by_key[hit]]
        outcomes[name] = NameOutcome(name, None, matches=tuple(found),
                                     nearest=tuple(nearest[:NEAREST]))
    return outcomes


def proposed_mapping(outcomes: Iterable[NameOutcome]) -> str:
    """A mapping file (CSV, ``;``) to review: every name with the code it matched, or for a name
    that did not match, the nearest candidate's code marked "controleren". Columns ``naam;code``
    (what an import reads) and, for the reviewer, ``gevonden_naam;soort;score``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["naam", "code", "gevonden_naam", "soort", "score"])
    for o in outcomes:
        if o.code is not None:
            kind = "koppelbestand" if o.via_mapping else "exact"
            area_name = o.matches[0].name if o.matches else ""
            writer.writerow([o.name, o.code, area_name, kind, "100"])
        elif o.ambiguous:
            for area in o.matches:
                writer.writerow([o.name, area.code, area.name, "dubbelzinnig: kies er een", ""])
        elif o.nearest:
            area, score = o.nearest[0]
            writer.writerow([o.name, area.code, area.name, "voorstel: controleren",
                             f"{score:.0f}"])
        else:
            writer.writerow([o.name, "", "", "geen kandidaat", ""])
    return out.getvalue()
