"""Coverage: which stakeholder groups and which parties took part in which round.

A shared picture needs every group (DESIGN.md §1 step 4). Per round this module lists, for the
groups ``residents``, ``professionals`` and ``policy``, how many answered and whether that is
enough to report (at least ``min_n``); and for the **parties** of the area (corporatie, welzijn,
zorg, politie, ...) whether professionals of that organisation type answered. A group with no
answers, or too few to report, is *missing from the picture*; so is a party type nobody of which
took part. When a round recorded no organisation types at all, party coverage is ``None``
(unknown), never guessed.

Counts below ``min_n`` are not shown (``n`` is None, ``state`` ``te_weinig``); zero is shown as
``ontbreekt`` (nobody answered, which identifies no one).

>>> c = round_coverage(RoundParticipation("r1", {"residents": 8, "policy": 2}, {}),
...                    ("welzijn",), min_n=5)
>>> [g.state for g in c.groups], c.missing_groups
(['genoeg', 'ontbreekt', 'te_weinig'], ('professionals', 'policy'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS

__all__ = [
    "PARTY_TYPES",
    "PARTY_TYPE_LABELS",
    "GroupCoverage",
    "RoundCoverage",
    "RoundParticipation",
    "coverage",
    "round_coverage",
]

#: The kinds of organisation that carry a neighbourhood agenda (issue 11).
PARTY_TYPES: tuple[str, ...] = (
    "corporatie", "welzijn", "zorg", "politie", "onderwijs", "ondernemers",
    "bewonersorganisatie", "gemeente")
PARTY_TYPE_LABELS: dict[str, str] = {
    "corporatie": "woningcorporatie", "welzijn": "welzijn", "zorg": "zorg",
    "politie": "politie", "onderwijs": "onderwijs", "ondernemers": "ondernemers",
    "bewonersorganisatie": "bewonersorganisatie", "gemeente": "gemeente",
}
#: Party types whose people answer a round as a group other than professionals.
_PARTY_GROUP = {"bewonersorganisatie": "residents", "gemeente": "policy"}


@dataclass(frozen=True)
class RoundParticipation:
    """Who answered one round about the area: respondents per group, and per organisation type
    of the professionals (an empty mapping = organisation types were not recorded)."""

    round_key: str
    groups: Mapping[str, int]
    organisation_types: Mapping[str, int]
    held_on: str = ""


@dataclass(frozen=True)
class GroupCoverage:
    """One group in one round: ``state`` ``genoeg``, ``te_weinig`` or ``ontbreekt``; ``n`` only
    when it may be shown (≥ min_n)."""

    group: str
    state: str
    n: int | None

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "label": self.label, "state": self.state, "n": self.n}


@dataclass(frozen=True)
class RoundCoverage:
    """The coverage of one round: groups, and per party type whether it took part (``None``
    when the round recorded no organisation types)."""

    round_key: str
    held_on: str
    groups: tuple[GroupCoverage, ...]
    parties: tuple[tuple[str, bool | None], ...]
    min_n: int

    @property
    def missing_groups(self) -> tuple[str, ...]:
        return tuple(g.group for g in self.groups if g.state != "genoeg")

    @property
    def missing_parties(self) -> tuple[str, ...]:
        return tuple(p for p, took_part in self.parties if took_part is False)

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round_key, "held_on": self.held_on, "min_n": self.min_n,
                "groups": [g.to_dict() for g in self.groups],
                "parties": [{"type": p, "label": PARTY_TYPE_LABELS.get(p, p), "took_part": t}
                            for p, t in self.parties],
                "missing_groups": list(self.missing_groups),
                "missing_parties": list(self.missing_parties)}


def round_coverage(participation: RoundParticipation, party_types: Sequence[str], *,
                   min_n: int = 5) -> RoundCoverage:
    """Coverage of one round for the area's party types (see the module docstring)."""
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    unknown = sorted(set(participation.groups) - set(GROUPS))
    if unknown:
        raise ValueError(f"onbekende groep(en) {unknown}")
    groups = []
    for group in GROUPS:
        n = int(participation.groups.get(group, 0))
        if n < 0:
            raise ValueError(f"{group}: aantal {n} is negatief")
        state = "ontbreekt" if n == 0 else ("genoeg" if n >= min_n else "te_weinig")
        groups.append(GroupCoverage(group, state, n if n >= min_n else None))
    recorded = {k.strip().casefold(): v for k, v in participation.organisation_types.items()
                if k.strip() and v > 0}
    parties: list[tuple[str, bool | None]] = []
    for ptype in dict.fromkeys(party_types):
        if ptype not in PARTY_TYPES:
            raise ValueError(f"partijtype {ptype!r} onbekend (kies uit {', '.join(PARTY_TYPES)})")
        via_group = _PARTY_GROUP.get(ptype)
        if ptype in recorded:
            parties.append((ptype, True))
        elif via_group is not None:
            # A bewonersorganisatie answers among the residents, the gemeente as policy.
            parties.append((ptype, participation.groups.get(via_group, 0) > 0))
        elif not recorded:
            parties.append((ptype, None))
        else:
            parties.append((ptype, False))
    return RoundCoverage(participation.round_key, participation.held_on, tuple(groups),
                         tuple(parties), min_n)


def coverage(participations: Sequence[RoundParticipation], party_types: Sequence[str], *,
             min_n: int = 5) -> tuple[RoundCoverage, ...]:
    """Coverage of every round, in the order given (oldest first is the convention)."""
    return tuple(round_coverage(p, party_types, min_n=min_n) for p in participations)
