"""The timeline page's content: per area (and optionally one theme) the rounds, the figure years,
the triggers (aanleidingen) of the voices app and the persistence alerts, in date order.

:func:`timeline_events` turns the core :class:`~wijkbeeld.urgency.Timeline` objects
(:func:`wijkbeeld.web.urgency.reading.area_timelines`) into :class:`Event` values the template
lists:

* a round on its date: per theme the class, the consensus and per group the share "urgent" with
  its n; a group under the small-number minimum shows only that it was withheld (no number);
* a figure year on 1 January of that year (CBS figures describe the state at the start of the
  year, and a round uses the latest year not after its own): per theme the theme score and
  whether the figures count as urgent;
* a trigger on its date, with the status it was recorded with, and every later status change
  (faded, resolved, active again) as its own entry on the date of the change;
* an alert at the round it was evaluated at (after that round's entry), else at the latest
  figure year it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from wijkbeeld.urgency import GROUP_LABELS, GROUPS, Alert, Timeline

__all__ = ["Event", "timeline_events"]

#: Order of kinds on one day: figures describe the start of the day's year, then triggers,
#: rounds, and the alerts evaluated at a round last.
_ORDER = {"cijfers": 0, "aanleiding": 1, "peiling": 2, "signaal": 3}


@dataclass
class Event:
    """One entry of the timeline: a date, a kind and per theme what it says."""

    when: date
    kind: str
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    year_only: bool = False

    @property
    def sort_key(self) -> tuple[date, int, str]:
        return (self.when, _ORDER[self.kind], self.title)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _nl(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}".replace(".", ",").replace("-", "−")


def _alert_date(alert: Alert, rounds: Mapping[str, date], fallback: date) -> date:
    if alert.round_after is not None and alert.round_after in rounds:
        return rounds[alert.round_after]
    if alert.figures is not None:
        return date(alert.figures.year_after, 1, 1)
    if alert.trigger is not None and (alert.trigger.status_since or alert.trigger.since):
        return alert.trigger.status_since or alert.trigger.since or fallback
    return fallback


def timeline_events(lines: Sequence[Timeline], names: Mapping[str, str]) -> list[Event]:
    """The events of ``lines`` (one timeline per theme) in date order."""
    events: dict[tuple[str, str], Event] = {}
    round_dates: dict[str, date] = {}

    def event(key: tuple[str, str], when: date, kind: str, title: str,
              year_only: bool = False) -> Event:
        if key not in events:
            events[key] = Event(when, kind, title, year_only=year_only)
        return events[key]

    seen_triggers: set[tuple[object, ...]] = set()
    for line in lines:
        name = names.get(line.theme, line.theme)
        for point in line.rounds:
            info = point.round
            round_dates[info.key] = info.held_on
            ev = event(("peiling", info.key), info.held_on, "peiling",
                       info.label or info.key)
            m = point.measures
            groups = []
            for g in GROUPS:
                cell = m.group(g)
                if cell is None:
                    continue
                groups.append({"label": GROUP_LABELS[g], "n": cell.n,
                               "withheld": cell.withheld or cell.share_urgent is None,
                               "share": None if cell.withheld else _pct(cell.share_urgent)})
            ev.items.append({"theme": line.theme, "name": name,
                             "class_key": point.classification.key,
                             "class_label": point.classification.label,
                             "consensus": None if m.consensus is None else _nl(m.consensus),
                             "groups": groups})
        for fig in line.figures:
            ev = event(("cijfers", str(fig.year)), date(fig.year, 1, 1), "cijfers",
                       _("Cijfers %(year)s") % {"year": fig.year}, year_only=True)
            ev.items.append({"theme": line.theme, "name": name,
                             "score": None if fig.score is None else _nl(fig.score),
                             "urgent": fig.urgent})
        for trig in line.triggers:
            ident = (trig.since, trig.label, trig.status, trig.theme)
            if ident in seen_triggers or trig.since is None:
                continue
            seen_triggers.add(ident)
            ev = event(("aanleiding", f"{trig.since}:{trig.label}:{trig.status}"), trig.since,
                       "aanleiding", trig.label)
            theme_name = (names.get(trig.theme, trig.theme) if trig.theme
                          else _("het hele gebied"))
            first = trig.history[0].status if trig.history else trig.status
            ev.items.append({"theme": trig.theme or "", "name": theme_name,
                             "status": first if trig.history[1:] else trig.status})
            for change in trig.history[1:]:
                ev = event(("aanleiding", f"{change.on}:{trig.label}:{change.status}"),
                           change.on, "aanleiding",
                           _("%(label)s: %(status)s") % {"label": trig.label,
                                                         "status": _(change.status)})
                ev.items.append({"theme": trig.theme or "", "name": theme_name,
                                 "status": change.status, "change": True})
    fallback = max((e.when for e in events.values()), default=date.today())
    for line in lines:
        for alert in line.alerts:
            when = _alert_date(alert, round_dates, fallback)
            ev = event(("signaal", f"{when}:{alert.kind}:{alert.theme}"), when, "signaal",
                       alert.label)
            ev.items.append({"theme": alert.theme, "name": names.get(alert.theme, alert.theme),
                             "message": alert.message, "kind": alert.kind})
    return sorted(events.values(), key=lambda e: e.sort_key)
