"""How well a scrubber removes names, identifiers and addresses, measured on a labelled set.

The set (``tests/voices/eval/names_eval.jsonl``, see the README next to it) holds sentences
written by hand with the exact spans of every person name, structured identifier and address,
a few ``keep`` words that must survive, a ``kind`` and a ``split`` (``dev`` to tune on,
``heldout`` to measure once). :func:`score_scrubbing` runs any scrub function (text in, scrubbed
text out) over such rows and returns an immutable :class:`ScrubScores`:

* a name (structured span, address) counts as *caught* only when **every** one of its tokens is
  gone from the output: "Van den Heuvel-Smit" with "Smit" left is a leak;
* *over-scrubbing* is the share of ordinary tokens (tokens outside every listed span) that were
  removed or replaced;
* each ``keep`` word must survive whole.

What survived is found by aligning the tokens of the input with those of the output
(:class:`difflib.SequenceMatcher`, placeholders such as ``[NAAM]`` or deduce's
``[PERSOON-1]`` are one token that matches nothing), so the measure works for any scrubber that
replaces text, ours or an outside one, without needing its offsets. A token is a run of letters
and digits, so "14-II" is two tokens and "06-12345678" too.

:func:`deduce_reference` gives the outside baseline: the ``deduce`` package's whole default
pipeline (names, places, streets, institutions, dates, ...), run on the same texts.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from types import MappingProxyType
from typing import Any

from wijkbeeld.voices.detectors.persons import import_deduce

__all__ = [
    "EvalRow",
    "KindScores",
    "Miss",
    "ScrubScores",
    "Tally",
    "deduce_reference",
    "read_rows",
    "score_scrubbing",
]

_TOKEN = re.compile(r"\w+")
#: A placeholder put in by a scrubber: ``[NAAM]``, ``[PERSOON-1]``, ``[LOCATIE-2]``.
_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,40}\]")
_SPAN_FIELDS = ("names", "structured", "addresses")


@dataclass(frozen=True, slots=True)
class EvalRow:
    """One labelled sentence of the evaluation set (spans are copied verbatim from ``text``)."""

    id: str
    text: str
    names: tuple[str, ...] = ()
    structured: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    split: str = ""
    kind: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EvalRow:
        """A row from one parsed JSON line of the set."""
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            names=tuple(data.get("names", ())),
            structured=tuple(data.get("structured", ())),
            addresses=tuple(data.get("addresses", ())),
            keep=tuple(data.get("keep", ())),
            split=str(data.get("split", "")),
            kind=str(data.get("kind", "")),
        )


def read_rows(path: Path, split: str | None = None) -> tuple[EvalRow, ...]:
    """The rows of a JSON-lines evaluation set; only those of ``split`` when it is given.

    Filtering here, before anything else looks at the rows, is what keeps the held-out part
    unseen while tuning: ask for ``split="dev"``.
    """
    rows = (
        EvalRow.from_json(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    return tuple(r for r in rows if split is None or r.split == split)


@dataclass(frozen=True, slots=True)
class Tally:
    """``hits`` out of ``total``; :attr:`rate` is 1.0 for an empty tally (nothing to miss)."""

    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        """``hits / total``, or 1.0 when there was nothing to count."""
        return self.hits / self.total if self.total else 1.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.hits + other.hits, self.total + other.total)


@dataclass(frozen=True, slots=True)
class KindScores:
    """Scores over a group of rows: caught names, structured spans and addresses; ordinary
    tokens removed (over-scrubbing); ``keep`` words that survived."""

    rows: int = 0
    names: Tally = Tally()
    structured: Tally = Tally()
    addresses: Tally = Tally()
    ordinary_removed: Tally = Tally()
    keep_survived: Tally = Tally()

    @property
    def name_recall(self) -> float:
        """Share of names with every token gone."""
        return self.names.rate

    @property
    def structured_recall(self) -> float:
        """Share of structured identifiers (phone, e-mail, BSN, IBAN, postcode, plate) gone."""
        return self.structured.rate

    @property
    def address_recall(self) -> float:
        """Share of addresses (street + number) with every token gone."""
        return self.addresses.rate

    @property
    def over_scrubbing(self) -> float:
        """Share of ordinary tokens (outside every listed span) that were removed."""
        return self.ordinary_removed.hits / self.ordinary_removed.total if (
            self.ordinary_removed.total
        ) else 0.0

    def __add__(self, other: KindScores) -> KindScores:
        return KindScores(
            self.rows + other.rows,
            self.names + other.names,
            self.structured + other.structured,
            self.addresses + other.addresses,
            self.ordinary_removed + other.ordinary_removed,
            self.keep_survived + other.keep_survived,
        )


@dataclass(frozen=True, slots=True)
class Miss:
    """Something the scrubber got wrong in one row: a leaked span (``field`` is ``names``,
    ``structured`` or ``addresses``), a removed ordinary token (``ordinary``) or a lost
    ``keep`` word (``keep``)."""

    row: str
    field: str
    text: str


@dataclass(frozen=True, slots=True)
class ScrubScores:
    """The result of :func:`score_scrubbing`: scores over all rows, per ``kind``, and every
    miss (for reading on the development split only)."""

    overall: KindScores
    per_kind: Mapping[str, KindScores] = field(default_factory=lambda: MappingProxyType({}))
    misses: tuple[Miss, ...] = ()

    @property
    def name_recall(self) -> float:
        """Share of names with every token gone, over all rows."""
        return self.overall.name_recall

    @property
    def structured_recall(self) -> float:
        """Share of structured identifiers gone, over all rows."""
        return self.overall.structured_recall

    @property
    def address_recall(self) -> float:
        """Share of addresses with every token gone, over all rows."""
        return self.overall.address_recall

    @property
    def over_scrubbing(self) -> float:
        """Share of ordinary tokens removed, over all rows."""
        return self.overall.over_scrubbing


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _survivors(text: str, output: str) -> list[bool]:
    """For each token of ``text``: is it still in ``output`` (at the aligned place)?"""
    source = [t for t, _, _ in _tokens(text)]
    target: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(output):
        target.extend(t for t, _, _ in _tokens(output[pos:m.start()]))
        target.append("\0")  # a placeholder: matches no token of the input
        pos = m.end()
    target.extend(t for t, _, _ in _tokens(output[pos:]))
    alive = [False] * len(source)
    matcher = SequenceMatcher(None, source, target, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            alive[k] = True
    return alive


def _occurrences(span: str, text: str) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end())
        for m in re.finditer(r"(?<!\w)" + re.escape(span) + r"(?!\w)", text)
    ]


def _score_row(row: EvalRow, output: str) -> tuple[KindScores, list[Miss]]:
    tokens = _tokens(row.text)
    alive = _survivors(row.text, output)
    misses: list[Miss] = []
    listed: set[int] = set()  # tokens inside a listed span
    tallies: dict[str, Tally] = {}
    for name in _SPAN_FIELDS:
        hits = total = 0
        for span, count in Counter(getattr(row, name)).items():
            places = _occurrences(span, row.text)
            # A span listed n times is its first n occurrences; any further occurrence of the
            # same string is ambiguous and left out of the ordinary tokens too.
            for index, (start, end) in enumerate(places):
                inside = [k for k, (_, s, e) in enumerate(tokens) if s < end and start < e]
                listed.update(inside)
                if index >= count:
                    continue
                total += 1
                if any(alive[k] for k in inside):
                    misses.append(Miss(row.id, name, span))
                else:
                    hits += 1
        tallies[name] = Tally(hits, total)
    ordinary = [k for k in range(len(tokens)) if k not in listed]
    removed = [k for k in ordinary if not alive[k]]
    misses.extend(Miss(row.id, "ordinary", tokens[k][0]) for k in removed)
    kept = 0
    for word in row.keep:
        places = _occurrences(word, row.text)
        # the word survives when one of its occurrences survives whole
        if any(
            all(alive[k] for k, (_, s, e) in enumerate(tokens) if s < end and start < e)
            for start, end in places
        ):
            kept += 1
        else:
            misses.append(Miss(row.id, "keep", word))
    scores = KindScores(
        1,
        tallies["names"],
        tallies["structured"],
        tallies["addresses"],
        Tally(len(removed), len(ordinary)),
        Tally(kept, len(row.keep)),
    )
    return scores, misses


def score_scrubbing(rows: Iterable[EvalRow], scrub: Callable[[str], str]) -> ScrubScores:
    """Run ``scrub`` (text in, scrubbed text out) over ``rows`` and score what it removed."""
    overall = KindScores()
    per_kind: dict[str, KindScores] = defaultdict(KindScores)
    misses: list[Miss] = []
    for row in rows:
        scores, row_misses = _score_row(row, scrub(row.text))
        overall += scores
        per_kind[row.kind] += scores
        misses.extend(row_misses)
    return ScrubScores(overall, MappingProxyType(dict(sorted(per_kind.items()))), tuple(misses))


def deduce_reference(cache: Path | None = None) -> Callable[[str], str]:
    """A scrub function running ``deduce``'s whole default pipeline: the outside baseline.

    Not used for scrubbing voices (its place, street and institution annotators would erase
    the area and street names the scrubber keeps, and it is slow to start). The first call in a
    fresh install builds deduce's lookup structures (one to two minutes); they are cached in
    ``cache`` (default ``~/.cache/wijkbeeld/deduce``), not in the installed package.
    """
    deduce = import_deduce()
    folder = cache or Path.home() / ".cache" / "wijkbeeld" / "deduce"
    folder.mkdir(parents=True, exist_ok=True)
    model = deduce.Deduce(cache_path=folder)

    def run(text: str) -> str:
        return str(model.deidentify(text).deidentified_text)

    return run
