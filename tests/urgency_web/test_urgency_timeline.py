"""The timeline page (/urgentie/<code>/tijdlijn/), the dashboard's links to the figures and
quotes behind each cell, and the cached theme scores behind the dashboard.

Data: the demo's worked example (two fictitious rounds about Den Haag wijk Morgenstond,
WK051834, autumn 2019 and 2021) on the real Den Haag wijk series 2009-2022; triggers and voices
added here. Expected years, dates and counts are read from the raw CSV or set by hand.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.demo import load_demo
from wijkbeeld.web.figures.models import ImportBatch
from wijkbeeld.web.urgency.reading import FIGURE_SCORES
from wijkbeeld.web.voices import services as voices

pytestmark = pytest.mark.django_db

SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
WIJK = "WK051834"
FADING = "urgentie neemt af terwijl de cijfers niet verbeteren"
FADED_TRIGGER = "aanleiding vervaagd, opgave blijft"


def years_of(raw: Path, code: str) -> list[int]:
    with (raw / SERIES).open(encoding="utf-8-sig", newline="") as fh:
        return sorted({int(r["YEAR"]) for r in csv.DictReader(fh) if r["WKC"] == code})


def login(role: str, municipality: str = "", name: str = "") -> Client:
    user = get_user_model().objects.create_user(
        name or role, password="geheim-wachtwoord-1", role=role, municipality=municipality)
    client = Client()
    client.force_login(user)
    return client


def example() -> Area:
    load_demo(verbose=False, only={"haaglanden-aandelen", "voorbeeld-peilingen"},
              password="demo-test-1")
    area = Area.objects.filter(code=WIJK).order_by("-boundary_year").first()
    assert area is not None
    return area


def entries(html: str) -> list[dict[str, Any]]:
    """The timeline's entries (kind, date, html) in page order."""
    body = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    out = []
    for part in body.split('<li class="kind-')[1:]:
        m = re.match(r'([a-z]+)" data-kind="\1" data-date="([0-9-]+)">', part)
        assert m is not None, part[:200]
        out.append({"kind": m.group(1), "date": m.group(2), "body": part})
    return out


def test_timeline_lists_rounds_figures_triggers_and_alerts_in_date_order(
        raw: Path, settings: Any) -> None:
    area = example()
    voices.record_trigger(area, "Sluiting van het werkgeversservicepunt in de wijk",
                          when=date(2020, 3, 1), source="gemeente", themes=["werk_inkomen"],
                          status="vervaagd")
    client = login("viewer")
    response = client.get(f"/urgentie/{WIJK}/tijdlijn/")
    assert response.status_code == 200
    html = response.content.decode()
    events = entries(html)
    assert events, html[:3000]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    kinds = [(e["date"], e["kind"]) for e in events]
    assert ("2019-10-01", "peiling") in kinds and ("2021-10-01", "peiling") in kinds
    figure_years = [int(d[:4]) for d, k in kinds if k == "cijfers"]
    assert figure_years == years_of(raw, WIJK)
    assert all(d.endswith("-01-01") for d, k in kinds if k == "cijfers")
    # The trigger sits between the two rounds; the alerts come after the 2021 round.
    trigger = kinds.index(("2020-03-01", "aanleiding"))
    assert kinds.index(("2019-10-01", "peiling")) < trigger < kinds.index(
        ("2021-10-01", "peiling"))
    signals = [e for e in events if e["kind"] == "signaal"]
    assert signals and all(e["date"] == "2021-10-01" for e in signals)
    assert kinds.index(("2021-10-01", "peiling")) < kinds.index(("2021-10-01", "signaal"))
    text = " ".join(e["body"] for e in signals)
    assert FADING in text and FADED_TRIGGER in text
    first_round = next(e for e in events if e["date"] == "2019-10-01")["body"]
    # Residents 6 of 8 urgent on werk en inkomen in 2019 (demo_example.py).
    werk = re.search(r'<li data-theme="werk_inkomen">(.*?)</ul></li>', first_round, re.S)
    assert werk is not None
    assert re.search(r'data-group="bewoners">bewoners: 75% urgent <span class="count">n=8',
                     werk.group(1))
    # Linked from the dashboard.
    dashboard = client.get(f"/urgentie/{WIJK}/").content.decode()
    assert f'href="/urgentie/{WIJK}/tijdlijn/"' in dashboard
    assert f'href="/urgentie/{WIJK}/tijdlijn/?thema=werk_inkomen"' in dashboard

    # One theme: only its items; an unknown theme is a 400.
    one = client.get(f"/urgentie/{WIJK}/tijdlijn/?thema=armoede_schulden").content.decode()
    assert 'data-theme="armoede_schulden"' in one and 'data-theme="werk_inkomen"' not in one
    assert "Sluiting van het werkgeversservicepunt" not in one
    assert client.get(f"/urgentie/{WIJK}/tijdlijn/?thema=onzin").status_code == 400

    # Small numbers: with a minimum of 6 the 5 policy respondents are withheld, no number shown.
    settings.WIJKBEELD_MIN_GROUP_SIZE = 6
    html = client.get(f"/urgentie/{WIJK}/tijdlijn/?thema=werk_inkomen").content.decode()
    policy = re.findall(r'<li data-group="beleid">(.*?)</li>', html, re.S)
    assert policy and all(p == "beleid: te weinig antwoorden (&lt;6)" for p in policy)


def test_timeline_access(raw: Path) -> None:
    example()
    url = f"/urgentie/{WIJK}/tijdlijn/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/inloggen/" in anonymous["Location"]
    assert login("viewer", "GM0363", "amsterdammer").get(url).status_code == 403
    assert login("viewer", "GM0518", "hagenaar").get(url).status_code == 200
    empty = login("viewer", name="leeg")
    assert empty.get("/urgentie/WK036399/tijdlijn/").status_code == 404
    assert empty.get("/urgentie/WK036399/tijdlijn/?thema=wonen").status_code == 404


def cell_links(html: str, theme: str) -> dict[str, str | None]:
    row = re.search(rf'<tr data-theme="{theme}">(.*?)</tr>', html, re.S)
    assert row is not None
    out: dict[str, str | None] = {}
    for group, body in re.findall(r'<td[^>]*data-group="([^"]+)">(.*?)</td>', row.group(1), re.S):
        link = re.search(r'<a href="([^"]+)" data-link="stemmen">', body)
        out[group] = None if link is None else link.group(1).replace("&amp;", "&")
    return out


def test_dashboard_links_to_figures_and_quotes(raw: Path) -> None:
    area = example()
    for i in range(5):
        voices.record_voice(area, f"Werk vinden lukt niet, al {i + 2} jaar zoek ik.",
                            when=date(2021, 9, 1), channel="gesprek", group="residents",
                            consent=True, extra_themes=["werk_inkomen"])
    for _ in range(2):
        voices.record_voice(area, "Veel cliënten zoeken werk.", when=date(2021, 9, 1),
                            channel="gesprek", group="professionals", consent=True,
                            extra_themes=["werk_inkomen"])
    analyst = login("analyst")
    html = analyst.get(f"/urgentie/{WIJK}/").content.decode()
    # Figures: the theme's section on the area page.
    url = re.search(r'<tr data-theme="werk_inkomen">.*?<a href="([^"]+)" data-link="cijfers">',
                    html, re.S)
    assert url is not None
    assert url.group(1) == f"/gebied/{WIJK}/{area.boundary_year}/#thema-werk_inkomen"
    page = analyst.get(url.group(1).split("#")[0]).content.decode()
    assert '<h2 id="thema-werk_inkomen">' in page
    # Quotes: 5 residents' voices meet the minimum, 2 professionals' and 0 policy do not.
    # Issue 18: but the theme's total (7) minus the residents' 5 would give the professionals'
    # 2, so the residents' count (and with it the link) is withheld as well.
    links = cell_links(html, "werk_inkomen")
    assert links == {"bewoners": None, "professionals": None, "beleid": None}
    for _ in range(3):  # 5 professionals: now both groups are shown, each with its link
        voices.record_voice(area, "Veel cliënten zoeken werk.", when=date(2021, 9, 1),
                            channel="gesprek", group="professionals", consent=True,
                            extra_themes=["werk_inkomen"])
    html = analyst.get(f"/urgentie/{WIJK}/").content.decode()
    links = cell_links(html, "werk_inkomen")
    assert links["professionals"] is not None and links["beleid"] is None
    assert links["bewoners"] == f"/stemmen/?gebied={WIJK}&thema=werk_inkomen&groep=residents"
    listing = analyst.get(links["bewoners"]).content.decode()
    assert listing.count('href="/stemmen/') - listing.count('href="/stemmen/?') >= 5
    # Other readers (no access to the voices list) get the quotes on the area's voices page.
    viewer_html = login("viewer").get(f"/urgentie/{WIJK}/").content.decode()
    assert cell_links(viewer_html, "werk_inkomen")["bewoners"] == (
        f"/stemmen/gebied/{WIJK}/#citaten-werk_inkomen")
    quotes = login("viewer", name="lezer2").get(f"/stemmen/gebied/{WIJK}/").content.decode()
    assert 'id="citaten-werk_inkomen"' in quotes


def test_dashboard_caches_the_theme_scores(raw: Path) -> None:
    example()
    client = login("viewer")
    FIGURE_SCORES.clear()
    first = client.get(f"/urgentie/{WIJK}/").content.decode()
    assert (FIGURE_SCORES.misses, FIGURE_SCORES.hits) == (1, 0)
    second = client.get(f"/urgentie/{WIJK}/").content.decode()
    assert (FIGURE_SCORES.misses, FIGURE_SCORES.hits) == (1, 1)
    assert re.findall(r'<tr data-theme=.*?</tr>', first, re.S) == re.findall(
        r'<tr data-theme=.*?</tr>', second, re.S)
    # A new import changes the stamp: the scores are computed again.
    ImportBatch.objects.create(kind="figures", source="test", file_name="x.csv", sha256="0" * 64,
                               who="test")
    client.get(f"/urgentie/{WIJK}/")
    assert FIGURE_SCORES.misses == 2


def test_voices_enter_the_matrix_as_a_second_signal(raw: Path) -> None:
    from wijkbeeld.web.urgency.reading import area_matrix

    area = example()
    # In 2021 1 of 8 residents rated werk en inkomen urgent; 5 resident voices in the year before
    # the round say it is (urgency 5): the round decides, the disagreement is noted.
    for i in range(5):
        voices.record_voice(area, f"Geen werk te vinden, al {i + 2} jaar.", when=date(2021, 6, 1),
                            channel="gesprek", group="residents", urgency=5,
                            extra_themes=["werk_inkomen"])
    row = area_matrix(WIJK).row("werk_inkomen")
    signal = row.classification.signal("residents")
    assert signal.basis == "peiling" and signal.voices is not None
    assert (signal.voices.n, signal.voices.mean_urgency, signal.voices.urgent) == (5, 5.0, True)
    assert "verhalen wijken af van de peiling: bewoners" in " ".join(row.classification.notes)
    # The 2019 round is before those voices: no voice signal there.
    early = area_matrix(WIJK, round_key="voorbeeld-morgenstond-2019").row("werk_inkomen")
    assert not any("verhalen" in n for n in early.classification.notes)


def test_timeline_picture_puts_the_same_events_on_one_axis(raw: Path) -> None:
    """Issue 19: the timeline as a picture. Per theme one lane with a dot per figure year that
    has a theme score, a diamond per round and a triangle per trigger, each with a title in
    words; the text list stays beneath it."""
    area = example()
    voices.record_trigger(area, "Sluiting van het werkgeversservicepunt in de wijk",
                          when=date(2020, 3, 1), source="gemeente", themes=["werk_inkomen"],
                          status="vervaagd")
    html = login("viewer").get(f"/urgentie/{WIJK}/tijdlijn/?thema=werk_inkomen").content.decode()
    svg = re.search(r'<svg [^>]*class="timeline-picture".*?</svg>', html, re.S)
    assert svg is not None
    picture = svg.group(0)
    assert html.index(picture) < html.index('<ol class="timeline">')  # the list beneath
    scored = re.findall(r'<li data-theme="werk_inkomen"><strong>[^<]+</strong>: themascore',
                        html)
    dots = re.findall(r"<circle [^>]*><title>(\d{4}): themascore ([+-]\d+,\d\d)</title>",
                      picture)
    assert len(dots) == len(scored) > 0
    assert [int(y) for y, _ in dots] == sorted(int(y) for y, _ in dots)
    rounds = re.findall(r"<title>Peiling (\d{4}-\d\d-\d\d): ([^<]+)</title>", picture)
    assert [d for d, _ in rounds] == ["2019-10-01", "2021-10-01"]
    assert re.findall(r"<title>Aanleiding 2020-03-01: Sluiting van het werkgeversservicepunt "
                      r"in de wijk \(vervaagd\)</title>", picture)
    assert 'role="img"' in picture and "<desc" in picture
    english = login("viewer", name="en-lezer")
    english.cookies["django_language"] = "en"
    en = english.get(f"/urgentie/{WIJK}/tijdlijn/?thema=werk_inkomen").content.decode()
    assert re.search(r"<title>\d{4}: theme score [+-]\d+\.\d\d</title>", en)
    assert "<title>Round 2019-10-01:" in en and "Peiling 2019" not in en


def test_the_pdf_draws_the_timeline_too(raw: Path) -> None:
    """Issue 19: the same picture on paper, in the report's occasions section: its heading,
    caption and the years of its axis are in the PDF's text (pdftotext)."""
    import os
    import shutil
    import subprocess

    area = example()
    voices.record_trigger(area, "Sluiting van het werkgeversservicepunt in de wijk",
                          when=date(2020, 3, 1), source="gemeente", themes=["werk_inkomen"],
                          status="vervaagd")
    pdf = login("viewer").get(f"/gebied/{WIJK}/{area.boundary_year}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True,
                          check=True, timeout=60).stdout.decode()
    flat = " ".join(text.split())
    assert "Tijdlijn" in flat
    assert "Ruiten: peilingen, gekleurd naar de urgentie" in flat
    # The axis: from the first figure year on, every year (or every other year on a long
    # axis) is written on it, in a row.
    first = min(years_of(raw, WIJK))
    assert re.search(rf"{first} ({first + 1} {first + 2}|{first + 2} {first + 4}) ", flat), flat
