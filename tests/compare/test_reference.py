"""Reference sets and reference values, recomputed by hand from the raw files.

Amsterdam KWB 2024 (the reference set of a buurt = every BU row of GM0363), base-weighted where
the indicator has a base; the parent wijk's own value; the whole country (RIVM 2020 national set);
Den Haag wijken across years; peers.
"""

from __future__ import annotations

import math
import warnings
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from compare_support import (
    haaglanden_rows,
    kwb_buurten,
    kwb_row,
    kwb_rows,
    mean,
    num,
    pairs,
    percentile,
    sd,
    weighted_mean,
)

from wijkbeeld.compare import CompareOptions, Comparison, Figures, compare_all
from wijkbeeld.figures.readers import read_figures

BUURTEN = ["BU0363AA01", "BU0363AE01", "BU0363EN04", "BU0363KH02", "BU0363FP05", "BU0363TH02"]


@cache
def kwb_comparison(raw: Path, year: int, reference: str = "municipality") -> Comparison:
    table = read_figures(raw / "amsterdam-kwb-2020-2024" /
                         f"Kerncijfers_wijken_en_buurten_{year}.csv")
    return compare_all(Figures.from_tables([table]), CompareOptions(reference=reference))


@cache
def haaglanden_comparison(raw: Path) -> Comparison:
    table = read_figures(raw / "haaglanden-wijken-zorg" / "df_count_ver_3.csv")
    return compare_all(Figures.from_tables([table]))


def row(comparison: Comparison, code: str, indicator: str, period: str = "2024") -> pd.Series:
    r = comparison.results
    hit = r[(r["area_code"] == code) & (r["indicator"] == indicator) & (r["period"] == period)]
    assert len(hit) == 1, (code, indicator, period)
    return hit.iloc[0]


@pytest.mark.parametrize(
    ("column", "indicator"),
    [
        ("Avg_Household_Size", "huishoudensgrootte"),
        ("Pct_Unoccupied_Homes", "woningen_onbewoond_pct"),
        ("Pct_Low_Income_Households", "huishoudens_laag_inkomen_pct"),
    ],
)
def test_unweighted_reference_is_the_mean_of_the_city_buurten(
    raw: Path, column: str, indicator: str
) -> None:
    values = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), column)]
    comparison = kwb_comparison(raw, 2024)
    for code in BUURTEN:
        r = row(comparison, code, indicator)
        assert r["reference_kind"] == "municipality"
        assert r["reference_source"] == "mean"
        assert r["reference_group"] == "buurten in GM0363, 2024"
        assert r["ref_n"] == len(values)
        assert r["reference_value"] == pytest.approx(mean(values), rel=1e-12)
        assert r["ref_sd"] == pytest.approx(sd(values), rel=1e-12)


def test_base_weighted_reference_is_the_real_city_percentage(raw: Path) -> None:
    # inkomen_laagste_40_pct has base inwoners: Σ(p × inwoners) / Σ inwoners over the buurten
    # that have both, not the mean of the buurt percentages.
    members = [(v, b) for _, v, b in pairs(kwb_buurten(raw, 2024), "Pct_Lowest_40Pct_Income",
                                           "Population_Total") if b is not None]
    expected = weighted_mean([v for v, _ in members], [b for _, b in members])
    plain = mean([v for v, _ in members])
    assert abs(expected - plain) > 0.05  # weighting changes the reference value
    comparison = kwb_comparison(raw, 2024)
    for code in BUURTEN:
        r = row(comparison, code, "inkomen_laagste_40_pct")
        assert r["reference_source"] == "weighted_mean"
        assert r["ref_n_weighted"] == len(members)
        assert r["ref_weight_sum"] == sum(b for _, b in members)
        assert r["reference_value"] == pytest.approx(expected, rel=1e-12)
        assert r["ref_mean"] == pytest.approx(plain, rel=1e-12)
    # The same for a mean amount with a base (income per inhabitant) ...
    members = [(v, b) for _, v, b in pairs(kwb_buurten(raw, 2024),
                                           "Avg_Income_Per_Inhabitant_1000EUR",
                                           "Population_Total") if b is not None]
    r = row(comparison, "BU0363AA01", "inkomen_per_inwoner")
    assert r["reference_value"] == pytest.approx(
        weighted_mean([v for v, _ in members], [b for _, b in members]), rel=1e-12)
    # ... and a count with a base, compared as a share: 100 × Σ count / Σ base.
    both = [(num(b["Pop_Age_65_Plus"]), num(b["Population_Total"]))
            for b in kwb_buurten(raw, 2024)]
    both = [(c, p) for c, p in both if c is not None and p]
    r = row(comparison, "BU0363AA01", "leeftijd_65_plus")
    assert r["measure"] == "share_of_base"
    assert r["value"] == pytest.approx(100 * 35 / 345, rel=1e-12)
    assert r["reference_value"] == pytest.approx(
        100 * sum(c for c, _ in both) / sum(p for _, p in both), rel=1e-12)


def test_unweighted_option_uses_the_plain_mean(raw: Path) -> None:
    table = read_figures(raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv")
    plain = compare_all(Figures.from_tables([table]), CompareOptions(weighted=False),
                        themes=False)
    values = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), "Pct_Lowest_40Pct_Income")]
    r = row(plain, "BU0363AA01", "inkomen_laagste_40_pct")
    assert r["reference_source"] == "mean"
    assert r["reference_value"] == pytest.approx(mean(values), rel=1e-12)


def test_parent_reference_is_the_wijk_own_value(raw: Path) -> None:
    comparison = kwb_comparison(raw, 2024, "parent")
    for code in ["BU0363AA01", "BU0363EN04", "BU0363KH02"]:
        wijk = "WK" + code[2:8]
        parent_value = num(kwb_row(raw, 2024, wijk)["Pct_Lowest_40Pct_Income"])
        siblings = [v for c, v, _ in pairs(kwb_buurten(raw, 2024), "Pct_Lowest_40Pct_Income")
                    if c.startswith("BU" + code[2:8])]
        r = row(comparison, code, "inkomen_laagste_40_pct")
        assert r["reference_source"] == "parent_value"
        assert r["reference_value"] == parent_value
        assert r["ref_n"] == len(siblings)
        x = num(kwb_row(raw, 2024, code)["Pct_Lowest_40Pct_Income"])
        assert x is not None and parent_value is not None
        assert r["z"] == pytest.approx((x - parent_value) / sd(siblings), rel=1e-12)


def test_a_municipality_alone_has_no_reference_set(raw: Path) -> None:
    r = row(kwb_comparison(raw, 2024), "GM0363", "inkomen_laagste_40_pct")
    assert r["ref_n"] == 1
    assert math.isnan(r["z"])
    assert r["reliability"] == "no_reference"
    assert "referentiegroep te klein (n=1)" in r["reliability_reason"]


@cache
def rivm_sheet(raw: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(raw / "rivm-gezondheidsmonitor-buurt" /
                              "rivm_gezondheid_2020_18plus.xlsx", engine="calamine", dtype=str)
    sheet["code"] = sheet["Codering_3"].str.strip()
    return sheet


@pytest.mark.slow
def test_nl_reference_uses_every_buurt_of_the_country(raw: Path) -> None:
    sheet = rivm_sheet(raw)
    table = read_figures(raw / "rivm-gezondheidsmonitor-buurt" /
                         "rivm_gezondheid_2020_18plus.xlsx")
    figures = Figures.from_tables([table])
    nl = compare_all(figures, CompareOptions(reference="nl"), themes=False)
    local = compare_all(figures, themes=False)
    buurten = sheet[sheet["code"].str.startswith("BU")]
    values = {c: num(v) for c, v in zip(buurten["code"], buurten["Eenzaam_28"], strict=True)}
    present = [v for v in values.values() if v is not None]
    assert 13000 < len(present) < 13808  # suppressed cells ('.') are not members
    # The first buurt with a figure in Amsterdam, Den Haag, Aa en Hunze and Groningen.
    codes = [next(c for c, v in values.items() if c.startswith(f"BU{gm}") and v is not None)
             for gm in ("0363", "0518", "1680", "0014")]
    for code in codes:
        x = values[code]
        assert x is not None
        r = row(nl, code, "eenzaam", "2020")
        assert r["reference_group"] == "alle buurten in de gegevens (Nederland), 2020"
        assert r["ref_n"] == len(present)
        assert r["reference_value"] == pytest.approx(mean(present), rel=1e-12)
        assert r["z"] == pytest.approx((x - mean(present)) / sd(present), rel=1e-9)
        assert r["percentile"] == pytest.approx(percentile(x, present), abs=1e-12)
        # The municipality reference of the same buurt: only the buurten of its gemeente.
        gm = "BU" + code[2:6]
        same = [v for c, v in values.items() if c.startswith(gm) and v is not None]
        r = row(local, code, "eenzaam", "2020")
        assert r["ref_n"] == len(same)
        assert r["reference_value"] == pytest.approx(mean(same), rel=1e-12)


@pytest.mark.parametrize("year", ["2009", "2015", "2022"])
def test_den_haag_wijken_weighted_reference_across_years(raw: Path, year: str) -> None:
    rows = [r for r in haaglanden_rows(raw) if r["YEAR"] == year]
    members = [(c, v, b) for c, v, b in pairs(rows, "%_HVZ_Medication_user", "Total_Population")]
    values = [v for _, v, _ in members]
    ref = weighted_mean(values, [b or 0.0 for _, _, b in members])
    comparison = haaglanden_comparison(raw)
    for code, x, base in members[:4] + members[-2:]:
        assert base is not None and base >= 100
        r = row(comparison, code, "elan_medicatie_hartvaat", year)
        assert r["reference_group"] == f"wijken in GM0518, {year}"
        assert r["ref_n"] == len(values)
        assert r["reference_value"] == pytest.approx(ref, rel=1e-12)
        assert r["z"] == pytest.approx((x - ref) / sd(values), rel=1e-9)
        assert r["percentile"] == pytest.approx(percentile(x, values), abs=1e-12)
        assert r["index"] == pytest.approx(100 * x / ref, rel=1e-12)


def test_peer_reference_is_the_peer_set(raw: Path) -> None:
    comparison = kwb_comparison(raw, 2024, "peers")
    assert comparison.peers is not None
    table = comparison.peers.table
    by_code = {r["Area_Code"]: r for r in kwb_rows(raw, 2024)}
    for code in ["BU0363AA01", "BU0363KH02"]:
        peers = table[table["area_code"] == code]["peer_code"].tolist()
        assert len(peers) == 10 and code not in peers
        values = [num(by_code[p]["Avg_Household_Size"]) for p in peers]
        members = [v for v in values if v is not None]
        x = num(by_code[code]["Avg_Household_Size"])
        assert x is not None
        r = row(comparison, code, "huishoudensgrootte")
        assert r["reference_kind"] == "peers"
        assert r["ref_n"] == len(members)
        assert r["reference_value"] == pytest.approx(mean(members), rel=1e-12)
        assert r["ref_sd"] == pytest.approx(sd(members), rel=1e-12)
        # the area among its peers: N = peers + 1
        assert r["percentile"] == pytest.approx(percentile(x, [*members, x]), abs=1e-12)


def test_figures_contract_rejects_bad_input(raw: Path) -> None:
    from wijkbeeld.compare import FiguresError

    figures = Figures.from_tables([read_figures(
        raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv")])
    frame = figures.frame.astype({c: object for c in ("area_code", "indicator", "status")})
    with pytest.raises(FiguresError, match="duplicate cell BU0363AA01 inwoners 2024"):
        dup = pd.concat([frame, frame[(frame["area_code"] == "BU0363AA01")
                                      & (frame["indicator"] == "inwoners")]])
        Figures.from_frame(dup, figures.indicators)
    bad = frame.copy()
    bad.loc[0, "status"] = "missing"  # but a value is present
    with pytest.raises(FiguresError, match="does not match value"):
        Figures.from_frame(bad, figures.indicators)
    with pytest.raises(FiguresError, match="no definition for indicators"):
        Figures.from_frame(frame, {k: v for k, v in figures.indicators.items()
                                   if k != "inwoners"})
    bad = frame.copy()
    bad.loc[0, "area_code"] = "XX0363"
    with pytest.raises(FiguresError, match="not a CBS area code"):
        Figures.from_frame(bad.drop(columns=["level", "municipality", "parent_code"]),
                           figures.indicators)
    with pytest.raises(FiguresError, match="lacks columns"):
        Figures.from_frame(frame.drop(columns=["value"]), figures.indicators)


def test_options_are_validated_and_frozen() -> None:
    with pytest.raises(ValueError, match="reference must be one of"):
        CompareOptions(reference="city")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ddof"):
        CompareOptions(ddof=2)
    with pytest.raises(ValueError, match="band_edges"):
        CompareOptions(band_edges=(1.5, 0.5))
    weights = {"eenzaam": 2.0}
    options = CompareOptions(weights=weights)
    weights["eenzaam"] = 5.0  # the options keep their own read-only copy
    assert options.weight("eenzaam") == 2.0 and options.weight("roker") == 1.0
    with pytest.raises(TypeError):
        options.weights["eenzaam"] = 3.0  # type: ignore[index]
