"""The import page (``/taken/import/``): a data manager uploads a figures file, the background
worker imports it, and the jobs page shows the progress.

Analysts and admins only (the roles that may import; viewers and professionals get 403). The
upload goes through :class:`~wijkbeeld.web.jobs.uploads.LimitedUpload` (a request announcing
more than the limit is refused before its body is read), the form's checks and the importers'
file check (zip bombs, XML entity tricks), and is then stored in a private directory under
``WIJKBEELD_JOB_DIR`` and queued. Nothing is queued and nothing stays on disk when any check
fails. An analyst tied to a municipality imports figures of that municipality only (checked by
the job once the file is read, see :mod:`wijkbeeld.web.jobs.imports`).

The upload handler must be in place before anything reads the request body, and the CSRF check
reads it; so the outer view is CSRF-exempt and the inner one is ``csrf_protect``-ed (the
pattern of Django's documentation on upload handlers): every POST is still CSRF-checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.filecheck import check_import_file, limits
from wijkbeeld.web.accounts.access import ANALYSTS, municipality_of, role_required
from wijkbeeld.web.jobs.forms import ImportForm, size_text
from wijkbeeld.web.jobs.imports import named_errors, queue_figures
from wijkbeeld.web.jobs.models import Job
from wijkbeeld.web.jobs.uploads import (
    MAPPING_MAX_BYTES,
    LimitedUpload,
    new_upload_dir,
    safe_name,
    store_file,
)

__all__ = ["import_start"]

#: Room for the form fields and multipart headers on top of the two files' limits.
_FORM_BYTES = 64 * 1024


@role_required(*ANALYSTS)
@csrf_exempt
def import_start(request: HttpRequest) -> HttpResponse:
    max_bytes = limits().max_bytes
    refused: set[str] = set()
    if request.method == "POST":
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
        if announced > max_bytes + MAPPING_MAX_BYTES + _FORM_BYTES:
            # Refused unread: nothing is stored or changed, so no CSRF check is needed either.
            form = ImportForm({}, max_bytes=max_bytes, refused={"bestand"})
            form.is_valid()  # the field's "too large" message
            return _page(request, form, status=413)
        handler = LimitedUpload(request, {"bestand": max_bytes, "mapping": MAPPING_MAX_BYTES},
                                default=MAPPING_MAX_BYTES)
        request.upload_handlers.insert(0, handler)
        refused = handler.refused
    return _import_form(request, max_bytes, refused)


@csrf_protect
def _import_form(request: HttpRequest, max_bytes: int, refused: set[str]) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ImportForm(max_bytes=max_bytes))
    form = ImportForm(request.POST, request.FILES, max_bytes=max_bytes, refused=refused)
    if form.is_valid():
        try:
            job = _queue(form.cleaned_data, request.user)
        except _FieldError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(name)s staat in de wachtrij als taak %(n)s.")
                             % {"name": job.parameters["name"], "n": job.pk})
            return redirect("job-list")
    return _page(request, form, status=400)


def _page(request: HttpRequest, form: ImportForm, status: int = 200) -> HttpResponse:
    return render(request, "wijkbeeld/jobs/import.html", {
        "form": form, "own": municipality_of(request.user),
        "max_size": size_text(limits().max_bytes),
    }, status=status)


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _queue(data: dict[str, Any], user: Any) -> Job:
    """Store the upload (and mapping) in a new job directory, check them, queue the job; on any
    failure the directory is removed again."""
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers.mapped import load_mapping

    upload, mapping_upload = data["bestand"], data.get("mapping")
    suffix = Path(upload.name).suffix.lower()
    directory = new_upload_dir()
    try:
        name = safe_name(upload.name, f"bestand{suffix}")
        path = store_file(upload, directory, name)
        shown: dict[str, Any] = {"upload_dir": str(directory), "path": str(path), "name": name}
        mapping, mapping_name = None, None
        try:
            with named_errors(shown):
                check_import_file(path)  # size, zip bombs, XML entities: the importers' check
        except DataError as exc:
            raise _FieldError("bestand", str(exc)) from exc
        if mapping_upload is not None:
            mapping_name = safe_name(mapping_upload.name, "koppeling.toml")
            mapping = store_file(mapping_upload, directory, mapping_name)
            shown.update(mapping=str(mapping), mapping_name=mapping_name)
            try:
                with named_errors(shown):
                    load_mapping(mapping, load_catalogue())
            except DataError as exc:
                raise _FieldError("mapping", str(exc)) from exc
        return queue_figures(path, mapping=mapping, skip_unknown=bool(data.get("skip_unknown")),
                             who=f"web:{user.get_username()}"[:150], user=user,
                             municipality=municipality_of(user) or "",
                             upload=(directory, name, mapping_name),
                             allow_new_areas=bool(data.get("allow_new_areas")))
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
