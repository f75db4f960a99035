"""Figure commands: stored figures of an area and its profile."""

from __future__ import annotations

import argparse
import json
import sys

from wijkbeeld.cli._common import django_ready, nl_number, stored_profile

__all__ = ["register"]


def _figures_show(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.figures.readback import figures_for_area

    rows = figures_for_area(args.area, year=args.year)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0 if rows else 1
    if not rows:
        print(f"geen cijfers voor {args.area}", file=sys.stderr)
        return 1
    first = rows[0]
    print(f"{first['area']} {first['area_name']}")
    for r in rows:
        value = "geheim" if r["status"] == "suppressed" else (
            "ontbreekt" if r["value"] is None else nl_number(r["value"])
        )
        print(f"  {r['indicator_name']:<55} {r['period']:>7}  {value:>12}   Bron: {r['source']}")
    return 0


def _profile(args: argparse.Namespace) -> int:
    from wijkbeeld.compare.render import profile_text

    result = stored_profile(args)
    if isinstance(result, int):
        return result
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(profile_text(result))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the figure commands to the ``wijkbeeld`` parser."""
    fig = sub.add_parser("figures", help="read stored figures")
    fig_sub = fig.add_subparsers(dest="what", required=True)
    show = fig_sub.add_parser("show", help="every figure of an area")
    show.add_argument("area")
    show.add_argument("--year", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_figures_show)

    prof = sub.add_parser("profile", help="how an area stands against its reference set")
    prof.add_argument("area", help="CBS code or name, e.g. BU0363AA01 or Morgenstond")
    prof.add_argument("--year", type=int, help="only figures of this year (default: latest)")
    prof.add_argument(
        "--reference", choices=["municipality", "nl", "parent", "peers"], default="municipality",
        help="reference set (default: same level in the same municipality)",
    )
    prof.add_argument("--json", action="store_true")
    prof.set_defaults(func=_profile)
