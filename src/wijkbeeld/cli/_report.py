"""Report command: one area or a whole municipality, HTML or PDF.

The batch compares the municipality once (one :class:`~wijkbeeld.web.reports.MunicipalityContext`
for all its areas: comparison, shapes, theme and hotspot maps) and shows a progress bar.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _report(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.compare import ProfileError
    from wijkbeeld.report import render_html, render_pdf
    from wijkbeeld.web.reports import (
        MunicipalityContext,
        build_report_data,
        municipality_context,
        report_areas,
    )

    def write(code: str, target: Path, context: MunicipalityContext | None = None) -> None:
        data = build_report_data(code, year=args.year, language=args.language, context=context)
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
    if args.limit is not None:
        codes = codes[:args.limit]
    if not codes:
        print(f"geen gebieden met cijfers in {args.municipality.upper()} ({args.level})",
              file=sys.stderr)
        return 1
    # One comparison (and one set of theme and hotspot maps) for the whole municipality.
    context = municipality_context(args.municipality, args.level)
    skipped = 0
    start = time.perf_counter()
    for code in tqdm(codes, desc="rapporten", unit="gebied", file=sys.stderr):
        try:
            write(code, args.outdir / f"{code}.{args.format}", context)
        except ProfileError:
            skipped += 1
    seconds = time.perf_counter() - start
    print(f"{len(codes) - skipped} rapporten in {args.outdir}, {skipped} zonder cijfers "
          f"({seconds:.1f} s, {seconds / len(codes):.2f} s per gebied)")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the report command to the ``wijkbeeld`` parser."""
    rep = sub.add_parser("report", help="the wijkbeeld report of an area (HTML or PDF)")
    rep.add_argument("area", nargs="?", help="CBS code, e.g. BU0363AA01 (or use --municipality)")
    rep.add_argument("--year", type=int, help="figure year (default: latest per figure)")
    rep.add_argument("--format", choices=["html", "pdf"], default="pdf")
    rep.add_argument("--language", choices=["nl", "en"], default="nl")
    rep.add_argument("-o", "--output", type=Path, help="output file (one area)")
    rep.add_argument("--municipality", help="batch: every area of this GM code")
    rep.add_argument("--level", choices=["neighbourhood", "district"], default="neighbourhood")
    rep.add_argument("--outdir", type=Path, help="batch: folder for the reports")
    rep.add_argument("--limit", type=int, help="batch: only the first N areas (a trial run)")
    rep.set_defaults(func=_report)
