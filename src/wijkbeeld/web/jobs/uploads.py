"""Receiving an import file on the web: a size limit while the upload streams in, and storing it
in a private directory for the background job.

The limits are the importers' own (:func:`wijkbeeld.figures.filecheck.limits`,
``WIJKBEELD_MAX_IMPORT_BYTES``): :class:`LimitedUpload` drops a file as soon as it passes its
field's limit, so an oversized upload is never written to disk in full, and the stored file then
goes through :func:`~wijkbeeld.figures.filecheck.check_import_file` (zip bombs, XML entity tricks)
before a job is queued. A file is stored under its own name, made safe (no directories, no odd
characters): readers take the period from the name of some files, and errors name it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.text import get_valid_filename

from wijkbeeld.web.jobs.imports import UPLOAD_PREFIX, job_dir

__all__ = ["MAPPING_MAX_BYTES", "LimitedUpload", "new_upload_dir", "safe_name", "store_file"]

#: A mapping file is a few lines of TOML.
MAPPING_MAX_BYTES = 256 * 1024
_NAME_LENGTH = 120


class LimitedUpload(FileUploadHandler):
    """First upload handler: refuses (drops) a file once it passes its field's byte limit and
    remembers the field in ``refused``; the following handlers never see the rest of it."""

    def __init__(self, request: Any, limits: dict[str, int], default: int) -> None:
        super().__init__(request)
        self.limits, self.default = limits, default
        self.refused: set[str] = set()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limits.get(str(self.field_name), self.default):
            self.refused.add(str(self.field_name))
            raise SkipFile  # Django closes the partial file and reads past the rest
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def safe_name(name: str, fallback: str) -> str:
    """``name`` without directories or characters a file system might mind; ``fallback`` when
    nothing is left."""
    base = os.path.basename(name.replace("\\", "/"))
    try:
        safe = get_valid_filename(base)
    except SuspiciousFileOperation:
        return fallback
    stem, dot, suffix = safe.rpartition(".")
    if not dot:
        return safe[:_NAME_LENGTH]
    return f"{stem[:_NAME_LENGTH]}.{suffix.lower()}" if stem else fallback


def new_upload_dir() -> Path:
    """A fresh private directory (mode 700) for one job's input files."""
    return Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=job_dir()))


def store_file(upload: UploadedFile, directory: Path, name: str) -> Path:
    """Write ``upload`` to ``directory/name`` (owner may read and write, nobody else)."""
    target = directory / name
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return target
