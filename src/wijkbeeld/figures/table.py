"""The tidy figures table every reader produces and every consumer reads.

One row per (area, indicator, period) cell of the source file, with where it came from, so that an
error or a figure shown on a page can always be traced back to file, row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from wijkbeeld.figures.catalogue import Indicator

__all__ = ["COLUMNS", "FigureTable", "Status"]


class Status(StrEnum):
    """What a cell holds: a value, a value CBS withheld (``.``), or nothing at all."""

    OK = "ok"
    SUPPRESSED = "suppressed"
    MISSING = "missing"


#: Columns of :attr:`FigureTable.frame`, in order.
COLUMNS: tuple[str, ...] = (
    "area_code",  # normalised CBS code
    "area_name",  # name in the file, stripped; may be empty
    "indicator",  # catalogue key
    "source_column",  # the column name in the imported file
    "period",  # "2024", or "2024-01-01" for dates; StatLine "2020JJ00" becomes "2020"
    "value",  # float, NaN unless status is ok
    "status",  # Status value
    "row",  # 1-based row in the file, header included
)


@dataclass(frozen=True)
class FigureTable:
    """Figures read from one file, validated and ready to store.

    ``indicators`` holds the definition of every indicator key in ``frame``. ``boundary_year`` is
    the CBS indeling the area codes belong to (the RIVM 2012 to 2020 monitors all use the 2020
    indeling, for example); ``source`` is the attribution shown beside every figure.
    """

    file: str
    sha256: str
    source: str
    boundary_year: int
    frame: pd.DataFrame
    reader: str
    indicators: Mapping[str, Indicator] = field(default_factory=dict)
    warnings: tuple[str, ...] = field(default=())
    #: The column the area codes came from (or were built or matched from), for messages.
    code_column: str = ""

    def __post_init__(self) -> None:
        missing = [c for c in COLUMNS if c not in self.frame.columns]
        if missing:
            raise ValueError(f"FigureTable frame lacks columns {missing}")

    @property
    def n_cells(self) -> int:
        """Number of (area, indicator, period) cells."""
        return len(self.frame)

    @property
    def area_codes(self) -> list[str]:
        """Distinct area codes, in file order."""
        return list(dict.fromkeys(self.frame["area_code"].tolist()))
