"""What each kind of job does.

``report_batch``: the report of every area of one municipality (level, format and language from
the parameters), in one ZIP; the municipality is compared once (the shared
:class:`~wijkbeeld.web.reports.MunicipalityContext`, as ``wijkbeeld report --municipality``),
progress is counted per area. ``import_figures``: a figures file already on the server, read
and stored like ``wijkbeeld import figures`` in three phases (read, store, done); a bad file
fails the job with the reader's error and stores nothing (see :mod:`wijkbeeld.web.jobs.imports`
for uploads and for accounts tied to a municipality).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from wijkbeeld.web.jobs.models import Job
from wijkbeeld.web.jobs.queue import finish, progress

__all__ = ["RUNNERS", "import_figures", "report_batch"]


def report_batch(job: Job, using: str) -> None:
    """Every area's report of ``job.municipality`` into one ZIP (areas without figures are
    skipped and counted)."""
    from wijkbeeld.compare import ProfileError
    from wijkbeeld.report import render_html, render_pdf
    from wijkbeeld.web.reports import build_report_data, municipality_context, report_areas

    p = job.parameters
    level = str(p.get("level", "district"))
    fmt = str(p.get("format", "pdf"))
    language = str(p.get("language", "nl"))
    year = p.get("year")
    if level not in ("neighbourhood", "district") or fmt not in ("pdf", "html"):
        raise ValueError(f"ongeldige parameters: niveau {level!r}, formaat {fmt!r}")
    codes = report_areas(job.municipality, level, using)
    if p.get("limit") is not None:
        codes = codes[:int(p["limit"])]
    if not codes:
        raise ValueError(f"geen gebieden met cijfers in {job.municipality} ({level})")
    progress(job, 0, len(codes), "gemeente vergelijken", using)
    context = municipality_context(job.municipality, level, using)
    buffer, skipped = io.BytesIO(), 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, code in enumerate(codes, 1):
            try:
                data = build_report_data(code, year=year, language=language, using=using,
                                         context=context)
            except ProfileError:
                skipped += 1
            else:
                if fmt == "pdf":
                    zf.writestr(f"{code}.pdf", render_pdf(data))
                else:
                    zf.writestr(f"{code}.html", render_html(data))
            progress(job, i, len(codes), code, using)
    made = len(codes) - skipped
    finish(job, result=(f"rapporten-{job.municipality}-{level}.zip", buffer.getvalue()),
           message=f"{made} rapporten, {skipped} zonder cijfers", using=using)


def import_figures(job: Job, using: str) -> None:
    """Import one figures file (a path on the server) into the database; an upload's directory
    is removed when the job ends, done or failed."""
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.jobs.imports import (
        area_keys,
        check_own_areas,
        named_errors,
        remove_upload,
        shown_table,
    )

    p = job.parameters
    path = Path(str(p.get("path", "")))
    name = str(p.get("name") or path.name)
    try:
        with named_errors(p):
            progress(job, 0, 3, f"lezen: {name}", using)
            catalogue = load_catalogue([Path(c) for c in p.get("catalogue", [])])
            table = shown_table(read_figures(path, catalogue=catalogue, mapping=p.get("mapping"),
                                             skip_unknown=bool(p.get("skip_unknown", False)),
                                             keys=area_keys(p, using)), p)
            if p.get("only_municipality"):
                check_own_areas(table, str(p["only_municipality"]), name)
        # One transaction stores the whole table (all or nothing), so there is no finer
        # progress to show while it runs: writes inside it are invisible to the web app.
        progress(job, 1, 3, f"opslaan: {table.n_cells} cijfers", using)
        owner = str(p.get("only_municipality") or "")
        # An import for a municipality writes only the bundled national catalogue; its own
        # definitions are scoped by store_table (issue 18: wijkbeeld.web.figures.scope).
        sync_catalogue(load_catalogue() if owner else catalogue, using=using)
        with named_errors(p):
            result = store_table(table, who=str(p.get("who", "worker")), owner=owner,
                                 using=using,
                                 allow_new_areas=bool(p.get("allow_new_areas", False)))
        progress(job, 2, 3, "klaar", using)
    finally:
        remove_upload(p.get("upload_dir"))
    message = (f"{result.cells} cijfers van {len(table.area_codes)} gebieden (batch "
               f"{result.batch_id})" if result.created
               else f"al eerder geïmporteerd (batch {result.batch_id})")
    if result.owned:
        message += f"; eigen indicatoren: {', '.join(result.owned)}"
    if result.new_areas:
        message += f"; {len(result.new_areas)} nieuwe gebieden"
    for warning in result.warnings:
        message += f"; {warning}"
    finish(job, message=message, using=using)


RUNNERS: dict[str, Callable[[Job, str], None]] = {
    Job.Kind.REPORT_BATCH: report_batch,
    Job.Kind.IMPORT_FIGURES: import_figures,
}
