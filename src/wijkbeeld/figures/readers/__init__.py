"""Source readers: each turns one file format into a validated :class:`FigureTable`.

:func:`read_figures` picks the reader from the file's content and name.
"""

from __future__ import annotations

from pathlib import Path

from wijkbeeld.figures.areakeys import AreaKeys
from wijkbeeld.figures.catalogue import Catalogue, load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.filecheck import check_import_file
from wijkbeeld.figures.table import FigureTable

__all__ = ["read_figures"]


def read_figures(
    path: Path | str,
    *,
    catalogue: Catalogue | None = None,
    mapping: Path | str | None = None,
    skip_unknown: bool = False,
    keys: AreaKeys | None = None,
) -> FigureTable:
    """Read any supported figures file into a validated table, or raise :class:`DataError`.

    With ``mapping`` (a TOML mapping file) the file is read as a municipality's own CSV/XLSX.
    Otherwise the format is recognised: an ``.xlsx`` in the CBS TypedDataSet layout (RIVM), a
    StatLine CSV export, or a CSV with a known area-code column (or, without one, a name column
    whose names are matched). ``keys``: codes built from a prefix or from number columns, names
    matched with a reviewed mapping (:mod:`wijkbeeld.figures.areakeys`).
    """
    path = Path(path)
    cat = catalogue or load_catalogue()
    if not path.exists():
        raise DataError.single(str(path), "file not found")
    if path.stat().st_size == 0:
        raise DataError.single(str(path), "the file is empty (0 bytes)")
    check_import_file(path)  # size limit, zip bombs, XML entities (before any parser)
    if mapping is not None:
        from wijkbeeld.figures.readers.mapped import read_mapped

        return read_mapped(path, Path(mapping), catalogue=cat, skip_unknown=skip_unknown,
                           keys=keys)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"} and keys is not None and (keys.builds_codes or
                                                          keys.name_column):
        raise DataError.single(str(path), "codes bouwen of namen koppelen in een werkboek kan "
                                          "alleen met een koppelbestand (--mapping)")
    if suffix in {".xlsx", ".xlsm"}:
        from wijkbeeld.figures.readers.typed_xlsx import read_typed_xlsx

        return read_typed_xlsx(path, catalogue=cat, skip_unknown=skip_unknown)
    if suffix in {".csv", ".txt", ".tsv"}:
        from wijkbeeld.figures.readers.statline_csv import read_statline_csv

        return read_statline_csv(path, catalogue=cat, skip_unknown=skip_unknown, keys=keys)
    raise DataError.single(str(path), f"unsupported file type {suffix!r} (use .csv or .xlsx)")
