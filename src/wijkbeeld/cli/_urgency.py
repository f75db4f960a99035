"""Urgency commands: the matrix of an area and rounds (peilingen)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _urgency(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.areas.codes import InvalidAreaCode
    from wijkbeeld.cli._areas import resolve_area
    from wijkbeeld.urgency import UrgencyError, render_matrix
    from wijkbeeld.web.urgency.reading import area_matrix

    code = resolve_area(args.area)  # a name that clearly means one area, or the code typed
    if isinstance(code, int):
        return code
    try:
        matrix = area_matrix(code, round_key=args.round, with_figures=not args.no_figures)
    except InvalidAreaCode as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except UrgencyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        json.dump(matrix.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(render_matrix(matrix), end="")
    return 0


def _rounds(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.urgency import services
    from wijkbeeld.web.urgency.importing import import_responses
    from wijkbeeld.web.urgency.models import Round

    try:
        if args.what == "import":
            print(import_responses(args.file, args.round, args.area or [], held_on=args.date)
                  .summary())
        elif args.what == "open":
            rnd = services.open_round(args.key, args.area, args.theme, args.date,
                                      title=args.title)
            print(f"peiling {rnd.key} geopend: {', '.join(rnd.themes)}")
        else:
            found = Round.objects.filter(key=args.key).first()
            if found is None:
                raise services.RoundError(f"peiling {args.key!r} bestaat niet")
            if args.what == "close":
                services.close_round(found)
                print(f"peiling {found.key} gesloten")
            else:
                for token in services.create_invitations(
                    found, args.group, args.count, organisation_type=args.organisation,
                    area=args.area,
                ):
                    print(f"{args.base_url.rstrip('/')}/peiling/{token}/")
    except services.RoundError as exc:
        print(f"fout: niets gewijzigd.\n{exc}", file=sys.stderr)
        return 2
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the urgency commands to the ``wijkbeeld`` parser."""
    urg = sub.add_parser("urgency", help="the urgency matrix of an area: themes x groups")
    urg.add_argument("area", help="CBS code or name of a wijk or buurt, e.g. WK036300")
    urg.add_argument("--round", help="round key (default: the latest round with answers)")
    urg.add_argument("--json", action="store_true")
    urg.add_argument("--no-figures", action="store_true", help="leave the figures out")
    urg.set_defaults(func=_urgency)
    rnd = sub.add_parser("rounds", help="rounds (peilingen) of urgency ratings")
    rnd_sub = rnd.add_subparsers(dest="what", required=True)
    ri = rnd_sub.add_parser("import", help="ratings from a CSV export of another survey tool")
    ri.add_argument("file", type=Path)
    ri.add_argument("--round", required=True, help="round key; created when new")
    ri.add_argument("--area", action="append", help="area(s) of a new round (wijk or buurten)")
    ri.add_argument("--date", type=date.fromisoformat, help="date of a new round (YYYY-MM-DD)")
    ri.set_defaults(func=_rounds)
    ro = rnd_sub.add_parser("open", help="open a round about a wijk or a set of buurten")
    ro.add_argument("key")
    ro.add_argument("--area", action="append", required=True)
    ro.add_argument("--theme", action="append", required=True)
    ro.add_argument("--date", type=date.fromisoformat, default=date.today())
    ro.add_argument("--title", default="")
    ro.set_defaults(func=_rounds)
    rv = rnd_sub.add_parser("invite", help="print personal links (tokens are shown only once)")
    rv.add_argument("key")
    rv.add_argument("--group", required=True, choices=["residents", "professionals", "policy"])
    rv.add_argument("--count", type=int, default=1)
    rv.add_argument("--organisation", default="", help="organisation type, e.g. corporatie")
    rv.add_argument("--area", help="the area the respondents answer for (rounds of buurten)")
    rv.add_argument("--base-url", default="http://127.0.0.1:8000")
    rv.set_defaults(func=_rounds)
    rc = rnd_sub.add_parser("close", help="close a round: it accepts no more answers")
    rc.add_argument("key")
    rc.set_defaults(func=_rounds)
