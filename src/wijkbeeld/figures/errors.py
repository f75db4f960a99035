"""Errors for bad input: every problem names the file, the row and the column.

>>> str(Problem("kwb.csv", 12, "Pct_Rental", "text 'abc' in a number column"))
"kwb.csv, row 12, column 'Pct_Rental': text 'abc' in a number column"
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataError", "Problem"]

_MAX_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the format allows.

    ``row`` is the 1-based line (CSV) or sheet row (XLSX) including the header row; None when the
    problem concerns the whole file. ``column`` is the column name as it appears in the file.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """An input file that cannot be imported; nothing of it was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems[:_MAX_SHOWN]]
        if len(self.problems) > _MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - _MAX_SHOWN} more problems")
        super().__init__("\n".join(lines))

    @classmethod
    def single(
        cls, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> DataError:
        """A DataError with one problem."""
        return cls([Problem(file, row, column, message)])
