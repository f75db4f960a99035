"""The area profile page: how an area stands, strengths first, per theme, with trends.

Real figures: the CBS KWB 2020 and 2024 files for Amsterdam and the ELAN/LUMC Den Haag wijk series
2009-2022, imported once for the module. Every expected number is computed here from the raw CSV
files with the csv module (reference value, SD, z, percentile, band; series lengths), following
docs/compare.md, never through wijkbeeld's readers or the compare package.
"""

from __future__ import annotations

import csv
import html as htmllib
import math
import re
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from webpages_support import KWB_2020, KWB_2024, KWB_DIR, kwb_rows, make_user, wipe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("profile_figures")]

DEN_HAAG = ("haaglanden-wijken-zorg", "df_count_ver_3.csv")
BUURT = "BU0363AA01"  # Planciusbuurt-Noord, 345 inwoners (not shrunk: at least 100)
WIJK = "WK051828"  # a Den Haag wijk with the full 2009-2022 series

BANDS_NL = {
    "very_favourable": "veel gunstiger", "favourable": "gunstiger",
    "around_average": "rond het gemiddelde", "unfavourable": "ongunstiger",
    "very_unfavourable": "veel ongunstiger", "higher": "hoger", "much_higher": "veel hoger",
    "lower": "lager", "much_lower": "veel lager",
}


@pytest.fixture(scope="module")
def profile_figures(django_db_setup: Any, django_db_blocker: Any, raw: Path) -> Iterator[Path]:
    """KWB 2020 + 2024 (Amsterdam) and the Den Haag wijk series, stored once for the module."""
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.pages.profile_cache import clear_caches

    with django_db_blocker.unblock():
        wipe()
        clear_caches()
        catalogue = load_catalogue()
        sync_catalogue(catalogue)
        for path in (raw / KWB_DIR / KWB_2020, raw / KWB_DIR / KWB_2024, raw.joinpath(*DEN_HAAG)):
            store_table(read_figures(path, catalogue=catalogue), who="test")
        try:
            yield raw
        finally:
            wipe()
            clear_caches()


@pytest.fixture
def viewer(client: Client) -> Client:
    client.force_login(make_user("lezer", "viewer"))
    return client


# --- independent computations from the raw files -----------------------------------------------


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    return float(text) if text else None


def _buurten(raw: Path) -> dict[str, dict[str, str]]:
    return {c: r for c, r in kwb_rows(raw, KWB_2024).items() if c.startswith("BU0363")}


def _reference(
    raw: Path, code: str, column: str, weighted: bool
) -> tuple[float, float, float, float]:
    """(x, reference value, z, percentile) of buurt ``code`` among all Amsterdam buurten:
    R = Σ inwoners·x / Σ inwoners (or the plain mean), SD = population SD of the members'
    figures, z = (x - R) / SD, percentile = (rank - 1) / (N - 1) with average ranks."""
    rows = _buurten(raw)
    members = {c: v for c, r in rows.items() if (v := _number(r[column])) is not None}
    values = list(members.values())
    if weighted:
        pairs = [(v, w) for c, v in members.items()
                 if (w := _number(rows[c]["Population_Total"])) is not None]
        ref = sum(v * w for v, w in pairs) / sum(w for _, w in pairs)
    else:
        ref = sum(values) / len(values)
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    x = members[code]
    below = sum(v < x for v in values)
    ties = sum(v == x for v in values) - 1
    percentile = (below + ties / 2) / (len(values) - 1)
    return x, ref, (x - ref) / sd, percentile


def _band(signed_z: float) -> str:
    if abs(signed_z) < 0.5:
        return "around_average"
    if signed_z > 0:
        return "favourable" if signed_z <= 1.5 else "very_favourable"
    return "unfavourable" if signed_z >= -1.5 else "very_unfavourable"


def _dutch(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _percent(value: float) -> str:
    """A percentage as shown: one decimal, half up, a trailing ",0" dropped, then " %"."""
    text = f"{Decimal(repr(value)).quantize(Decimal('0.1'), ROUND_HALF_UP):f}"
    return text.removesuffix(".0").replace(".", ",") + " %"


# --- reading the page --------------------------------------------------------------------------


def _row(page: str, indicator: str) -> str:
    match = re.search(rf'<tr data-indicator="{indicator}" data-period="[^"]+">(.*?)</tr>',
                      page, re.S)
    assert match is not None, f"no row for {indicator}"
    return match.group(1)


def _cell(row: str, css: str) -> tuple[str, str]:
    """(text, data-value) of the cell with class ``css``."""
    match = re.search(rf'<td class="{css}"(?: data-value="([^"]*)")?>(.*?)</td>', row, re.S)
    assert match is not None, css
    text = re.sub(r"<span class=\"note\">.*?</span>", "", match.group(2))
    return htmllib.unescape(re.sub(r"<[^>]+>", "", text)).strip(), match.group(1) or ""


def _section(page: str, heading: str) -> str:
    """The HTML of the <section> whose <h2> is ``heading``."""
    at = page.index(f">{heading}</h2>")
    start = page.rindex("<section", 0, at)
    return page[start:page.index("</section>", at)]


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- the numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "indicator", "weighted"),
    [
        # Has a base (inwoners): the reference is the base-weighted mean (the city's real share).
        ("Pct_Lowest_40Pct_Income", "inkomen_laagste_40_pct", True),
        # No base: the plain mean of the buurt figures.
        ("Pct_Low_Income_Households", "huishoudens_laag_inkomen_pct", False),
    ],
)
def test_reference_z_percentile_and_band_match_a_hand_computation(
    viewer: Client, raw: Path, column: str, indicator: str, weighted: bool
) -> None:
    x, ref, z, percentile = _reference(raw, BUURT, column, weighted)
    row = _row(_get(viewer, f"/gebied/{BUURT}/2024/"), indicator)

    assert _cell(row, "num")[0] == _percent(x)
    ref_text, ref_exact = _cell(row, "num ref")
    assert ref_text == _percent(ref)
    assert float(ref_exact) == pytest.approx(ref, rel=1e-12)
    z_text, z_exact = _cell(row, "num z")
    assert z_text == _dutch(z, 2)
    assert float(z_exact) == pytest.approx(z, rel=1e-9)
    pct_text, pct_exact = _cell(row, "num pct")
    assert float(pct_exact) == pytest.approx(percentile, abs=1e-12)
    assert pct_text == f"{100 * percentile:.0f} %"  # "Lager bij 62 %" (issue 19)
    assert _cell(row, "num index")[0] == f"{100 * x / ref:.0f}"
    band = _band(-z)  # both indicators: higher is worse
    assert f'<span class="band band-{band}">{BANDS_NL[band]}</span>' in row
    assert '<span class="source">Bron: CBS, Kerncijfers wijken en buurten, 2024</span>' in row


def test_missing_income_says_why_and_the_theme_reports_its_coverage(
    viewer: Client, raw: Path
) -> None:
    code = "BU0363EG02"  # GWL-terrein: 1,220 inwoners, three of five income figures empty
    raw_row = _buurten(raw)[code]
    income = {
        "Avg_Income_Per_Income_Recipient_1000EUR": "inkomen_per_ontvanger",
        "Avg_Income_Per_Inhabitant_1000EUR": "inkomen_per_inwoner",
        "Avg_Std_Household_Income_1000EUR": "inkomen_huishouden_gestandaardiseerd",
        "Pct_Lowest_40Pct_Income": "inkomen_laagste_40_pct",
        "Pct_Highest_20Pct_Income": "inkomen_hoogste_20_pct",
    }
    empty = [c for c in income if not raw_row[c].strip()]
    assert len(empty) == 3
    page = _get(viewer, f"/gebied/{code}/2024/")
    for column in empty:
        row = _row(page, income[column])
        assert _cell(row, "num")[0] == "ontbreekt"
        assert _cell(row, "num z")[0] == ""  # no z-score
        reason = re.search(r'<span class="reason">(.*?)</span>', row, re.S)
        assert reason is not None
        assert reason.group(1) == f"geen cijfer in de bron (kolom {column}): geen z-score"
    section = _section(page, "Werk en inkomen")
    assert "2 van 5 indicatoren" in section
    # 2 of 5 is below the 50 % minimum coverage: no score, and the page says why.
    assert "Geen themascore" in section and 'class="score"' not in section


def test_strengths_come_first_with_text_band_labels(viewer: Client, raw: Path) -> None:
    # The first sizeable buurt whose share of low-income households is clearly below the city's
    # (z ≤ -1.2 by hand; higher is worse, so that is a strength).
    rows = _buurten(raw)
    code, z = next(
        (c, _reference(raw, c, "Pct_Low_Income_Households", False)[2])
        for c in sorted(rows)
        if (_number(rows[c]["Population_Total"]) or 0) >= 100
        and _number(rows[c]["Pct_Low_Income_Households"]) is not None
        and _reference(raw, c, "Pct_Low_Income_Households", False)[2] <= -1.2
    )
    page = _get(viewer, f"/gebied/{code}/2024/")
    strengths = _section(page, "Sterke punten")
    assert page.index("Sterke punten") < page.index("Opgaven") < page.index('class="theme ')
    item = re.search(r'<li data-indicator="huishoudens_laag_inkomen_pct">(.*?)</li>', strengths,
                     re.S)
    assert item is not None, code
    band = _band(-z)
    assert f'<span class="band band-{band}">{BANDS_NL[band]}</span>' in item.group(1)
    assert 'href="#cijfer-huishoudens_laag_inkomen_pct"' in item.group(1)
    assert 'id="cijfer-huishoudens_laag_inkomen_pct"' in page
    # Every band on the page carries its words, and the words match its colour class.
    bands = re.findall(r'<span class="band band-(\w+)">(.*?)</span>', page)
    assert len(bands) > 15
    assert all(BANDS_NL[b] == text for b, text in bands)


def test_every_figure_has_its_source_line(viewer: Client) -> None:
    response = viewer.get(f"/gebied/{BUURT}/2024/")
    page = response.content.decode()
    n = response.context["n_figures"]
    assert n == 20  # the 20 figure columns of the KWB file
    assert page.count('<span class="source">Bron: CBS, Kerncijfers wijken en buurten, 2024'
                      "</span>") == n


# --- trends ------------------------------------------------------------------------------------


def _den_haag_series(raw: Path, code: str, column: str) -> tuple[list[tuple[str, float]],
                                                                  list[str]]:
    """The wijk's (year, value) pairs, and the years left out because every Den Haag wijk holds
    exactly 0 then (ELAN's "not available", stored as missing)."""
    with raw.joinpath(*DEN_HAAG).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["WKC"].strip().endswith("--")]
    by_year: dict[str, list[float]] = {}
    for r in rows:
        if r[column].strip():
            by_year.setdefault(r["YEAR"], []).append(float(r[column]))
    zero = sorted(y for y, vs in by_year.items() if len(vs) >= 5 and all(v == 0 for v in vs))
    own = sorted((r["YEAR"], float(r[column])) for r in rows
                 if r["WKC"].strip() == code and r[column].strip() and r["YEAR"] not in zero)
    return own, zero


def test_den_haag_wijk_has_a_sparkline_per_series(viewer: Client, raw: Path) -> None:
    series, zero = _den_haag_series(raw, WIJK, "%_Welfare_benefit_user")
    assert zero == ["2009", "2010"]
    assert [y for y, _ in series] == [str(y) for y in range(2011, 2023)]
    page = _get(viewer, f"/gebied/{WIJK}/2022/")
    row = _row(page, "elan_bijstand")
    svg = re.search(r"<svg[^>]*>.*?</svg>", row, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert chart.count("<circle") == len(series) == 12
    path = re.search(r'<path class="spark-line" d="([^"]+)"', chart)
    assert path is not None and path.group(1).count(",") == len(series)  # one unbroken line
    label = re.search(r'aria-label="([^"]+)"', chart)
    title = re.search(r"<title>(.*?)</title>", chart)
    assert label is not None and title is not None and label.group(1) == title.group(1)
    first, last = series[0], series[-1]
    # A fraction (0–1) is drawn and labelled as a percentage.
    expected_first = _percent(100 * first[1])
    assert f"van {expected_first} ({first[0]}) naar {_percent(100 * last[1])} ({last[0]})" in \
        htmllib.unescape(label.group(1))
    # The years without a figure are named, never drawn as 0.
    assert htmllib.unescape(label.group(1)).endswith(f"geen cijfer: {', '.join(zero)}")
    assert 'role="img"' in chart
    # The highest value sits highest (smallest y): the chart is not upside down.
    ys = [float(y) for y in re.findall(r'cy="([0-9.]+)"', chart)]
    values = [v for _, v in series]
    assert ys.index(min(ys)) == values.index(max(values))
    # Every one of the file's 61 figure columns has its series drawn.
    assert page.count('<svg id="trend-') == len(re.findall(r"<tr data-indicator=", page)) == 61


def test_context_only_figures_sit_apart(viewer: Client) -> None:
    page = _get(viewer, f"/gebied/{WIJK}/2022/")
    context = _section(page, "Context (telt niet mee in scores)")
    herkomst = re.findall(r'<tr data-indicator="(elan_herkomst_\w+)"', page)
    assert len(herkomst) == 7
    assert set(re.findall(r'<tr data-indicator="(elan_herkomst_\w+)"', context)) == set(herkomst)
    for other in re.findall(r'<section class="theme theme-theme".*?</section>', page, re.S):
        assert "elan_herkomst" not in other


def test_series_match_the_core_trends(raw: Path) -> None:
    """The page's vectorised series equal compare.trends, point for point; with a crosswalk
    the core itself is used on a slimmed comparison, and must still agree."""
    import pandas as pd

    from wijkbeeld.compare import CompareOptions, Crosswalk, compare_all, trends
    from wijkbeeld.web.figures.loading import figures_frame
    from wijkbeeld.web.pages.series import area_series

    def points(found: Any) -> dict[str, list[tuple[str, str, float]]]:
        return {t.indicator: [(p.period, p.status, p.value) for p in t.points] for t in found}

    def same(a: dict[str, Any], b: dict[str, Any]) -> None:
        assert a.keys() == b.keys()
        for k in a:
            assert [(p, s) for p, s, _ in a[k]] == [(p, s) for p, s, _ in b[k]], k
            assert [v for *_, v in a[k]] == pytest.approx([v for *_, v in b[k]], nan_ok=True)

    dh = compare_all(figures_frame(municipality="GM0518", level="district"), CompareOptions(),
                     themes=False)
    keys = ["elan_bijstand", "elan_copd", "elan_herkomst_marokko", "elan_inwoners"]
    mine = area_series(dh, WIJK, 2022, keys)
    same({k: [(p.period, p.status, p.value) for p in v] for k, v in mine.items()},
         points(trends(dh, WIJK, indicators=keys)))

    ams = compare_all(figures_frame(municipality="GM0363", level="municipality"),
                      CompareOptions(), themes=False)
    keys = ["inwoners", "woz_waarde", "inkomen_laagste_40_pct"]
    for year in (2020, 2024):  # the other indeling's year is a break, both ways
        mine = area_series(ams, "GM0363", year, keys)
        core = points(trends(ams, "GM0363", indicators=keys, boundary_year=year))
        same({k: [(p.period, p.status, p.value) for p in v] for k, v in mine.items()}, core)
        assert [s for _, s, _ in core["inwoners"]] == (
            ["ok", "break"] if year == 2020 else ["break", "ok"])
    # Bridged: GM0363 of 2020 mapped onto GM0363 of 2024 (one area, weight 1).
    bridge = Crosswalk.from_frame(pd.DataFrame({"a": ["GM0363"], "b": ["GM0363"]}),
                                  from_year=2020, to_year=2024, from_column="a", to_column="b")
    mine = area_series(ams, "GM0363", 2024, keys, [bridge])
    core = points(trends(ams, "GM0363", indicators=keys, crosswalks=[bridge]))
    same({k: [(p.period, p.status, p.value) for p in v] for k, v in mine.items()}, core)
    assert [s for _, s, _ in core["inwoners"]] == ["mapped", "ok"]


def test_sparkline_leaves_a_gap_for_a_break() -> None:
    from wijkbeeld.web.pages.charts import sparkline
    from wijkbeeld.web.pages.series import SeriesPoint

    nan = float("nan")
    points = [SeriesPoint("2019", "ok", 1.0), SeriesPoint("2020", "ok", 2.0),
              SeriesPoint("2021", "break", nan), SeriesPoint("2022", "ok", 3.0),
              SeriesPoint("2023", "ok", 2.5), SeriesPoint("2024", "missing", nan)]
    chart = sparkline(points, name="Test", fmt=str)
    assert chart is not None and chart.points == 4
    svg = str(chart.svg)
    assert svg.count("<path") == 2  # two separate runs: never joined across the break
    assert svg.count('class="spark-break"') == 1
    assert "breuk in de reeks (andere indeling): 2021" in chart.label
    assert "geen cijfer: 2024" in chart.label
    assert sparkline(points[:3], name="Test", fmt=str) is not None
    assert sparkline(points[1:3], name="Test", fmt=str) is None  # one figure: no chart


# --- choices, access, language -----------------------------------------------------------------


def test_reference_and_year_selectors(viewer: Client, raw: Path) -> None:
    page = _get(viewer, f"/gebied/{BUURT}/2024/")
    assert '<option value="municipality" selected>' in page
    assert 'data-reference="municipality"' in page
    assert "alle buurten van Amsterdam" in page
    # The parent reference: the wijk's own published figure.
    wijk = kwb_rows(raw, KWB_2024)["WK0363AA"]["Pct_Low_Income_Households"]
    page = _get(viewer, f"/gebied/{BUURT}/2024/?referentie=parent")
    assert '<option value="parent" selected>' in page
    row = _row(page, "huishoudens_laag_inkomen_pct")
    assert float(_cell(row, "num ref")[1]) == float(wijk.replace(",", "."))
    assert "bovenliggend gebied" in row
    page = _get(viewer, f"/gebied/{BUURT}/2024/?referentie=nl&jaar=2024")
    assert 'data-reference="nl"' in page
    assert viewer.get(f"/gebied/{BUURT}/2024/?referentie=stad").status_code == 400
    assert viewer.get(f"/gebied/{BUURT}/2024/?jaar=twee").status_code == 400
    assert viewer.get(f"/gebied/{BUURT}/2024/?jaar=2019").status_code == 404
    # A municipality has no parent to compare with.
    assert viewer.get("/gebied/GM0363/2024/?referentie=parent").status_code == 400


def test_access(client: Client) -> None:
    url = f"/gebied/{BUURT}/2024/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/?next=")
    client.force_login(make_user("hagenaar", "viewer", municipality="GM0518"))
    assert client.get(url).status_code == 403
    assert client.get(f"/gebied/{WIJK}/2022/").status_code == 200


def test_english_page(viewer: Client, raw: Path) -> None:
    viewer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _get(viewer, f"/gebied/{BUURT}/2024/")
    assert '<html lang="en">' in page
    assert ">Strengths</h2>" in page and ">Challenges</h2>" in page
    assert "Compared with all neighbourhoods of Amsterdam" in page
    assert "Source: CBS, Kerncijfers wijken en buurten, 2024" in page
    row = _row(page, "inkomen_laagste_40_pct")
    assert "Persons in the lowest 40% income" in row
    z = _reference(raw, BUURT, "Pct_Lowest_40Pct_Income", True)[2]
    assert _cell(row, "num z")[0] == f"{z:.2f}"  # English decimal point
    english = {"unfavourable": "less favourable", "around_average": "around the average",
               "favourable": "more favourable"}
    band = _band(-z)
    assert f'<span class="band band-{band}">{english[band]}</span>' in row
    missing = _row(_get(viewer, "/gebied/BU0363EG02/2024/"), "inkomen_per_ontvanger")
    assert "no figure in the source (column Avg_Income_Per_Income_Recipient_1000EUR)" in missing
    assert ">missing<" in missing


# --- speed and the cache -----------------------------------------------------------------------


def test_only_the_areas_municipality_and_level_are_compared(
    viewer: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkbeeld.web.pages import profile_cache

    profile_cache.clear_caches()
    seen: list[Any] = []
    real = profile_cache.compare_all

    def spy(figures: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(figures.frame)
        return real(figures, *args, **kwargs)

    monkeypatch.setattr(profile_cache, "compare_all", spy)
    _get(viewer, f"/gebied/{BUURT}/2024/")
    assert len(seen) == 1
    frame = seen[0]
    assert set(frame["municipality"].astype(str)) == {"GM0363"}
    assert set(frame["level"].astype(str)) == {"neighbourhood"}
    # Both indelingen' buurten of the municipality (the series need every period), no others.
    assert set(frame["period"].astype(str)) == {"2020", "2024"}


def test_cache_serves_repeats_and_a_new_import_invalidates_it(
    viewer: Client, raw: Path, django_assert_max_num_queries: Any
) -> None:
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table
    from wijkbeeld.web.pages import profile_cache

    profile_cache.clear_caches()
    url = f"/gebied/{BUURT}/2024/"
    expected = kwb_rows(raw, KWB_2024)[BUURT]["Avg_Income_Per_Income_Recipient_1000EUR"]
    start = time.perf_counter()
    first = _get(viewer, url)
    cold = time.perf_counter() - start
    whole, _, frac = expected.strip().partition(",")
    assert _cell(_row(first, "inkomen_per_ontvanger"), "num")[0] == \
        f"€ {whole}.{frac.ljust(3, '0')}"
    misses = profile_cache.COMPARISONS.misses
    start = time.perf_counter()
    # Session, user, the area, its wijk and gemeente, its buurten, other indelingen, its years,
    # the import stamp, the quotes beside the figures (one query for every theme) and the
    # triggers: nothing of the figures themselves.
    with django_assert_max_num_queries(11):
        again = _get(viewer, url)

    def main(page: str) -> str:  # the page but its header (which holds a fresh CSRF token)
        return page[page.index("<main"):]

    assert main(again) == main(first)
    warm = time.perf_counter() - start
    assert profile_cache.COMPARISONS.misses == misses  # served from the cache
    assert profile_cache.AREAS.hits >= 1
    print(f"\nBU0363AA01 page: {cold:.3f} s cold, {warm:.3f} s from the cache")

    # The same 2024 table without its income columns: the latest import wins.
    store_table(read_figures(raw / KWB_DIR / "Kerncijfers_wijken_en_buurten_2024_without_income_"
                                              "data.csv"), who="test")
    after = _get(viewer, url)
    assert profile_cache.COMPARISONS.misses > misses
    assert _cell(_row(after, "inkomen_per_ontvanger"), "num")[0] == "ontbreekt"


# --- colours -----------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_band_colours_meet_wcag_aa() -> None:
    from django.contrib.staticfiles import finders

    css = Path(str(finders.find("wijkbeeld/wijkbeeld.css"))).read_text(encoding="utf-8")
    rules = re.findall(r"((?:\.band-\w+(?:, )?)+) \{ color: (#[0-9a-f]{6}); "
                       r"background: (#[0-9a-f]{6}); \}", css)
    covered = {name for selectors, _, _ in rules for name in re.findall(r"\.band-(\w+)", selectors)}
    assert covered == set(BANDS_NL)
    for _, fg, bg in rules:
        light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (fg, bg)
    # Favourable and unfavourable differ in hue family (blue vs orange), not only lightness.
    colours = {name: bg for selectors, _, bg in rules for name in re.findall(r"\.band-(\w+)",
                                                                               selectors)}
    assert colours["favourable"] != colours["unfavourable"]


def test_strengths_are_always_there(viewer: Client) -> None:
    """Issue 19: a theme whose score is clearly favourable (0,50 or more) is a strength too;
    an area with neither favourable figures nor themes names the themes closest to the
    average, and never calls an unfavourable theme a strength. Read from the page itself:
    the scores of its theme sections against its strengths box."""
    seen = {"strong": 0, "closest": 0}
    for code in ("BU0363AF01", "BU0363AA01", "BU0363EG02", "BU0363FA07", "WK051834"):
        year = 2022 if code.startswith("WK05") else 2024
        html = viewer.get(f"/gebied/{code}/{year}/").content.decode()
        scores = {}
        for section in html.split('<section class="theme theme-theme"')[1:]:
            section = section[:section.index("</section>")]
            key = re.match(r' aria-labelledby="thema-([a-z_]+)"', section)
            score = re.search(r'class="score" data-score="([-0-9.e]+)"', section)
            if key and score:
                scores[key.group(1)] = float(score.group(1))
        box = html[html.index('class="highlight strengths"'):
                   html.index('class="highlight challenges"')]
        listed = re.findall(r'<li data-theme="([a-z_]+)">', box)
        assert listed == sorted((k for k, s in scores.items() if s >= 0.5),
                                key=lambda k: -scores[k]), code
        closest = re.findall(r'data-closest="([a-z_]+)"', box)
        figures = re.findall(r'<li data-indicator="', box)
        if listed or figures:
            assert closest == [] and "Het dichtst bij" not in box
            seen["strong"] += bool(listed)
        else:
            top = sorted(scores, key=lambda k: -scores[k])[:2]
            assert closest == top, code
            seen["closest"] += 1
    assert seen["strong"] > 0  # the test met a favourable theme at least once
