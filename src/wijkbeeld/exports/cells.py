"""Neutralise text cells a spreadsheet would run as a formula (CSV/formula injection).

A voice text or an area name is typed by people; in a CSV or XLSX export a cell such as
``=HYPERLINK("http://...")`` or ``@SUM(...)`` would become a live formula when the file is
opened in Excel or LibreOffice. Following OWASP's guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection), every *text* cell that starts with
``=``, ``+``, ``-``, ``@``, a tab (0x09) or a carriage return (0x0D) gets a leading single quote,
so the spreadsheet shows it as text. Numbers are never touched: ``-1.5`` stays the number -1.5;
only Python strings are. Parquet (read by programs, not run by a spreadsheet) keeps the text as
stored. Every CSV and XLSX writer calls :func:`neutralise_frame`
(:mod:`wijkbeeld.exports.writers`).

>>> neutralise_cell("=1+2"), neutralise_cell("Buurt -1"), neutralise_cell(-1.5)
("'=1+2", 'Buurt -1', -1.5)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise_cell", "neutralise_frame"]

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text starting with a formula character;
    anything else (numbers, dates, missing values, safe text) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_object_dtype(dtype) or isinstance(
        dtype, (pd.StringDtype, pd.CategoricalDtype))


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column label through
    :func:`neutralise_cell`; numeric, boolean and date columns are left as they are."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not _is_text(column):
            continue
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        out.isetitem(position, column.map(neutralise_cell, na_action="ignore").to_numpy())
    out.columns = pd.Index([neutralise_cell(c) for c in out.columns], dtype=object)
    return out
