"""Rates for maps (issue 21): shares by hand, missing where there is no base, and the
empirical-Bayes smoothing moves a share on a small base far more than one on a large base."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wijkbeeld.spatial import smoothed_rates


def test_rates_by_hand_and_smoothing_by_base() -> None:
    events = pd.Series([1.0, 0.0, 50.0, 3.0, 2.0, None], index=list("abcdef"))
    base = pd.Series([5.0, 10.0, 1000.0, 40.0, 0.0, 100.0], index=list("abcdef"))
    plain = smoothed_rates(events, base, smooth=False)
    assert plain.rate["a"] == pytest.approx(0.2) and plain.rate["c"] == pytest.approx(0.05)
    assert math.isnan(plain.rate["e"]) and math.isnan(plain.rate["f"])  # base 0; no count
    smooth = smoothed_rates(events, base)
    assert math.isnan(smooth.rate["e"]) and math.isnan(smooth.rate["f"])
    moved = (smooth.rate - smooth.raw).abs()
    assert moved["a"] > 10 * moved["c"]  # base 5 pulled hard, base 1,000 barely
    overall = 54 / 1055  # all events over all bases of the usable areas
    assert abs(smooth.rate["a"] - overall) < abs(smooth.raw["a"] - overall)
    assert smooth.smooth and "empirisch-Bayes" in smooth.method
