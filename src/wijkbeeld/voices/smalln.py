"""The small-number rule: no count or aggregate of voices for fewer than N records per cell.

DESIGN.md §6: no aggregate of voices or ratings is shown for fewer than 5 respondents
(configurable), anywhere: page, API, report, export. Every place that shows counts of voices
passes them through :func:`withhold_small` (one row of counts, e.g. per theme) or
:func:`withhold_grid` (a two-way table, e.g. theme x stakeholder group), and every single aggregate
(a mean urgency, a share) through :meth:`SmallNumberRule.value`.

Withholding one cell is not enough when a total is shown: the total minus the visible cells gives
it back. So, where totals are published, a second cell is withheld next to a lone withheld one
(complementary suppression: the smallest visible cell of that row or column), until no row or
column has exactly one withheld cell. A withheld cell keeps its key and says why; its count is
``None``. Zero counts are withheld too ("fewer than 5" includes 0), unless ``zero_is_safe``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DEFAULT_MINIMUM",
    "Cell",
    "CountGrid",
    "CountTable",
    "SmallNumberRule",
    "withhold_grid",
    "withhold_small",
]

DEFAULT_MINIMUM = 5
Reason = Literal["", "small", "complementary"]


@dataclass(frozen=True, slots=True)
class SmallNumberRule:
    """Counts and aggregates need at least ``minimum`` records to be shown."""

    minimum: int = DEFAULT_MINIMUM
    zero_is_safe: bool = False

    def __post_init__(self) -> None:
        if self.minimum < 1:
            raise ValueError("minimum must be at least 1")

    def allows(self, count: int) -> bool:
        """True when a count of ``count`` records may be shown."""
        if count < 0:
            raise ValueError(f"negative count {count}")
        return count >= self.minimum or (count == 0 and self.zero_is_safe)

    def value[T](self, value: T, records: int) -> T | None:
        """``value`` (an aggregate over ``records`` records), or ``None`` when there are too few."""
        return value if records >= self.minimum else None

    @property
    def marker(self) -> str:
        """How a withheld cell is shown: ``<5``."""
        return f"<{self.minimum}"


@dataclass(frozen=True, slots=True)
class Cell[K: Hashable]:
    """One count: ``count`` is ``None`` when withheld; ``reason`` says why (``small`` or
    ``complementary``)."""

    key: K
    count: int | None
    reason: Reason = ""

    @property
    def withheld(self) -> bool:
        """True when the count may not be shown."""
        return self.count is None


@dataclass(frozen=True, slots=True)
class CountTable[K: Hashable]:
    """A row of counts after the rule: cells in input order, and the total (``None`` if too
    small, or when ``show_total`` was off)."""

    cells: tuple[Cell[K], ...]
    total: int | None
    rule: SmallNumberRule

    def counts(self) -> dict[K, int | None]:
        """Key -> count, ``None`` where withheld."""
        return {c.key: c.count for c in self.cells}

    def marked(self) -> dict[K, int | str]:
        """Key -> count, or the marker (``<5``) where withheld: for display."""
        return {c.key: self.rule.marker if c.count is None else c.count for c in self.cells}

    @property
    def withheld(self) -> tuple[K, ...]:
        """Keys of the withheld cells."""
        return tuple(c.key for c in self.cells if c.withheld)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: ``{"minimum", "total", "cells": [{"key", "count", "withheld"}]}``."""
        return {
            "minimum": self.rule.minimum,
            "total": self.total,
            "cells": [
                {"key": c.key, "count": c.count, "withheld": c.withheld, "reason": c.reason}
                for c in self.cells
            ],
        }


def _rule(rule: SmallNumberRule | int | None) -> SmallNumberRule:
    if rule is None:
        return SmallNumberRule()
    return rule if isinstance(rule, SmallNumberRule) else SmallNumberRule(rule)


def _check(counts: Mapping[Any, int]) -> None:
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"count for {key!r} must be a non-negative integer, got {value!r}")


def withhold_small[K: Hashable](
    counts: Mapping[K, int],
    rule: SmallNumberRule | int | None = None,
    *,
    show_total: bool = True,
) -> CountTable[K]:
    """Apply the rule to one row of counts (e.g. voices per theme in an area).

    With ``show_total`` the total is published (when it is large enough itself), so a lone
    withheld cell gets a complementary one.
    """
    rule = _rule(rule)
    _check(counts)
    reasons: dict[K, Reason] = {k: ("" if rule.allows(v) else "small") for k, v in counts.items()}
    total = sum(counts.values())
    total_shown = show_total and rule.allows(total) and total > 0
    if total_shown:
        _complement(list(counts), counts, reasons)
    cells = tuple(
        Cell(k, None if reasons[k] else v, reasons[k]) for k, v in counts.items()
    )
    return CountTable(cells, total if total_shown else None, rule)


def _complement[K](keys: list[K], counts: Mapping[K, int], reasons: dict[K, Reason]) -> bool:
    """Withhold the smallest visible cell of ``keys`` when exactly one is withheld there."""
    withheld = [k for k in keys if reasons[k]]
    visible = [k for k in keys if not reasons[k]]
    if len(withheld) == 1 and visible:
        smallest = min(visible, key=lambda k: (counts[k], keys.index(k)))
        reasons[smallest] = "complementary"
        return True
    return False


@dataclass(frozen=True, slots=True)
class CountGrid[R: Hashable, C: Hashable]:
    """A two-way table after the rule: ``cells[(row, col)]``, row and column totals and the grand
    total (each ``None`` when too small)."""

    cells: Mapping[tuple[R, C], Cell[tuple[R, C]]]
    row_totals: Mapping[R, int | None]
    column_totals: Mapping[C, int | None]
    total: int | None
    rule: SmallNumberRule

    def count(self, row: R, column: C) -> int | None:
        """The shown count of one cell (``None`` when withheld)."""
        return self.cells[(row, column)].count

    @property
    def withheld(self) -> tuple[tuple[R, C], ...]:
        """Keys of the withheld cells."""
        return tuple(k for k, c in self.cells.items() if c.withheld)


def withhold_grid[R: Hashable, C: Hashable](
    counts: Mapping[tuple[R, C], int],
    rule: SmallNumberRule | int | None = None,
    *,
    margins: bool = True,
) -> CountGrid[R, C]:
    """Apply the rule to a two-way table (e.g. voices per theme x stakeholder group); missing
    combinations count as 0.

    With ``margins`` the row and column totals and the grand total are published where they are
    large enough, and cells are withheld until no published total gives a withheld cell away:
    a row or column with exactly one withheld cell gets a complementary one (its smallest visible
    cell), or, with no visible cell left, loses its total; likewise a lone withheld row or
    column total next to a published grand total.
    """
    rule = _rule(rule)
    _check(counts)
    rows = list(dict.fromkeys(r for r, _ in counts))
    cols = list(dict.fromkeys(c for _, c in counts))
    full = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    reasons: dict[tuple[R, C], Reason] = {
        k: ("" if rule.allows(v) else "small") for k, v in full.items()
    }
    row_sum = {r: sum(full[(r, c)] for c in cols) for r in rows}
    col_sum = {c: sum(full[(r, c)] for r in rows) for c in cols}
    total = sum(full.values())

    def publishable(n: int) -> bool:
        return margins and rule.allows(n) and n > 0

    row_shown = {r: publishable(n) for r, n in row_sum.items()}
    col_shown = {c: publishable(n) for c, n in col_sum.items()}
    total_shown = publishable(total)
    row_lines = {r: [(r, c) for c in cols] for r in rows}
    col_lines = {c: [(r, c) for r in rows] for c in cols}
    changed = True
    while changed:
        changed = _lines_pass(row_lines, row_shown, full, reasons)
        changed |= _lines_pass(col_lines, col_shown, full, reasons)
        if total_shown:
            for margin in (_margin_pass(row_shown, row_sum), _margin_pass(col_shown, col_sum)):
                if margin is not None:
                    changed = True
                    total_shown = total_shown and margin
    cells = {k: Cell(k, None if reasons[k] else v, reasons[k]) for k, v in full.items()}
    return CountGrid(
        cells,
        {r: n if row_shown[r] else None for r, n in row_sum.items()},
        {c: n if col_shown[c] else None for c, n in col_sum.items()},
        total if total_shown else None,
        rule,
    )


def _lines_pass[K, T](
    lines: Mapping[K, list[T]],
    shown: dict[K, bool],
    counts: Mapping[T, int],
    reasons: dict[T, Reason],
) -> bool:
    """One pass over rows (or columns) whose total is shown: a lone withheld cell gets a
    complementary one, or, with no visible cell left, the total is dropped. True if anything
    changed."""
    changed = False
    for key, line in lines.items():
        if not shown[key] or sum(1 for k in line if reasons[k]) != 1:
            continue
        if not _complement(line, counts, reasons):
            shown[key] = False  # nothing left to hide it behind: drop the total
        changed = True
    return changed


def _margin_pass[K](shown: dict[K, bool], sums: Mapping[K, int]) -> bool | None:
    """With a published grand total, a lone withheld row (column) total would follow from it:
    withhold the smallest shown one too. ``None`` if nothing changed, ``True`` if a total was
    withheld, ``False`` if the grand total itself must go (no shown total left)."""
    hidden = [k for k in shown if not shown[k]]
    visible = [k for k in shown if shown[k]]
    if len(hidden) != 1:
        return None
    if not visible:
        return False
    shown[min(visible, key=lambda k: (sums[k], visible.index(k)))] = False
    return True
