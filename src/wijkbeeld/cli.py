"""The ``wijkbeeld`` command. It calls the same services as the web pages.

Every command reads the database from ``WIJKBEELD_DATABASE_URL`` and creates and migrates it when
it does not exist yet. Bad input exits with status 2 and a message naming file, row and column.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
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


def _report(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.compare import ProfileError
    from wijkbeeld.report import render_html, render_pdf
    from wijkbeeld.web.reports import build_report_data, report_areas

    def write(code: str, target: Path) -> None:
        data = build_report_data(code, year=args.year, language=args.language)
        if args.format == "pdf":
            target.write_bytes(render_pdf(data))
        else:
            target.write_text(render_html(data), encoding="utf-8")

    if args.area:
        if args.output is None:
            print("fout: geef -o BESTAND", file=sys.stderr)
            return 2
        try:
            write(args.area, args.output)
        except ProfileError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"{args.output}: rapport {args.area.upper()}")
        return 0
    if not args.municipality or args.outdir is None:
        print("fout: geef een gebied, of --municipality en --outdir", file=sys.stderr)
        return 2
    from tqdm import tqdm

    args.outdir.mkdir(parents=True, exist_ok=True)
    codes = report_areas(args.municipality, args.level)
    skipped = 0
    for code in tqdm(codes, desc="rapporten", unit="gebied", file=sys.stderr):
        try:
            write(code, args.outdir / f"{code}.{args.format}")
        except ProfileError:
            skipped += 1
    print(f"{len(codes) - skipped} rapporten in {args.outdir}, {skipped} zonder cijfers")
    return 0


def _nl_number(value: float) -> str:
    text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
    return text.replace(",", "\u2009").replace(".", ",")


def _urgency(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.areas.codes import InvalidAreaCode
    from wijkbeeld.urgency import UrgencyError, render_matrix
    from wijkbeeld.web.urgency.reading import area_matrix

    try:
        matrix = area_matrix(args.area, round_key=args.round, with_figures=not args.no_figures)
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
    _django()
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


def _hotspots(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.spatial import SpatialOptions, hotspot_map, hotspots
    from wijkbeeld.web.areas.geodata import LayerError, area_layer

    try:
        layer = area_layer(args.municipality, args.year, indicator=args.indicator,
                           theme=args.theme, level=args.level, boundary_year=args.boundary_year)
    except LayerError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    options = SpatialOptions(permutations=args.permutations, seed=args.seed, fdr=args.fdr,
                             island_policy=args.island_policy, polarity=layer.polarity)
    result = hotspots(layer.areas, "value", options)
    if args.map:
        hotspot_map(layer.areas, result, args.map, title=f"{layer.label}, {layer.period}",
                    source=layer.source or "onbekend")
    if args.json:
        out = result.to_dict()
        out["layer"] = {"municipality": layer.municipality, "level": layer.level,
                        "boundary_year": layer.boundary_year, "kind": layer.kind,
                        "variable": layer.variable, "period": layer.period,
                        "source": layer.source, "notes": list(layer.notes)}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        g = result.global_moran
        moran = f"Moran's I {g.i:.3f} (p {g.p:g})" if g else "niet getoetst"
        print(f"{layer.label} {layer.period}, {layer.municipality}: {moran}")
        for label, n in result.counts().items():
            print(f"  {label:<30} {n:>5}")
    return 0


def _export(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.spatial import export_areas
    from wijkbeeld.web.areas.export_layer import export_frame
    from wijkbeeld.web.areas.geodata import LayerError

    try:
        frame, provenance = export_frame(args.municipality, args.year, level=args.level,
                                         boundary_year=args.boundary_year,
                                         permutations=args.permutations, seed=args.seed)
    except LayerError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    target = args.output.with_suffix(f".{args.format}") if args.output.suffix.lower() not in (
        f".{args.format}", ".json") else args.output
    export_areas(frame, target, provenance)
    print(f"{target}: {len(frame)} gebieden, {len(frame.columns) - 1} velden")
    return 0


def _voices(args: argparse.Namespace) -> int:
    _django()
    from wijkbeeld.web.voices.importing import import_voices

    print(import_voices(args.file, args.mapping).summary())  # DataError: exit 2 in main()
    return 0


def _utf8_stdio() -> None:
    """Voices commands read and write UTF-8, one text per line, whatever the locale says."""
    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def _scrub(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.scrub import Scrubber, total_counts

    scrubber = Scrubber(keep=tuple(args.keep or ()))
    results = []
    _utf8_stdio()
    for raw in sys.stdin:
        result = scrubber.scrub(raw.rstrip("\r\n"))
        print(result.text)
        results.append(result)
    if args.report:
        counts = total_counts(results)
        changed = sum(1 for r in results if r.changed)
        if args.report == "json":
            report = {"texts": len(results), "changed": changed, "counts": counts}
            print(json.dumps(report, ensure_ascii=False), file=sys.stderr)
        else:
            found = ", ".join(f"{k} {v}" for k, v in counts.items()) or "niets"
            print(f"{len(results)} teksten, {changed} gewijzigd; vervangen: {found}",
                  file=sys.stderr)
    return 0


def _tag(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.lexicon import LexiconError, load_lexicon
    from wijkbeeld.voices.tagging import Tagger

    try:
        lexicon = load_lexicon(args.lexicon or [])
    except LexiconError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    tagger = Tagger(lexicon, min_confidence=args.min_confidence)
    _utf8_stdio()
    for raw in sys.stdin:
        print(json.dumps(tagger.tag(raw.rstrip("\r\n")).to_dict(), ensure_ascii=False))
    return 0


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

    rep = sub.add_parser("report", help="the wijkbeeld report of an area (HTML or PDF)")
    rep.add_argument("area", nargs="?", help="CBS code, e.g. BU0363AA01 (or use --municipality)")
    rep.add_argument("--year", type=int, help="figure year (default: latest per figure)")
    rep.add_argument("--format", choices=["html", "pdf"], default="pdf")
    rep.add_argument("--language", choices=["nl", "en"], default="nl")
    rep.add_argument("-o", "--output", type=Path, help="output file (one area)")
    rep.add_argument("--municipality", help="batch: every area of this GM code")
    rep.add_argument("--level", choices=["neighbourhood", "district"], default="neighbourhood")
    rep.add_argument("--outdir", type=Path, help="batch: folder for the reports")
    rep.set_defaults(func=_report)

    urg = sub.add_parser("urgency", help="the urgency matrix of an area: themes x groups")
    urg.add_argument("area", help="CBS code of a wijk or buurt, e.g. WK036300")
    urg.add_argument("--round", help="round key (default: the latest round with answers)")
    urg.add_argument("--json", action="store_true")
    urg.add_argument("--no-figures", action="store_true", help="leave the figures out")
    urg.set_defaults(func=_urgency)

    for name, helptext in (("hotspots", "where challenges concentrate: Local Moran's I, Gi*"),
                           ("export", "areas with figures, theme scores and hotspots as a file")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("--municipality", required=True, help="GM code, e.g. GM0363")
        sp.add_argument("--year", type=int, required=True, help="year of the figures")
        sp.add_argument("--level", choices=["neighbourhood", "district"], default="neighbourhood")
        sp.add_argument("--boundary-year", type=int, help="indeling (default: newest with shapes)")
        sp.add_argument("--permutations", type=int, default=999)
        sp.add_argument("--seed", type=int, default=12345)
        if name == "hotspots":
            what = sp.add_mutually_exclusive_group(required=True)
            what.add_argument("--indicator", help="indicator key, e.g. woz_waarde")
            what.add_argument("--theme", help="theme key (theme score), e.g. werk_inkomen")
            sp.add_argument("--json", action="store_true")
            sp.add_argument("--map", type=Path, help="write a hotspot map (.png or .svg)")
            sp.add_argument("--fdr", action="store_true", help="Benjamini-Hochberg correction")
            sp.add_argument("--island-policy", choices=["attach", "exclude"], default="attach")
            sp.set_defaults(func=_hotspots)
        else:
            sp.add_argument("--format", choices=["gpkg", "geojson"], required=True)
            sp.add_argument("-o", "--output", type=Path, required=True)
            sp.set_defaults(func=_export)

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

    vo = sub.add_parser("voices", help="voices (stemmen): import from CSV/XLSX exports")
    vo_sub = vo.add_subparsers(dest="what", required=True)
    vi = vo_sub.add_parser("import", help="voices from a CSV/XLSX export, scrubbed on the way in")
    vi.add_argument("file", type=Path)
    vi.add_argument("--mapping", type=Path, required=True, help="TOML column mapping")
    vi.set_defaults(func=_voices)

    scr = sub.add_parser("scrub", help="remove personal data: one text per line, stdin to stdout")
    scr.add_argument("--keep", nargs="+", metavar="PLACE", help="place names never scrubbed")
    scr.add_argument(
        "--report", nargs="?", const="text", choices=["text", "json"],
        help="print how many of each kind were replaced to stderr (text or json)",
    )
    scr.set_defaults(func=_scrub)
    tg = sub.add_parser("tag", help="suggest themes and tone: one text per line, JSON per line")
    tg.add_argument("--lexicon", type=Path, action="append", help="TOML lexicon override file")
    tg.add_argument("--min-confidence", type=float, default=0.5, help="default 0.5")
    tg.set_defaults(func=_tag)

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
