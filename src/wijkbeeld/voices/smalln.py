"""The small-number rule: no count or aggregate of voices for fewer than N records per cell.

DESIGN.md §6: no aggregate of voices or ratings is shown for fewer than 5 respondents
(configurable), anywhere: page, API, report, export. Every place that shows counts of voices
passes them through :func:`withhold_small` (one row of counts, e.g. per theme) or
:func:`withhold_grid` (a two-way table, e.g. theme x stakeholder group), and every single aggregate
(a mean urgency, a share) through :meth:`SmallNumberRule.value`.

Withholding one cell is not enough when a total is shown: the total minus the visible cells gives
it back. Both functions therefore go through :func:`wijkbeeld.disclosure.protect` (primary and
complementary suppression, the one rule of docs/security.md): a withheld small cell can neither
be worked out nor narrowed below the minimum from the published totals. :func:`withhold_family`
does the same for the grids of an area and the areas below it together (a wijk count minus its
buurt counts would otherwise give a small buurt back). A withheld cell keeps its key; its count
is ``None``; why it is withheld stays internal (``reason``), since it would tell the small cell
from its complement. Zero counts are withheld too ("fewer than 5" includes 0), unless
``zero_is_safe``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from wijkbeeld.disclosure import DisclosureOptions, Margin, hierarchy_margin, protect

__all__ = [
    "DEFAULT_MINIMUM",
    "Cell",
    "CountGrid",
    "CountTable",
    "SmallNumberRule",
    "withhold_family",
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

    @property
    def options(self) -> DisclosureOptions:
        """The same rule as :class:`~wijkbeeld.disclosure.DisclosureOptions`."""
        return DisclosureOptions(threshold=self.minimum, zero_is_safe=self.zero_is_safe)


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
        """A JSON-ready form: ``{"minimum", "total", "cells": [{"key", "count", "withheld"}]}``
        (no reason: it would tell the small cell from its complement)."""
        return {
            "minimum": self.rule.minimum,
            "total": self.total,
            "cells": [{"key": c.key, "count": c.count, "withheld": c.withheld}
                      for c in self.cells],
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
    keys: list[tuple[str, Any]] = [("cell", k) for k in counts]
    values: dict[tuple[str, Any], int] = {("cell", k): v for k, v in counts.items()}
    margins: list[Margin[tuple[str, Any]]] = []
    if show_total:
        values[("total", None)] = sum(counts.values())
        margins.append(Margin(("total", None), tuple(keys)))
    out = protect(values, margins, rule.options)
    cells = tuple(Cell(k, out.values[("cell", k)], out.reasons.get(("cell", k), ""))
                  for k in counts)
    return CountTable(cells, out.values.get(("total", None)), rule)


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the minimum, the totals and the cells (count None where withheld)."""
        return {
            "minimum": self.rule.minimum, "total": self.total,
            "row_totals": [{"key": k, "count": v} for k, v in self.row_totals.items()],
            "column_totals": [{"key": k, "count": v} for k, v in self.column_totals.items()],
            "cells": [{"row": r, "column": c, "count": cell.count, "withheld": cell.withheld}
                      for (r, c), cell in self.cells.items()],
        }


def withhold_grid[R: Hashable, C: Hashable](
    counts: Mapping[tuple[R, C], int],
    rule: SmallNumberRule | int | None = None,
    *,
    margins: bool = True,
) -> CountGrid[R, C]:
    """Apply the rule to a two-way table (e.g. voices per theme x stakeholder group); missing
    combinations count as 0.

    With ``margins`` the row and column totals and the grand total are published where the
    rule allows, and cells (or totals) are withheld until no published total gives a withheld
    small cell away or narrows it below the minimum (:func:`wijkbeeld.disclosure.protect`).
    """
    return withhold_family({None: counts}, {None: None}, rule, margins=margins)[None]


def _grid_keys[A, R, C](area: A, rows: list[R], cols: list[C], margins: bool,
                        ) -> tuple[list[tuple[Any, ...]], list[Margin[tuple[Any, ...]]]]:
    """The keys of one area's grid and its margins: cells ("c", area, r, c) and, with
    ``margins``, row totals ("r", area, r), column totals ("k", area, c) and the grand total
    ("t", area)."""
    keys: list[tuple[Any, ...]] = [("c", area, r, c) for r in rows for c in cols]
    if not margins:
        return keys, []
    keys += [("r", area, r) for r in rows] + [("k", area, c) for c in cols] + [("t", area)]
    out = [Margin(("r", area, r), tuple(("c", area, r, c) for c in cols)) for r in rows]
    out += [Margin(("k", area, c), tuple(("c", area, r, c) for r in rows)) for c in cols]
    out.append(Margin(("t", area), tuple(("r", area, r) for r in rows)))
    out.append(Margin(("t", area), tuple(("k", area, c) for c in cols)))
    return keys, out


def withhold_family[A: Hashable, R: Hashable, C: Hashable](
    grids: Mapping[A, Mapping[tuple[R, C], int]],
    parents: Mapping[A, A | None],
    rule: SmallNumberRule | int | None = None,
    *,
    margins: bool = True,
) -> dict[A, CountGrid[R, C]]:
    """Apply the rule to the grids of several areas at once, each counting its own records and
    those of the areas below it; ``parents`` gives each area's parent (None: none in the
    family). The parent's count minus its children's is the parent's own remainder: never
    shown, and protected like a cell, so no page's total minus other pages' counts gives a
    small group away. Every page takes its grid from the same result.

    The result is kept for the same counts (the last 32 families): the exact check behind it
    solves a system of equations, and every page of the municipality asks for the same one."""
    rule = _rule(rule)
    for grid in grids.values():
        _check(grid)
    key = (rule, margins, tuple((a, tuple(g.items())) for a, g in grids.items()),
           tuple(parents.items()))
    with _LOCK:
        cached = _FAMILIES.get(key)
        if cached is not None:
            _FAMILIES.move_to_end(key)
    if cached is None:
        cached = _withhold_family(grids, parents, rule, margins=margins)
        with _LOCK:
            _FAMILIES[key] = cached
            while len(_FAMILIES) > 32:
                _FAMILIES.popitem(last=False)
    return dict(cached)


_FAMILIES: OrderedDict[Any, dict[Any, Any]] = OrderedDict()
_LOCK = threading.Lock()


def _withhold_family[A: Hashable, R: Hashable, C: Hashable](
    grids: Mapping[A, Mapping[tuple[R, C], int]],
    parents: Mapping[A, A | None],
    rule: SmallNumberRule,
    *,
    margins: bool,
) -> dict[A, CountGrid[R, C]]:
    rows = list(dict.fromkeys(r for grid in grids.values() for r, _ in grid))
    cols = list(dict.fromkeys(c for grid in grids.values() for _, c in grid))
    values: dict[tuple[Any, ...], int] = {}
    relations: list[Margin[tuple[Any, ...]]] = []
    for area, grid in grids.items():
        for r in rows:
            for c in cols:
                values[("c", area, r, c)] = grid.get((r, c), 0)
        if margins:
            for r in rows:
                values[("r", area, r)] = sum(values[("c", area, r, c)] for c in cols)
            for c in cols:
                values[("k", area, c)] = sum(values[("c", area, r, c)] for r in rows)
            values[("t", area)] = sum(values[("r", area, r)] for r in rows)
            relations += _grid_keys(area, rows, cols, margins)[1]
    rests: list[tuple[Any, ...]] = []
    children: dict[A, list[A]] = {}
    for area, parent in parents.items():
        if parent is not None and area in grids and parent in grids:
            children.setdefault(parent, []).append(area)
    for parent, kids in children.items():
        keys, own = _grid_keys(parent, rows, cols, margins)
        for key in keys:
            rest = ("rest", *key)
            values[rest] = values[key] - sum(values[(key[0], kid, *key[2:])] for kid in kids)
            if values[rest] < 0:
                raise ValueError(f"{parent!r}: fewer records than its areas together ({key})")
            rests.append(rest)
            relations.append(hierarchy_margin(
                key, [(key[0], kid, *key[2:]) for kid in kids], rest))
        # the remainders form a table with margins of their own
        relations += [Margin(("rest", *m.total), tuple(("rest", *k) for k in m.members))
                      for m in own]
    # To widen a relation, a grand total goes before a group total, a group total before a
    # theme total or a cell (themes decide what a page and the report show).
    keep = {k: {"t": 0, "k": 1}.get(k[0], 2) for k in values}
    out = protect(values, relations, rule.options, unpublished=rests, keep=keep)
    result: dict[A, CountGrid[R, C]] = {}
    for area in grids:
        cells = {(r, c): Cell((r, c), out.values[("c", area, r, c)],
                              out.reasons.get(("c", area, r, c), ""))
                 for r in rows for c in cols}
        result[area] = CountGrid(
            cells,
            {r: out.values.get(("r", area, r)) for r in rows},
            {c: out.values.get(("k", area, c)) for c in cols},
            out.values.get(("t", area)),
            rule,
        )
    return result
