"""Agenda progress judged by the indicator's direction and the target (issue 19, item 10).

Every expected fraction is worked out by hand in the comment beside it."""

from __future__ import annotations

import pytest

from wijkbeeld.agenda.progress import (
    CONFLICT_NOTE,
    PAST_TARGET_LABEL,
    Measurement,
    Target,
    progress,
)

LOWER = Target("indicator", "x", 0.10, "2019", 0.06)   # way 0.04 down
HIGHER = Target("indicator", "y", 0.30, "2019", 0.40)  # way 0.10 up


def _at(target: Target, value: float, better: bool | None) -> tuple[float | None, str,
                                                                      float | None, str]:
    p = progress(target, [Measurement("2021", value, 2021)], higher_is_better=better)
    return p.fraction, p.status, p.share_done, p.label


@pytest.mark.parametrize(("value", "fraction", "status", "done", "label"), [
    (0.08, 0.5, "vooruit", 0.5, "op weg naar het doel"),        # -0.02 / -0.04
    (0.06, 1.0, "bereikt", 1.0, "doel bereikt"),                # -0.04 / -0.04
    (0.03, 1.75, "bereikt", 1.0, PAST_TARGET_LABEL),            # -0.07 / -0.04, capped
    (0.12, -0.5, "achteruit", None, "beweegt van het doel af"),  # +0.02 / -0.04
    (0.10, 0.0, "stagneert", 0.0, "stagneert"),                 # no change
])
def test_lower_is_better(value: float, fraction: float, status: str, done: float | None,
                         label: str) -> None:
    got = _at(LOWER, value, False)
    assert got[0] == pytest.approx(fraction)
    assert got[1:] == (status, pytest.approx(done) if done is not None else None, label)


@pytest.mark.parametrize(("value", "fraction", "status", "done", "label"), [
    (0.35, 0.5, "vooruit", 0.5, "op weg naar het doel"),        # 0.05 / 0.10
    (0.40, 1.0, "bereikt", 1.0, "doel bereikt"),
    (0.48, 1.8, "bereikt", 1.0, PAST_TARGET_LABEL),             # 0.18 / 0.10, capped
    (0.25, -0.5, "achteruit", None, "beweegt van het doel af"),  # -0.05 / 0.10
    (0.30, 0.0, "stagneert", 0.0, "stagneert"),
])
def test_higher_is_better(value: float, fraction: float, status: str, done: float | None,
                          label: str) -> None:
    got = _at(HIGHER, value, True)
    assert got[0] == pytest.approx(fraction)
    assert got[1:] == (status, pytest.approx(done) if done is not None else None, label)


def test_a_target_on_the_unfavourable_side_is_judged_by_the_polarity() -> None:
    # Higher is better, yet the target asks 0.30 -> 0.20 (way 0.10).
    t = Target("indicator", "y", 0.30, "2019", 0.20)
    towards = progress(t, [Measurement("2021", 0.20, 2021)], higher_is_better=True)
    assert towards.fraction == pytest.approx(-1.0)  # +1 * (0.20 - 0.30) / 0.10
    assert (towards.status, towards.share_done) == ("achteruit", None)
    assert towards.note == CONFLICT_NOTE
    better = progress(t, [Measurement("2021", 0.45, 2021)], higher_is_better=True)
    assert better.fraction == pytest.approx(1.5)  # +1 * 0.15 / 0.10
    assert better.status == "vooruit"  # never "bereikt": the target lies the wrong way
    assert better.to_dict()["note"] == CONFLICT_NOTE


def test_falling_resident_urgency_is_capped_not_179_percent() -> None:
    # The demo case: residents rating werk urgent 75 % -> target 40 %, latest 12.5 %.
    t = Target("round", "werk_inkomen", 0.75, "r1", 0.40, group="residents",
               metric="share_urgent")
    p = progress(t, [Measurement("r2", 0.125, 2)])
    assert p.fraction == pytest.approx(0.625 / 0.35)  # 1.7857
    assert (p.status, p.share_done, p.label) == ("bereikt", 1.0, PAST_TARGET_LABEL)
    assert p.to_dict()["share_done"] == 1.0


def test_hold_the_line_with_a_polarity() -> None:
    t = Target("indicator", "x", 0.10, "2019", 0.10)
    assert _at(t, 0.08, False)[:2] == (1.0, "bereikt")     # a favourable move holds it
    assert _at(t, 0.12, False)[:2] == (-1.0, "achteruit")
    assert _at(t, 0.12, None)[:2] == (-1.0, "achteruit")   # without polarity: any move
    assert _at(t, 0.10, None)[:2] == (1.0, "bereikt")


def test_unmeasured_has_no_share() -> None:
    p = progress(HIGHER, [], higher_is_better=True)
    assert (p.status, p.fraction, p.share_done, p.past_target) == ("geen_meting", None, None,
                                                                  False)
