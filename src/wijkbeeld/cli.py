"""The ``wijkbeeld`` command. It calls the same services as the web pages.

Every command reads the database from ``WIJKBEELD_DATABASE_URL`` and creates and migrates it when
it does not exist yet. Bad input exits with status 2 and a message naming file, row and column.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _django() -> None:
    from wijkbeeld.web.bootstrap import ensure_database

    ensure_database()


def _import_figures(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    catalogue = load_catalogue(args.catalogue or [])
    sync_catalogue(catalogue)
    for file in args.files:
        table = read_figures(
            file, catalogue=catalogue, mapping=args.mapping, skip_unknown=args.skip_unknown
        )
        result = store_table(table, who=args.who)
        if result.created:
            print(
                f"{file}: {result.cells} cijfers van {len(table.area_codes)} gebieden "
                f"geïmporteerd (batch {result.batch_id}, indeling {table.boundary_year}, "
                f"{result.areas_created} nieuwe gebieden)"
            )
        else:
            print(f"{file}: al eerder geïmporteerd (batch {result.batch_id}), niets gewijzigd")
        for warning in table.warnings:
            print(f"waarschuwing: {warning}", file=sys.stderr)
    return 0


def _import_areas(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.web.areas.store import store_boundaries

    for file in args.files:
        boundaries = read_boundaries(file, year=args.year, code_field=args.code_field)
        result = store_boundaries(boundaries, who=args.who)
        print(result.summary())
    return 0


def _import_crosswalk(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.areas.crosswalk import read_crosswalk
    from wijkbeeld.web.areas.store import store_crosswalk

    crosswalk = read_crosswalk(args.file, from_year=args.from_year, to_year=args.to_year)
    result = store_crosswalk(crosswalk, who=args.who)
    print(result.summary())
    return 0


def _import_odata(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.odata import read_odata_table
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    catalogue = load_catalogue(args.catalogue or [])
    sync_catalogue(catalogue)
    table = read_odata_table(
        args.table, base_url=args.base_url, municipality=args.municipality,
        catalogue=catalogue, skip_unknown=args.skip_unknown,
    )
    result = store_table(table, who=args.who)
    state = "geïmporteerd" if result.created else "al eerder geïmporteerd, niets gewijzigd"
    print(f"{args.table}: {result.cells} cijfers {state} (batch {result.batch_id})")
    return 0


def _figures_show(args: argparse.Namespace) -> int:
    _django()
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
            "ontbreekt" if r["value"] is None else _nl_number(r["value"])
        )
        print(f"  {r['indicator_name']:<55} {r['period']:>7}  {value:>12}   Bron: {r['source']}")
    return 0


def _profile(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
    from wijkbeeld.compare import CompareOptions, ProfileError, profile
    from wijkbeeld.compare.render import profile_text
    from wijkbeeld.web.figures.loading import figures_frame

    try:
        code = parse_code(args.area)
    except InvalidAreaCode as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    options = CompareOptions(reference=args.reference)
    local = args.reference in ("municipality", "parent")
    levels = [str(code.level)]
    if args.reference == "parent" and code.parent:
        levels.append(str(parse_code(code.parent).level))
    figures = figures_frame(municipality=code.municipality if local else None, level=levels)
    try:
        result = profile(figures, code.code, year=args.year, options=options)
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(profile_text(result))
    return 0


def _nl_number(value: float) -> str:
    text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
    return text.replace(",", "\u2009").replace(".", ",")


def _demo_load(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.web.demo import load_demo

    load_demo(verbose=True)
    return 0


def _serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    print(f"wijkbeeld draait op http://{args.host}:{args.port}/", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


def _manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijkbeeld manage", *args.rest])
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wijkbeeld", description="Tellen en vertellen per wijk.")
    sub = p.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="import figures, boundaries or a crosswalk")
    imp_sub = imp.add_subparsers(dest="what", required=True)
    f = imp_sub.add_parser("figures", help="CBS StatLine CSV, TypedDataSet XLSX, mapped CSV/XLSX")
    f.add_argument("files", nargs="+", type=Path)
    f.add_argument("--mapping", type=Path, help="TOML mapping for a municipality's own file")
    f.add_argument("--catalogue", type=Path, action="append", help="extra catalogue TOML file")
    f.add_argument("--skip-unknown", action="store_true", help="skip columns not in the catalogue")
    f.add_argument("--who", default="cli")
    f.set_defaults(func=_import_figures)
    a = imp_sub.add_parser("areas", help="GeoJSON, TopoJSON, GeoPackage or Shapefile boundaries")
    a.add_argument("files", nargs="+", type=Path)
    a.add_argument("--year", type=int, required=True, help="boundary year (indeling)")
    a.add_argument("--code-field", help="property holding the CBS code (recognised if omitted)")
    a.add_argument("--who", default="cli")
    a.set_defaults(func=_import_areas)
    o = imp_sub.add_parser("odata", help="a CBS OData table (TypedDataSet), e.g. 85984NED")
    o.add_argument("table")
    o.add_argument("--base-url", default="https://opendata.cbs.nl/ODataApi/odata")
    o.add_argument("--municipality", help="only this GM code and its wijken and buurten")
    o.add_argument("--catalogue", type=Path, action="append", help="extra catalogue TOML file")
    o.add_argument("--skip-unknown", action="store_true")
    o.add_argument("--who", default="cli")
    o.set_defaults(func=_import_odata)
    c = imp_sub.add_parser("crosswalk", help="area codes of one boundary year mapped to another")
    c.add_argument("file", type=Path)
    c.add_argument("--from-year", type=int)
    c.add_argument("--to-year", type=int)
    c.add_argument("--who", default="cli")
    c.set_defaults(func=_import_crosswalk)

    fig = sub.add_parser("figures", help="read stored figures")
    fig_sub = fig.add_subparsers(dest="what", required=True)
    show = fig_sub.add_parser("show", help="every figure of an area")
    show.add_argument("area")
    show.add_argument("--year", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_figures_show)

    prof = sub.add_parser("profile", help="how an area stands against its reference set")
    prof.add_argument("area", help="CBS code, e.g. BU0363AA01")
    prof.add_argument("--year", type=int, help="only figures of this year (default: latest)")
    prof.add_argument(
        "--reference", choices=["municipality", "nl", "parent", "peers"], default="municipality",
        help="reference set (default: same level in the same municipality)",
    )
    prof.add_argument("--json", action="store_true")
    prof.set_defaults(func=_profile)

    demo = sub.add_parser("demo", help="the bundled demo data")
    demo_sub = demo.add_subparsers(dest="what", required=True)
    demo_sub.add_parser("load", help="load the demo data and demo account").set_defaults(
        func=_demo_load
    )

    s = sub.add_parser("serve", help="run the web application (development server)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=_serve)

    m = sub.add_parser("manage", help="Django management commands")
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=_manage)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wijkbeeld`` command."""
    args = _parser().parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except ValueError as exc:
        # Imported here: importing wijkbeeld.figures loads pandas, which commands such as
        # `figures show` and `scrub` do not need; start-up time matters for scripting.
        from wijkbeeld.figures.errors import DataError

        if isinstance(exc, DataError):
            print(f"fout: niets geïmporteerd.\n{exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
