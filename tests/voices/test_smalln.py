"""The small-number rule: no count or aggregate of voices below the minimum, and no withheld cell
that can be worked out from published totals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbeeld.voices import SmallNumberRule, withhold_grid, withhold_small


def test_cells_below_the_minimum_are_withheld_and_marked() -> None:
    table = withhold_small({"veiligheid": 12, "wonen": 3, "armoede_schulden": 7, "jeugd": 9})
    assert table.counts() == {"veiligheid": 12, "wonen": None, "armoede_schulden": None, "jeugd": 9}
    assert table.withheld == ("wonen", "armoede_schulden")
    # wonen is small; armoede_schulden (the smallest visible) goes too, since the total is shown
    reasons = {c.key: c.reason for c in table.cells}
    assert reasons == {"veiligheid": "", "wonen": "small", "armoede_schulden": "complementary",
                       "jeugd": ""}
    assert table.total == 31
    assert table.marked() == {"veiligheid": 12, "wonen": "<5", "armoede_schulden": "<5", "jeugd": 9}
    # Issue 18: the JSON says nothing about why, which would tell the small cell from its
    # complement.
    assert table.to_dict()["cells"][1] == {"key": "wonen", "count": None, "withheld": True}


def test_without_a_total_no_complementary_cell_is_needed() -> None:
    table = withhold_small({"a": 12, "b": 3, "c": 7}, show_total=False)
    assert table.counts() == {"a": 12, "b": None, "c": 7}
    assert table.total is None


def test_a_small_total_is_withheld_too() -> None:
    table = withhold_small({"a": 2, "b": 1})
    assert table.counts() == {"a": None, "b": None} and table.total is None


def test_the_minimum_is_configurable_and_inclusive() -> None:
    assert withhold_small({"a": 5, "b": 9}).counts() == {"a": 5, "b": 9}
    assert withhold_small({"a": 5, "b": 10}, 10).counts() == {"a": None, "b": None}
    assert withhold_small({"a": 1, "b": 2}, SmallNumberRule(1)).counts() == {"a": 1, "b": 2}


def test_zero_counts() -> None:
    # A 0 is shown as "<5", but (issue 18 rule) not hidden behind another cell: it identifies
    # nobody. Before, b (20) was withheld as its complement.
    assert withhold_small({"a": 0, "b": 20, "c": 30}).counts() == {"a": None, "b": 20, "c": 30}
    safe = SmallNumberRule(zero_is_safe=True)
    assert withhold_small({"a": 0, "b": 20, "c": 30}, safe).counts() == {"a": 0, "b": 20, "c": 30}


def test_aggregates() -> None:
    rule = SmallNumberRule()
    assert rule.value(3.4, records=5) == 3.4
    assert rule.value(3.4, records=4) is None
    assert rule.marker == "<5"
    assert rule.allows(5) and not rule.allows(4) and not rule.allows(0)


@pytest.mark.parametrize("bad", [{"a": -1}, {"a": 2.5}, {"a": True}])
def test_bad_counts_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        withhold_small(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SmallNumberRule(0)


def test_grid_with_margins() -> None:
    counts = {
        ("veiligheid", "residents"): 14, ("veiligheid", "professionals"): 6,
        ("veiligheid", "policy"): 2,
        ("wonen", "residents"): 9, ("wonen", "professionals"): 8, ("wonen", "policy"): 7,
    }
    grid = withhold_grid(counts)
    # policy x veiligheid is small; in its row the smallest other (professionals, 6) goes; then
    # the policy and professionals columns each have one withheld cell: since issue 18 a group
    # total goes before a cell (before: wonen's policy 7 and professionals 8 went instead).
    assert grid.withheld == (("veiligheid", "professionals"), ("veiligheid", "policy"))
    assert grid.count("veiligheid", "residents") == 14
    assert grid.row_totals == {"veiligheid": 22, "wonen": 24}
    assert grid.column_totals == {"residents": 23, "professionals": None, "policy": None}
    assert grid.total == 46


def test_grid_missing_combinations_count_as_zero() -> None:
    grid = withhold_grid({("a", "x"): 10, ("b", "y"): 10}, margins=False)
    assert grid.count("a", "y") is None and grid.cells[("a", "y")].reason == "small"
    assert grid.count("a", "x") == 10
    assert grid.total is None and grid.row_totals == {"a": None, "b": None}


def _recoverable(row: list[int | None], total: int | None,
                 truth: list[int] | None = None) -> bool:
    """A published total with exactly one withheld cell gives that cell away (harmless when
    that cell is 0: a 0 identifies nobody, so the rule does not hide it behind another)."""
    lone = [i for i, c in enumerate(row) if c is None]
    if total is None or len(lone) != 1:
        return False
    return truth is None or truth[lone[0]] != 0


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abcd"), st.sampled_from("xyz")),
        st.integers(min_value=0, max_value=30),
        min_size=1,
    ),
    st.integers(min_value=1, max_value=10),
)
def test_grid_never_gives_a_withheld_cell_away(
    counts: dict[tuple[str, str], int], minimum: int
) -> None:
    grid = withhold_grid(counts, minimum)
    rows = sorted({r for r, _ in grid.cells})
    cols = sorted({c for _, c in grid.cells})
    for key, cell in grid.cells.items():
        if cell.count is not None:
            assert cell.count >= minimum and cell.count == counts.get(key, 0)
    full = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    row_sum = [sum(full[(r, c)] for c in cols) for r in grid.row_totals]
    col_sum = [sum(full[(r, c)] for r in rows) for c in grid.column_totals]
    for r in rows:
        assert not _recoverable([grid.count(r, c) for c in cols], grid.row_totals[r],
                                [full[(r, c)] for c in cols])
        assert grid.row_totals[r] is None or grid.row_totals[r] >= minimum  # type: ignore[operator]
    for c in cols:
        assert not _recoverable([grid.count(r, c) for r in rows], grid.column_totals[c],
                                [full[(r, c)] for r in rows])
    # nor a withheld total from the grand total and the other totals
    assert not _recoverable(list(grid.row_totals.values()), grid.total, row_sum)
    assert not _recoverable(list(grid.column_totals.values()), grid.total, col_sum)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 40), min_size=1))
def test_row_never_gives_a_withheld_cell_away(counts: dict[str, int]) -> None:
    table = withhold_small(counts)
    shown = table.counts()
    assert not _recoverable(list(shown.values()), table.total, list(counts.values()))
    assert all(v is None or v >= 5 for v in shown.values())
    assert table.total is None or table.total == sum(counts.values())
