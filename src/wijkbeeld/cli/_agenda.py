"""Agenda commands: show the neighbourhood agenda of an area (items, progress, alerts, coverage)
and the learning network; the same reading services as the pages."""

from __future__ import annotations

import argparse
import json
import sys

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _show(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
    from wijkbeeld.web.agenda.models import Agenda
    from wijkbeeld.web.agenda.reading import agenda_state, state_dict, timeline_events

    try:
        code = parse_code(args.area).code
    except InvalidAreaCode as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    agenda = Agenda.objects.filter(area_code=code).order_by("-id").first()
    if agenda is None:
        print(f"geen buurtagenda voor {code}", file=sys.stderr)
        return 1
    state = agenda_state(agenda)
    if args.json:
        data = state_dict(state, with_timeline=args.timeline)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{agenda.title} ({code}) – {agenda.get_status_display()}"
          + (f" op {agenda.agreed_on}" if agenda.agreed_on else ""))
    for s in state.items:
        print(f"\n{s.item.theme} (versie {s.version.number}): {s.version.ambition}")
        for p in s.progress:
            latest = "–" if p.latest is None or p.latest.value is None else \
                f"{p.latest.value:.4g} ({p.latest.at})"
            done = "" if p.share_done is None or p.status == "bereikt" else \
                f" ({round(100 * p.share_done)} % van de weg)"
            note = f" ({p.note})" if p.note else ""
            print(f"  {p.target.label or p.target.key}: nulmeting {p.target.baseline:.4g} "
                  f"({p.target.baseline_at}), doel {p.target.target:.4g}, laatst {latest}: "
                  f"{p.label}{done}{note}")
        for a in s.actions:
            print(f"  actie: {a.title} – {a.status}, {a.progress}%")
        if s.alert is not None:
            print(f"  SIGNAAL: {s.alert.message}")
    for c in state.coverage:
        missing = ", ".join(c.missing_groups + c.missing_parties) or "niemand"
        print(f"\npeiling {c.round_key}: ontbreekt: {missing}")
    if args.timeline:
        print()
        for e in timeline_events(state):
            print(f"{e.when_label or '':10}  {e.kind:10}  {e.theme:18}  {e.text}")
    return 0


def _network(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.agenda.network import network_comparison

    json.dump(network_comparison().to_dict(), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the agenda commands to the ``wijkbeeld`` parser."""
    ag = sub.add_parser("agenda", help="the neighbourhood agenda (buurtagenda) of an area")
    ag_sub = ag.add_subparsers(dest="what", required=True)
    show = ag_sub.add_parser("show", help="items, progress, actions, alerts and coverage")
    show.add_argument("area", help="CBS code of a wijk or buurt, e.g. WK051834")
    show.add_argument("--json", action="store_true")
    show.add_argument("--timeline", action="store_true",
                      help="also list figures, rounds, triggers, agenda and actions by date")
    show.set_defaults(func=_show)
    net = ag_sub.add_parser("network", help="learning network: municipalities side by side "
                                           "(aggregates only, small-number rule), as JSON")
    net.set_defaults(func=_network)
