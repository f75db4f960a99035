"""Choropleth classes: real numbers of classes, missing values, and the comparison bands."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import mapclassify
import numpy as np
import pandas as pd
import pytest
from spatial_support import kwb_values

from wijkbeeld.spatial import SpatialOptions, classify, classify_bands
from wijkbeeld.spatial.classify import EXACT_NATURAL_BREAKS, format_number


@pytest.fixture(scope="module")
def low_income(raw: Path) -> pd.Series:
    """% low-income households per Amsterdam buurt (KWB 2024), NaN where not published."""
    return pd.Series(kwb_values(raw), dtype="float64")


def test_quantiles_on_real_values(low_income: pd.Series) -> None:
    c = classify(low_income, "quantiles", k=5)
    y = low_income.dropna().to_numpy()
    expected = np.percentile(y, [20, 40, 60, 80, 100])
    np.testing.assert_allclose(c.bins, expected)
    assert c.k == 5 and c.n_missing == int(low_income.isna().sum()) > 0
    edges = np.concatenate([[-np.inf], expected])
    counts = [int(((y > lo) & (y <= hi)).sum()) for lo, hi in itertools.pairwise(edges)]
    assert list(c.counts) == counts and sum(counts) == len(y)
    assert c.classes[low_income.isna()].isna().all()
    assert c.classes.dropna().between(0, 4).all()
    # labels in Dutch notation: decimal comma, first one from the minimum
    assert c.labels[0].startswith(format_number(float(y.min()), 1))
    assert "," in c.labels[-1] and "." not in c.labels[-1]


@pytest.mark.filterwarnings("ignore:Not enough unique values:UserWarning")
def test_ties_give_fewer_classes_and_the_legend_says_so() -> None:
    values = pd.Series([0.0] * 12 + [1.0, 2.0, 3.0, 5.0, np.nan],
                       index=[f"a{i}" for i in range(17)])
    c = classify(values, "quantiles", k=5)
    direct = mapclassify.Quantiles(values.dropna().to_numpy(), k=5)
    assert direct.k == 5  # mapclassify still claims 5 ...
    assert c.k == len(np.unique(direct.bins)) == len(c.labels) == len(c.counts) < 5  # ... but not
    assert c.k_requested == 5 and sum(c.counts) == 16 and c.n_missing == 1


@pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")
def test_natural_breaks_exact_and_sampled() -> None:
    rng = np.random.default_rng(3)
    small = pd.Series(rng.lognormal(2, 0.6, 300))
    c = classify(small, "natural_breaks", k=5)
    assert c.method == "FisherJenks"
    np.testing.assert_allclose(c.bins, mapclassify.FisherJenks(small.to_numpy(), k=5).bins)
    large = pd.Series(rng.lognormal(2, 0.6, EXACT_NATURAL_BREAKS * 3))
    state = np.random.get_state()[1].copy()
    first = classify(large, "natural_breaks", k=5)
    again = classify(large, "natural_breaks", k=5)
    assert first.method.startswith("FisherJenksSampled") and "seed 12345" in first.method
    assert first.bins == again.bins and first.bins[-1] == large.max()
    assert np.array_equal(np.random.get_state()[1], state)
    three = pd.Series([1.0, 1.0, 2.0, 2.0, 7.0])
    assert classify(three, "natural_breaks", k=5).k == 3  # FisherJenks alone would refuse


def test_equal_interval_keeps_empty_classes_and_guards_constants() -> None:
    values = pd.Series([0.0, 1.0, 10.0, np.nan])
    c = classify(values, "equal_interval", k=5)
    assert c.bins == (2.0, 4.0, 6.0, 8.0, 10.0)
    assert c.counts == (2, 0, 0, 0, 1) and c.k == 5
    constant = classify(pd.Series([4.0, 4.0, np.nan]), "equal_interval", k=5)
    assert constant.k == 1 and constant.counts == (2,) and constant.labels == ("4",)
    nothing = classify(pd.Series([np.nan, None], dtype="float64"), "quantiles")
    assert nothing.k == 0 and nothing.n_missing == 2 and nothing.legend() == []
    with pytest.raises(ValueError, match="infinity"):
        classify(pd.Series([1.0, np.inf]))


def test_bands_from_comparison_codes() -> None:
    codes = pd.Series(["unfavourable", "around_average", "", None, "very_unfavourable",
                       "unfavourable", "favourable"], index=list("abcdefg"))
    c = classify_bands(codes)
    assert c.k == 5 and c.codes[0] == "very_unfavourable"
    assert c.labels == ("veel ongunstiger", "ongunstiger", "rond het gemiddelde", "gunstiger",
                        "veel gunstiger")
    assert c.counts == (1, 2, 1, 1, 0) and c.n_missing == 2
    assert c.classes["a"] == 1 and pd.isna(c.classes["c"])
    neutral = classify_bands(pd.Series(["higher", "much_lower", "around_average"]))
    assert neutral.codes[0] == "much_lower" and neutral.counts == (1, 0, 1, 1, 0)
    with pytest.raises(ValueError, match="mix"):
        classify_bands(pd.Series(["higher", "favourable"]))
    with pytest.raises(ValueError, match="unknown band"):
        classify_bands(pd.Series(["great"]))
    via_options = classify(codes, options=SpatialOptions(scheme="bands"))
    assert via_options.counts == c.counts


def test_to_dict_is_json_ready() -> None:
    out = classify(pd.Series([1.0, 2.0, 3.0, 4.0, math.nan]), "quantiles", k=2).to_dict()
    assert out["k"] == 2 and out["n_missing"] == 1
    assert [e["count"] for e in out["legend"]] == [2, 2]
