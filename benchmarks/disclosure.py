"""Cost of the disclosure rule on voices families of a municipality's size.

A family is a municipality, its wijken and their buurten, each with a grid of 9 themes x 4
groups with row, column and grand totals (what the voices pages publish), filled at random
(fixed seed) so that a given share of the cells has voices (1 to 12 each). Printed per size and
density: the time of :func:`wijkbeeld.voices.withhold_family` with the whole rule, the time of
substitution alone (the rule before the exact check: the plain baseline), the share of cells
withheld by each. (That the rule leaves every small cell a range of at least 5 values is tested
by an independent integer-programming audit in tests/disclosure/.)

    .venv/bin/python benchmarks/disclosure.py
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from wijkbeeld.disclosure import tables
from wijkbeeld.voices import smalln, withhold_family

THEMES = [f"t{i}" for i in range(9)]
GROUPS = [f"g{j}" for j in range(4)]


def family(seed: int, wijken: int, buurten: int, density: float) -> tuple[dict[str, Any], ...]:
    """Tallies (own voices plus those below) and parents of a random family."""
    rng = random.Random(seed)
    parents: dict[str, str | None] = {"GM": None}
    for w in range(wijken):
        parents[f"W{w}"] = "GM"
        for b in range(buurten):
            parents[f"B{w}_{b}"] = f"W{w}"
    own = {a: {(t, g): (rng.choice((1, 2, 3, 4, 5, 6, 8, 12)) if rng.random() < density and a
                        != "GM" else 0) for t in THEMES for g in GROUPS} for a in parents}
    tallies: dict[str, dict[tuple[str, str], int]] = {}

    def tally(area: str) -> dict[tuple[str, str], int]:
        out = dict(own[area])
        for child in (a for a, p in parents.items() if p == area):
            for key, n in tally(child).items():
                out[key] += n
        tallies[area] = out
        return out

    tally("GM")
    return tallies, parents


def _withheld(grids: dict[str, Any]) -> float:
    cells = [c for g in grids.values() for c in g.cells.values()]
    return sum(c.count is None for c in cells) / len(cells)


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    print(f"{'wijken x buurten':>16} {'dichtheid':>9} {'regel':>8} {'alleen subst.':>13} "
          f"{'ingehouden':>10} {'subst.':>7}")
    for wijken, buurten, density in ((2, 3, 0.3), (8, 4, 0.1), (8, 4, 0.3), (44, 3, 0.05)):
        tallies, parents = family(1, wijken, buurten, density)
        smalln._FAMILIES.clear()
        start = time.perf_counter()
        full = withhold_family(tallies, parents)
        t_full = time.perf_counter() - start
        original = tables._Solver.exact_step
        tables._Solver.exact_step = lambda self: False  # type: ignore[method-assign]
        try:
            smalln._FAMILIES.clear()  # no cached result
            start = time.perf_counter()
            plain = withhold_family(tallies, parents)
            t_plain = time.perf_counter() - start
        finally:
            tables._Solver.exact_step = original  # type: ignore[method-assign]
        print(f"{f'{wijken} x {buurten}':>16} {density:>9.0%} {t_full:>7.2f}s {t_plain:>12.2f}s "
              f"{_withheld(full):>10.0%} {_withheld(plain):>7.0%}")


if __name__ == "__main__":
    main()
