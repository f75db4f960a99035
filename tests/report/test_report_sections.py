"""The report core without a database: escaping of voices, the section registry, numbers the
Dutch way, and no outside references in the PDF fetcher."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from wijkbeeld.report import (
    AreaInfo,
    ReportData,
    SectionContent,
    format_value,
    register_section,
    registered_sections,
    render_html,
    unregister_section,
)

XSS = '<script>alert(1)</script><img src="http://evil.example/x.png">'


def data(**kw: Any) -> ReportData:
    profile = {"area": {"code": "BU0363AA01", "name": "Planciusbuurt-Noord"}, "indicators": [{
        "indicator": "woz_waarde", "name_nl": "Gemiddelde WOZ-waarde", "name_en": "WOZ value",
        "theme": "wonen", "unit": "eur_1000", "value": 1392.0, "reference_value": 543.26,
        "band_label": "hoger", "reliability": "ok", "source": "CBS, Kerncijfers", "period":
        "2024", "reference_group": "buurten in GM0363, 2024"}], "themes": [],
        "strengths": [], "challenges": [], "notes": [], "options": {}, "reference": "municipality"}
    base: dict[str, Any] = {
        "area": AreaInfo("BU0363AA01", "Planciusbuurt-Noord", "neighbourhood", "GM0363",
                         "Amsterdam", 2024),
        "profile": profile, "generated_at": datetime(2026, 1, 2, 3, 4)}
    base.update(kw)
    return ReportData(**base)


def test_voice_with_html_is_text() -> None:
    voices = {"minimum": 5, "groups": {"residents": "bewoners"}, "themes": [
        {"theme": "wonen", "total": 6, "counts": {"residents": 6},
         "quotes": [{"text": XSS, "group": "residents", "date": "2024-05-01"}]}]}
    html = render_html(data(voices=voices))
    assert "<script>" not in html and "evil.example/x.png\">" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_withheld_counts_show_no_number() -> None:
    voices = {"minimum": 5, "groups": {"residents": "bewoners", "policy": "beleid"},
              "themes": [{"theme": "wonen", "total": 7, "counts": {"residents": 7,
                                                                   "policy": None},
                          "quotes": []}]}
    html = render_html(data(voices=voices))
    assert "te weinig om te tonen" in html
    assert ">7</td>" in html


def test_numbers_the_dutch_and_english_way() -> None:
    html = render_html(data())
    # thousands of euros shown as whole euros: 543.26 × 1,000 = 543,260
    assert "€ 1.392.000" in html and "€ 543.260" in html
    assert format_value(0.1234, "fraction") == "12,3 %"
    assert format_value(1234.5, "eur_1000", "en") == "€ 1,234,500"
    assert format_value(0.0004, "fraction") == "< 0,1 %"
    assert '<html lang="en">' in render_html(data(language="en"))


def test_a_municipality_adds_its_own_section() -> None:
    def own(d: ReportData) -> SectionContent:
        return SectionContent("Eigen paragraaf", f"<p>{len(d.profile['indicators'])}</p>")

    register_section("eigen", 85, own)
    try:
        names = [s.name for s in registered_sections()]
        assert names.index("eigen") == names.index("method") - 1
        html = render_html(data())
        assert html.index("Eigen paragraaf") < html.index("Methode en bronnen</h2>")
        assert 'href="#eigen"' in html
        with pytest.raises(ValueError, match="already registered"):
            register_section("eigen", 1, own)
    finally:
        unregister_section("eigen")
    assert "eigen" not in [s.name for s in registered_sections()]


def test_pdf_refuses_outside_resources() -> None:
    pytest.importorskip("weasyprint")
    from wijkbeeld.report import MapImage, render_pdf

    ok = render_pdf(data(maps=(MapImage(b"<svg xmlns='http://www.w3.org/2000/svg' "
                                        b"width='10' height='10'/>", "image/svg+xml",
                                        "Kaart", "CBS", "2024", "kaart"),)))
    assert ok.startswith(b"%PDF-")
    register_section("outside", 1, lambda d: SectionContent(
        "X", '<img src="http://127.0.0.1:9/x.png" alt="">'))
    try:
        with pytest.raises(ValueError, match="outside resource"):
            render_pdf(data())
    finally:
        unregister_section("outside")


def section(html: str, name: str) -> str:
    part = html[html.index(f'<section id="{name}">'):]
    return part[:part.index("</section>\n\n")]


def test_occasions_show_triggers_as_text_with_voice_signals_and_alerts() -> None:
    triggers = ({"date": "2024-03-01", "source": "bewoners", "themes": ["veiligheid"],
                 "status": "vervaagd", "description": XSS},)
    voices = {"minimum": 5, "groups": {"residents": "bewoners"}, "themes": [
        {"theme": "wonen", "total": 6, "counts": {"residents": 6}, "quotes": []},
        {"theme": "veiligheid", "total": 11, "counts": {"residents": 11}, "quotes": []}]}
    urgency = {"themes": [], "groups": [], "alerts": [
        {"kind": "aanleiding_vervaagd", "label": "aanleiding vervaagd", "theme": "veiligheid",
         "message": "de aanleiding is vervaagd, de cijfers zijn nog urgent"}]}
    html = render_html(data(triggers=triggers, voices=voices, urgency=urgency,
                            theme_labels={"veiligheid": "Veiligheid", "wonen": "Wonen"}))
    part = section(html, "occasions")
    assert "<h2>Aanleidingen</h2>" in part
    assert "2024-03-01" in part and "<td>bewoners</td>" in part and "<td>vervaagd</td>" in part
    assert "&lt;script&gt;" in part and "<script>" not in part
    # most-mentioned theme first, with its count
    assert part.index("Veiligheid: 11 reacties") < part.index("Wonen: 6 reacties")
    assert "Veiligheid: de aanleiding is vervaagd, de cijfers zijn nog urgent" in part
    english = render_html(data(triggers=triggers, language="en"))
    assert "<h2>Occasions</h2>" in english and "<td>residents</td>" in english
    assert "<td>faded</td>" in english
    assert "Er zijn geen aanleidingen vastgelegd." in render_html(data())


def test_trend_first_and_last_period_with_sparkline() -> None:
    trends = {"woz_waarde": [{"period": "2019", "value": 1005.0},
                             {"period": "2021", "value": 1200.0},
                             {"period": "2024", "value": 1392.0}]}
    part = section(render_html(data(trends=trends)), "figures")
    assert "2019: € 1.005.000 → 2024: € 1.392.000" in part
    # the sparkline's points: x from 2 to 58, y from 14 (lowest) to 2 (highest);
    # 1200 lies 195/387 of the way up: 14 - 12 * 195 / 387 = 7.95
    assert 'points="2.0,14.0 30.0,8.0 58.0,2.0"' in part
    assert 'aria-hidden="true"' in part
    # one period: no trend
    single = section(render_html(data(trends={"woz_waarde": trends["woz_waarde"][:1]})),
                     "figures")
    assert "<svg" not in single and "→" not in single


def test_peers_names_and_the_mean_of_the_peers() -> None:
    peers = {"features": ["bevolkingsdichtheid"], "areas": [
        {"code": "BU0363AA02", "name": "Westelijke eilanden", "distance": 0.234},
        {"code": "BU0363AB03", "name": "<b>Haarlemmerbuurt</b>", "distance": 0.5}],
        "figures": [{"indicator": "woz_waarde", "value": 1392.0, "peer_mean": 802.45,
                     "n": 2}]}
    part = section(render_html(data(peers=peers)), "peers")
    assert "Westelijke eilanden (BU0363AA02)" in part and "0,23" in part
    assert "&lt;b&gt;Haarlemmerbuurt&lt;/b&gt;" in part
    assert "€ 1.392.000" in part and "€ 802.450 (n=2)" in part
    assert "Bron: CBS, Kerncijfers, 2024" in part
    assert '<section id="peers">' not in render_html(data(peers={"areas": []}))


def urgency_round(recognition: dict[str, Any], klass: str = "van_bovenaf") -> dict[str, Any]:
    cell = {"n": 8, "mean": 3.5, "withheld": False, "recognition": recognition}
    return {"round": {"key": "r1", "title": "Voorjaar", "held_on": "2024-04-01"},
            "groups": [{"key": "residents", "label": "bewoners"},
                       {"key": "policy", "label": "beleid"}],
            "themes": [{"theme": "wonen", "class": {"key": klass, "label": "van bovenaf"},
                        "cells": {"residents": cell, "policy": None}}], "alerts": []}


def test_recognition_per_group_beside_the_class() -> None:
    html = render_html(data(urgency=urgency_round(
        {"n": 8, "withheld": False, "yes_or_partly": 0.75})))
    part = section(html, "recognition")
    assert "75 % (n=8)" in part and "<td>van bovenaf</td>" in part
    assert html.index('id="urgency"') < html.index('id="recognition"')
    withheld = section(render_html(data(urgency=urgency_round(
        {"n": 3, "withheld": True, "yes_or_partly": None}))), "recognition")
    assert "te weinig om te tonen" in withheld and "(n=3)" not in withheld


def test_open_questions_where_figures_and_voices_disagree() -> None:
    base = data()
    profile = {**base.profile, "themes": [
        {"theme": "veiligheid", "score": 0.9}, {"theme": "wonen", "score": -1.2},
        {"theme": "gezondheid_zorg", "score": -0.2}]}
    voices = {"minimum": 5, "groups": {"residents": "bewoners"}, "themes": [
        {"theme": "veiligheid", "total": 12, "counts": {"residents": 12}, "quotes": []}]}
    part = section(render_html(data(profile=profile, voices=voices)), "questions")
    assert "<strong>Veiligheid</strong>" in part and "12 reacties" in part
    assert "<strong>Wonen</strong>" in part and "te weinig ter sprake" in part
    assert "Gezondheid" not in part  # close to the comparison: no question
    # with an urgency round, its class "van bovenaf" is a question too
    part = section(render_html(data(profile=profile, voices=voices, urgency=urgency_round(
        {"n": 8, "withheld": False, "yes_or_partly": 0.5}))), "questions")
    assert "van bovenaf:" in part
    nothing = section(render_html(data()), "questions")
    assert "nog geen stemmen of peilingen" in nothing


def test_svg_map_one_path_per_colour_highlight_and_legend() -> None:
    from xml.etree import ElementTree

    import geopandas as gpd
    from shapely.geometry import box

    from wijkbeeld.report.mapsvg import LegendEntry, svg_map

    # three 1 km squares in RD New, side by side; the third has no value
    shapes = gpd.GeoDataFrame(
        {"name": ["a", "b", "c"]},
        geometry=[box(120000 + i * 1000, 480000, 121000 + i * 1000, 481000) for i in range(3)],
        index=["BU1", "BU2", "BU3"], crs="EPSG:28992")
    svg = svg_map(shapes, {"BU1": "#41B6C4", "BU2": "#41B6C4"}, title="Kaart <x>",
                  source="Bron: CBS, 2024", legend=[LegendEntry("laag", 2, "#41B6C4")],
                  highlight="BU2")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findtext(f"{ns}title") == "Kaart <x>"
    paths = root.findall(f".//{ns}path")
    fills = [p.get("fill") for p in paths]
    # one compound path for both coloured squares, one for "geen gegevens", one outline
    assert fills == ["#41B6C4", "#FFFFFF", "none"]
    assert paths[0].get("d", "").count("M") == 2
    texts = [t.text for t in root.iter(f"{ns}text")]
    # the scale bar: a fifth of 3 km, rounded down to 1, 2 or 5 x 10^n metres
    assert "laag (2)" in texts and "Bron: CBS, 2024" in texts and "500 m" in texts
    # 3 km across 600 map units: squares of 200 units below the 34-unit title band; the
    # outline of BU2 (x 121-122 km) starts at its south-east corner, y pointing down
    assert paths[2].get("d") == "M400 234l0 -200 -200 0 0 200 200 0z"
    assert b"http://" not in svg.replace(b"http://www.w3.org/2000/svg", b"")


def test_numbers_round_half_up_as_published() -> None:
    """5 of 8 is 62.5 %: published as 63 %, not Python's half-to-even 62 %."""
    from wijkbeeld.report.wording import format_number

    assert format_number(5 / 8 * 100, "nl", 0) == "63"
    assert format_number(0.125, "nl", 2) == "0,13"
    assert format_number(2.675, "en", 2) == "2.68"  # as written, not its binary neighbour
    assert format_number(-0.04, "nl", 1) == "0"
    assert format_number(1234567.25, "nl", 1) == "1.234.567,3"
    assert format_number(1234567.25, "en", 1) == "1,234,567.3"


@pytest.mark.parametrize(("blind", "nl", "en"), [
    (True, "Het oordeel is blind gevraagd", "Rated blind"),
    (False, "Niet blind:", "Not blind:"),
])
def test_urgency_section_says_how_the_urgency_was_asked(blind: bool, nl: str, en: str) -> None:
    urgency = {"round": {"key": "r1", "held_on": "2024-03-01", "blind": blind},
               "groups": [{"key": "residents", "label": "bewoners"}],
               "themes": [{"theme": "wonen", "class": {"key": "geen", "label": "geen urgentie"},
                           "cells": {"residents": None}}], "alerts": []}
    assert nl in render_html(data(urgency=urgency))
    assert en in render_html(data(urgency=urgency, language="en"))
    unknown = {**urgency, "round": {"key": "r1", "held_on": "2024-03-01", "blind": None}}
    assert "blind" not in render_html(data(urgency=unknown)).lower()
