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
    assert "1.392 × € 1.000" in html and "543,3 × € 1.000" in html
    assert format_value(0.1234, "fraction") == "12,3 %"
    assert format_value(1234.5, "eur_1000", "en") == "1,234.5 × € 1,000"
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
