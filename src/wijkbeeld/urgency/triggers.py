"""Rules for aanleidingen (triggers) that the web, the CLI, the API and the report share.

A trigger is what started the attention for an area (DESIGN.md §3); it is kept apart from the
state of the area. It has a source (who or what raised it), themes, and a status that changes
over time: ``actief`` (still plays), ``vervaagd`` (faded) or ``opgelost`` (resolved). Every
change is kept with its date, so the timeline can show when a trigger faded and the alert
"aanleiding vervaagd, opgave blijft" can say since when.

* :data:`TRIGGER_SOURCES`: the source keys with their Dutch labels (B1);
* :data:`TRIGGER_STATUS_LABELS`: the statuses in words;
* :class:`StatusChange`: one dated status of a trigger's history;
* :func:`trigger_problems`: what is wrong with a trigger's fields (Dutch messages);
* :func:`status_change_problem`: why a status change cannot be made (or None);
* :func:`history_from`: a stored history (``[{"status", "date"}]``) as :class:`StatusChange`.

Plain Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from wijkbeeld.urgency.options import TRIGGER_STATUSES

__all__ = [
    "MAX_DESCRIPTION",
    "TRIGGER_SOURCES",
    "TRIGGER_STATUS_LABELS",
    "StatusChange",
    "history_from",
    "status_change_problem",
    "trigger_problems",
]

#: Longest description accepted (characters, before scrubbing).
MAX_DESCRIPTION = 2000

#: Where a trigger came from: key → Dutch label. The first four are the original sources.
TRIGGER_SOURCES: dict[str, str] = {
    "bewoners": "bewoners",
    "gemeente": "gemeente",
    "rijk": "rijk (landelijk doel)",
    "incident": "incident",
    "nieuws": "nieuws",
    "raadsvraag": "raadsvraag",
    "professionals": "professionals en partners",
    "overig": "anders",
}

#: The statuses in words (``actief`` reads as "speelt nog").
TRIGGER_STATUS_LABELS: dict[str, str] = {
    "actief": "speelt nog", "vervaagd": "vervaagd", "opgelost": "opgelost",
}


@dataclass(frozen=True)
class StatusChange:
    """A trigger got ``status`` on ``on`` (the first entry is the status it was recorded with)."""

    status: str
    on: date

    def __post_init__(self) -> None:
        if self.status not in TRIGGER_STATUSES:
            raise ValueError(f"trigger status must be one of {TRIGGER_STATUSES}, "
                             f"not {self.status!r}")

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "date": self.on.isoformat()}


def history_from(rows: Iterable[Mapping[str, Any]]) -> tuple[StatusChange, ...]:
    """A stored history (``[{"status": ..., "date": "YYYY-MM-DD"}]``) as status changes."""
    out = []
    for row in rows:
        when = row["date"]
        out.append(StatusChange(str(row["status"]),
                                when if isinstance(when, date) else date.fromisoformat(str(when))))
    return tuple(out)


def trigger_problems(*, description: str, source: str, themes: Sequence[str], status: str,
                     theme_keys: Sequence[str]) -> list[str]:
    """Everything wrong with a trigger's fields, as Dutch sentences (empty: all fine)."""
    problems = []
    if not description.strip():
        problems.append("de beschrijving is leeg")
    elif len(description) > MAX_DESCRIPTION:
        problems.append(f"de beschrijving is langer dan {MAX_DESCRIPTION} tekens")
    if source not in TRIGGER_SOURCES:
        problems.append(f"onbekende bron {source!r}; kies uit {', '.join(TRIGGER_SOURCES)}")
    if status not in TRIGGER_STATUSES:
        problems.append(f"onbekende status {status!r}; kies uit {', '.join(TRIGGER_STATUSES)}")
    unknown = sorted(set(themes) - set(theme_keys))
    if unknown:
        problems.append(f"onbekende thema's: {', '.join(unknown)}")
    return problems


def status_change_problem(history: Sequence[StatusChange], status: str, on: date,
                          started: date) -> str | None:
    """Why ``status`` on ``on`` cannot follow ``history`` of a trigger dated ``started``.

    A change needs a known status that differs from the current one, dated on or after the
    trigger's own date and after no later change (the history stays in date order)."""
    if status not in TRIGGER_STATUSES:
        return f"onbekende status {status!r}; kies uit {', '.join(TRIGGER_STATUSES)}"
    if history and history[-1].status == status:
        return f"de aanleiding is al {status}"
    if on < started:
        return (f"de datum {on.isoformat()} ligt vóór de datum van de aanleiding "
                f"({started.isoformat()})")
    if history and on < history[-1].on:
        return (f"de datum {on.isoformat()} ligt vóór de vorige wijziging "
                f"({history[-1].on.isoformat()})")
    return None
