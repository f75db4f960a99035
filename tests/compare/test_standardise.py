"""z, robust z, percentile, index, band, reliability and shrinkage, recomputed by hand.

Amsterdam KWB 2024 buurten against all buurten of GM0363, read with the csv module here.
"""

from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from compare_support import (
    kwb_buurten,
    kwb_row,
    mean,
    median,
    num,
    pairs,
    percentile,
    sd,
    weighted_mean,
)

from wijkbeeld.compare import CompareOptions, Comparison, Figures, compare_all
from wijkbeeld.compare.standardise import band_codes
from wijkbeeld.figures.readers import read_figures

BUURTEN = ["BU0363AA01", "BU0363AE01", "BU0363EN04", "BU0363KH02", "BU0363FP05", "BU0363TH02",
           "BU0363EC01"]
# (raw column, catalogue key, polarity sign, has a base)
INDICATORS = [
    ("Avg_Household_Size", "huishoudensgrootte", 0, False),
    ("Pct_Unoccupied_Homes", "woningen_onbewoond_pct", -1, False),
    ("Pct_Low_Income_Households", "huishoudens_laag_inkomen_pct", -1, False),
    ("Pct_Lowest_40Pct_Income", "inkomen_laagste_40_pct", -1, True),
    ("Pct_Highest_20Pct_Income", "inkomen_hoogste_20_pct", 1, True),
]


@cache
def kwb_figures(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(
        raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv")])


@cache
def comparison(raw: Path, ddof: int = 0, shrink: bool = True) -> Comparison:
    return compare_all(kwb_figures(raw), CompareOptions(ddof=ddof, shrink=shrink), themes=False)


def result(c: Comparison, code: str, indicator: str) -> pd.Series:
    r = c.results
    hit = r[(r["area_code"] == code) & (r["indicator"] == indicator)]
    assert len(hit) == 1
    return hit.iloc[0]


def expected_band(z: float, sign: int) -> str:
    signed = z * (sign or 1)
    size = abs(signed)
    if size < 0.5:
        return "around_average"
    very = size > 1.5
    if sign == 0:
        return ("much_" if very else "") + ("higher" if signed > 0 else "lower")
    return ("very_" if very else "") + ("favourable" if signed > 0 else "unfavourable")


@pytest.mark.parametrize(("column", "indicator", "sign", "weighted"), INDICATORS)
def test_z_robust_z_percentile_index_and_band(
    raw: Path, column: str, indicator: str, sign: int, weighted: bool
) -> None:
    rows = kwb_buurten(raw, 2024)
    members = pairs(rows, column, "Population_Total")
    values = [v for _, v, _ in members]
    if weighted:
        with_base = [(v, b) for _, v, b in members if b is not None]
        ref = weighted_mean([v for v, _ in with_base], [b for _, b in with_base])
    else:
        ref = mean(values)
    spread = sd(values)
    med = median(values)
    mad = median(abs(v - med) for v in values)
    c = comparison(raw)
    checked = 0
    for code in BUURTEN:
        x = num(kwb_row(raw, 2024, code)[column])
        if x is None:
            continue
        r = result(c, code, indicator)
        assert r["reliability"] == "ok"
        assert r["value_compared"] == x
        assert r["difference"] == pytest.approx(x - ref, rel=1e-12, abs=1e-12)
        assert r["z"] == pytest.approx((x - ref) / spread, rel=1e-9, abs=1e-12)
        if mad > 0:
            assert r["robust_z"] == pytest.approx((x - med) / (1.4826 * mad), rel=1e-9,
                                                  abs=1e-12)
        assert r["percentile"] == pytest.approx(percentile(x, values), abs=1e-12)
        assert r["index"] == pytest.approx(100 * x / ref, rel=1e-12)
        assert r["band"] == expected_band((x - ref) / spread, sign)
        checked += 1
    assert checked >= 6


def test_percentile_ties_get_the_average_rank(raw: Path) -> None:
    # Pct_Unoccupied_Homes holds whole percentages: hundreds of buurten share a value.
    values = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), "Pct_Unoccupied_Homes")]
    ties = values.count(5.0)
    assert ties > 20
    below = sum(1 for v in values if v < 5.0)
    r = result(comparison(raw), "BU0363AA01", "woningen_onbewoond_pct")  # 5.0
    assert r["percentile"] == pytest.approx((below + (ties - 1) / 2) / (len(values) - 1))


def test_sample_sd_option(raw: Path) -> None:
    values = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), "Avg_Household_Size")]
    r = result(comparison(raw, ddof=1), "BU0363AA01", "huishoudensgrootte")
    assert r["ref_sd"] == pytest.approx(sd(values, ddof=1), rel=1e-12)
    assert r["z"] == pytest.approx((1.3 - mean(values)) / sd(values, ddof=1), rel=1e-9)
    assert r["z"] != pytest.approx(result(comparison(raw), "BU0363AA01",
                                          "huishoudensgrootte")["z"], rel=1e-6)


def test_band_edges_and_labels() -> None:
    z = np.array([0.49, 0.5, 1.5, 1.51, -0.7, -2.0, np.nan])
    worse = band_codes(z, np.full(7, -1.0), (0.5, 1.5)).tolist()
    assert worse == ["around_average", "unfavourable", "unfavourable", "very_unfavourable",
                     "favourable", "very_favourable", ""]
    neutral = band_codes(z, np.zeros(7), (0.5, 1.5)).tolist()
    assert neutral == ["around_average", "higher", "higher", "much_higher", "lower",
                       "much_lower", ""]


def test_missing_income_gets_no_z_and_says_why(raw: Path) -> None:
    # BU0363BA01 (5 inhabitants): every income column is empty in the raw file.
    raw_row = kwb_row(raw, 2024, "BU0363BA01")
    assert raw_row["Pct_Lowest_40Pct_Income"].strip() == ""
    r = result(comparison(raw), "BU0363BA01", "inkomen_laagste_40_pct")
    assert r["status"] == "missing"
    assert math.isnan(r["z"]) and math.isnan(r["percentile"]) and r["band"] == ""
    assert r["reliability"] == "missing"
    assert r["reliability_reason"] == (
        "geen cijfer in de bron (kolom Pct_Lowest_40Pct_Income): geen z-score"
    )


def test_suppressed_figure_gets_no_z_and_says_why(raw: Path) -> None:
    path = next((raw / "amsterdam-ses-woa-2019").glob("*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    score = "SES-WOA/Totaalscore/Gemiddelde score (Getal)"
    code_column = "Regiocode (gemeente, wijk, buurt) (code)"
    # a buurt whose SES-WOA score is '.' (suppressed) in the raw export
    code = next(r[code_column].strip() for r in rows
                if r[score].strip() == "." and r[code_column].startswith("BU"))
    c = compare_all(Figures.from_tables([read_figures(path)]), themes=False)
    r = result(c, code, "ses_woa_score")
    assert r["status"] == "suppressed"
    assert math.isnan(r["z"])
    assert r["reliability"] == "suppressed"
    assert r["reliability_reason"].startswith("geheimgehouden door de bron")


def test_small_base_rate_is_shrunk_toward_the_city(raw: Path) -> None:
    # BU0363EA01 has 55 inhabitants (< min_base 100) and a published 26.9 %.
    members = [(v / 100, b) for _, v, b in pairs(kwb_buurten(raw, 2024),
                                                  "Pct_Lowest_40Pct_Income",
                                                  "Population_Total") if b is not None]
    n_total = sum(b for _, b in members)
    m = sum(p * b for p, b in members) / n_total
    s2 = sum(b * (p - m) ** 2 for p, b in members) / n_total
    n_bar = n_total / len(members)
    a = max(0.0, s2 - m * (1 - m) / n_bar)
    p_i, n_i = 0.269, 55.0
    c_i = a / (a + m * (1 - m) / n_i)
    shrunk = 100 * (m + c_i * (p_i - m))
    values = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), "Pct_Lowest_40Pct_Income")]
    r = result(comparison(raw), "BU0363EA01", "inkomen_laagste_40_pct")
    assert r["raw_value"] == 26.9
    assert r["value_shrunk"] == pytest.approx(shrunk, rel=1e-9)
    assert r["value_compared"] == pytest.approx(shrunk, rel=1e-9)
    assert r["z"] == pytest.approx((shrunk - 100 * m) / sd(values), rel=1e-9)
    assert r["reliability"] == "shrunk"
    assert "empirical Bayes" in r["reliability_reason"]
    assert 26.9 < shrunk < 100 * m  # pulled toward the reference, not past it
    # Without shrinkage the same figure is compared raw and flagged as a small base.
    r = result(comparison(raw, shrink=False), "BU0363EA01", "inkomen_laagste_40_pct")
    assert r["value_compared"] == 26.9
    assert r["reliability"] == "small_base"
    assert r["z"] == pytest.approx((26.9 - 100 * m) / sd(values), rel=1e-9)



def test_large_base_is_barely_shrunk_and_not_used(raw: Path) -> None:
    r = result(comparison(raw), "BU0363EN04", "inkomen_laagste_40_pct")  # 1735 inhabitants
    assert r["reliability"] == "ok"
    assert r["value_compared"] == 50.4
    assert abs(r["value_shrunk"] - 50.4) < abs(r["reference_value"] - 50.4)


def test_small_base_without_a_proportion_is_flagged(raw: Path) -> None:
    # Income per inhabitant (an amount, base inwoners) of a 5-inhabitant buurt: not shrinkable.
    r = result(comparison(raw), "BU0363AD01", "inkomen_per_inwoner")
    assert r["base_value"] == 5
    assert r["value_compared"] == 42.7
    assert math.isnan(r["value_shrunk"])
    assert r["reliability"] == "small_base"
    assert r["reliability_reason"] == (
        "kleine basis (inwoners 5 < 100): met voorzichtigheid lezen"
    )
