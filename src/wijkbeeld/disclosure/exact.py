"""The exact check behind :func:`~wijkbeeld.disclosure.protect`: what a reader can work out from
every published count at once, solved as one system of equations in whole numbers.

Substitution (one relation with one unknown left, and again with what follows) catches what a
reader does with a calculator. A reader who combines several relations at once (a row total, a
column total and a parent's count together) can narrow a withheld count further; in a seeded
audit about 1 family in 7 had a small cell narrowed to 3 or 4 possible values after substitution
alone. This module gives, per withheld count, the least and the greatest whole number that is
consistent with everything published (``scipy.optimize.milp``: integer programming, the same
answer as trying every combination), so :func:`protect` can withhold more until every small
count keeps a range at least the threshold wide.

The system is split into its connected parts (unknowns that share a relation) first: a
municipality's voices grids are many small parts, each solved on its own.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from wijkbeeld.disclosure.tables import Margin

__all__ = ["CAP", "narrowed"]

#: The largest value an unknown count may take in the system ("unbounded" in practice: no
#: family of voices or answers comes near it, and a bound keeps the solver's problem finite).
CAP = 1_000_000


def _components[K: Hashable](
    unknown: Collection[K], margins: Sequence[Margin[K]],
) -> list[tuple[list[K], list[Margin[K]]]]:
    """Split the unknowns into parts that share no relation, each with its relations."""
    parent: dict[K, K] = {k: k for k in unknown}

    def find(k: K) -> K:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for m in margins:
        keys = [k for k in (m.total, *m.members) if k in parent]
        for k in keys[1:]:
            a, b = find(keys[0]), find(k)
            if a != b:
                parent[b] = a
    parts: dict[K, tuple[list[K], list[Margin[K]]]] = {}
    for k in unknown:
        parts.setdefault(find(k), ([], []))[0].append(k)
    for m in margins:
        first = next((k for k in (m.total, *m.members) if k in parent), None)
        if first is not None:
            parts[find(first)][1].append(m)
    return list(parts.values())


class _Model:
    """One connected part as a linear model in HiGHS, re-solved per objective (HiGHS keeps
    its basis between solves, so each re-solve is a few pivots). A whole-number optimum of the
    relaxation is the integer optimum too (tables with margins mostly give such vertices);
    otherwise that bound is solved again with whole numbers."""

    def __init__(self, keys: Sequence[Hashable], margins: Sequence[Margin[Any]],
                 known: Mapping[Any, int]) -> None:
        import highspy
        import numpy as np
        from scipy.sparse import csc_matrix

        self.np: Any = np
        self.highspy: Any = highspy
        self.index = {k: i for i, k in enumerate(keys)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        b = np.zeros(len(margins))
        for row, m in enumerate(margins):
            for k, sign in ((m.total, -1), *((k, 1) for k in m.members)):
                if k in self.index:
                    rows.append(row)
                    cols.append(self.index[k])
                    vals.append(sign)
                else:
                    b[row] -= sign * known[k]
        a = csc_matrix((vals, (rows, cols)), shape=(len(margins), len(keys)))
        a.sum_duplicates()
        lp = highspy.HighsLp()
        lp.num_col_ = len(keys)
        lp.num_row_ = len(margins)
        lp.col_cost_ = np.zeros(len(keys))
        lp.col_lower_ = np.zeros(len(keys))
        lp.col_upper_ = np.full(len(keys), float(CAP))
        lp.row_lower_ = b
        lp.row_upper_ = b
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self.lp = lp
        self.relaxed = self._highs(integer=False)
        self.whole: Any = None  # made when first needed

    def _highs(self, *, integer: bool) -> Any:
        # The bare solver class: ``highspy.Highs`` prints a banner on stdout (into CLI output)
        # and sets up callbacks we do not use; fall back to it where the class is missing.
        core = getattr(self.highspy, "_core", None)
        h = (core._Highs if core is not None and hasattr(core, "_Highs")
             else self.highspy.Highs)()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")  # keep the basis between objectives
        h.passModel(self.lp)
        if integer:
            n = self.lp.num_col_
            h.changeColsIntegrality(n, self.np.arange(n, dtype=self.np.int32),
                                    self.np.full(n, self.highspy.HighsVarType.kInteger))
        return h

    def optimum(self, cost: Mapping[Hashable, float]) -> Any:
        """A whole-number point of the part that minimises ``sum(cost[k] * x[k])``."""
        np = self.np
        c = np.zeros(self.lp.num_col_)
        for k, w in cost.items():
            c[self.index[k]] = w
        n = len(c)
        idx = np.arange(n, dtype=np.int32)
        self.relaxed.changeColsCost(n, idx, c)
        self.relaxed.run()
        x = np.asarray(self.relaxed.getSolution().col_value)
        optimal = self.relaxed.getModelStatus() == self.highspy.HighsModelStatus.kOptimal
        if optimal and np.allclose(x, np.round(x), atol=1e-7):
            return np.round(x)
        if self.whole is None:
            self.whole = self._highs(integer=True)
        self.whole.changeColsCost(n, idx, c)
        self.whole.run()
        if self.whole.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("disclosure check found no solution")  # pragma: no cover
        return np.round(np.asarray(self.whole.getSolution().col_value))


def narrowed[K: Hashable](
    known: Mapping[K, int], unknown: Mapping[K, int], margins: Sequence[Margin[K]],
    wanted: Collection[K], width: int,
) -> dict[K, tuple[int, int]]:
    """The ``wanted`` keys (a subset of ``unknown``, which maps every unpublished key to its true
    count) whose least and greatest possible whole value, given the ``known`` (published)
    counts and the relations ``margins``, are fewer than ``width`` values apart; with that
    range.

    Cheap first: every solve gives a whole-number solution, and the true counts are one too,
    so a key is wide enough as soon as two solutions seen so far put it ``width - 1`` apart.
    Two solves push all open keys up and down at once; only the keys still open after that get
    their own (greatest, then least)."""
    out: dict[K, tuple[int, int]] = {}
    want = set(wanted)
    for keys, part in _components(unknown, margins):
        pending = [k for k in keys if k in want]
        if pending and part:  # a part with no relation to anything published is unbounded
            out.update(_narrowed_in_part(_Model(keys, part, known), unknown, pending, width))
    return out


def _narrowed_in_part[K: Hashable](
    model: _Model, truth: Mapping[K, int], pending: list[K], width: int,
) -> dict[K, tuple[int, int]]:
    low = {k: truth[k] for k in pending}
    high = dict(low)

    def seen(x: Any) -> None:
        for k in low:
            v = int(x[model.index[k]])
            low[k] = min(low[k], v)
            high[k] = max(high[k], v)

    for sign in (-1.0, 1.0):
        seen(model.optimum(dict.fromkeys(pending, sign)))
        pending = [k for k in pending if high[k] - low[k] < width - 1]
        if not pending:
            return {}
    out: dict[K, tuple[int, int]] = {}
    for k in pending:
        for sign in (-1.0, 1.0):
            if high[k] - low[k] < width - 1:
                seen(model.optimum({k: sign}))
        if high[k] - low[k] < width - 1:
            out[k] = (low[k], high[k])
    return out
