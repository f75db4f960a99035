"""Area commands: ``wijkbeeld areas search NAME``, and the name-or-code resolver that
``profile`` and ``urgency`` use, so people can type "Morgenstond" instead of "WK051834".

The ranking is the core's (:mod:`wijkbeeld.areas.search`), over every stored area, the same as
the search page and ``/api/areas?q=``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING

from wijkbeeld.cli._common import django_ready

if TYPE_CHECKING:
    from wijkbeeld.areas.search import AreaMatch

__all__ = ["register", "resolve_area"]

#: Level words in the candidate list.
_LEVELS = {"country": "land", "municipality": "gemeente", "district": "wijk",
           "neighbourhood": "buurt"}


def _matches(query: str, limit: int | None = 50) -> list[AreaMatch]:
    django_ready()
    from wijkbeeld.web.areas.finding import find_areas
    from wijkbeeld.web.areas.models import Area

    return find_areas(Area.objects.all(), query, limit=limit)


def _line(match: AreaMatch) -> str:
    """One candidate: "Morgenstond  wijk  's-Gravenhage  WK051834"."""
    area = match.area
    municipality = area.municipality_name if area.level != "municipality" else ""
    return "\t".join((match.display_name, _LEVELS.get(area.level, area.level), municipality,
                      area.code))


def resolve_area(text: str) -> str | int:
    """The CBS code ``text`` means: a code as typed (checked by the caller), or the one area a
    name clearly matches. Otherwise the exit status after printing why: 2 with the candidates
    of an ambiguous name, 2 when nothing matches."""
    from wijkbeeld.areas.codes import InvalidAreaCode, is_valid_code, normalise_code, parse_code
    from wijkbeeld.areas.search import unambiguous

    if is_valid_code(text.strip()):
        return normalise_code(text.strip())
    matches = _matches(text)
    best = unambiguous(matches)
    if best is not None:
        return best.area.code
    if not matches:
        if re.fullmatch(r"[A-Za-z]{2}\d\w*", text.strip()):
            # Meant as a code: say what is wrong with it, as before names were accepted.
            try:
                parse_code(text)
            except InvalidAreaCode as exc:
                print(f"fout: {exc}; ook geen gebied met die naam.", file=sys.stderr)
                return 2
        print(f"fout: geen gebied gevonden voor {text!r}; probeer een deel van de naam of de "
              "CBS-code.", file=sys.stderr)
        return 2
    print(f"fout: {text!r} past op meer dan één gebied; kies een code:", file=sys.stderr)
    for match in matches:
        print(f"  {_line(match)}", file=sys.stderr)
    return 2


def _search(args: argparse.Namespace) -> int:
    matches = _matches(" ".join(args.name), limit=args.limit)
    if args.json:
        rows = [{"code": m.area.code, "name": m.display_name, "stored_name": m.area.name,
                 "level": m.area.level, "municipality": m.area.municipality_name,
                 "boundary_year": m.area.boundary_year, "match": m.kind.name.lower(),
                 "score": round(m.score, 1)} for m in matches]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for match in matches:
            print(_line(match))
        if not matches:
            print("niets gevonden", file=sys.stderr)
    return 0 if matches else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the area commands to the ``wijkbeeld`` parser."""
    areas = sub.add_parser("areas", help="find stored areas")
    areas_sub = areas.add_subparsers(dest="what", required=True)
    search = areas_sub.add_parser("search", help="areas by name or code, best match first")
    search.add_argument("name", nargs="+", help="a name (typos allowed) or a CBS code")
    search.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_search)
