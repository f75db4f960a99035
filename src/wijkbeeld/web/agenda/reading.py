"""Read stored agendas into the core :mod:`wijkbeeld.agenda` and back out as plain results; the
pages, the CLI, the report and the API all call these.

* :func:`agenda_state`: an agenda with, per item, its current version, the progress of every
  target (indicators from the stored figures, round questions from the stored rounds), the
  actions and the stall alert (:func:`wijkbeeld.agenda.stall_alert` on the urgency timeline of
  the item's theme: rounds, theme scores, triggers);
* :func:`area_coverage`: which groups and party types took part in each round about the area;
* :func:`timeline_events`: figures, rounds, triggers, agenda versions and action reports of an
  area in date order (one list for the timeline page);
* :func:`visible_agendas`: the agendas a user may see (municipality scoping; drafts only for
  the roles that prepare them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from wijkbeeld.agenda import (
    Measurement,
    Progress,
    RoundCoverage,
    RoundParticipation,
    Target,
    coverage,
    progress,
    stall_alert,
)
from wijkbeeld.urgency import (
    Alert,
    Measures,
    RoundInfo,
    Trigger,
    UrgencyOptions,
    measure,
    timeline,
    validate_responses,
)
from wijkbeeld.web.accounts.access import PROFESSIONALS, has_role, scope_by_municipality
from wijkbeeld.web.agenda.models import (
    Action,
    ActionUpdate,
    Agenda,
    AgendaItem,
    AgendaItemVersion,
    AgendaStatus,
    Party,
)

__all__ = [
    "AgendaState",
    "Event",
    "ItemState",
    "agenda_state",
    "area_coverage",
    "indicator_higher_is_better",
    "indicator_measurements",
    "min_group_size",
    "round_data",
    "state_dict",
    "stored_triggers",
    "timeline_events",
    "visible_agendas",
]


def min_group_size() -> int:
    """The small-number minimum of the site (``WIJKBEELD_MIN_GROUP_SIZE``, default 5)."""
    return int(getattr(settings, "WIJKBEELD_MIN_GROUP_SIZE", 5))


def visible_agendas(user: Any, using: str = "default") -> QuerySet[Agenda]:
    """Agendas of the user's municipality (all when tied to none); drafts only for
    professionals, analysts and admins (a reader sees agreed agendas only)."""
    qs = scope_by_municipality(Agenda.objects.using(using).all(), user)
    if not has_role(user, *PROFESSIONALS):
        qs = qs.filter(status=AgendaStatus.VASTGESTELD)
    return qs


def indicator_measurements(area_code: str, key: str, using: str = "default") -> list[Measurement]:
    """The stored values of one indicator for one area, one per year (latest period of a year,
    latest boundary year of a cell); suppressed or missing values are left out."""
    from wijkbeeld.web.figures.models import Observation

    rows = (Observation.objects.using(using)
            .filter(area__code=area_code, indicator__key=key, status="ok", value__isnull=False)
            .order_by("period", "area__boundary_year")
            .values_list("period", "value"))
    per_year: dict[int, float] = {}
    for period, value in rows:
        per_year[int(str(period)[:4])] = float(value)
    return [Measurement(str(y), v, y) for y, v in sorted(per_year.items())]


def indicator_higher_is_better(key: str, using: str = "default") -> bool | None:
    """The stored polarity of an indicator as the direction of progress (None: neutral or
    unknown), so agenda progress is judged by the indicator's direction, not only the target."""
    from wijkbeeld.web.figures.models import Indicator

    polarity = (Indicator.objects.using(using).filter(key=key)
                .values_list("polarity", flat=True).first())
    return {"higher_is_better": True, "higher_is_worse": False}.get(str(polarity))


@dataclass(frozen=True)
class RoundData:
    """The stored rounds about an area, measured (None when nobody answered yet)."""

    rounds: tuple[RoundInfo, ...]
    measures: Measures | None
    options: UrgencyOptions


def round_data(area_code: str, using: str = "default") -> RoundData:
    """Rounds and their measures for the area, with the site's small-number minimum."""
    from wijkbeeld.web.urgency.reading import responses_frame, round_infos

    options = UrgencyOptions(min_n=min_group_size())
    infos = tuple(round_infos(area_code, using=using))
    frame = responses_frame(area_code=area_code, using=using)
    if frame.empty:
        return RoundData(infos, None, options)
    responses = validate_responses(frame, source="database", options=options)
    return RoundData(infos, measure(responses, options), options)


def _round_measurements(data: RoundData, area_code: str, target: Target) -> list[Measurement]:
    out: list[Measurement] = []
    if data.measures is None:
        return out
    for info in data.rounds:
        cell = data.measures.get(info.key, area_code, target.key)
        g = None if cell is None else cell.group(target.group)
        if g is None:
            continue
        if target.metric == "recognition":
            value = None if g.recognition_withheld else g.recognition
        else:
            value = None if g.withheld else (g.share_urgent if target.metric == "share_urgent"
                                             else g.mean)
        order = int(info.held_on.strftime("%Y%m%d"))
        out.append(Measurement(info.key, value, order, g.n if value is not None else None))
    return out


def stored_triggers(area_code: str, using: str = "default") -> list[Trigger]:
    """The area's stored aanleidingen as core triggers (one per theme; none = area-wide)."""
    from wijkbeeld.web.voices.models import Trigger as TriggerRow

    out: list[Trigger] = []
    for row in TriggerRow.objects.using(using).filter(area__code=area_code).order_by("date"):
        label = row.description[:120]
        for theme in (row.themes or [None]):
            out.append(Trigger(area_code, theme, label, row.status, row.date))
    return out


@dataclass(frozen=True)
class ItemState:
    """One agenda item as shown: current version, all versions, progress, actions, alert."""

    item: AgendaItem
    version: AgendaItemVersion
    versions: tuple[AgendaItemVersion, ...]
    progress: tuple[Progress, ...]
    actions: tuple[Action, ...]
    parties: tuple[Party, ...]
    alert: Alert | None


@dataclass(frozen=True)
class AgendaState:
    """An agenda with its items' states, the area's parties and the round coverage."""

    agenda: Agenda
    items: tuple[ItemState, ...]
    parties: tuple[Party, ...]
    coverage: tuple[RoundCoverage, ...]
    min_n: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return tuple(i.alert for i in self.items if i.alert is not None)


def area_coverage(area_code: str, party_types: list[str],
                  using: str = "default") -> tuple[RoundCoverage, ...]:
    """Per round about the area: respondents per group and per organisation type."""
    from wijkbeeld.web.urgency.models import Response, Round
    from wijkbeeld.web.urgency.reading import held_back

    out: list[RoundParticipation] = []
    rounds = Round.objects.using(using).filter(areas__code=area_code).distinct()
    for rnd in rounds.order_by("held_on", "key"):
        # An open round counts its answers in steps, as its results do (issue 18): a refresh
        # after one new answer must not show which group it came from.
        held = held_back(rnd.key, area_code, using=using)
        rows = list(Response.objects.using(using).filter(round=rnd, area__code=area_code)
                    .exclude(respondent__in=held).values_list("group", "organisation_type"))
        groups = Counter(g for g, _ in rows)
        orgs = Counter(o for g, o in rows if g == "professionals" and o)
        out.append(RoundParticipation(rnd.key, dict(groups), dict(orgs), rnd.held_on.isoformat()))
    return coverage(out, party_types, min_n=min_group_size())


def agenda_state(agenda: Agenda, *, using: str = "default",
                 with_figures: bool = True) -> AgendaState:
    """Everything the agenda page shows (see the module docstring)."""
    from wijkbeeld.web.urgency.reading import figure_scores

    code = agenda.area_code
    data = round_data(code, using)
    notes: list[str] = []
    scores = figure_scores(code, using=using) if with_figures else None
    triggers = stored_triggers(code, using)
    parties = tuple(Party.objects.using(using).filter(area_code=code))
    items: list[ItemState] = []
    for item in AgendaItem.objects.using(using).filter(agenda=agenda).order_by("position", "id"):
        versions = tuple(item.versions.using(using).order_by("number"))
        current = versions[-1]
        progresses = []
        for raw in current.targets:
            target = Target.from_dict(raw)
            points = (indicator_measurements(code, target.key, using)
                      if target.kind == "indicator"
                      else _round_measurements(data, code, target))
            if target.kind == "indicator":
                base_year = int(target.baseline_at[:4]) if target.baseline_at[:4].isdigit() else 0
                points = [p for p in points if p.order > base_year]
            better = (indicator_higher_is_better(target.key, using)
                      if target.kind == "indicator" else None)
            progresses.append(progress(target, points, higher_is_better=better))
        alert = None
        if data.measures is not None and data.rounds:
            line = timeline(data.measures, code, item.theme, data.rounds, figures=scores,
                            triggers=triggers)
            alert = stall_alert(current.ambition[:80], progresses, line)
        actions = tuple(Action.objects.using(using).filter(item=item)
                        .select_related("party").prefetch_related("updates"))
        items.append(ItemState(item, current, versions, tuple(progresses), actions,
                               tuple(current.parties.using(using).all()), alert))
    if data.measures is None:
        notes.append("nog geen peilingen over dit gebied: voortgang op peilingvragen en het "
                     "signaal 'urgentie neemt af' volgen na twee peilingen")
    cov = area_coverage(code, sorted({p.party_type for p in parties}), using)
    return AgendaState(agenda, tuple(items), parties, cov, min_group_size(), tuple(notes))


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when, what kind (cijfers, peiling, aanleiding, agenda, actie),
    the theme (empty: the area as a whole) and the text."""

    when: date
    when_label: str
    kind: str
    theme: str
    text: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"when": self.when.isoformat(), "when_label": self.when_label, "kind": self.kind,
                "theme": self.theme, "text": self.text, "source": self.source}


def _figure_events(state: AgendaState, using: str) -> list[Event]:
    from wijkbeeld.web.figures.models import Indicator

    out: list[Event] = []
    seen: set[str] = set()
    for its in state.items:
        for p in its.progress:
            t = p.target
            if t.kind != "indicator" or t.key in seen:
                continue
            seen.add(t.key)
            ind = Indicator.objects.using(using).filter(key=t.key).first()
            name = ind.name_nl if ind else t.key
            source = ind.source if ind else ""
            for m in indicator_measurements(state.agenda.area_code, t.key, using):
                if m.order < int(t.baseline_at[:4] if t.baseline_at[:4].isdigit() else 0):
                    continue
                out.append(Event(date(m.order, 1, 1), str(m.order), "cijfers", its.item.theme,
                                 f"{name}: {m.value:.4g}".replace(".", ","), source))
    return out


def timeline_events(state: AgendaState, using: str = "default") -> tuple[Event, ...]:
    """Figures (the items' indicators from their baseline year), rounds (with the groups that
    could be reported), triggers, agenda versions and action reports, oldest first."""
    code = state.agenda.area_code
    events = _figure_events(state, using)
    for cov in state.coverage:
        held = date.fromisoformat(cov.held_on)
        groups = ", ".join(f"{g.label} n={g.n}" if g.n is not None else f"{g.label}: {g.state}"
                           for g in cov.groups)
        events.append(Event(held, cov.held_on, "peiling", "", f"peiling {cov.round_key}: {groups}"))
    for trig in stored_triggers(code, using):
        if trig.since is not None:
            events.append(Event(trig.since, trig.since.isoformat(), "aanleiding", trig.theme or "",
                                f"{trig.label} ({trig.status})"))
    if state.agenda.agreed_on is not None:
        events.append(Event(state.agenda.agreed_on, state.agenda.agreed_on.isoformat(), "agenda",
                            "", f"agenda '{state.agenda.title}' vastgesteld"))
    for its in state.items:
        for v in its.versions:
            if v.number == 1 or v.agreed_on is None:
                continue
            events.append(Event(v.agreed_on, v.agreed_on.isoformat(), "agenda", its.item.theme,
                                f"{its.item.key} versie {v.number}: {v.change_note}"))
        for action in its.actions:
            for u in ActionUpdate.objects.using(using).filter(action=action).order_by("on", "id"):
                events.append(Event(u.on, u.on.isoformat(), "actie", its.item.theme,
                                    f"{action.title}: {u.get_status_display()} {u.progress}%"))
        if its.alert is not None:
            last = max((e.when for e in events), default=date.today())
            events.append(Event(last, "", "signaal", its.item.theme, its.alert.message))
    order = {"cijfers": 0, "aanleiding": 1, "peiling": 2, "agenda": 3, "actie": 4, "signaal": 5}
    return tuple(sorted(events, key=lambda e: (e.when, order[e.kind], e.theme, e.text)))


def state_dict(state: AgendaState, *, with_timeline: bool = False,
               using: str = "default") -> dict[str, Any]:
    """The agenda as plain JSON-ready data (the CLI's ``--json`` and the API answer)."""
    agenda = state.agenda
    return {
        "id": agenda.pk, "area_code": agenda.area_code, "municipality": agenda.municipality,
        "title": agenda.title, "status": agenda.status,
        "agreed_on": None if agenda.agreed_on is None else agenda.agreed_on.isoformat(),
        "min_n": state.min_n,
        "items": [{
            "key": s.item.key, "theme": s.item.theme, "version": s.version.number,
            "versions": [{"number": v.number, "ambition": v.ambition,
                          "agreed_on": None if v.agreed_on is None else v.agreed_on.isoformat(),
                          "change_note": v.change_note, "targets": v.targets,
                          "created_at": v.created_at.isoformat()} for v in s.versions],
            "ambition": s.version.ambition, "policy_link": s.version.policy_link,
            "parties": [{"name": p.name, "type": p.party_type, "contact_role": p.contact_role}
                        for p in s.parties],
            "progress": [p.to_dict() for p in s.progress],
            "actions": [{"title": a.title, "status": a.status, "progress": a.progress,
                         "party": None if a.party is None else a.party.name,
                         "updates": [{"on": u.on.isoformat(), "status": u.status,
                                      "progress": u.progress, "note": u.note}
                                     for u in a.updates.all()]} for a in s.actions],
            "alert": None if s.alert is None else s.alert.to_dict()}
            for s in state.items],
        "coverage": [c.to_dict() for c in state.coverage],
        "notes": list(state.notes),
        "timeline": ([e.to_dict() for e in timeline_events(state, using)]
                     if with_timeline else None),
    }
