"""Parsing the cells of statistical exports: padding, decimal commas, ``.`` for suppressed.

CBS exports hold numbers as padded text (``"    75.2"``), with a decimal comma in some columns and a
dot in others of the same file, ``.`` where CBS withheld the figure, and an empty cell where there
is none. A number is never invented: ``.`` and empties are never read as 0.

>>> values, status, bad = parse_cells(pd.Series(["1,8", " 416.0", ".", "", "abc", "1.234,5"]))
>>> values.tolist()[:2], values.tolist()[5], status.tolist()[:5]
([1.8, 416.0], 1234.5, ['ok', 'ok', 'suppressed', 'missing', 'ok'])
>>> bad.tolist()
[False, False, False, False, True, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SENTINELS", "SUPPRESSED_SYMBOLS", "parse_cells"]

#: Codes some CBS and municipal exports put where a figure is secret or not applicable.
SENTINELS: frozenset[float] = frozenset({-99999999.0, -99999998.0, -99999997.0, -99997.0, -99995.0})

#: StatLine symbols for a figure that exists but is withheld: ``.`` (onbekend, geheim of te
#: onbetrouwbaar) and ``x`` (geheim). Compared after stripping and case folding.
SUPPRESSED_SYMBOLS: frozenset[str] = frozenset({".", "x"})


def _to_float(cleaned: pd.Series) -> np.ndarray:
    """Floats of cleaned number texts, NaN where a text is not a number.

    The common case (every text a number) takes numpy's conversion, many times faster than
    ``pd.to_numeric(errors="coerce")``; a column with any bad text falls back to the latter.
    """
    texts = cleaned.to_numpy(dtype=object)
    if not cleaned.str.contains("_", regex=False).any():  # float() would accept "1_000"
        try:
            return np.asarray(texts, dtype=np.float64)
        except (TypeError, ValueError):
            pass
    return pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def parse_cells(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of raw cells into (value, status, bad).

    ``bad`` marks cells that hold something that is not a finite number (text, ``inf``, ``nan``
    spelled out); their value is NaN and the caller reports them with row and column. Sentinel
    codes are left as values for the validator to flag, so the error can say what they are.
    """
    text = raw.astype("string").str.strip()
    missing = (text.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
    symbols = list(SUPPRESSED_SYMBOLS | {s.upper() for s in SUPPRESSED_SYMBOLS})
    suppressed = text.isin(symbols).to_numpy(dtype=bool, na_value=False)
    number = ~(missing | suppressed)
    candidate = text[number]
    has_comma = candidate.str.contains(",", regex=False)
    has_dot = candidate.str.contains(".", regex=False)
    # "1.234,5": dots are thousands separators when a comma follows them.
    both = has_comma & has_dot
    cleaned = candidate.where(~both, candidate.str.replace(".", "", regex=False))
    cleaned = cleaned.str.replace(",", ".", regex=False)
    parsed = _to_float(cleaned)
    # "inf", "nan" and "1e999" parse as numbers but are none: refuse them like text.
    parsed[~np.isfinite(parsed)] = np.nan
    values = np.full(len(raw), np.nan)
    values[number] = parsed
    bad = np.zeros(len(raw), dtype=bool)
    bad[number] = np.isnan(parsed)
    status = np.where(suppressed, "suppressed", "ok").astype(object)
    status[missing] = "missing"
    return (
        pd.Series(values, index=raw.index, dtype="float64"),
        pd.Series(status, index=raw.index, dtype=object),
        pd.Series(bad, index=raw.index, dtype=bool),
    )
