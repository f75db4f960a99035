"""The differencing audit: what an attacker can work out from everything published.

Given the published counts (``None`` = withheld), the relations ``total = sum(members)`` and the
remainders that are never published, :func:`feasible_ranges` gives per unknown count the least
and the greatest non-negative integer value consistent with all of it: exact integer programming
(``scipy.optimize.milp``), i.e. the brute-force answer without enumerating every combination.
:func:`brute_force_ranges` enumerates, for tables small enough, and is used to cross-check.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from wijkbeeld.disclosure import Margin

CAP = 10_000  # "unbounded" for the purpose of the audit


def _system[K: Hashable](
    published: Mapping[K, int | None], margins: Sequence[Margin[K]], unpublished: Collection[K],
) -> tuple[list[K], list[tuple[dict[int, int], int]]]:
    unknown = [k for k, v in published.items() if v is None] + list(unpublished)
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for m in margins:
        coef: dict[int, int] = {}
        rhs = 0
        for k, sign in [(m.total, -1)] + [(k, 1) for k in m.members]:
            if k in index:
                coef[index[k]] = coef.get(index[k], 0) + sign
            else:
                value = published[k]
                assert value is not None
                rhs -= sign * value
        if coef:
            rows.append((coef, rhs))
        else:
            assert rhs == 0, f"published figures of {m.total!r} do not add up"
    return unknown, rows


def feasible_ranges[K: Hashable](
    published: Mapping[K, int | None], margins: Sequence[Margin[K]],
    unpublished: Collection[K] = (), *, wanted: Collection[K] | None = None,
) -> dict[K, tuple[int, int]]:
    """Unknown key -> (least, greatest) value any reader can derive (for the ``wanted`` keys
    only, when given)."""
    unknown, rows = _system(published, margins, unpublished)
    if not unknown:
        return {}
    n = len(unknown)
    a = np.zeros((max(len(rows), 1), n))
    b = np.zeros(max(len(rows), 1))
    for i, (coef, rhs) in enumerate(rows):
        for j, c in coef.items():
            a[i, j] = c
        b[i] = rhs
    cons = LinearConstraint(a, b, b)
    out = {}
    for j, key in enumerate(unknown):
        if wanted is not None and key not in wanted:
            continue
        c = np.zeros(n)
        bounds = []
        for sign in (1, -1):
            c[j] = sign
            res = milp(c, integrality=np.ones(n), bounds=Bounds(0, CAP), constraints=cons)
            assert res.status == 0, res.message
            bounds.append(round(res.x[j]))
        out[key] = (bounds[0], bounds[1])
    return out


def brute_force_ranges[K: Hashable](
    published: Mapping[K, int | None], margins: Sequence[Margin[K]],
    unpublished: Collection[K] = (), *, cap: int = 30,
) -> dict[K, tuple[int, int]]:
    """The same by enumerating every combination of 0..cap (small tables only)."""
    unknown, rows = _system(published, margins, unpublished)
    lo = dict.fromkeys(unknown, cap + 1)
    hi = dict.fromkeys(unknown, -1)
    for values in itertools.product(range(cap + 1), repeat=len(unknown)):
        if all(sum(c * values[j] for j, c in coef.items()) == rhs for coef, rhs in rows):
            for key, v in zip(unknown, values, strict=True):
                lo[key] = min(lo[key], v)
                hi[key] = max(hi[key], v)
    return {k: (lo[k], hi[k]) for k in unknown}


def narrow[K: Hashable](ranges: Mapping[K, tuple[int, int]], keys: Collection[K],
                        threshold: int = 5) -> dict[K, tuple[int, int]]:
    """The withheld ``keys`` whose derivable range holds fewer than ``threshold`` values (for 5:
    a cell known to lie in 0..4 keeps exactly the uncertainty its marker "<5" gives)."""
    return {k: r for k, r in ranges.items() if k in keys and r[1] - r[0] + 1 < threshold}
