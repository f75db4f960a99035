"""The disclosure core: primary and complementary suppression with totals, parent vs children,
pooled figures and open rounds, each audited: every withheld cell stays a range at least the
threshold wide given everything published. Expected values worked out by hand."""

from __future__ import annotations

import pytest
from disclosure_audit import brute_force_ranges, feasible_ranges, narrow

from wijkbeeld.disclosure import (
    ALL,
    DisclosureOptions,
    Margin,
    check_pool,
    grid_margins,
    hierarchy_margin,
    open_round_count,
    protect,
    stepped,
)


def test_the_audit_sees_a_sibling_recovered_from_the_total() -> None:
    # Primary suppression only: 23 − 9 − 12 = 2, so "a" is known exactly.
    margin = [Margin("total", ("a", "b", "c"))]
    published = {"total": 23, "a": None, "b": 9, "c": 12}
    assert brute_force_ranges(published, margin) == {"a": (2, 2)}
    assert feasible_ranges(published, margin) == {"a": (2, 2)}


def test_one_small_cell_gets_a_complementary_one() -> None:
    counts = {"total": 23, "a": 2, "b": 9, "c": 12}
    out = protect(counts, [Margin("total", ("a", "b", "c"))])
    assert out.values == {"total": 23, "a": None, "b": None, "c": 12}
    assert out.reasons == {"a": "small", "b": "complementary"}
    # a + b = 11: a anywhere in 0..11, b too.
    ranges = brute_force_ranges(out.values, out.margins)
    assert ranges == {"a": (0, 11), "b": (0, 11)}


def test_two_small_cells_that_sum_below_the_threshold_get_a_third() -> None:
    # a + b = 3 would leave each in 0..3: narrower than 5. c goes too (then a + b + c = 23).
    counts = {"total": 23, "a": 1, "b": 2, "c": 20}
    out = protect(counts, [Margin("total", ("a", "b", "c"))])
    assert out.values == {"total": 23, "a": None, "b": None, "c": None}
    assert brute_force_ranges(out.values, out.margins) == {k: (0, 23) for k in "abc"}


def test_nothing_left_to_hide_behind_drops_the_total() -> None:
    # a (7) hides b (2) in t1; t2 is a total of a alone, so it would give a back (and with it
    # b = t1 − a): t2, with no shown member left, goes.
    margins = [Margin("t1", ("a", "b")), Margin("t2", ("a",))]
    out = protect({"t1": 9, "t2": 7, "a": 7, "b": 2}, margins)
    assert out.values == {"t1": 9, "t2": None, "a": None, "b": None}
    assert brute_force_ranges(out.values, margins) == {"t2": (0, 9), "a": (0, 9), "b": (0, 9)}
    # Two small cells whose sum is at least the threshold hide each other.
    assert protect({"t": 6, "a": 2, "b": 4}, [Margin("t", ("a", "b"))]).values == \
        {"t": 6, "a": None, "b": None}


def test_a_small_total_and_zero_are_withheld_unless_zero_is_safe() -> None:
    # A 0 is shown as "<5", but not hidden behind another cell: it identifies nobody.
    counts = {"total": 30, "a": 0, "b": 30}
    assert protect(counts, [Margin("total", ("a", "b"))]).values == \
        {"total": 30, "a": None, "b": 30}
    assert protect({"total": 4, "a": 4}, [Margin("total", ("a",))]).values == \
        {"total": None, "a": None}
    safe = DisclosureOptions(zero_is_safe=True)
    assert protect(counts, [Margin("total", ("a", "b"))], safe).values == counts


def test_parent_minus_children_reveals_nothing() -> None:
    # Issue 18: a wijk count of 7 and a buurt count of 5 revealed a group of 2 next door.
    counts = {"wijk": 7, "buurt_a": 5, "buurt_b": 2, "rest": 0}
    margins = [hierarchy_margin("wijk", ["buurt_a", "buurt_b"], "rest")]
    naive = {"wijk": 7, "buurt_a": 5, "buurt_b": None}
    assert feasible_ranges(naive, margins, ["rest"])["buurt_b"] == (0, 2)
    out = protect(counts, margins, unpublished=["rest"])
    assert out.values == {"wijk": 7, "buurt_a": None, "buurt_b": None}
    ranges = brute_force_ranges(out.values, margins, ["rest"])
    assert ranges["buurt_b"] == (0, 7) and ranges["buurt_a"] == (0, 7)


def test_a_small_remainder_of_the_parent_is_protected() -> None:
    # Two buurten of 5 each in a wijk of 12: the 2 voices at wijk level would follow.
    counts = {"wijk": 12, "a": 5, "b": 5, "rest": 2}
    margins = [hierarchy_margin("wijk", ["a", "b"], "rest")]
    out = protect(counts, margins, unpublished=["rest"])
    assert out.values == {"wijk": 12, "a": None, "b": 5}
    assert brute_force_ranges(out.values, margins, ["rest"]) == {"a": (0, 7), "rest": (0, 7)}
    # A remainder of 0 holds nobody: nothing to protect.
    plain = protect({"wijk": 10, "a": 5, "b": 5, "rest": 0}, margins, unpublished=["rest"])
    assert plain.values == {"wijk": 10, "a": 5, "b": 5}


def _family() -> tuple[dict[tuple[str, str, str], int], list[Margin[tuple[str, str, str]]],
                       list[tuple[str, str, str]]]:
    """A wijk W with buurten A and B; themes x, y; groups r, p. Built so that every route of
    differencing (sibling, margin, parent − children) would reveal a small cell."""
    cells = {
        "A": {("x", "r"): 5, ("x", "p"): 9, ("y", "r"): 8, ("y", "p"): 6},
        "B": {("x", "r"): 2, ("x", "p"): 7, ("y", "r"): 6, ("y", "p"): 10},
        "rest": {("x", "r"): 0, ("x", "p"): 1, ("y", "r"): 0, ("y", "p"): 0},
    }
    counts: dict[tuple[str, str, str], int] = {}
    for area in ("A", "B", "rest"):
        for (t, g), n in cells[area].items():
            counts[(area, t, g)] = n
    for t, g in cells["A"]:
        counts[("W", t, g)] = sum(cells[a][(t, g)] for a in ("A", "B", "rest"))
    margins: list[Margin[tuple[str, str, str]]] = []
    for area in ("W", "A", "B", "rest"):
        for t in ("x", "y"):
            counts[(area, t, ALL)] = sum(counts[(area, t, g)] for g in ("r", "p"))
        for g in ("r", "p", ALL):
            counts[(area, ALL, g)] = sum(counts[(area, t, g)] for t in ("x", "y"))
        margins += grid_margins(["x", "y"], ["r", "p"], lambda r, c, a=area: (a, r, c))
    for t in ("x", "y", ALL):
        for g in ("r", "p", ALL):
            margins.append(hierarchy_margin(("W", t, g), [("A", t, g), ("B", t, g)],
                                            ("rest", t, g)))
    unpublished = [k for k in counts if k[0] == "rest"]
    return counts, margins, unpublished


def test_a_family_of_grids_with_a_parent_leaves_every_withheld_cell_wide() -> None:
    counts, margins, unpublished = _family()
    out = protect(counts, margins, unpublished=unpublished)
    assert out.value(("B", "x", "r")) is None
    ranges = feasible_ranges(out.values, margins, unpublished)
    assert ("B", "x", "r") in out.withheld and out.reasons[("B", "x", "r")] == "small"
    assert narrow(ranges, {k for k in out.withheld if counts[k] > 0}) == {}
    # The wijk's own small remainders (1 voice on x × p; so 1 on x, on p and in all) stay
    # ranges too; remainders of 0 hold nobody.
    small_rest = {k for k in unpublished if 0 < counts[k] < 5}
    assert small_rest == {("rest", "x", "p"), ("rest", "x", ALL), ("rest", ALL, "p"),
                          ("rest", ALL, ALL)}
    assert narrow(ranges, small_rest) == {}


def test_the_family_leaks_with_primary_suppression_only() -> None:
    counts, margins, unpublished = _family()
    naive = {k: (v if v >= 5 else None) for k, v in counts.items() if k not in unpublished}
    ranges = feasible_ranges(naive, margins, unpublished)
    assert ranges[("B", "x", "r")] == (2, 2)  # row of B: x total 9 − 7


@pytest.mark.parametrize(("members", "published"), [
    ({"A": 10, "B": 3}, False),              # pooled − own (A) gives B exactly
    ({"A": 10, "B": 8}, False),              # two members: still B exactly
    ({"A": 10, "B": 3, "C": 8}, False),      # a small member: pooled − A − C gives B
    ({"A": 10, "B": 6, "C": 8}, True),
    ({"A": 10, "B": 6, "C": 8, "D": 0}, True),  # a member without records is no member
])
def test_a_pooled_figure_needs_three_members_each_at_the_threshold(
        members: dict[str, int], published: bool) -> None:
    check = check_pool(members)
    assert check.published is published
    assert check.total == (sum(members.values()) if published else None)
    assert check.value(0.5) == (0.5 if published else None)
    assert "total" in check.to_dict() and (published or check.to_dict()["members"] is None)


def test_open_rounds_change_only_in_steps_of_five() -> None:
    assert [open_round_count(n) for n in (0, 4, 5, 6, 9, 10, 11)] == [0, 0, 5, 5, 5, 10, 10]
    answers = ["urgent", "niet", "urgent", "niet", "urgent", "urgent", "niet"]
    # Two refreshes around one new answer (6 → 7 answers) show the same five.
    assert stepped(answers[:6], is_open=True) == stepped(answers[:7], is_open=True) \
        == answers[:5]
    assert stepped(answers, is_open=False) == answers
    assert open_round_count(7, DisclosureOptions(open_round_step=2)) == 6


def test_options_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        DisclosureOptions(threshold=0)
    with pytest.raises(ValueError):
        protect({"t": 5, "a": 4}, [Margin("t", ("a",))])  # members do not add up
    assert DisclosureOptions().marker == "<5"
