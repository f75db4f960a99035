"""Trends: Den Haag wijken 2009-2022 and Amsterdam buurten 2020 → 2024 through the crosswalk,
recomputed by hand from the raw files (csv module here, decimal commas converted here)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from compare_support import crosswalk_rows, haaglanden_rows, kwb_buurten, kwb_row, num, pairs

from wijkbeeld.compare import Comparison, Crosswalk, Figures, compare_all, trends
from wijkbeeld.figures.readers import read_figures

YEARS = [str(y) for y in range(2009, 2023)]


@cache
def den_haag(raw: Path) -> Comparison:
    table = read_figures(raw / "haaglanden-wijken-zorg" / "df_count_ver_3.csv")
    return compare_all(Figures.from_tables([table]), themes=False)


@cache
def amsterdam(raw: Path) -> Comparison:
    folder = raw / "amsterdam-kwb-2020-2024"
    tables = [read_figures(folder / f"Kerncijfers_wijken_en_buurten_{y}.csv") for y in (2020, 2024)]
    return compare_all(Figures.from_tables(tables), themes=False)


def crosswalk(raw: Path) -> Crosswalk:
    frame = pd.DataFrame(list(crosswalk_rows(raw)))
    return Crosswalk.from_frame(frame, from_year=2020, to_year=2024,
                                from_column="BUURTCODE_CBS_2015", to_column="BUURTCODE_CBS_2022",
                                source="Gemeente Amsterdam, buurten 2015-2022")


def den_haag_by_hand(raw: Path, code: str, column: str) -> dict[str, tuple[float, float]]:
    """Per year (value, base-weighted reference over the Den Haag wijken of that year)."""
    out: dict[str, tuple[float, float]] = {}
    for year in YEARS:
        rows = [r for r in haaglanden_rows(raw) if r["YEAR"] == year]
        members = pairs(rows, column, "Total_Population")
        ref = (sum(v * (b or 0.0) for _, v, b in members)
               / sum(b or 0.0 for _, _, b in members))
        own = next(v for c, v, _ in members if c == code)
        out[year] = (own, ref)
    return out


def test_den_haag_trend_starts_at_the_first_available_year(raw: Path) -> None:
    """ELAN writes 0.0 for "not available" (employees 2009 and 2010, every wijk exactly 0): those
    years are missing points, and the baseline is the first year with a figure, not a fake 0."""
    column, code = "%_Employee", "WK051828"
    rows = haaglanden_rows(raw)
    all_zero = {y for y in YEARS
                if all(float(r[column]) == 0 for r in rows if r["YEAR"] == y)}
    assert all_zero == {"2009", "2010"}
    own = {r["YEAR"]: float(r[column]) for r in rows if r["WKC"] == code}
    first = min(y for y in YEARS if y not in all_zero)
    (trend,) = trends(den_haag(raw), code, indicators=["elan_werknemer"])
    assert trend.baseline_period == first == "2011"
    by_period = {p.period: p for p in trend.points}
    for year in sorted(all_zero):
        assert by_period[year].status == "missing"
        assert math.isnan(by_period[year].value) and math.isnan(by_period[year].change)
    for year in YEARS:
        if year not in all_zero:
            assert by_period[year].status == "ok"
            assert by_period[year].value == own[year]
            assert by_period[year].change == pytest.approx(own[year] - own[first], abs=1e-15)


@pytest.mark.parametrize("code", ["WK051801", "WK051828", "WK051844"])
@pytest.mark.parametrize(("column", "indicator"), [
    ("%_HVZ_Medication_user", "elan_medicatie_hartvaat"),
    ("%_UniqueMed_Count_>=5", "elan_polyfarmacie_5"),
])
def test_den_haag_trend_and_gap_2009_2022(
    raw: Path, code: str, column: str, indicator: str
) -> None:
    expected = den_haag_by_hand(raw, code, column)
    (trend,) = trends(den_haag(raw), code, indicators=[indicator])
    assert trend.baseline_period == "2009"
    assert [p.period for p in trend.points] == YEARS
    assert not trend.has_break
    base_value, base_ref = expected["2009"]
    base_gap = base_value - base_ref
    for point in trend.points:
        value, ref = expected[point.period]
        gap = value - ref
        assert point.status == "ok"
        assert point.value == value
        assert point.reference_value == pytest.approx(ref, rel=1e-12)
        assert point.gap == pytest.approx(gap, rel=1e-9, abs=1e-15)
        assert point.change == pytest.approx(value - base_value, abs=1e-15)
        assert point.gap_change == pytest.approx(abs(gap) - abs(base_gap), abs=1e-15)
        if point.period == "2009":
            assert point.gap_trend == ""
        else:
            assert point.gap_trend == ("narrowed" if abs(gap) < abs(base_gap) else "widened")
            # higher is worse: a lower share than in 2009 is an improvement
            assert point.direction == ("improved" if value < base_value else "worsened")


def test_den_haag_baseline_can_be_chosen(raw: Path) -> None:
    expected = den_haag_by_hand(raw, "WK051801", "%_HVZ_Medication_user")
    (trend,) = trends(den_haag(raw), "WK051801", indicators=["elan_medicatie_hartvaat"],
                      baseline="2015")
    assert trend.baseline_period == "2015"
    last = trend.point("2022")
    assert last.change == pytest.approx(expected["2022"][0] - expected["2015"][0], abs=1e-15)
    data = trend.to_dict()
    assert data["baseline"] == "2015" and len(data["points"]) == 14


def amsterdam_ref(raw: Path, year: int, column: str) -> float:
    members = [(v, b) for _, v, b in pairs(kwb_buurten(raw, year), column, "Population_Total")
               if b is not None]
    return sum(v * b for v, b in members) / sum(b for _, b in members)


def test_crosswalked_amsterdam_2020_to_2024_for_mapped_buurten(raw: Path) -> None:
    cw = crosswalk(raw)
    mapping = dict(zip(cw.frame["to_code"], cw.frame["from_code"], strict=True))
    ref20 = amsterdam_ref(raw, 2020, "Pct_Lowest_40Pct_Income")
    ref24 = amsterdam_ref(raw, 2024, "Pct_Lowest_40Pct_Income")
    checked = 0
    for new in ["BU0363AE01", "BU0363AA01", "BU0363KH02", "BU0363TH02"]:
        old = mapping[new]
        v20 = num(kwb_row(raw, 2020, old)["Pct_Lowest_40Pct_Income"])
        v24 = num(kwb_row(raw, 2024, new)["Pct_Lowest_40Pct_Income"])
        assert v20 is not None and v24 is not None
        (trend,) = trends(amsterdam(raw), new, indicators=["inkomen_laagste_40_pct"],
                          crosswalks=[cw])
        first, last = trend.point("2020"), trend.point("2024")
        assert (first.status, first.source_codes, first.boundary_year) == ("mapped", (old,), 2020)
        assert first.value == v20
        assert first.reference_value == pytest.approx(ref20, rel=1e-12)
        assert (last.status, last.value) == ("ok", v24)
        assert last.reference_value == pytest.approx(ref24, rel=1e-12)
        assert last.change == pytest.approx(v24 - v20, abs=1e-12)
        gap_change = abs(v24 - ref24) - abs(v20 - ref20)
        assert last.gap_change == pytest.approx(gap_change, abs=1e-12)
        assert last.gap_trend == ("narrowed" if gap_change < 0 else "widened")
        assert trend.crosswalks == ("2020→2024 Gemeente Amsterdam, buurten 2015-2022",)
        checked += 1
    assert checked == 4
    # A count with a base is carried over as its share of the old buurt.
    (trend,) = trends(amsterdam(raw), "BU0363AE01", indicators=["leeftijd_65_plus"],
                      crosswalks=[cw])
    old_row = kwb_row(raw, 2020, mapping["BU0363AE01"])
    old_65, old_pop = num(old_row["Pop_Age_65_Plus"]), num(old_row["Population_Total"])
    assert old_65 is not None and old_pop
    assert trend.point("2020").value == pytest.approx(100 * old_65 / old_pop, rel=1e-12)


def test_unmapped_buurt_shows_a_break(raw: Path) -> None:
    cw = crosswalk(raw)
    mapped = set(cw.frame["to_code"])
    unmapped = [r["Area_Code"] for r in kwb_buurten(raw, 2024)
                if r["Area_Code"] not in mapped and num(r["Pct_Lowest_40Pct_Income"]) is not None]
    assert len(unmapped) > 10
    for code in unmapped[:3]:
        (trend,) = trends(amsterdam(raw), code, indicators=["inkomen_laagste_40_pct"],
                          crosswalks=[cw])
        old = trend.point("2020")
        assert old.status == "break"
        assert math.isnan(old.value) and old.source_codes == ()
        assert "geen omzettabel" in old.note
        assert trend.has_break
        assert trend.baseline_period == "2024"  # the series starts after the break
        assert not math.isnan(trend.point("2024").gap_change)


def test_without_crosswalk_nothing_is_joined(raw: Path) -> None:
    (trend,) = trends(amsterdam(raw), "BU0363AE01", indicators=["inkomen_laagste_40_pct"])
    assert trend.point("2020").status == "break"
    assert trend.point("2024").status == "ok"


def test_merged_buurten_are_combined_base_weighted(raw: Path) -> None:
    # Two old buurten into one new one: Σ(pop × %) / Σ pop; inhabitants (a count) are summed.
    frame = pd.DataFrame({"from_code": ["BU03630000", "BU03630001"],
                          "to_code": ["BU0363AE01", "BU0363AE01"]})
    cw = Crosswalk.from_frame(frame, from_year=2020, to_year=2024)
    rows = [kwb_row(raw, 2020, c) for c in ("BU03630000", "BU03630001")]
    pct = [num(r["Pct_Lowest_40Pct_Income"]) for r in rows]
    pop = [num(r["Population_Total"]) for r in rows]
    assert all(p is not None for p in pct) and all(pop)
    expected = sum(p * n for p, n in zip(pct, pop, strict=True) if p and n) / sum(
        n for n in pop if n)
    c = amsterdam(raw)
    (trend,) = trends(c, "BU0363AE01", indicators=["inkomen_laagste_40_pct"], crosswalks=[cw])
    assert trend.point("2020").status == "mapped"
    assert trend.point("2020").source_codes == ("BU03630000", "BU03630001")
    assert trend.point("2020").value == pytest.approx(expected, rel=1e-12)
    (trend,) = trends(c, "BU0363AE01", indicators=["inwoners"], crosswalks=[cw])
    assert trend.point("2020").value == sum(n for n in pop if n)
