"""Time per wijkbeeld report (PDF) after warm-up, and for a batch of all Amsterdam buurten.

Target (issue 7): under 3 s per report after warm-up. Printed, per area and for the batch:

* ``data``: gathering the report (``build_report_data``: profile from the municipality's shared
  comparison, trends, peers, maps, voices, urgency, triggers);
* ``pdf``: rendering it (``render_pdf``, WeasyPrint, tagged PDF/UA-1);
* beside a plain baseline: WeasyPrint rendering a plain HTML document of the same amount of
  text (the report's own text in paragraphs, no tables, no maps), in the same run.

"After warm-up" means the process has imported everything, loaded its fonts and built the
municipality's shared part once (one report per municipality is made first; that first, cold
report is printed too, with the municipality's comparison, shapes and theme maps in it). The
batch starts from an empty cache: its time includes that shared part once, as
``wijkbeeld report --municipality GM0363 --outdir D`` does.

Times are wall and CPU time of this process: on a shared machine other processes stretch wall
times; CPU time is far less disturbed (everything here runs on one core).

    .venv/bin/python benchmarks/report.py [--repeat N] [--batch-limit N] [--database URL]

Without ``--database`` the full demo (``wijkbeeld demo load``) is loaded into a fresh SQLite
database first.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _plain_html(report_html: str) -> str:
    """A plain HTML document with the same text as the report: paragraphs only."""
    body = report_html[report_html.index("<body>"):]
    text = unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", body, flags=re.S))
    words = text.split()
    paragraphs = [" ".join(words[i:i + 60]) for i in range(0, len(words), 60)]
    from html import escape

    return ("<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>x</title>"
            "</head><body>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            + "</body></html>")


def _pages(pdf: bytes) -> int:
    """Number of pages (pdfinfo when poppler is installed, else 0)."""
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        return 0
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    found = re.search(rb"Pages:\s+(\d+)", info)
    return int(found[1]) if found else 0


def _baseline_pdf(html: str) -> bytes:
    from weasyprint import HTML

    out: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per area (best is shown)")
    parser.add_argument("--batch-limit", type=int, help="only the first N Amsterdam buurten")
    parser.add_argument("--database", help="an existing database URL with the demo loaded")
    args = parser.parse_args(argv)
    if args.database:
        os.environ["WIJKBEELD_DATABASE_URL"] = args.database
    else:
        tmp = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-"))
        os.environ["WIJKBEELD_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    from wijkbeeld.report import render_html, render_pdf
    from wijkbeeld.web.report_maps import CONTEXTS
    from wijkbeeld.web.reports import build_report_data, municipality_context, report_areas

    if not args.database:
        from wijkbeeld.web.demo import load_demo

        call_command("migrate", verbosity=0, interactive=False)
        wall, _, _ = _timed(lambda: load_demo(verbose=False, password="bench-demo-1"))
        print(f"demo loaded in {wall:.1f} s")

    buurten = report_areas("GM0363", "neighbourhood")
    wijken = report_areas("GM0518", "district")
    areas = [*buurten[:2], "WK051834", *[w for w in wijken if w != "WK051834"][:1]]
    print("cold: the first report of each municipality (shared part built once)")
    for code in (buurten[0], "WK051834"):
        wall, cpu, data = _timed(lambda c=code: build_report_data(c))
        pwall, pcpu, _ = _timed(lambda d=data: render_pdf(d))
        print(f"  {code:<12} data {wall:5.2f} s (cpu {cpu:5.2f})  pdf {pwall:5.2f} s "
              f"(cpu {pcpu:5.2f})  total {wall + pwall:5.2f} s")
    print(f"\nafter warm-up, best of {args.repeat} (target: under 3 s per report)")
    print(f"  {'area':<12} {'data':>7} {'pdf':>7} {'total':>7} {'cpu':>6}   "
          f"{'baseline':>8} {'pages':>5} {'kB':>5}")
    totals = []
    for code in areas:
        best: tuple[float, float, float, float] | None = None
        for _ in range(args.repeat):
            wall, cpu, data = _timed(lambda c=code: build_report_data(c))
            pwall, pcpu, pdf = _timed(lambda d=data: render_pdf(d))
            run = (wall, pwall, wall + pwall, cpu + pcpu)
            best = run if best is None or run[2] < best[2] else best
        assert best is not None
        plain = _plain_html(render_html(data))
        base = min(_timed(lambda h=plain: _baseline_pdf(h))[0] for _ in range(args.repeat))
        pages = _pages(pdf)
        totals.append(best[2])
        print(f"  {code:<12} {best[0]:6.2f}s {best[1]:6.2f}s {best[2]:6.2f}s {best[3]:5.2f}s"
              f"   {base:7.2f}s {pages:5d} {len(pdf) // 1024:5d}")
    print(f"  mean total {sum(totals) / len(totals):.2f} s per report")

    CONTEXTS.clear()
    codes = buurten if args.batch_limit is None else buurten[:args.batch_limit]
    print(f"\nbatch: {len(codes)} Amsterdam buurten, PDF, from an empty cache")

    def batch() -> int:
        context = municipality_context("GM0363", "neighbourhood")
        n = 0
        for code in codes:
            n += len(render_pdf(build_report_data(code, context=context)))
        return n

    wall, cpu, size = _timed(batch)
    print(f"  {wall:.1f} s (cpu {cpu:.1f} s): {wall / len(codes):.2f} s per report "
          f"(cpu {cpu / len(codes):.2f} s), {size / len(codes) / 1024:.0f} kB per PDF")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
