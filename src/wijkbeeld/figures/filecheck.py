"""Checks on an input file before any reader opens it: size, zip bombs, XML entity tricks.

Every importer (figures, boundaries, crosswalks, voices, round exports) calls
:func:`check_import_file` first, so a hostile or broken file is refused with a clear
:class:`~wijkbeeld.figures.errors.DataError` naming the file, and no parser gets to see it:

* a file larger than ``WIJKBEELD_MAX_IMPORT_BYTES`` (default 200 MB);
* an ``.xlsx`` (a zip archive) whose members unpack to more than ``WIJKBEELD_MAX_UNPACKED_BYTES``
  (default 1 GB) in total, or with a member compressed more than ``WIJKBEELD_MAX_ZIP_RATIO``
  times (default 200; real workbooks stay far below), or with more than 10 000 members;
* an ``.xlsx`` with a ``<!DOCTYPE`` or ``<!ENTITY`` in any XML part: Office never writes one,
  and it is what "billion laughs" and external-entity attacks need.

The sizes in the zip directory are checked without unpacking; the XML parts are then read in
bounded chunks (the directory can lie), so the check itself cannot be bombed.

>>> limits().max_ratio
200.0
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from wijkbeeld.figures.errors import DataError

__all__ = ["Limits", "check_import_file", "check_xlsx", "limits"]

_ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_CHUNK = 1 << 16
MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class Limits:
    """Byte limits for one import (from the environment, see the module doc)."""

    max_bytes: int
    max_unpacked: int
    max_ratio: float


def limits() -> Limits:
    env = os.environ.get
    return Limits(int(env("WIJKBEELD_MAX_IMPORT_BYTES", str(200 << 20))),
                  int(env("WIJKBEELD_MAX_UNPACKED_BYTES", str(1 << 30))),
                  float(env("WIJKBEELD_MAX_ZIP_RATIO", "200")))


def _mb(n: float) -> str:
    return f"{n / (1 << 20):.1f} MB"


def _xml_text(data: bytes) -> bytes:
    """UTF-16 XML (with its byte order mark) as ASCII-compatible bytes, so the DTD check sees it."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return data.replace(b"\x00", b"")


def check_xlsx(path: Path, lim: Limits | None = None) -> None:
    """Refuse a zip bomb or an XML part with a DTD in the workbook ``path`` (DataError)."""
    lim = lim or limits()
    file = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError.single(file, f"not a readable .xlsx workbook (damaged zip: {exc})") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise DataError.single(file, f"refused: the workbook has {len(members)} parts "
                                         f"(more than {MAX_MEMBERS})")
        total = sum(m.file_size for m in members)
        if total > lim.max_unpacked:
            raise DataError.single(file, f"refused: the workbook unpacks to {_mb(total)}, more "
                                         f"than the limit of {_mb(lim.max_unpacked)} (zip bomb?)")
        for m in members:
            ratio = m.file_size / max(m.compress_size, 1)
            if m.file_size > (1 << 20) and ratio > lim.max_ratio:
                raise DataError.single(file, f"refused: part {m.filename!r} is compressed "
                                             f"{ratio:.0f} times (limit {lim.max_ratio:.0f}; "
                                             "zip bomb?)")
        seen = 0
        for m in members:
            if not m.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(m) as fh:
                    head = fh.read(_CHUNK)
                    seen += len(head)
                    while chunk := fh.read(_CHUNK):  # the directory may lie about sizes
                        seen += len(chunk)
                        if seen > lim.max_unpacked:
                            raise DataError.single(file, "refused: the workbook unpacks to more "
                                                   f"than {_mb(lim.max_unpacked)} (zip bomb?)")
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise DataError.single(file, f"not a readable .xlsx workbook (part "
                                             f"{m.filename!r} is damaged: {exc})") from exc
            if _DTD.search(_xml_text(head)):
                raise DataError.single(file, f"refused: part {m.filename!r} declares a DOCTYPE "
                                             "or ENTITY (XML entity expansion or external "
                                             "entities); Excel never writes one")


def check_import_file(path: str | Path, lim: Limits | None = None) -> None:
    """Size limit for every import file; zip-bomb and DTD checks for ``.xlsx``/``.xlsm``."""
    path = Path(path)
    lim = lim or limits()
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing file in its own words
    if size > lim.max_bytes:
        raise DataError.single(str(path), f"refused: the file is {_mb(size)}, more than the "
                                          f"import limit of {_mb(lim.max_bytes)} "
                                          "(WIJKBEELD_MAX_IMPORT_BYTES)")
    if path.suffix.lower() in _ZIP_SUFFIXES and zipfile.is_zipfile(path):
        check_xlsx(path, lim)
