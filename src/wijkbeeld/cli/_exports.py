"""``wijkbeeld export-table``: a profile, a comparison table or an urgency matrix as a file.

The map counterpart is ``wijkbeeld export`` (GeoPackage/GeoJSON, :mod:`wijkbeeld.cli._spatial`).
The format follows ``--format`` or the suffix of ``-o``: ``.csv`` (semicolons, decimal comma,
for Dutch Excel), ``.xlsx`` (sheets ``gegevens`` and ``herkomst``) or ``.parquet`` (provenance in
the schema metadata key ``wijkbeeld``). Every row has the columns ``bron``, ``jaar``, ``methode``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijkbeeld.cli._common import django_ready, stored_profile

__all__ = ["register"]

_REFERENCES = ["municipality", "nl", "parent", "peers"]


def _write(table: object, args: argparse.Namespace) -> int:
    from wijkbeeld.exports import ExportTable, table_format, write_table

    assert isinstance(table, ExportTable)
    fmt = table_format(args.output, args.format)
    target = args.output if args.output.suffix.lower() == f".{fmt}" else args.output.with_suffix(
        f".{fmt}")
    write_table(table, target, fmt, dialect=args.csv_dialect)
    print(f"{target}: {len(table.frame)} rijen, {len(table.frame.columns)} kolommen")
    return 0


def _profile(args: argparse.Namespace) -> int:
    from wijkbeeld.exports import profile_table

    result = stored_profile(args)
    if isinstance(result, int):
        return result
    return _write(profile_table(result), args)


def _comparison(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.compare import CompareOptions, FiguresError, compare_all
    from wijkbeeld.exports import comparison_table
    from wijkbeeld.web.figures.loading import figures_frame

    figures = figures_frame(municipality=args.municipality, level=[args.level])
    if args.year is not None:
        figures = figures.restrict(
            (figures.frame["period"].astype(str).str[:4] == str(args.year)).to_numpy())
    if figures.frame.empty:
        print(f"geen cijfers voor {args.municipality} ({args.level}, {args.year or 'alle jaren'})",
              file=sys.stderr)
        return 1
    try:
        comparison = compare_all(figures, CompareOptions(reference=args.reference), themes=False)
    except FiguresError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    name = f"vergelijking-{args.municipality}-{args.level}" + (
        f"-{args.year}" if args.year else "")
    return _write(comparison_table(comparison, name=name), args)


def _national(args: argparse.Namespace) -> int:
    """Every area of a level in the country, one file per year (compare_country)."""
    django_ready()
    from wijkbeeld.compare import CompareOptions
    from wijkbeeld.exports import comparison_table, write_table
    from wijkbeeld.web.figures.national import compare_country, stored_years

    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        print(f"fout: {folder} is een bestand; -o moet een map zijn", file=sys.stderr)
        return 2
    stored = stored_years(args.level)
    years = [str(y) for y in args.years] if args.years else stored
    missing = sorted(set(years) - set(stored))
    if not stored or missing:
        print(f"geen cijfers voor {args.level} in {', '.join(missing) or 'enig jaar'} "
              f"(opgeslagen jaren: {', '.join(stored) or 'geen'})", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    options = CompareOptions(reference=args.reference)
    found = compare_country(args.level, options, years=years, workers=args.workers)
    for written, comparison in enumerate(found, start=1):
        year = str(comparison.figures.frame["period"].iloc[0])[:4]
        name = f"vergelijking-nl-{args.level}-{year}"
        target = folder / f"{name}.{args.format}"
        write_table(comparison_table(comparison, name=name), target, args.format,
                    dialect=args.csv_dialect)
        print(f"{target}: {len(comparison.results)} rijen ({written} van {len(years)} jaren)",
              flush=True)
    return 0


def _urgency(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.areas.codes import InvalidAreaCode
    from wijkbeeld.exports import matrix_table
    from wijkbeeld.urgency import UrgencyError
    from wijkbeeld.web.urgency.reading import area_matrix

    try:
        matrix = area_matrix(args.area, round_key=args.round)
    except InvalidAreaCode as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except UrgencyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return _write(matrix_table(matrix), args)


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"],
                   help="file format (default: the suffix of -o)")
    p.add_argument("--csv-dialect", choices=["nl", "international"], default="nl",
                   help="nl: ; and decimal comma (default); international: , and decimal point")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export-table`` to the ``wijkbeeld`` parser."""
    exp = sub.add_parser("export-table",
                         help="a profile, comparison table or urgency matrix as CSV/XLSX/Parquet")
    what = exp.add_subparsers(dest="what", required=True)
    p = what.add_parser("profile", help="the profile of one area (one row per figure)")
    p.add_argument("area", help="CBS code, e.g. BU0363AA01")
    p.add_argument("--year", type=int, help="only figures of this year (default: latest)")
    p.add_argument("--reference", choices=_REFERENCES, default="municipality")
    _output(p)
    p.set_defaults(func=_profile)
    c = what.add_parser("comparison",
                        help="every area of a municipality and level compared (compare_all)")
    c.add_argument("--municipality", required=True, help="GM code, e.g. GM0363")
    c.add_argument("--level", choices=["neighbourhood", "district", "municipality"],
                   default="neighbourhood")
    c.add_argument("--year", type=int, help="only figures of this year (default: all)")
    c.add_argument("--reference", choices=["municipality", "nl"], default="municipality")
    _output(c)
    c.set_defaults(func=_comparison)
    n = what.add_parser("national", help="every area of a level in the country compared, one "
                        "file per year (years on worker processes)")
    n.add_argument("--level", choices=["neighbourhood", "district", "municipality"],
                   default="neighbourhood")
    n.add_argument("--years", nargs="+", type=int, help="only these years (default: all stored)")
    n.add_argument("--reference", choices=["municipality", "nl"], default="municipality")
    n.add_argument("--workers", type=int, default=None,
                   help="processes, one year each (default: one per core)")
    n.add_argument("-o", "--output", type=Path, required=True, help="folder to write into")
    n.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet",
                   help="file format (default parquet; a national year is ~1 million rows)")
    n.add_argument("--csv-dialect", choices=["nl", "international"], default="nl")
    n.set_defaults(func=_national)
    u = what.add_parser("urgency", help="the urgency matrix of an area (theme × group rows)")
    u.add_argument("area", help="CBS code, e.g. WK0363NP")
    u.add_argument("--round", help="round key (default: the latest with answers)")
    _output(u)
    u.set_defaults(func=_urgency)
