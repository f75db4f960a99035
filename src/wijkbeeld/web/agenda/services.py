"""Services of the agenda app: parties, agendas, items (versioned), actions. The pages, the CLI
and the demo call these and nothing else writes the agenda tables.

Rules (issue 11):

* an agenda item is never edited in place: :func:`revise_item` appends a version (number + 1)
  in one transaction that locks the item row, so two editors never make the same number (the
  unique constraint on (item, number) is the backstop); an edit that changes nothing is refused;
* targets are checked by :class:`wijkbeeld.agenda.Target` (indicator keys must be known, round
  groups and measures valid), parties must belong to the agenda's area;
* free text (ambition, change note, action note) is scrubbed of personal data before it is
  stored; a contact role that contains personal data (a name, a phone number) is refused;
* an agenda is agreed (``vastgesteld``) on a date once; later edits carry their own date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from wijkbeeld.agenda.progress import Target
from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.voices.scrub import scrub
from wijkbeeld.web.agenda.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Agenda,
    AgendaItem,
    AgendaItemVersion,
    AgendaStatus,
    Party,
    PartyType,
)

__all__ = [
    "AgendaError",
    "add_action",
    "add_item",
    "add_party",
    "agree_agenda",
    "check_targets",
    "create_agenda",
    "report_action",
    "revise_item",
]

_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
MAX_AMBITION = 2000


class AgendaError(ValueError):
    """The agenda cannot be changed as asked (message in Dutch, for the user)."""


def _area(code: str, using: str) -> tuple[str, str]:
    from wijkbeeld.web.areas.models import Area

    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise AgendaError(str(exc)) from exc
    if not parsed.municipality:
        raise AgendaError(f"{parsed.code}: een buurtagenda hoort bij een wijk of buurt")
    if not Area.objects.using(using).filter(code=parsed.code).exists():
        raise AgendaError(f"onbekend gebied: {parsed.code}")
    return parsed.code, parsed.municipality


def _clean(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if len(text) > limit:
        raise AgendaError(f"{what} is langer dan {limit} tekens")
    return scrub(text).text if text else ""


def add_party(area_code: str, name: str, party_type: str, contact_role: str, *,
              using: str = "default") -> Party:
    """Register an organisation in an area. The contact role is a function, not a name."""
    code, muni = _area(area_code, using)
    if party_type not in PartyType.values:
        raise AgendaError(f"soort {party_type!r} onbekend (kies uit {', '.join(PartyType.values)})")
    name, role = name.strip(), contact_role.strip()
    if not name or not role:
        raise AgendaError("organisatie en contactrol zijn verplicht")
    if scrub(role).text != role or scrub(name).text != name:
        raise AgendaError("noem een functie (bijv. wijkconsulent), geen naam, telefoonnummer "
                          "of e-mailadres")
    if Party.objects.using(using).filter(area_code=code, name=name).exists():
        raise AgendaError(f"{name} staat al bij {code}")
    party = Party(municipality=muni, area_code=code, name=name, party_type=party_type,
                  contact_role=role)
    party.save(using=using)
    return party


def create_agenda(area_code: str, title: str, *, note: str = "", created_by: Any = None,
                  using: str = "default") -> Agenda:
    """A new draft agenda for an area."""
    code, muni = _area(area_code, using)
    if not title.strip():
        raise AgendaError("titel is verplicht")
    agenda = Agenda(municipality=muni, area_code=code, title=title.strip()[:200],
                    note=_clean(note, 300, "toelichting"), created_by=created_by)
    agenda.save(using=using)
    return agenda


def agree_agenda(agenda: Agenda, on: date, *, using: str = "default") -> Agenda:
    """Agree (vaststellen) a draft agenda on a date; it needs at least one item."""
    with transaction.atomic(using=using):
        locked = Agenda.objects.using(using).select_for_update().get(pk=agenda.pk)
        if locked.is_agreed:
            raise AgendaError(f"agenda is al vastgesteld op {locked.agreed_on}")
        if not AgendaItem.objects.using(using).filter(agenda=locked).exists():
            raise AgendaError("een agenda zonder agendapunten kan niet worden vastgesteld")
        locked.status = AgendaStatus.VASTGESTELD
        locked.agreed_on = on
        locked.save(using=using, update_fields=["status", "agreed_on"])
    agenda.refresh_from_db(using=using)
    return agenda


def check_targets(targets: Iterable[Mapping[str, Any] | Target], theme: str, *,
                  using: str = "default") -> list[dict[str, Any]]:
    """Targets as stored JSON, each checked; indicator keys must be stored indicators and a
    round question must be about the item's theme. Raises :class:`AgendaError` listing all."""
    from wijkbeeld.web.figures.models import Indicator

    problems: list[str] = []
    out: list[dict[str, Any]] = []
    known = set(Indicator.objects.using(using).values_list("key", flat=True))
    seen: set[str] = set()
    for i, raw in enumerate(targets, start=1):
        try:
            target = raw if isinstance(raw, Target) else Target.from_dict(raw)
        except (ValueError, TypeError) as exc:
            problems.append(f"doel {i}: {exc}")
            continue
        if target.kind == "indicator" and target.key not in known:
            problems.append(f"doel {i}: indicator {target.key!r} bestaat niet")
        if target.kind == "round" and target.key != theme:
            problems.append(f"doel {i}: een peilingvraag gaat over het thema {theme!r}")
        if target.ident in seen:
            problems.append(f"doel {i}: {target.ident} staat er al")
        seen.add(target.ident)
        out.append(target.to_dict())
    if problems:
        raise AgendaError("; ".join(problems))
    return out


def _parties(agenda: Agenda, parties: Sequence[Party | int], using: str) -> list[Party]:
    ids = [p.pk if isinstance(p, Party) else int(p) for p in parties]
    found = list(Party.objects.using(using).filter(pk__in=ids, area_code=agenda.area_code))
    if len(found) != len(set(ids)):
        raise AgendaError("een partij hoort niet bij dit gebied")
    return found


def _version(item: AgendaItem, number: int, ambition: str, targets: list[dict[str, Any]],
             parties: list[Party], policy_link: str, agreed_on: date | None, change_note: str,
             created_by: Any, using: str) -> AgendaItemVersion:
    version = AgendaItemVersion(item=item, number=number, ambition=ambition, targets=targets,
                                policy_link=policy_link, agreed_on=agreed_on,
                                change_note=change_note, created_by=created_by)
    version.save(using=using)
    version.parties.set(parties)
    return version


def add_item(agenda: Agenda, key: str, theme: str, ambition: str, *,
             targets: Iterable[Mapping[str, Any] | Target] = (),
             parties: Sequence[Party | int] = (), policy_link: str = "",
             created_by: Any = None, using: str = "default") -> AgendaItem:
    """Add an item (its version 1) to an agenda; a theme appears once per agenda."""
    key = key.strip().casefold()
    if not _KEY.fullmatch(key):
        raise AgendaError(f"sleutel {key!r} ongeldig: kleine letters, cijfers en -")
    if theme not in THEME_KEYS:
        raise AgendaError(f"thema {theme!r} onbekend (kies uit {', '.join(THEME_KEYS)})")
    text = _clean(ambition, MAX_AMBITION, "ambitie")
    if not text:
        raise AgendaError("de ambitie is verplicht")
    stored = check_targets(targets, theme, using=using)
    with transaction.atomic(using=using):
        chosen = _parties(agenda, parties, using)
        existing = AgendaItem.objects.using(using).filter(agenda=agenda)
        if existing.filter(key=key).exists():
            raise AgendaError(f"agendapunt {key!r} bestaat al")
        if existing.filter(theme=theme).exists():
            raise AgendaError(f"thema {theme!r} staat al op deze agenda")
        position = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem(agenda=agenda, key=key, theme=theme, position=position)
        item.save(using=using)
        _version(item, 1, text, stored, chosen, policy_link.strip()[:300],
                 agenda.agreed_on if agenda.is_agreed else None, "", created_by, using)
    return item


def revise_item(item: AgendaItem, *, ambition: str, targets: Iterable[Mapping[str, Any] | Target],
                parties: Sequence[Party | int], policy_link: str = "", change_note: str = "",
                agreed_on: date | None = None, created_by: Any = None,
                using: str = "default") -> AgendaItemVersion:
    """Append a new version of ``item``; the earlier versions stay as they were.

    Editing an agreed agenda needs the date the change was agreed (``agreed_on``)."""
    text = _clean(ambition, MAX_AMBITION, "ambitie")
    if not text:
        raise AgendaError("de ambitie is verplicht")
    stored = check_targets(targets, item.theme, using=using)
    note = _clean(change_note, 300, "wat is er veranderd")
    with transaction.atomic(using=using):
        locked = AgendaItem.objects.using(using).select_for_update().select_related(
            "agenda").get(pk=item.pk)
        agenda = locked.agenda
        if agenda.is_agreed and agreed_on is None:
            raise AgendaError("deze agenda is vastgesteld: geef de datum waarop de wijziging "
                              "is afgesproken")
        if agreed_on is not None and agenda.agreed_on is not None \
                and agreed_on < agenda.agreed_on:
            raise AgendaError("een wijziging kan niet eerder zijn afgesproken dan de agenda")
        chosen = _parties(agenda, parties, using)
        last = locked.versions.using(using).order_by("-number").first()
        assert last is not None
        same = (last.ambition == text and last.targets == stored
                and last.policy_link == policy_link.strip()[:300]
                and {p.pk for p in last.parties.using(using).all()} == {p.pk for p in chosen})
        if same:
            raise AgendaError("er is niets veranderd: geen nieuwe versie gemaakt")
        if agenda.is_agreed and not note:
            raise AgendaError("zeg kort wat er is veranderd")
        return _version(locked, last.number + 1, text, stored, chosen, policy_link.strip()[:300],
                        agreed_on if agenda.is_agreed else None, note, created_by, using)


def add_action(item: AgendaItem, title: str, *, party: Party | None = None,
               started_on: date | None = None, due_on: date | None = None,
               using: str = "default") -> Action:
    """An action under an agenda item (status gepland, 0%)."""
    if not title.strip():
        raise AgendaError("de actie heeft een omschrijving nodig")
    if party is not None and party.area_code != item.agenda.area_code:
        raise AgendaError("deze partij hoort niet bij dit gebied")
    if started_on and due_on and due_on < started_on:
        raise AgendaError("gereed ligt voor de start")
    action = Action(item=item, title=_clean(title, 200, "actie"), party=party,
                    started_on=started_on, due_on=due_on)
    action.save(using=using)
    return action


def report_action(action: Action, on: date, status: str, progress: int, *, note: str = "",
                  created_by: Any = None, using: str = "default") -> ActionUpdate:
    """Append a dated progress report and make it the action's current state."""
    if status not in ActionStatus.values:
        raise AgendaError(f"status {status!r} onbekend (kies uit {', '.join(ActionStatus.values)})")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise AgendaError(f"voortgang {progress!r} moet een geheel getal van 0 tot 100 zijn")
    if status == ActionStatus.AFGEROND and progress != 100:
        raise AgendaError("een afgeronde actie staat op 100%")
    with transaction.atomic(using=using):
        locked = Action.objects.using(using).select_for_update().get(pk=action.pk)
        last = locked.updates.using(using).order_by("-on", "-id").first()
        if last is not None and on < last.on:
            raise AgendaError(f"er is al een melding van {last.on}; meld niet terug in de tijd")
        update = ActionUpdate(action=locked, on=on, status=status, progress=progress,
                              note=_clean(note, 2000, "toelichting"), created_by=created_by)
        update.save(using=using)
        locked.status, locked.progress = status, progress
        if locked.started_on is None and status != ActionStatus.GEPLAND:
            locked.started_on = on
        locked.save(using=using, update_fields=["status", "progress", "started_on"])
    action.refresh_from_db(using=using)
    return update
