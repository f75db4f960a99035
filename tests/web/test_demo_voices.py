"""The demo that tells (issue 17, item 5): fictitious example voices and triggers.

After ``wijkbeeld demo load``, Morgenstond's area page (and that of Amsterdam Van der Pekbuurt)
shows at least one quote beside the figures of every theme that has figures, each labelled
"voorbeeld, fictief"; voices given without consent are never quoted anywhere; the timeline of
Morgenstond carries "aanleiding vervaagd, opgave blijft"; and a second load changes nothing.

The expected themes are written out here by hand (what the bundled figures cover); the voices are
read from the bundled file with the csv module, not through the code under test.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.data import data_file
from wijkbeeld.web.demo import DEMO_USERNAME, load_demo

PASSWORD = "demo-stemmen-1"
#: The steps this test needs: the figures behind both pages, the rounds, voices and triggers.
STEPS = {"kwb-2020", "rivm-2020", "haaglanden-aandelen", "haaglanden-gemiddelden",
         "voorbeeld-peilingen", "voorbeeld-stemmen", "voorbeeld-aanleidingen"}
#: (code, boundary year) → the themes with figures on the area page, by hand.
PAGES: dict[tuple[str, int], tuple[str, ...]] = {
    ("WK051834", 2022): ("veiligheid", "armoede_schulden", "werk_inkomen", "gezondheid_zorg",
                         "jeugd_onderwijs", "sociale_samenhang"),
    ("BU03636000", 2020): ("armoede_schulden", "werk_inkomen", "gezondheid_zorg", "wonen",
                           "sociale_samenhang"),
}
LABEL = "voorbeeld, fictief"
FADED = "aanleiding vervaagd, opgave blijft"


def bundled_rows() -> list[dict[str, str]]:
    """The example file's rows (comment lines start with #)."""
    with data_file("voorbeeld/stemmen.csv").open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=";"))


def counts() -> tuple[int, ...]:
    from wijkbeeld.web.urgency.models import Answer, Response, Round
    from wijkbeeld.web.voices.models import Trigger, Voice, VoiceTheme

    return tuple(m.objects.count() for m in (Voice, VoiceTheme, Trigger, Round, Response, Answer))


def analyst() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=DEMO_USERNAME))
    return client


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(page))


def test_the_bundled_file_is_labelled_and_covers_every_theme_with_figures() -> None:
    head = data_file("voorbeeld/stemmen.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("#") and "voorbeelddata, fictief" in head
    rows = bundled_rows()
    consenting = Counter((r["gebied"], r["thema"]) for r in rows if r["toestemming"] == "ja")
    for (code, _), themes in PAGES.items():
        for theme in themes:
            assert consenting[(code, theme)] >= 5, (code, theme)
        assert any(r["gebied"] == code and r["toestemming"] == "nee" for r in rows)
    assert {r["groep"] for r in rows} == {"residents", "professionals", "policy"}
    assert {r["toon"] for r in rows} == {"zorg", "kracht", "neutraal"}
    assert {r["organisatie"] for r in rows if r["groep"] == "professionals"} == {
        "corporatie", "welzijn", "politie", "onderwijs", "zorg"}
    years = {int(r["datum"][:4]) for r in rows}
    assert min(years) <= 2019 and max(years) >= 2023
    # No phone numbers or house numbers: no run of digits longer than a year.
    assert not [r["tekst"] for r in rows if re.search(r"\d{5,}|\d+\s?[a-z]?\s*,\s*\d{4}",
                                                       r["tekst"])]


@pytest.mark.django_db
def test_area_pages_show_a_labelled_quote_per_theme_with_figures() -> None:
    result = load_demo(verbose=False, only=STEPS, password=PASSWORD)
    assert result.skipped == ()
    states = {s.key: s.state for s in result.steps}
    assert states["voorbeeld-stemmen"] == states["voorbeeld-aanleidingen"] == "geladen"
    client = analyst()
    for (code, year), themes in PAGES.items():
        response = client.get(f"/gebied/{code}/{year}/")
        assert response.status_code == 200
        page = response.content.decode()
        sections = re.findall(r'<section class="theme theme-theme" aria-labelledby="thema-'
                              r'([a-z_]+)">(.*?)</section>', page, re.S)
        assert tuple(key for key, _ in sections) == themes, code
        for key, body in sections:
            quotes = re.findall(r"<figure><blockquote>(.*?)</blockquote><figcaption>(.*?)"
                                r"</figcaption>", body, re.S)
            assert quotes, (code, key)
            assert all(LABEL in caption for _, caption in quotes), (code, key)
            assert f'class="area-quotes quotes" data-theme="{key}"' in body


@pytest.mark.django_db
def test_voices_without_consent_are_never_quoted() -> None:
    from wijkbeeld.voices import THEME_KEYS
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.voices import services
    from wijkbeeld.web.voices.models import Voice

    load_demo(verbose=False, only=STEPS, password=PASSWORD)
    rows = bundled_rows()
    hidden = [r["tekst"] for r in rows if r["toestemming"] == "nee"]
    quotable = [r["tekst"] for r in rows if r["toestemming"] == "ja"]
    assert len(hidden) >= 10
    stored = Voice.objects.filter(source__startswith="voorbeeld:")
    assert stored.count() == len(rows)
    assert stored.filter(consent=False).count() == len(hidden)
    # Stored as written (the scrubber found no personal data in them) and every one counted.
    assert sorted(stored.values_list("text", flat=True)) == sorted(r["tekst"] for r in rows)

    client = analyst()
    seen: list[str] = []
    for (code, year), _ in PAGES.items():
        seen.append(text_of(client.get(f"/gebied/{code}/{year}/").content.decode()))
        seen.append(text_of(client.get(f"/stemmen/gebied/{code}/").content.decode()))
        area = Area.objects.get(code=code, boundary_year=year)
        for theme in THEME_KEYS:
            seen.extend(q.text for q in services.quotes(area, theme, n=50).quotes)
    everything = "\n".join(seen)
    for text in hidden:
        assert text not in everything, text
    # ... while the quotable ones do appear (all of them, asked for enough quotes).
    assert all(text in everything for text in quotable)
    # The voices page labels them as example data too.
    voices_page = client.get("/stemmen/gebied/WK051834/").content.decode()
    assert 'class="example-note">voorbeeld, fictief</span>' in voices_page


@pytest.mark.django_db
def test_triggers_one_active_one_faded_and_the_timeline_alert() -> None:
    from wijkbeeld.web.voices.models import Trigger

    load_demo(verbose=False, only=STEPS, password=PASSWORD)
    triggers = list(Trigger.objects.filter(area__code="WK051834").order_by("date"))
    assert [(t.status, t.themes) for t in triggers] == [
        ("vervaagd", ["werk_inkomen"]), ("actief", ["armoede_schulden"])]
    assert all(t.description.startswith("Voorbeeld, fictief: ") for t in triggers)
    assert triggers[0].status_since == date(2020, 6, 1)

    page = analyst().get("/urgentie/WK051834/tijdlijn/").content.decode()
    alerts = re.findall(r'<li data-theme="([a-z_]+)" data-alert="aanleiding_vervaagd">(.*?)</li>',
                        page, re.S)
    assert [theme for theme, _ in alerts] == ["werk_inkomen"]
    assert FADED in alerts[0][1] and "Voorbeeld, fictief" in text_of(alerts[0][1])
    # The active trigger raises no alert.
    assert 'data-theme="armoede_schulden" data-alert="aanleiding_vervaagd"' not in page


@pytest.mark.django_db(databases="__all__")
def test_loading_twice_changes_nothing(db_alias: str) -> None:
    from wijkbeeld.web.voices.models import Trigger, Voice

    steps = {"kwb-2020", "haaglanden-aandelen", "voorbeeld-stemmen", "voorbeeld-aanleidingen"}
    first = load_demo(verbose=False, using=db_alias, only=steps, password=PASSWORD)
    assert {s.key: s.state for s in first.steps} == {k: "geladen" for k in steps}
    n_voices = Voice.objects.using(db_alias).count()
    assert n_voices == len(bundled_rows())
    before = (n_voices, Trigger.objects.using(db_alias).count(),
              sorted(Voice.objects.using(db_alias).values_list("id", "text", "consent")))
    again = load_demo(verbose=False, using=db_alias, only=steps, password=PASSWORD)
    assert not again.changed
    assert {s.state for s in again.steps} == {"ongewijzigd"}
    assert (Voice.objects.using(db_alias).count(), Trigger.objects.using(db_alias).count(),
            sorted(Voice.objects.using(db_alias).values_list("id", "text", "consent"))) == before


@pytest.mark.django_db
def test_full_demo_twice_changes_nothing_in_voices_rounds_and_triggers() -> None:
    load_demo(verbose=False, only=STEPS, password=PASSWORD)
    before = counts()
    assert load_demo(verbose=False, only=STEPS, password=PASSWORD).changed is False
    assert counts() == before


@pytest.mark.django_db
def test_without_their_areas_the_examples_are_skipped_and_store_nothing() -> None:
    result = load_demo(verbose=False, only={"voorbeeld-stemmen", "voorbeeld-aanleidingen"},
                       password=PASSWORD)
    assert [s.state for s in result.steps] == ["overgeslagen", "overgeslagen"]
    assert counts()[:3] == (0, 0, 0)


@pytest.mark.django_db
def test_report_labels_the_example_quotes() -> None:
    load_demo(verbose=False, only=STEPS, password=PASSWORD)
    response = analyst().get("/gebied/WK051834/2022/rapport.html")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    report = text_of(body.decode())
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", report, re.S)
    assert len(quotes) >= 6
    assert all(f"; {LABEL}," in q for q in quotes)
    hidden = [r["tekst"] for r in bundled_rows() if r["toestemming"] == "nee"]
    assert not [t for t in hidden if t in report]


@pytest.mark.django_db
def test_respondent_form_labels_the_example_quotes() -> None:
    """Step 2 of the respondent form ("wat anderen zeiden") labels the demo's voices too."""
    from wijkbeeld.web.urgency.services import create_invitations, open_round
    from wijkbeeld.web.urgency.steps import BlindAnswer, submit_blind

    load_demo(verbose=False, only=STEPS, password=PASSWORD)
    rnd = open_round("labels", ["WK051834"], ["armoede_schulden"], date(2022, 6, 1))
    token = create_invitations(rnd, "residents")[0]
    submit_blind(token, [BlindAnswer("armoede_schulden", 4)])
    page = text_of(Client().get(f"/peiling/{token}/?stap=2").content.decode())
    quotes = re.findall(r'<blockquote class="quote">(.*?)</blockquote>', page, re.S)
    assert quotes and all(LABEL in q for q in quotes)
