"""Download commands for users with internet: CBS figures (OData) and PDOK boundaries.

``wijkbeeld fetch cbs --table 85984NED`` (or ``--year 2024``, see
:data:`wijkbeeld.figures.kwb.KWB_TABLES`) and ``wijkbeeld fetch boundaries --year 2024``. Both
write a file (``-o``), import into the database (``--import``), or both. Without ``-o`` nothing
is written; without ``--import`` the database is not touched (no Django needed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from wijkbeeld.cli._common import django_ready

if TYPE_CHECKING:
    from wijkbeeld.figures.odata import HttpSettings

__all__ = ["register"]

_TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
_MAP_SUFFIXES = (".gpkg", ".geojson", ".json")


def _settings(args: argparse.Namespace) -> HttpSettings:
    from wijkbeeld.figures.odata import HttpSettings

    return HttpSettings(timeout=args.timeout, retries=args.retries, backoff=args.backoff,
                        progress=None if not args.no_progress else False)


def _need_target(args: argparse.Namespace, suffixes: tuple[str, ...]) -> str | None:
    if args.output is None and not args.do_import:
        return "geef -o BESTAND, --import of allebei"
    if args.output is not None and args.output.suffix.lower() not in suffixes:
        return f"-o moet eindigen op {', '.join(suffixes)}, niet {args.output.name!r}"
    return None


def _fetch_cbs(args: argparse.Namespace) -> int:
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.kwb import kwb_table, kwb_year
    from wijkbeeld.figures.odata import read_odata_table

    problem = _need_target(args, _TABLE_SUFFIXES)
    if problem:
        print(f"fout: {problem}", file=sys.stderr)
        return 2
    try:
        table_id = args.table.strip().upper() if args.table else kwb_table(args.year)
    except ValueError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    settings = _settings(args)
    catalogue = load_catalogue(args.catalogue or [])
    table = read_odata_table(
        table_id, base_url=args.base_url, municipality=args.municipality, catalogue=catalogue,
        skip_unknown=not args.strict, settings=settings,
    )
    year = kwb_year(table_id)
    label = f"{table_id}" + (f" (KWB {year})" if year else "")
    print(f"{label}: {table.n_cells} cijfers van {len(table.area_codes)} gebieden, "
          f"{len(table.indicators)} indicatoren, indeling {table.boundary_year}")
    for warning in table.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    if args.output is not None:
        from wijkbeeld.exports import figures_table, write_table

        target = write_table(figures_table(table), args.output)
        print(f"{target}: geschreven")
    if args.do_import:
        django_ready()
        from wijkbeeld.web.figures.store import store_table, sync_catalogue

        sync_catalogue(catalogue)
        result = store_table(table, who=args.who)
        state = "geïmporteerd" if result.created else "al eerder geïmporteerd, niets gewijzigd"
        print(f"{table_id}: {result.cells} cijfers {state} (batch {result.batch_id})")
    return 0


def _fetch_boundaries(args: argparse.Namespace) -> int:
    from wijkbeeld.areas.pdok import download_boundaries, write_boundaries

    problem = _need_target(args, _MAP_SUFFIXES)
    if problem:
        print(f"fout: {problem}", file=sys.stderr)
        return 2
    settings = _settings(args)
    try:
        download = download_boundaries(
            args.year, level=args.level, municipality=args.municipality,
            base_url=args.base_url, limit=args.page_size, settings=settings,
        )
    except ValueError as exc:
        from wijkbeeld.figures.errors import DataError

        if isinstance(exc, DataError):
            raise
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    print(f"{download.source}: {len(download.frame)} gebieden in {download.pages} pagina's")
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-pdok-") as tmp:
        target = args.output or Path(tmp) / f"grenzen-{args.year}.gpkg"
        write_boundaries(download, target)
        if args.output is not None:
            print(f"{target}: geschreven")
        if args.do_import:
            django_ready()
            from wijkbeeld.areas.geometry import read_boundaries
            from wijkbeeld.web.areas.store import store_boundaries

            boundaries = read_boundaries(target, year=args.year, code_field=download.code_field)
            print(store_boundaries(boundaries, who=args.who).summary())
    return 0


def _common(p: argparse.ArgumentParser, suffixes: tuple[str, ...]) -> None:
    p.add_argument("--municipality", help="only this gemeente (GM code) and its wijken/buurten")
    p.add_argument("-o", "--output", type=Path, help=f"write a file ({', '.join(suffixes)})")
    p.add_argument("--import", dest="do_import", action="store_true",
                   help="store in the database (WIJKBEELD_DATABASE_URL)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    p.add_argument("--retries", type=int, default=4, help="extra attempts after a failure")
    p.add_argument("--backoff", type=float, default=1.0,
                   help="first wait in seconds, doubled per retry")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--who", default="cli")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fetch`` commands to the ``wijkbeeld`` parser."""
    fetch = sub.add_parser("fetch", help="download CBS figures or PDOK boundaries (internet)")
    fetch_sub = fetch.add_subparsers(dest="what", required=True)
    c = fetch_sub.add_parser("cbs", help="a CBS OData table, e.g. --table 85984NED or --year 2024")
    which = c.add_mutually_exclusive_group(required=True)
    which.add_argument("--table", help="StatLine table id, e.g. 85984NED")
    which.add_argument("--year", type=int, help="Kerncijfers wijken en buurten of this year")
    c.add_argument("--base-url", default="https://opendata.cbs.nl/ODataApi/odata")
    c.add_argument("--catalogue", type=Path, action="append", help="extra catalogue TOML file")
    c.add_argument("--strict", action="store_true",
                   help="refuse columns not in the catalogue (default: leave them out)")
    _common(c, _TABLE_SUFFIXES)
    c.set_defaults(func=_fetch_cbs)
    b = fetch_sub.add_parser("boundaries", help="wijk/buurt boundaries from PDOK, e.g. --year 2024")
    b.add_argument("--year", type=int, required=True, help="boundary year (indeling)")
    b.add_argument("--level", choices=["neighbourhood", "district", "municipality"],
                   default="neighbourhood")
    b.add_argument("--base-url", help="OGC API root; {year} is filled in "
                   "(default https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1)")
    b.add_argument("--page-size", type=int, default=1000, help="features per request")
    _common(b, _MAP_SUFFIXES)
    b.set_defaults(func=_fetch_boundaries)
