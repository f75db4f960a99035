"""Queueing a figures import as a background job, and what the job does around the reader.

Two ways in, one set of parameters (those of ``wijkbeeld import figures``: the file, an optional
mapping, extra catalogue files, skip-unknown, who):

* ``wijkbeeld import figures FILE --queue`` queues a file already on the server; the worker reads
  it where it is and leaves it there;
* the import page (``/taken/import/``) stores an upload in a private directory of its own under
  ``WIJKBEELD_JOB_DIR`` (named ``import-…``); the job removes that directory when it ends, done
  or failed, so no upload outlives its job.

An upload's errors name the file as the user called it, never the path in the job directory. An
analyst tied to a municipality may import figures of that municipality only (the national
figures every other municipality compares against are not theirs to replace): the job then
fails, naming the areas outside it, and stores nothing.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.figures.areakeys import AreaKeys
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.web.jobs.models import Job
from wijkbeeld.web.jobs.queue import enqueue

__all__ = ["UPLOAD_PREFIX", "area_keys", "check_own_areas", "job_dir", "named_errors",
           "queue_figures", "remove_upload", "shown_table"]

log = logging.getLogger(__name__)
#: Name prefix of an upload's directory; :func:`remove_upload` removes nothing else.
UPLOAD_PREFIX = "import-"
_SHOWN = 3


def job_dir() -> Path:
    """The directory for job inputs (``WIJKBEELD_JOB_DIR``), created on first use (owner only)."""
    from django.conf import settings

    folder = Path(settings.WIJKBEELD_JOB_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def queue_figures(path: Path, *, mapping: Path | None = None, catalogue: Sequence[Path] = (),
                  skip_unknown: bool = False, who: str = "cli", user: Any = None,
                  municipality: str = "", upload: tuple[Path, str, str | None] | None = None,
                  allow_new_areas: bool = False, area_options: dict[str, str] | None = None,
                  using: str = "default") -> Job:
    """Queue the import of ``path`` (absolute). ``upload``: (its directory, the file's own name,
    the mapping's own name) for a file stored by the import page; ``municipality``: the GM code
    of the user's account, which then limits the import to that municipality's areas.
    ``allow_new_areas`` and ``area_options`` (code prefix, code parts, name column, name mapping;
    :func:`area_keys`) as for ``wijkbeeld import figures``."""
    parameters: dict[str, Any] = {
        "path": str(path), "mapping": str(mapping) if mapping is not None else None,
        "catalogue": [str(c) for c in catalogue], "skip_unknown": skip_unknown, "who": who,
    }
    if allow_new_areas:
        parameters["allow_new_areas"] = True
    if area_options:
        parameters["areas"] = dict(area_options)
    if municipality:
        parameters["only_municipality"] = municipality.upper()
    if upload is not None:
        directory, name, mapping_name = upload
        parameters.update(upload_dir=str(directory), name=name, mapping_name=mapping_name)
    return enqueue(Job.Kind.IMPORT_FIGURES, parameters, municipality=municipality, user=user,
                   using=using)


def area_keys(parameters: dict[str, Any], using: str = "default") -> AreaKeys:
    """How the job's rows find their area (issue 21): the options of ``import figures``, names
    matched within the job's municipality among the stored areas."""
    from wijkbeeld.figures.areakeys import read_name_mapping
    from wijkbeeld.web.figures.store import StoredAreas

    options = dict(parameters.get("areas") or {})
    parts = None
    if options.get("code_parts"):
        names = [p.strip() or None for p in str(options["code_parts"]).split(",")] + [None] * 2
        parts = (str(names[0]), names[1], names[2])
    mapping = options.get("name_mapping")
    write = options.get("write_mapping")
    return AreaKeys(
        code_prefix=options.get("code_prefix"), code_column=options.get("code_column"),
        code_parts=parts, name_column=options.get("name_column"),
        municipality=str(parameters.get("only_municipality") or "") or None,
        name_mapping=read_name_mapping(mapping) if mapping else {},
        mapping_file=str(mapping or ""), write_mapping=Path(write) if write else None,
        areas=StoredAreas(using),
    )


def _shown_names(parameters: dict[str, Any]) -> dict[str, str]:
    """Stored path → the name the user knows, for an upload (empty for a file of the CLI)."""
    if not parameters.get("upload_dir"):
        return {}
    names = {str(parameters.get("path", "")): str(parameters.get("name", ""))}
    if parameters.get("mapping"):
        names[str(parameters["mapping"])] = str(parameters.get("mapping_name") or "mapping.toml")
    return names


def _plain(text: str, names: dict[str, str]) -> str:
    for stored, name in names.items():
        text = text.replace(stored, name)
    return text


@contextmanager
def named_errors(parameters: dict[str, Any]) -> Iterator[None]:
    """Re-raise a :class:`DataError` about an upload with the user's file names in place of the
    paths in the job directory (the page shows the error; server paths are not its business)."""
    try:
        yield
    except DataError as exc:
        names = _shown_names(parameters)
        if not names:
            raise
        raise DataError([Problem(_plain(p.file, names), p.row, p.column, _plain(p.message, names))
                         for p in exc.problems]) from None


def shown_table(table: FigureTable, parameters: dict[str, Any]) -> FigureTable:
    """An upload's table with the user's file name (the import batch records it, and its
    warnings): the path in the job directory is gone once the job ends."""
    names = _shown_names(parameters)
    if not names:
        return table
    return replace(table, file=_plain(table.file, names),
                   warnings=tuple(_plain(w, names) for w in table.warnings))


def check_own_areas(table: FigureTable, municipality: str, name: str) -> None:
    """Refuse (DataError naming the file and the first codes) a table with areas outside
    ``municipality``, or with the country as a whole."""
    outside = sorted(c for c in table.area_codes if parse_code(c).municipality != municipality)
    if outside:
        shown = ", ".join(outside[:_SHOWN]) + (", ..." if len(outside) > _SHOWN else "")
        raise DataError.single(name, f"{len(outside)} areas lie outside {municipality} "
                                     f"({shown}); an account of {municipality} imports figures "
                                     "of its own municipality only")


def remove_upload(directory: object) -> None:
    """Remove an upload's directory (only a directory named ``import-…``; a missing one is
    fine: the job may have been run before)."""
    if not directory:
        return
    folder = Path(str(directory))
    if not folder.name.startswith(UPLOAD_PREFIX):
        log.warning("not removed (not an upload directory): %s", folder)
        return
    shutil.rmtree(folder, ignore_errors=True)
