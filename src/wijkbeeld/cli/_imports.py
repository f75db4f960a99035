"""Import commands: figures, boundaries, CBS OData tables and crosswalks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wijkbeeld.cli._common import django_ready

if TYPE_CHECKING:
    from wijkbeeld.figures.areakeys import AreaKeys, AreaSource

__all__ = ["register"]


def _import_figures(args: argparse.Namespace) -> int:
    if args.queue:
        return _queue_figures(args)
    django_ready()
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import StoredAreas, store_table, sync_catalogue
    from wijkbeeld.web.jobs.imports import check_own_areas

    owner = _municipality(args)
    catalogue = load_catalogue(args.catalogue or [])
    keys = _area_keys(args, owner, StoredAreas())
    # For a municipality only the bundled national catalogue is written as national; its own
    # definitions are scoped by store_table (issue 18: wijkbeeld.web.figures.scope).
    sync_catalogue(load_catalogue() if owner else catalogue)
    for file in args.files:
        table = read_figures(
            file, catalogue=catalogue, mapping=args.mapping, skip_unknown=args.skip_unknown,
            keys=keys,
        )
        if owner:
            check_own_areas(table, owner, str(file))
        result = store_table(table, who=args.who, owner=owner,
                             allow_new_areas=args.allow_new_areas)
        if result.owned:
            print(f"{file}: eigen indicatoren: {', '.join(result.owned)}")
        if result.created:
            print(
                f"{file}: {result.cells} cijfers van {len(table.area_codes)} gebieden "
                f"geïmporteerd (batch {result.batch_id}, indeling {table.boundary_year}, "
                f"{result.areas_created} nieuwe gebieden)"
            )
            if result.new_areas:
                shown = ", ".join(result.new_areas[:10])
                more = ", ..." if len(result.new_areas) > 10 else ""
                print(f"{file}: nieuwe gebieden in indeling {table.boundary_year}: {shown}{more}")
        else:
            print(f"{file}: al eerder geïmporteerd (batch {result.batch_id}), niets gewijzigd")
        for warning in (*table.warnings, *result.warnings):
            print(f"waarschuwing: {warning}", file=sys.stderr)
    return 0


def _area_keys(args: argparse.Namespace, owner: str, areas: AreaSource | None) -> AreaKeys:
    """The options that say how rows find their area (issue 21), as
    :class:`~wijkbeeld.figures.areakeys.AreaKeys`; DataError for a wrong option."""
    from wijkbeeld.areas.codes import InvalidAreaCode, build_code
    from wijkbeeld.figures.areakeys import AreaKeys, read_name_mapping
    from wijkbeeld.figures.errors import DataError

    parts = None
    if args.code_parts:
        names = [p.strip() or None for p in args.code_parts.split(",")]
        if not 1 <= len(names) <= 3 or names[0] is None:
            raise DataError.single("--code-parts", "geef de kolommen als GEMEENTE,WIJK,BUURT "
                                                   "(wijk en buurt mogen weg)")
        gm, wk, bu = [*names, None, None][:3]
        assert gm is not None
        parts = (gm, wk, bu)
    if args.code_prefix:
        try:
            build_code(args.code_prefix, "1")
        except InvalidAreaCode as exc:
            raise DataError.single("--code-prefix", str(exc)) from None
    if args.code_prefix and args.code_parts:
        raise DataError.single("--code-prefix", "geef --code-prefix of --code-parts, niet allebei")
    return AreaKeys(
        code_prefix=args.code_prefix, code_column=args.code_column, code_parts=parts,
        name_column=args.name_column, municipality=owner or None,
        name_mapping=read_name_mapping(args.name_mapping) if args.name_mapping else {},
        mapping_file=str(args.name_mapping or ""), write_mapping=args.write_mapping,
        areas=areas,
    )


def _municipality(args: argparse.Namespace) -> str:
    """``--municipality``: the GM code the import is for ("" for a national import)."""
    from wijkbeeld.figures.errors import DataError

    code = str(args.municipality or "").strip().upper()
    if code and (len(code) != 6 or not code.startswith("GM") or not code[2:].isdigit()):
        raise DataError.single("--municipality", f"{code!r} is geen gemeentecode (GM0518)")
    return code


def _queue_figures(args: argparse.Namespace) -> int:
    """``import figures --queue``: check the files and options now, queue one background job per
    file for ``wijkbeeld worker`` (which reads the file where it is and leaves it there)."""
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.errors import DataError
    from wijkbeeld.figures.filecheck import check_import_file
    from wijkbeeld.figures.readers.mapped import load_mapping

    for file in [*args.files, *([args.mapping] if args.mapping else []), *(args.catalogue or [])]:
        if not file.is_file():
            raise DataError.single(str(file), "file not found")
    catalogue = load_catalogue(args.catalogue or [])  # a broken catalogue fails here, not later
    if args.mapping:
        load_mapping(args.mapping, catalogue)
    for file in args.files:
        check_import_file(file)  # size limit, zip bombs, XML entities
    _area_keys(args, _municipality(args), None)  # a wrong option or name mapping fails now
    django_ready()
    from wijkbeeld.web.jobs.imports import queue_figures

    owner = _municipality(args)
    for file in args.files:
        job = queue_figures(file.resolve(), skip_unknown=args.skip_unknown, who=args.who,
                            mapping=args.mapping.resolve() if args.mapping else None,
                            catalogue=[c.resolve() for c in args.catalogue or []],
                            municipality=owner, allow_new_areas=args.allow_new_areas,
                            area_options=_area_options(args))
        print(f"{file}: in de wachtrij als taak {job.pk}")
    print("`wijkbeeld worker` voert de taken uit; volg ze op /taken/ of met "
          "`wijkbeeld worker status N`")
    return 0


def _area_options(args: argparse.Namespace) -> dict[str, str]:
    """The area options of ``import figures`` for a queued job (paths made absolute)."""
    options = {"code_prefix": args.code_prefix, "code_column": args.code_column,
               "code_parts": args.code_parts, "name_column": args.name_column,
               "name_mapping": str(args.name_mapping.resolve()) if args.name_mapping else None,
               "write_mapping": str(args.write_mapping.resolve()) if args.write_mapping else None}
    return {k: v for k, v in options.items() if v}


def _import_areas(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.web.areas.store import store_boundaries

    for file in args.files:
        boundaries = read_boundaries(file, year=args.year, code_field=args.code_field)
        result = store_boundaries(boundaries, who=args.who)
        print(result.summary())
    return 0


def _import_crosswalk(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.areas.crosswalk import read_crosswalk
    from wijkbeeld.web.areas.store import store_crosswalk

    crosswalk = read_crosswalk(args.file, from_year=args.from_year, to_year=args.to_year)
    result = store_crosswalk(crosswalk, who=args.who)
    print(result.summary())
    return 0


def _import_odata(args: argparse.Namespace) -> int:
    django_ready()
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the import commands to the ``wijkbeeld`` parser."""
    imp = sub.add_parser("import", help="import figures, boundaries or a crosswalk")
    imp_sub = imp.add_subparsers(dest="what", required=True)
    f = imp_sub.add_parser("figures", help="CBS StatLine CSV, TypedDataSet XLSX, mapped CSV/XLSX")
    f.add_argument("files", nargs="+", type=Path)
    f.add_argument("--mapping", type=Path, help="TOML mapping for a municipality's own file")
    f.add_argument("--catalogue", type=Path, action="append", help="extra catalogue TOML file")
    f.add_argument("--skip-unknown", action="store_true", help="skip columns not in the catalogue")
    f.add_argument("--who", default="cli")
    f.add_argument("--municipality", metavar="GM0000",
                   help="import for this municipality, as its accounts do: only its areas; "
                        "national indicators read-only, its own stored as GM0000:key")
    f.add_argument("--allow-new-areas", action="store_true",
                   help="accept codes that are not in the stored boundaries of the year and "
                        "create those areas (listed in the output)")
    f.add_argument("--code-prefix", metavar="BU0758",
                   help="build codes from this prefix and the numbers in --code-column "
                        "(BU0758 + 103 = BU07580103)")
    f.add_argument("--code-column", metavar="KOLOM",
                   help="the column with the numbers for --code-prefix")
    f.add_argument("--code-parts", metavar="GEMEENTE,WIJK,BUURT",
                   help="build codes from gemeente, wijk and buurt number columns "
                        "(758, 1, 3 = BU07580103); wijk and buurt may be left out")
    f.add_argument("--name-column", metavar="KOLOM",
                   help="match the area names in this column (recognised when the file has no "
                        "code column: BUURT, buurtnaam, wijknaam, naam, ...); names are matched "
                        "within --municipality")
    f.add_argument("--name-mapping", type=Path, metavar="CSV",
                   help="a reviewed mapping name -> code (columns naam;code) for names that do "
                        "not match by themselves")
    f.add_argument("--write-mapping", type=Path, metavar="CSV",
                   help="when names do not match, write a proposed mapping (naam;code) to "
                        "review and pass back with --name-mapping")
    f.add_argument("--queue", action="store_true",
                   help="check now, import in the background (wijkbeeld worker); progress on "
                        "/taken/ and with `wijkbeeld worker status`")
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
