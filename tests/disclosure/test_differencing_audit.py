"""Issue 18, finding 1: the differencing audit per table family on constructed data where
parent − children, pooled − own or sibling sums would reveal a group under 5. After the
disclosure rule every small withheld cell stays a range at least 5 wide given everything
published, and withheld cells publish no count, in the core result, its JSON and the CLI text."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd
from disclosure_audit import feasible_ranges, narrow

from wijkbeeld.agenda import AreaEntry, compare_network
from wijkbeeld.disclosure import ALL, Margin, grid_margins, hierarchy_margin
from wijkbeeld.urgency import RoundInfo, render_matrix, urgency_matrix
from wijkbeeld.voices import withhold_family, withhold_grid, withhold_small

sys.path.insert(0, str(Path(__file__).parents[1] / "urgency"))
from urgency_support import answers, frame

AREA = "WK036300"
ROUND = RoundInfo("2024", date(2024, 5, 1))


# --- urgency matrix: a withheld cell publishes no count ------------------------------------

def _matrix_frame() -> pd.DataFrame:
    return frame(
        # residents: 3 ratings and 2 "weet niet" (5 respondents), 3 recognition answers.
        answers("2024", "veiligheid", "residents", [5, 4, 2, None, None],
                ["ja", "nee", "ja", None, None], area=AREA),
        answers("2024", "veiligheid", "professionals", [4, 5, 4, 5, 4, 5], area=AREA),
        # policy: 6 ratings shown, but only 2 recognition answers (withheld on its own).
        answers("2024", "veiligheid", "policy", [1, 2, 2, 3, 1, 2],
                ["ja", "nee", None, None, None, None], area=AREA),
    )


def test_a_withheld_urgency_cell_publishes_no_n_in_object_json_and_text() -> None:
    m = urgency_matrix(_matrix_frame(), AREA, [ROUND])
    res = m.cell("veiligheid", "residents")
    assert res is not None and res.withheld
    assert (res.n, res.n_dont_know, res.n_respondents, res.n_recognition) == (None,) * 4
    out = m.to_dict()
    cell = out["themes"][0]["cells"]["residents"]
    assert (cell["n"], cell["n_dont_know"], cell["n_respondents"]) == (None, None, None)
    assert cell["recognition"]["n"] is None
    # policy's ratings are shown (n 6), its 2 recognition answers are not.
    policy = out["themes"][0]["cells"]["policy"]
    assert policy["n"] == 6 and policy["recognition"]["n"] is None
    assert out["withheld"] == [
        {"theme": "veiligheid", "group": "residents", "what": "oordeel"},
        {"theme": "veiligheid", "group": "residents", "what": "herkenning"},
        {"theme": "veiligheid", "group": "professionals", "what": "herkenning"},
        {"theme": "veiligheid", "group": "policy", "what": "herkenning"},
    ]
    assert all("n" not in w for w in out["withheld"])
    text = render_matrix(m)
    assert "<5" in text and "(n=3)" not in text and "n=5" not in text and "n=2" not in text
    assert "(n=6)" in text  # a shown cell keeps its n


# --- voices grid: siblings, margins and parent − children ----------------------------------

def test_voices_row_small_cells_that_sum_below_five_get_a_third() -> None:
    table = withhold_small({"a": 1, "b": 2, "c": 20})
    assert table.total == 23 and table.counts() == {"a": None, "b": None, "c": None}
    margins = [Margin("total", ("a", "b", "c"))]
    shown = {"total": table.total, **table.counts()}
    assert narrow(feasible_ranges(shown, margins), {"a", "b"}) == {}


THEMES = ("veiligheid", "wonen")
GROUPS = ("residents", "professionals")
# Wijk W (its own voices: 1 on veiligheid × residents) with buurten A and B.
OWN = {
    "W": {("veiligheid", "residents"): 1, ("veiligheid", "professionals"): 0,
          ("wonen", "residents"): 0, ("wonen", "professionals"): 0},
    "A": {("veiligheid", "residents"): 5, ("veiligheid", "professionals"): 9,
          ("wonen", "residents"): 8, ("wonen", "professionals"): 6},
    "B": {("veiligheid", "residents"): 2, ("veiligheid", "professionals"): 7,
          ("wonen", "residents"): 6, ("wonen", "professionals"): 10},
}
PARENTS = {"W": None, "A": "W", "B": "W"}


def _tallies() -> dict[str, dict[tuple[str, str], int]]:
    """What each area's page counts: its own voices and those of the areas below it."""
    out = {a: dict(OWN[a]) for a in ("A", "B")}
    out["W"] = {k: OWN["W"][k] + OWN["A"][k] + OWN["B"][k] for k in OWN["W"]}
    return out


def _published(grids: dict[str, object]) -> tuple[dict[tuple[str, str, str], int | None],
                                                    list[Margin[tuple[str, str, str]]],
                                                    list[tuple[str, str, str]]]:
    """Everything the three pages publish, the relations between them, and the unknown
    remainders (W's own voices), as one system for the audit."""
    values: dict[tuple[str, str, str], int | None] = {}
    margins: list[Margin[tuple[str, str, str]]] = []
    for area, grid in grids.items():
        for t in THEMES:
            for g in GROUPS:
                values[(area, t, g)] = grid.count(t, g)  # type: ignore[attr-defined]
            values[(area, t, ALL)] = grid.row_totals[t]  # type: ignore[attr-defined]
        for g in GROUPS:
            values[(area, ALL, g)] = grid.column_totals[g]  # type: ignore[attr-defined]
        values[(area, ALL, ALL)] = grid.total  # type: ignore[attr-defined]
        margins += grid_margins(THEMES, GROUPS, lambda r, c, a=area: (a, r, c))
    rest = []
    for t in (*THEMES, ALL):
        for g in (*GROUPS, ALL):
            rest.append(("rest", t, g))
            margins.append(hierarchy_margin(("W", t, g), [("A", t, g), ("B", t, g)],
                                            ("rest", t, g)))
    margins += grid_margins(THEMES, GROUPS, lambda r, c: ("rest", r, c))
    return values, margins, rest


def test_voices_grids_of_a_wijk_and_its_buurten_leak_today_per_page() -> None:
    # Each page on its own (the grid rule without the family): wijk 7 − buurt A 5 = B's 2.
    tallies = _tallies()
    grids = {a: withhold_grid(tallies[a]) for a in ("W", "A", "B")}
    assert grids["W"].count("veiligheid", "residents") == 8
    values, margins, rest = _published(grids)  # type: ignore[arg-type]
    ranges = feasible_ranges(values, margins, rest)
    assert ranges[("B", "veiligheid", "residents")][1] - \
        ranges[("B", "veiligheid", "residents")][0] < 5


def test_voices_family_leaves_every_small_cell_a_wide_range() -> None:
    tallies = _tallies()
    grids = withhold_family(tallies, PARENTS)
    assert grids["B"].count("veiligheid", "residents") is None
    values, margins, rest = _published(grids)  # type: ignore[arg-type]
    ranges = feasible_ranges(values, margins, rest)
    small = {(a, t, g) for a in ("W", "A", "B") for (t, g), n in tallies[a].items() if n < 5}
    withheld = {k for k, v in values.items() if v is None}
    assert small <= withheld
    # A withheld 0 identifies nobody and may be worked out; everything else may not.
    truth = {(a, t, g): n for a in ("W", "A", "B") for (t, g), n in tallies[a].items()}
    withheld = {k for k in withheld if truth.get(k, 1) > 0}
    own = {("rest", "veiligheid", "residents"), ("rest", "veiligheid", ALL),
           ("rest", ALL, "residents"), ("rest", ALL, ALL)}  # W's own single voice
    assert narrow(ranges, withheld | own) == {}
    # The same grids whichever page asks: the family is protected as a whole.
    assert withhold_family(tallies, PARENTS)["A"] == grids["A"]
    # No withheld cell publishes a count in the JSON.
    for grid in grids.values():
        assert all(c["count"] is None for c in grid.to_dict()["cells"] if c["withheld"])


# --- learning network: pooled − own --------------------------------------------------------

def _entry(muni: str, area: str, residents: tuple[int, int]) -> AreaEntry:
    return AreaEntry(muni, area, "wonen", None, frozenset(), "gedeeld",
                     {"residents": residents, "professionals": (6, 3)})


def test_network_pool_minus_own_reveals_no_small_group() -> None:
    # GM0001: area X (10 residents, 6 urgent) is visible to its own users; area Y has 3
    # residents (1 urgent), withheld on its own. The pooled share 7/13 minus X gives Y: 1 of 3.
    entries = [_entry("GM0001", "WK000101", (10, 6)), _entry("GM0001", "WK000102", (3, 1))]
    cell = compare_network(entries).cell("GM0001", "wonen")
    assert cell is not None
    assert cell.group_shares is not None and cell.group_shares["residents"] is None
    assert cell.respondents is None
    text = json.dumps(compare_network(entries).to_dict())
    assert "13" not in text and "0.538" not in text
    # A pool of two members each at 5 or more still gives the other: withheld too.
    two = [_entry("GM0001", "WK000101", (10, 6)), _entry("GM0001", "WK000102", (8, 1))]
    shares = compare_network(two).cell("GM0001", "wonen").group_shares  # type: ignore[union-attr]
    assert shares is not None and shares["residents"] is None
    # Three members each at 5 or more: published, 6 + 1 + 2 urgent of 10 + 8 + 5.
    three = [*two, _entry("GM0001", "WK000103", (5, 2))]
    cell3 = compare_network(three).cell("GM0001", "wonen")
    assert cell3 is not None and cell3.group_shares is not None
    assert cell3.group_shares["residents"] == 9 / 23
    assert cell3.group_shares["professionals"] == 9 / 18
    assert cell3.respondents == 23 + 18


def test_random_families_leave_every_small_group_a_range_of_five() -> None:
    # 60 seeded families (a wijk, 2 or 3 buurten, 2 themes x 2 groups, counts 0..9, own
    # wijk voices 0..2): the exact integer audit (independent of the rule's own check: brute
    # force by integer programming over everything published) finds no small withheld cell
    # (1 to 4), and no small own remainder of the wijk, narrowed to fewer than 5 values. Before
    # the exact check in the rule about 1 family in 7 had such a cell narrowed to 3 or 4.
    import random

    rng = random.Random(18)
    for _ in range(60):
        buurten = [f"B{i}" for i in range(rng.choice((2, 3)))]
        own = {a: {(t, g): rng.choice((0, 1, 2, 3, 5, 6, 9)) for t in THEMES for g in GROUPS}
               for a in buurten}
        wijk_own = {(t, g): rng.choice((0, 0, 1, 2)) for t in THEMES for g in GROUPS}
        tallies = {**own, "W": {k: wijk_own[k] + sum(own[b][k] for b in buurten)
                                for k in wijk_own}}
        parents = {"W": None, **dict.fromkeys(buurten, "W")}
        grids = withhold_family(tallies, parents)
        values: dict[tuple[str, str, str], int | None] = {}
        margins: list[Margin[tuple[str, str, str]]] = []
        for area, grid in grids.items():
            for t in THEMES:
                for g in GROUPS:
                    values[(area, t, g)] = grid.count(t, g)
                values[(area, t, ALL)] = grid.row_totals[t]
            for g in GROUPS:
                values[(area, ALL, g)] = grid.column_totals[g]
            values[(area, ALL, ALL)] = grid.total
            margins += grid_margins(THEMES, GROUPS, lambda r, c, a=area: (a, r, c))
        rest = [("rest", t, g) for t in (*THEMES, ALL) for g in (*GROUPS, ALL)]
        margins += [hierarchy_margin(("W", t, g), [(b, t, g) for b in buurten], ("rest", t, g))
                    for _, t, g in rest]
        margins += grid_margins(THEMES, GROUPS, lambda r, c: ("rest", r, c))
        rest_count = {("rest", t, g): sum(wijk_own[(tt, gg)] for tt in THEMES for gg in GROUPS
                                          if t in (tt, ALL) and g in (gg, ALL))
                      for _, t, g in rest}
        small_rest = {k for k, n in rest_count.items() if 0 < n < 5}
        truth = {(a, t, g): n for a in tallies for (t, g), n in tallies[a].items()}
        withheld = {k for k, v in values.items() if v is None and 0 < truth.get(k, 5) < 5}
        ranges = feasible_ranges(values, margins, rest)
        assert narrow(ranges, withheld | small_rest) == {}, (own, wijk_own)
