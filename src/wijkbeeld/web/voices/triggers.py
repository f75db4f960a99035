"""Services for aanleidingen (triggers): record, edit, change status, read. The area page, the
``wijkbeeld triggers`` command and the API call these functions; nothing else writes triggers.

* :func:`record_trigger` (defined in :mod:`wijkbeeld.web.voices.services`, re-exported here):
  scrub and store a new trigger; its status counts from its own date.
* :func:`update_trigger`: edit description (scrubbed again), source, themes and date. The date
  of the first status entry follows a changed date while no later change exists.
* :func:`set_trigger_status`: close a trigger (``vervaagd`` or ``opgelost``) or open it again,
  on a date; the change is appended to the history, nothing is ever overwritten.
* :func:`area_trigger_rows`: the stored triggers of an area code (every boundary year).
* :func:`core_trigger`: a stored trigger as core :class:`~wijkbeeld.urgency.Trigger` values
  (one per theme, or one about the area as a whole), with the date of its status and history.

The rules themselves (sources, statuses, which change is allowed) are the core's
(:mod:`wijkbeeld.urgency.triggers`), so the CLI and the report read the same words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.db import transaction

from wijkbeeld.urgency.persistence import Trigger as CoreTrigger
from wijkbeeld.urgency.triggers import history_from, status_change_problem, trigger_problems
from wijkbeeld.voices import THEME_KEYS
from wijkbeeld.web.voices.models import Trigger
from wijkbeeld.web.voices.services import VoiceError, record_trigger, scrub_for

__all__ = [
    "TriggerError",
    "VoiceError",
    "area_trigger_rows",
    "core_trigger",
    "record_trigger",
    "set_trigger_status",
    "update_trigger",
]


class TriggerError(VoiceError):
    """A trigger change that cannot be made as given (message in Dutch, for the user)."""


def area_trigger_rows(area_code: str, using: str = "default") -> list[Trigger]:
    """The stored triggers of ``area_code`` (any boundary year), newest first."""
    return list(Trigger.objects.using(using).filter(area__code=area_code)
                .select_related("area").order_by("-date", "-id"))


def update_trigger(trigger: Trigger, *, description: str | None = None,
                   source: str | None = None, themes: Sequence[str] | None = None,
                   when: date | None = None, using: str = "default") -> Trigger:
    """Edit a trigger's fields (None: keep). A new description is scrubbed again; the status
    and its history are left alone (see :func:`set_trigger_status`)."""
    new_text = trigger.description if description is None else description
    new_source = trigger.source if source is None else source
    new_themes = list(trigger.themes or []) if themes is None else list(dict.fromkeys(themes))
    new_date = trigger.date if when is None else when
    problems = trigger_problems(description=new_text, source=new_source, themes=new_themes,
                                status=trigger.status, theme_keys=THEME_KEYS)
    history = list(trigger.history or [])
    later = [h for h in history[1:] if date.fromisoformat(str(h["date"])) < new_date]
    if later:
        problems.append(f"de datum {new_date.isoformat()} ligt na een statuswijziging "
                        f"({later[0]['date']})")
    if problems:
        raise TriggerError("; ".join(problems))
    with transaction.atomic(using=using):
        if description is not None and description != trigger.description:
            scrubbed = scrub_for(trigger.area, description, using)
            report = Counter(trigger.scrub_report or {})
            report.update(scrubbed.counts)
            trigger.description, trigger.scrub_report = scrubbed.text, dict(report)
        if history and new_date != trigger.date:
            history[0] = {**history[0], "date": new_date.isoformat()}
            if len(history) == 1:
                trigger.status_since = new_date
        trigger.source, trigger.themes, trigger.date = new_source, new_themes, new_date
        trigger.history = history
        trigger.save(using=using, update_fields=["description", "scrub_report", "source",
                                                 "themes", "date", "history", "status_since"])
    return trigger


def set_trigger_status(trigger: Trigger, status: str, *, on: date,
                       using: str = "default") -> Trigger:
    """Give ``trigger`` the status ``status`` from ``on`` and keep the change in its history.

    Raises :class:`TriggerError` for an unknown status, the status it already has, or a date
    before the trigger's own date or before its last change."""
    with transaction.atomic(using=using):
        fresh = Trigger.objects.using(using).select_for_update().get(pk=trigger.pk)
        stored = list(fresh.history or []) or [
            {"status": fresh.status, "date": (fresh.status_since or fresh.date).isoformat()}]
        history = history_from(stored)
        problem = status_change_problem(history, status, on, fresh.date)
        if problem is not None:
            raise TriggerError(problem)
        fresh.history = [*stored, {"status": status, "date": on.isoformat()}]
        fresh.status, fresh.status_since = status, on
        fresh.save(using=using, update_fields=["status", "status_since", "history"])
    trigger.status, trigger.status_since, trigger.history = (fresh.status, fresh.status_since,
                                                             fresh.history)
    return trigger


def core_trigger(row: Trigger, area_code: str | None = None) -> list[CoreTrigger]:
    """``row`` as core triggers: one per theme, or one about the whole area (theme None)."""
    code = area_code or row.area.code
    themes: list[str | None] = [str(t) for t in (row.themes or [])] or [None]
    history = history_from(row.history or [])
    return [CoreTrigger(code, theme, row.description, row.status, row.date,
                        row.status_since, history) for theme in themes]
