"""Trigger (aanleiding) commands: ``wijkbeeld triggers add|list|edit|close``.

They call the same services as the area page and the API (:mod:`wijkbeeld.web.voices.triggers`):
the description is scrubbed before storage, and every status change is kept with its date. Bad
input (unknown area, source, theme or status, a date before the trigger) exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from wijkbeeld.cli._common import django_ready

# wijkbeeld.urgency is imported inside the commands only: importing it loads pandas, and every
# other command (``wijkbeeld scrub`` reading stdin, say) must start without that cost.
_SOURCE_HELP = ("where it came from: bewoners, gemeente, rijk, incident, nieuws, raadsvraag, "
                "professionals or overig (checked by the service)")

__all__ = ["register"]


def _fail(message: str) -> int:
    print(f"fout: niets gewijzigd.\n{message}", file=sys.stderr)
    return 2


def _as_dict(row: Any) -> dict[str, Any]:
    return {"id": row.pk, "area_code": row.area.code, "date": row.date.isoformat(),
            "source": row.source, "themes": list(row.themes or []),
            "description": row.description, "status": row.status,
            "status_since": row.status_since.isoformat(), "history": list(row.history or [])}


def _line(row: Any) -> str:
    from wijkbeeld.urgency.triggers import TRIGGER_SOURCES, TRIGGER_STATUS_LABELS

    themes = ", ".join(row.themes or []) or "hele gebied"
    status = TRIGGER_STATUS_LABELS.get(row.status, row.status)
    return (f"{row.pk}\t{row.area.code}\t{row.date.isoformat()}\t"
            f"{TRIGGER_SOURCES.get(row.source, row.source)}\t{themes}\t"
            f"{status} sinds {row.status_since.isoformat()}\t{row.description}")


def _area(code: str) -> Any:
    from wijkbeeld.areas.codes import parse_code
    from wijkbeeld.web.areas.models import Area

    parsed = parse_code(code)  # InvalidAreaCode is a ValueError
    area = Area.objects.filter(code=parsed.code).order_by("-boundary_year").first()
    if area is None:
        raise ValueError(f"gebied {parsed.code} is niet opgeslagen")
    return area


def _trigger(pk: int) -> Any:
    from wijkbeeld.web.voices.models import Trigger

    found = Trigger.objects.select_related("area").filter(pk=pk).first()
    if found is None:
        raise ValueError(f"aanleiding {pk} bestaat niet")
    return found


def _triggers(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.urgency.triggers import TRIGGER_STATUS_LABELS
    from wijkbeeld.web.voices import triggers

    try:
        if args.what == "list":
            if args.area:
                rows = triggers.area_trigger_rows(_area(args.area).code)
            else:
                from wijkbeeld.web.voices.models import Trigger

                rows = list(Trigger.objects.select_related("area").order_by("-date", "-id"))
            if args.json:
                json.dump([_as_dict(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
                print()
            else:
                for row in rows:
                    print(_line(row))
                if not rows:
                    print("geen aanleidingen", file=sys.stderr)
            return 0
        if args.what == "add":
            row = triggers.record_trigger(_area(args.area), args.text, when=args.date,
                                          source=args.source, themes=args.theme or [])
            print(f"aanleiding {row.pk} opgeslagen")
        elif args.what == "edit":
            row = triggers.update_trigger(_trigger(args.id), description=args.text,
                                          source=args.source, themes=args.theme,
                                          when=args.date)
            print(f"aanleiding {row.pk} gewijzigd")
        else:
            row = triggers.set_trigger_status(_trigger(args.id), args.status, on=args.date)
            print(f"aanleiding {row.pk}: {TRIGGER_STATUS_LABELS[row.status]} "
                  f"sinds {row.status_since.isoformat()}")
    except ValueError as exc:  # VoiceError, TriggerError, InvalidAreaCode, unknown rows
        return _fail(str(exc))
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"geen datum (JJJJ-MM-DD): {text!r}") from exc


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the trigger commands to the ``wijkbeeld`` parser."""
    tr = sub.add_parser("triggers", help="aanleidingen (triggers): add, list, edit, close")
    tr_sub = tr.add_subparsers(dest="what", required=True)
    ta = tr_sub.add_parser("add", help="record a trigger for an area (text scrubbed first)")
    ta.add_argument("area", help="CBS code of a wijk or buurt, e.g. WK036300")
    ta.add_argument("--date", type=_day, default=date.today(), help="YYYY-MM-DD (default today)")
    ta.add_argument("--source", required=True, help=_SOURCE_HELP)
    ta.add_argument("--theme", action="append", help="theme key; repeat for more themes; "
                    "none: about the whole area")
    ta.add_argument("--text", required=True, help="what happened")
    ta.set_defaults(func=_triggers)
    tl = tr_sub.add_parser("list", help="the triggers of an area (or of every area)")
    tl.add_argument("area", nargs="?", help="CBS code (default: every area)")
    tl.add_argument("--json", action="store_true")
    tl.set_defaults(func=_triggers)
    te = tr_sub.add_parser("edit", help="change the text, date, source or themes of a trigger")
    te.add_argument("id", type=int)
    te.add_argument("--date", type=_day)
    te.add_argument("--source", help=_SOURCE_HELP)
    te.add_argument("--theme", action="append", help="the new themes (replace the old ones)")
    te.add_argument("--text")
    te.set_defaults(func=_triggers)
    tc = tr_sub.add_parser("close", help="a trigger has faded (vervaagd) or is resolved "
                           "(opgelost); --status actief opens it again")
    tc.add_argument("id", type=int)
    tc.add_argument("--status", required=True, choices=["vervaagd", "opgelost", "actief"])
    tc.add_argument("--date", type=_day, default=date.today(), help="YYYY-MM-DD (default today)")
    tc.set_defaults(func=_triggers)
