"""Urgency measures against hand computation: r_wg, Jeffreys consensus, recognition, the gap,
the small-number rule, and the consensus properties (order invariance, one dissenting group)."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from urgency_support import AREA, ROUNDS, answers, frame

from wijkbeeld.urgency import (
    ThemeMeasures,
    UrgencyOptions,
    consensus_score,
    jeffreys_share,
    measure,
    recognition_rates,
    rwg,
    sample_variance,
    validate_responses,
)

R1 = ROUNDS[0].key


def one_theme(*parts: list[dict[str, Any]], options: UrgencyOptions | None = None
              ) -> ThemeMeasures:
    measures = measure(validate_responses(frame(*parts)), options)
    assert len(measures.themes) == 1
    return measures.themes[0]


def test_rwg_by_hand() -> None:
    # 4, 5, 4, 3, 5: mean 4.2; squared deviations .04 + .64 + .04 + 1.44 + .64 = 2.8;
    # s² = 2.8 / (5 - 1) = 0.7; σ²_EU = (5² - 1) / 12 = 2; r_wg = 1 - 0.7 / 2 = 0.65.
    assert sample_variance([4, 5, 4, 3, 5]) == pytest.approx(0.7)
    assert rwg([4, 5, 4, 3, 5]) == pytest.approx(0.65)
    # Full agreement: s² = 0, r_wg = 1.
    assert rwg([4, 4, 4, 4, 4]) == 1.0
    # 1, 2, 2, 3, 1, 2: mean 11/6; squared deviations sum to 17/6; s² = 17/30; r_wg = 1 - 17/60.
    assert rwg([1, 2, 2, 3, 1, 2]) == pytest.approx(1 - 17 / 60)


def test_rwg_two_camps_is_clipped_to_zero() -> None:
    # 1, 1, 1, 5, 5, 5: mean 3, squared deviations 6 × 4 = 24, s² = 24 / 5 = 4.8 > σ²_EU = 2;
    # unclipped 1 - 4.8 / 2 = -1.4, reported 0 with the flag set.
    assert rwg([1, 1, 1, 5, 5, 5]) == 0.0
    t = one_theme(answers(R1, "wonen", "residents", [1, 1, 1, 5, 5, 5]))
    cell = t.group("residents")
    assert cell is not None
    assert (cell.r_wg, cell.r_wg_clipped, cell.variance) == (0.0, True, pytest.approx(4.8))


def test_rwg_of_one_rating_is_undefined() -> None:
    assert rwg([3]) is None and sample_variance([3]) is None
    assert rwg([]) is None
    # With the threshold lowered to 1, a single rating is shown but has no r_wg.
    t = one_theme(answers(R1, "wonen", "policy", [4]), options=UrgencyOptions(min_n=1))
    cell = t.group("policy")
    assert cell is not None and not cell.withheld
    assert (cell.mean, cell.share_urgent, cell.r_wg, cell.r_wg_clipped) == (4.0, 1.0, None, None)


def test_other_scale_changes_the_null() -> None:
    # A = 7: σ²_EU = (49 - 1) / 12 = 4; s² = 0.7 → r_wg = 1 - 0.7 / 4 = 0.825.
    assert rwg([4, 5, 4, 3, 5], scale_points=7) == pytest.approx(0.825)


def test_group_measures_by_hand() -> None:
    t = one_theme(
        answers(R1, "veiligheid", "residents", [4, 5, 4, 3, 5, None, 2, None],
                ["ja", "ja", "deels", "nee", "ja", "ja", None, "deels"]),
        answers(R1, "veiligheid", "professionals", [2, 4, 3, 4, 3, 2],
                organisation="welzijn"),
        answers(R1, "veiligheid", "policy", [5, 5, 4, 5, 4]),
    )
    res = t.group("residents")
    assert res is not None
    # 8 respondents, 2 "weet niet": ratings 4, 5, 4, 3, 5, 2 (n = 6).
    assert (res.n_respondents, res.n, res.n_dont_know) == (8, 6, 2)
    assert res.mean == pytest.approx(23 / 6)
    assert (res.n_urgent, res.share_urgent) == (4, pytest.approx(4 / 6))
    # mean 23/6; deviations 1/6, 7/6, 1/6, -5/6, 7/6, -11/6 → squares sum (1+49+1+25+49+121)/36
    # = 246/36; s² = 246/36/5 = 1.3667; r_wg = 1 - 1.3667/2.
    assert res.variance == pytest.approx(246 / 36 / 5)
    assert res.r_wg == pytest.approx(1 - 246 / 36 / 5 / 2)
    # Recognition: 7 answers: ja ×4, deels ×2, nee ×1.
    assert res.n_recognition == 7
    assert res.recognition_yes == pytest.approx(4 / 7)
    assert res.recognition_yes_or_partly == pytest.approx(6 / 7)
    assert res.recognition == pytest.approx((4 + 0.5 * 2) / 7)
    pro = t.group("professionals")
    assert pro is not None and pro.organisation_types == 1
    # Issue 18: withheld recognition publishes no count (here 0) either.
    assert pro.recognition is None and pro.recognition_withheld and pro.n_recognition is None


def test_recognition_score_is_the_mean_of_the_two_shares() -> None:
    rates = recognition_rates(["ja", "ja", "ja", "deels", "deels", "nee", None])
    # 6 answers: ja 3/6, ja-or-deels 5/6, score (3 + 0.5·2)/6 = 4/6 = (3/6 + 5/6) / 2.
    assert rates.n == 6
    assert (rates.yes, rates.yes_or_partly) == (pytest.approx(0.5), pytest.approx(5 / 6))
    assert rates.score == pytest.approx(4 / 6)
    assert rates.score == pytest.approx((rates.yes + rates.yes_or_partly) / 2)  # type: ignore[operator]
    assert recognition_rates(["deels"], partly_weight=0.25).score == 0.25
    assert recognition_rates([None, None]).n == 0


def test_consensus_and_gap_by_hand() -> None:
    t = one_theme(
        answers(R1, "wonen", "residents", [4, 5, 4, 3, 5]),  # k = 4, n = 5
        answers(R1, "wonen", "professionals", [4, 3, 4, 2, 2, 5]),  # k = 3, n = 6
        answers(R1, "wonen", "policy", [5, 4, 4, 5, 4]),  # k = 5, n = 5
    )
    # Jeffreys: (4.5 / 6) = 0.75, (3.5 / 7) = 0.5, (5.5 / 6) = 0.91667.
    expected = (0.75 * 0.5 * (5.5 / 6)) ** (1 / 3)
    assert t.consensus == pytest.approx(expected, rel=1e-12)
    assert t.consensus == pytest.approx(0.70051, abs=1e-5)
    assert t.consensus_groups == ("residents", "professionals", "policy")
    # Gap: policy 5/5 = 1.0 minus professionals 3/6 = 0.5.
    assert (t.gap, t.gap_highest, t.gap_lowest) == (pytest.approx(0.5), "policy", "professionals")
    assert jeffreys_share(0, 5) == pytest.approx(0.5 / 6)
    assert jeffreys_share(5, 5) == pytest.approx(5.5 / 6)


def test_a_pooled_average_would_hide_the_dissenting_group() -> None:
    agree = one_theme(*(answers(R1, "wonen", g, [5, 5, 4, 4, 5, 4]) for g in
                        ("residents", "professionals", "policy")))
    dissent = one_theme(answers(R1, "wonen", "residents", [1, 2, 1, 2, 2, 1]),
                        *(answers(R1, "wonen", g, [5, 5, 4, 4, 5, 4])
                          for g in ("professionals", "policy")))
    # All urgent: (6.5/7)^3 geometric mean = 6.5/7. One group with k = 0:
    # (0.5/7 · 6.5/7 · 6.5/7)^(1/3).
    assert agree.consensus == pytest.approx(6.5 / 7)
    assert dissent.consensus == pytest.approx((0.5 / 7 * 6.5 / 7 * 6.5 / 7) ** (1 / 3))
    assert dissent.consensus < 0.4 < (2 * 6 / 18)  # the pooled share urgent would be 12/18


def test_a_group_of_four_is_withheld_everywhere() -> None:
    # Residents: 4 respondents, ratings 5, 5, 5, 2 (mean 4.25, share 0.75, k 3) and recognition
    # ja, ja, ja, nee (share 0.75): none of these may appear.
    t = one_theme(
        answers(R1, "veiligheid", "residents", [5, 5, 5, 2], ["ja", "ja", "ja", "nee"]),
        answers(R1, "veiligheid", "professionals", [4, 4, 5, 3, 2, 4], ["ja"] * 6),
        answers(R1, "veiligheid", "policy", [5, 4, 4, 4, 5, 5, 3], ["deels"] * 7),
    )
    res = t.group("residents")
    assert res is not None and res.withheld and res.recognition_withheld
    # Issue 18: a withheld cell keeps no count at all (it had 4 of each).
    assert (res.n, res.n_respondents, res.n_dont_know) == (None, None, None)
    for name in ("mean", "share_urgent", "n_urgent", "variance", "r_wg", "recognition",
                 "recognition_yes", "recognition_yes_or_partly", "organisation_types"):
        assert getattr(res, name) is None, name
    assert "minder dan 5" in res.withheld_reason
    # Never silently in the consensus or the gap.
    assert t.consensus is None and t.gap is None
    assert t.missing_groups == ("residents",) and t.withheld_groups == ("residents",)
    text = json.dumps(t.to_dict())
    for raw in ("4.25", "0.75", "0.5833", '"n_urgent": 3'):
        assert raw not in text, raw
    assert t.to_dict()["groups"]["residents"]["withheld"] is True


def test_threshold_is_configurable() -> None:
    parts = [answers(R1, "wonen", "residents", [5, 5, 5, 2]),
             answers(R1, "wonen", "professionals", [4, 4, 5, 3, 2, 4]),
             answers(R1, "wonen", "policy", [5, 4, 4, 4, 5, 5, 3])]
    t = one_theme(*parts, options=UrgencyOptions(min_n=4))
    res = t.group("residents")
    assert res is not None and res.mean == pytest.approx(4.25) and res.share_urgent == 0.75
    t10 = one_theme(*parts, options=UrgencyOptions(min_n=10))
    assert t10.withheld_groups == ("residents", "professionals", "policy")


def test_dont_know_answers_do_not_count_towards_the_threshold() -> None:
    # 6 respondents but only 4 ratings: the rating measures are withheld, recognition is not.
    t = one_theme(answers(R1, "wonen", "professionals", [4, None, 5, None, 3, 4],
                          ["ja", "ja", "nee", "ja", "deels", "ja"]))
    pro = t.group("professionals")
    assert pro is not None
    # Issue 18: no counts for the withheld ratings (6 respondents, 4 ratings, 2 "weet niet").
    assert (pro.n_respondents, pro.n, pro.withheld, pro.mean) == (None, None, True, None)
    assert pro.n_dont_know is None and pro.n_recognition == 6
    assert not pro.recognition_withheld
    assert pro.recognition == pytest.approx((4 + 0.5) / 6)


def test_consensus_over_the_required_groups_only_when_all_are_reported() -> None:
    parts = [answers(R1, "wonen", "residents", [5, 5, 4, 4, 3]),
             answers(R1, "wonen", "professionals", [4, 4, 4, 2, 2])]
    t = one_theme(*parts)
    assert t.consensus is None and t.missing_groups == ("policy",)
    assert t.withheld_groups == ()
    opts = UrgencyOptions(required_groups=("residents", "professionals"))
    t2 = one_theme(*parts, options=opts)
    # k = 4 of 5 and 3 of 5: sqrt(4.5/6 · 3.5/6).
    assert t2.consensus == pytest.approx(math.sqrt(4.5 / 6 * 3.5 / 6))


counts = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6).flatmap(
    lambda groups: st.tuples(st.just(groups), st.permutations(groups))))
def test_consensus_is_invariant_to_the_order_of_groups(
    data: tuple[list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    groups, permuted = data
    assert consensus_score(permuted) == consensus_score(groups)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6), st.data())
def test_lowering_one_groups_share_never_raises_consensus(
    groups: list[tuple[int, int]], data: st.DataObject,
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(groups) - 1))
    k, n = groups[i]
    lower = data.draw(st.integers(min_value=0, max_value=k))
    changed = [*groups[:i], (lower, n), *groups[i + 1:]]
    assert consensus_score(changed) <= consensus_score(groups)
    if lower < k:
        assert consensus_score(changed) < consensus_score(groups)


ratings = st.lists(st.integers(min_value=1, max_value=5), min_size=5, max_size=12)


@settings(max_examples=30, deadline=None)
@given(ratings, ratings, ratings, st.randoms(use_true_random=False))
def test_measured_consensus_ignores_row_and_group_order(
    a: list[int], b: list[int], c: list[int], rnd: random.Random,
) -> None:
    rows = [*answers(R1, "wonen", "residents", a), *answers(R1, "wonen", "professionals", b),
            *answers(R1, "wonen", "policy", c)]
    base = one_theme(rows)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert one_theme(shuffled).consensus == base.consensus
    # Swapping which group said what leaves the consensus unchanged too.
    swapped = [*answers(R1, "wonen", "residents", c), *answers(R1, "wonen", "professionals", a),
               *answers(R1, "wonen", "policy", b)]
    assert one_theme(swapped).consensus == base.consensus
    assert base.consensus == consensus_score(
        [(sum(r >= 4 for r in g), len(g)) for g in (a, b, c)])


def test_measures_are_kept_per_round() -> None:
    both = frame(answers(ROUNDS[0].key, "wonen", "residents", [5, 5, 5, 5, 5]),
                 answers(ROUNDS[1].key, "wonen", "residents", [1, 1, 1, 1, 1]))
    m = measure(validate_responses(both))
    first = m.get(ROUNDS[0].key, AREA, "wonen")
    second = m.get(ROUNDS[1].key, AREA, "wonen")
    assert first is not None and second is not None
    assert first.group("residents").share_urgent == 1.0  # type: ignore[union-attr]
    assert second.group("residents").share_urgent == 0.0  # type: ignore[union-attr]
    assert m.get("nope", AREA, "wonen") is None
