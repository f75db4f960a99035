"""The report from the database (``web.reports``) on SQLite and PostgreSQL: the small-number
rule on voices, and the download views of the area page with their role check."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.report import render_html
from wijkbeeld.web.figures.store import store_table, sync_catalogue
from wijkbeeld.web.reports import build_report_data
from wijkbeeld.web.voices.models import Voice
from wijkbeeld.web.voices.services import record_voice

DATA = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "data"
KWB_2024 = DATA / "amsterdam" / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURT = "BU0363AA01"


def store_figures(using: str) -> None:
    catalogue = load_catalogue([])
    sync_catalogue(catalogue, using=using)
    store_table(read_figures(KWB_2024, catalogue=catalogue), who="test", using=using)


def add_voices(n: int, text: str, theme: str, using: str) -> None:
    from wijkbeeld.web.areas.models import Area

    area = Area.objects.using(using).get(code=BUURT, boundary_year=2024)
    for i in range(n):
        record_voice(area, f"{text} nummer {i + 1}.", when=date(2024, 5, 1), channel="gesprek",
                     group="residents", consent=True, extra_themes=[theme], using=using)


@pytest.mark.django_db(databases="__all__")
def test_small_number_rule_in_the_report(db_alias: str) -> None:
    store_figures(db_alias)
    # (no noise in the text: noise is nuisance, so the tagger would add veiligheid to it)
    add_voices(4, "Weinig gehoord verhaal over de trappen in de portiek", "wonen", db_alias)
    add_voices(6, "Vaak gehoorde zorg over de veiligheid op het plein", "veiligheid", db_alias)
    assert Voice.objects.using(db_alias).count() == 10
    data = build_report_data(BUURT, with_map=False, using=db_alias)
    html = render_html(data)
    with KWB_2024.open(encoding="utf-8-sig", newline="") as fh:
        name = next(r["District_Type"] for r in csv.DictReader(fh, delimiter=";")
                    if r["Area_Code"].strip() == BUURT)
    assert name.strip() in html
    voices = html[html.index('<section id="voices">'):]
    voices = voices[:voices.index("</section>\n\n")] if "</section>\n\n" in voices else voices
    assert "Weinig gehoord verhaal" not in html  # 4 voices: no quote
    assert ">4</td>" not in voices  # ... and no count
    assert data.voices is not None
    shown = [t["theme"] for t in data.voices["themes"]]
    assert "veiligheid" in shown and "wonen" not in shown  # the tagger may add other themes
    assert ">6</td>" in voices
    assert "Vaak gehoorde zorg" in voices


@pytest.mark.django_db
def test_download_views_check_the_municipality() -> None:
    store_figures("default")
    users = get_user_model().objects
    client = Client()
    client.force_login(users.create_user("a", password="x-1234567", role="analyst",
                                         municipality="GM0363"))
    page = client.get(f"/gebied/{BUURT}/2024/")
    assert f"/gebied/{BUURT}/2024/rapport.pdf" in page.content.decode()
    assert f"/gebied/{BUURT}/2024/rapport.html" in page.content.decode()
    got = client.get(f"/gebied/{BUURT}/2024/rapport.html")
    assert got.status_code == 200
    assert got["Content-Disposition"] == f'attachment; filename="wijkbeeld-{BUURT}-2024.html"'
    assert "Bron: CBS" in got.content.decode()
    pdf = client.get(f"/gebied/{BUURT}/2024/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    other = Client()
    other.force_login(users.create_user("b", password="x-1234567", role="analyst",
                                        municipality="GM0518"))
    assert other.get(f"/gebied/{BUURT}/2024/rapport.pdf").status_code == 403
    assert Client().get(f"/gebied/{BUURT}/2024/rapport.pdf").status_code in (302, 403)
