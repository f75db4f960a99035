"""Parsing the cells of statistical exports: padding, decimal commas, ``.`` for suppressed.

CBS exports hold numbers as padded text (``"    75.2"``), with a decimal comma in some columns and a
dot in others of the same file, ``.`` where CBS withheld the figure, and an empty cell where there
is none. A number is never invented: ``.`` and empties are never read as 0.

>>> values, status, bad = parse_cells(pd.Series(["1,8", " 416.0", ".", "", "abc"]))
>>> values.tolist()[:2], status.tolist(), bad.tolist()
([1.8, 416.0], ['ok', 'ok', 'suppressed', 'missing', 'ok'], [False, False, False, False, True])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SENTINELS", "parse_cells"]

#: Codes some CBS and municipal exports put where a figure is secret or not applicable.
SENTINELS: frozenset[float] = frozenset({-99999999.0, -99999998.0, -99999997.0, -99997.0, -99995.0})


def parse_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of raw cells into (value, status, bad).

    ``bad`` marks cells that hold text that is not a number; their value is NaN and the caller
    reports them with row and column. Sentinel codes are left as values for the validator to flag.
    """
    text = raw.astype("string").str.strip()
    missing = text.isna() | (text == "")
    suppressed = text == "."
    # Some StatLine tables use "x" (geheim) or "-" (nihil not applicable); treat x as suppressed.
    suppressed |= text.str.casefold().isin(["x"])
    candidate = text.where(~(missing | suppressed))
    has_comma = candidate.str.contains(",", regex=False, na=False)
    has_dot = candidate.str.contains(".", regex=False, na=False)
    # "1.234,5": dots are thousands separators when a comma follows them.
    both = has_comma & has_dot
    cleaned = candidate.where(~both, candidate.str.replace(".", "", regex=False))
    cleaned = cleaned.str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = candidate.notna() & values.isna()
    status = pd.Series(np.where(suppressed, "suppressed", "ok"), index=raw.index, dtype=object)
    status[missing.to_numpy()] = "missing"
    return values, status, bad.astype(bool)
