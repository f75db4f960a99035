#!/usr/bin/env python3
"""Derive the bundled demo subsets from the raw source files, reproducibly.

Most demo files are bundled unchanged (see ``src/wijkbeeld/data/ATTRIBUTION.md``). The one that is
derived is the RIVM Gezondheidsmonitor 2020 (18+) workbook: the national file holds 17,341 rows
(4 MB); the demo needs only the Netherlands row and Amsterdam (GM0363 with its wijken and buurten).
This script copies those rows into a new workbook in the same CBS TypedDataSet layout: same sheet
name, same header, every cell value unchanged (the space-padded text values such as
``"    75.2"`` and ``"       ."`` stay byte-identical text; the numeric ``ID`` and ``Leeftijd``
cells stay numbers).

The output is byte-for-byte reproducible: the workbook's timestamps are taken from the source
workbook instead of the clock, and every zip entry gets a fixed date.

    .venv/bin/python scripts/make_demo_subsets.py --raw ../shared/data/raw
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl

__all__ = ["main", "rivm_subset", "sha256"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW = Path(os.environ.get("WIJKBEELD_RAW_DATA", ROOT.parent / "shared" / "data" / "raw"))
DEFAULT_OUT = ROOT / "src" / "wijkbeeld" / "data" / "amsterdam"

RIVM_SOURCE = "rivm-gezondheidsmonitor-buurt/rivm_gezondheid_2020_18plus.xlsx"
RIVM_TARGET = "rivm_gezondheid_2020_18plus_amsterdam.xlsx"
CODE_COLUMN = "WijkenEnBuurten"
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_TIMESTAMP = re.compile(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>")


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _keep(code: str, municipality: str, keep_country: bool) -> bool:
    """True for the rows of ``municipality`` (GMxxxx, WKxxxx.., BUxxxx..) and the country row."""
    code = code.strip().upper()
    if keep_country and code.startswith("NL"):
        return True
    digits = municipality[2:6]
    return code[:2] in {"GM", "WK", "BU"} and code[2:6] == digits


def _source_timestamps(path: Path) -> dict[bytes, bytes]:
    """The created/modified timestamps in the source workbook's docProps/core.xml."""
    with zipfile.ZipFile(path) as archive:
        core = archive.read(_CORE) if _CORE in archive.namelist() else b""
    return {m.group(1): m.group(0) for m in _TIMESTAMP.finditer(core)}


def _normalised_zip(data: bytes, timestamps: dict[bytes, bytes]) -> bytes:
    """Rewrite an xlsx (zip) with fixed entry dates and the given core timestamps."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == _CORE and timestamps:
                payload = _TIMESTAMP.sub(
                    lambda m: timestamps.get(m.group(1), m.group(0)), payload
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, payload)
    return out.getvalue()


def rivm_subset(
    source: Path, target: Path, municipality: str = "GM0363", keep_country: bool = True
) -> int:
    """Write the header and the rows of ``municipality`` (and NL) of ``source`` to ``target``.

    Returns the number of data rows written. Raises ``ValueError`` when the source lacks the
    ``WijkenEnBuurten`` column, so a changed layout is noticed instead of silently emptied.
    """
    book = openpyxl.load_workbook(source, read_only=True)
    try:
        sheet = book.worksheets[0]
        title = sheet.title
        rows: Iterable[tuple[object, ...]] = sheet.iter_rows(values_only=True)
        iterator = iter(rows)
        header = next(iterator)
        if CODE_COLUMN not in header:
            raise ValueError(f"{source}: no {CODE_COLUMN!r} column in the header row")
        code_at = header.index(CODE_COLUMN)
        kept = [r for r in iterator if _keep(str(r[code_at] or ""), municipality, keep_country)]
    finally:
        book.close()

    out = openpyxl.Workbook(write_only=True)
    sheet_out = out.create_sheet(title)
    sheet_out.append(list(header))
    for row in kept:
        sheet_out.append(list(row))
    buffer = io.BytesIO()
    out.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_normalised_zip(buffer.getvalue(), _source_timestamps(source)))
    return len(kept)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the derived demo files and print their sha256."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="the raw data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write")
    args = parser.parse_args(argv)
    source = args.raw / RIVM_SOURCE
    if not source.exists():
        print(f"not found: {source}", file=sys.stderr)
        return 1
    target = args.out / RIVM_TARGET
    n = rivm_subset(source, target)
    print(f"{target}: {n} rows from {source.name} (sha256 {sha256(target)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
