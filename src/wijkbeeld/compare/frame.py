"""The input of every comparison: a validated long figures frame plus the indicator definitions.

One row per (area, indicator, period) with where the area sits (level, municipality, parent) and
where the figure came from (source, source column). Build it from the tables the readers return
(:meth:`Figures.from_tables`) or from any frame with these columns (:meth:`Figures.from_frame`;
the web layer loads one from the database).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import Catalogue, Indicator
from wijkbeeld.figures.table import FigureTable, Status

__all__ = ["FIGURES_COLUMNS", "Figures", "FiguresError", "area_info"]

#: Columns of :attr:`Figures.frame`, in order. Text columns are pandas categoricals.
FIGURES_COLUMNS: tuple[str, ...] = (
    "area_code",  # normalised CBS code
    "area_name",
    "level",  # areas.codes.Level value: municipality, district, neighbourhood, country
    "municipality",  # GM code ("" for the country)
    "parent_code",  # code one level up ("" for a municipality)
    "boundary_year",  # the indeling the code belongs to
    "indicator",  # catalogue key
    "source_column",  # column name in the imported file
    "period",  # "2024", "2024-Q1", ...
    "value",  # float, NaN unless status is ok
    "status",  # ok / suppressed / missing
    "source",  # attribution, e.g. "CBS, Kerncijfers wijken en buurten"
)

_STATUSES = frozenset(s.value for s in Status)


class FiguresError(ValueError):
    """The figures frame breaks its contract (missing column, bad code, duplicate cell...)."""


def area_info(codes: Iterable[str]) -> pd.DataFrame:
    """Level, municipality and parent of each distinct code, derived from the code itself."""
    rows: list[tuple[str, str, str, str]] = []
    for code in dict.fromkeys(codes):
        try:
            parsed = parse_code(code)
        except InvalidAreaCode as exc:
            raise FiguresError(str(exc)) from exc
        rows.append(
            (parsed.code, parsed.level.value, parsed.municipality or "", parsed.parent or "")
        )
    return pd.DataFrame(rows, columns=["area_code", "level", "municipality", "parent_code"])


@dataclass(frozen=True)
class Figures:
    """A validated figures frame (:data:`FIGURES_COLUMNS`) and the definition of each indicator.

    ``notes`` records what was done to the input on the way in (duplicate cells resolved, ...).
    """

    frame: pd.DataFrame
    indicators: Mapping[str, Indicator]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", MappingProxyType(dict(self.indicators)))
        _validate(self.frame, self.indicators)

    @classmethod
    def from_tables(
        cls, tables: Iterable[FigureTable], catalogue: Catalogue | None = None
    ) -> Figures:
        """Stack reader tables. A cell present in several tables keeps the last table's value
        (as the database does: the latest import wins) and a note says how many were replaced."""
        parts: list[pd.DataFrame] = []
        indicators: dict[str, Indicator] = {}
        if catalogue is not None:
            indicators.update(catalogue.indicators)
        for table in tables:
            part = table.frame[
                ["area_code", "area_name", "indicator", "source_column", "period", "value",
                 "status"]
            ].copy()
            part["boundary_year"] = int(table.boundary_year)
            part["source"] = table.source
            parts.append(part)
            indicators.update(table.indicators)
        if not parts:
            raise FiguresError("no figure tables given")
        frame = pd.concat(parts, ignore_index=True)
        before = len(frame)
        frame = frame.drop_duplicates(["area_code", "indicator", "period"], keep="last")
        notes: list[str] = []
        if len(frame) < before:
            notes.append(f"{before - len(frame)} cells found in more than one table: last kept")
        frame = frame.merge(area_info(frame["area_code"]), on="area_code", how="left")
        return cls(frame=_ordered(frame), indicators=indicators, notes=tuple(notes))

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        indicators: Mapping[str, Indicator],
        notes: Iterable[str] = (),
    ) -> Figures:
        """Validate a frame with :data:`FIGURES_COLUMNS`; level, municipality and parent_code
        are derived from the code when absent, ``source`` and ``boundary_year`` default."""
        frame = frame.copy()
        if not {"level", "municipality", "parent_code"} <= set(frame.columns):
            frame = frame.drop(
                columns=[c for c in ("level", "municipality", "parent_code") if c in frame]
            ).merge(area_info(frame["area_code"]), on="area_code", how="left")
        if "source" not in frame:
            frame["source"] = ""
        if "area_name" not in frame:
            frame["area_name"] = ""
        if "source_column" not in frame:
            frame["source_column"] = frame["indicator"]
        if "boundary_year" not in frame:
            frame["boundary_year"] = frame["period"].astype(str).str[:4].astype(int)
        return cls(frame=_ordered(frame), indicators=indicators, notes=tuple(notes))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # The indicators are a read-only mapping proxy, which pickle refuses; a pickled Figures
        # was validated when it was made, so it is restored as is (worker processes send them).
        return (_restore, (self.frame, dict(self.indicators), self.notes))

    def restrict(self, mask: npt.ArrayLike) -> Figures:
        """The same figures limited to the rows in ``mask`` (a boolean row mask)."""
        frame = self.frame.loc[np.asarray(mask, dtype=bool)].reset_index(drop=True)
        return Figures(frame=frame, indicators=self.indicators, notes=self.notes)

    @property
    def periods(self) -> list[str]:
        """Distinct periods, sorted."""
        return sorted(self.frame["period"].unique().tolist())


def _restore(
    frame: pd.DataFrame, indicators: dict[str, Indicator], notes: tuple[str, ...]
) -> Figures:
    figures = object.__new__(Figures)
    object.__setattr__(figures, "frame", frame)
    object.__setattr__(figures, "indicators", MappingProxyType(indicators))
    object.__setattr__(figures, "notes", notes)
    return figures


def _text_categories(column: pd.Series) -> bool:
    """True when ``column`` is categorical with only text categories and no missing value."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return False
    categories = column.cat.categories
    return bool(all(isinstance(c, str) for c in categories) and not column.isna().any())


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FIGURES_COLUMNS if c not in frame.columns]
    if missing:
        raise FiguresError(f"figures frame lacks columns {missing}")
    out = frame[list(FIGURES_COLUMNS)].reset_index(drop=True)
    text = ["area_code", "area_name", "level", "municipality", "parent_code", "indicator",
            "source_column", "period", "status", "source"]
    for col in text:
        # Categoricals: a national frame repeats a few thousand codes and forty keys 700,000
        # times; as categories every filter and sort moves small integers, not strings.
        if _text_categories(out[col]):
            categories = out[col].cat.categories
            if not categories.is_monotonic_increasing:
                # Sorted categories: every sort (and so every tie-break "in area-code order")
                # is then the texts' order, whoever built the frame.
                out[col] = out[col].cat.reorder_categories(sorted(categories))
            continue  # already categories of texts without gaps (the database loader's)
        out[col] = out[col].astype(object).fillna("").astype(str).astype("category")
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype("float64")
    out["boundary_year"] = out["boundary_year"].astype("int64")
    return out


def _duplicated_cells(frame: pd.DataFrame) -> pd.Series:
    """Rows repeating an earlier (area_code, indicator, period). On the categorical columns the
    three codes pack into one integer, hashed once (a national frame: 0.2 s instead of 1 s)."""
    cols = ("area_code", "indicator", "period")
    if not all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in cols):
        return frame.duplicated(list(cols))
    key = np.zeros(len(frame), dtype=np.int64)
    for c in cols:
        codes = frame[c].cat.codes.to_numpy().astype(np.int64)
        key = key * (len(frame[c].cat.categories) + 1) + codes + 1
    return pd.Series(pd.Index(key).duplicated(keep="first"), index=frame.index)


def _validate(frame: pd.DataFrame, indicators: Mapping[str, Indicator]) -> None:
    missing = [c for c in FIGURES_COLUMNS if c not in frame.columns]
    if missing:
        raise FiguresError(f"figures frame lacks columns {missing}")
    unknown = sorted(set(frame["indicator"].unique()) - set(indicators))
    if unknown:
        raise FiguresError(f"no definition for indicators {unknown[:10]}")
    bad_status = sorted(set(frame["status"].unique()) - _STATUSES)
    if bad_status:
        raise FiguresError(f"unknown status values {bad_status}")
    ok = (frame["status"] == Status.OK.value).to_numpy()
    has_value = np.isfinite(frame["value"].to_numpy(dtype="float64"))
    if (ok != has_value).any():
        first = int(np.flatnonzero(ok != has_value)[0])
        row = frame.iloc[first]
        raise FiguresError(
            f"{row['area_code']} {row['indicator']} {row['period']}: status {row['status']!r} "
            f"does not match value {row['value']!r} (a value exactly when the status is ok)"
        )
    dup = _duplicated_cells(frame)
    if dup.any():
        row = frame.loc[dup].iloc[0]
        raise FiguresError(
            f"duplicate cell {row['area_code']} {row['indicator']} {row['period']} "
            f"({int(dup.sum())} duplicates)"
        )
