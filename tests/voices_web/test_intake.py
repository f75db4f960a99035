"""The quick intake (``/stemmen/gesprek/``, issue 17 item 4) through Django's test client: the
rendered form is read from the HTML and sent back as a browser would (CSRF enforced), on SQLite
and PostgreSQL; the text is scrubbed before storage and shown scrubbed on the confirmation; the
areas are the user's own, by name, grouped per wijk; errors are summarised with links to the
fields; viewers and users of another municipality are refused."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from intake_support import OneAliasRouter, label_of, parse_form, post_data
from voices_web_support import WIJK, raw_table, snapshot, store_areas, user

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.voices.models import TextReadAudit, Voice, VoiceTheme

URL = "/stemmen/gesprek/"
SAID = ("Mevrouw Jansen (06-12345678) vertelt dat de portiek vies is, dat er zwerfafval ligt "
        "en dat de buren elkaar niet meer kennen.")
PERSONAL = ("Jansen", "06-12345678")


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def signed_in(role: str, municipality: str = "GM0363", *, csrf: bool = False,
              name: str = "") -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user(name or f"{role}-{municipality or 'alle'}", role, municipality))
    return client


@pytest.fixture
def on_alias(db_alias: str, settings: Any) -> str:
    """Route every query of the pages to ``db_alias`` for this test."""
    settings.DATABASE_ROUTERS = [OneAliasRouter(db_alias)]
    return db_alias


@pytest.mark.django_db(databases="__all__")
def test_log_a_conversation_through_the_rendered_form(raw: Path, on_alias: str) -> None:
    names = store_areas(raw, on_alias)
    client = signed_in("professional", csrf=True)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    form = parse_form(html)
    # Areas by name, grouped per wijk, only wijken and buurten of the user's municipality.
    areas = form.fields["area"].options
    codes = [v for v, _label, _group in areas if v]
    assert sorted(codes) == sorted(c for c in names if c.startswith(("WK", "BU")))
    buurt = sorted(c for c in codes if c.startswith("BU"))[0]
    label = next(text for v, text, _g in areas if v == buurt)
    assert label.startswith(names[buurt]) and label.index(names[buurt]) < label.index(buurt)
    assert {g for v, _t, g in areas if v} == {f"Wijk {names[WIJK]}"}
    # Every control has its own label; every checkbox and radio button its own.
    for name, f in form.fields.items():
        if f.type == "hidden":
            continue
        for element_id in f.ids:
            assert form.labels.get(element_id), (name, element_id)
            if f.type in ("checkbox", "radio"):
                assert form.inputs_in_label[element_id] == [element_id]
    assert form.fields["themes"].type == "checkbox" and len(form.fields["themes"].ids) == 9
    assert label_of(form, "sociale_samenhang", "themes") == "Sociale samenhang"
    assert {v for v, _l, _g in form.fields["tone"].options} == {"zorg", "kracht", "neutraal"}
    assert form.fields["date"].values == [date.today().isoformat()]  # today by default
    assert "mag zonder naam geciteerd worden" in form.labels["id_consent"].casefold()
    assert client.post(URL, {"text": SAID}).status_code == 403  # CSRF enforced

    data = post_data(form, {"area": buurt, "group": "professionals",
                            "organisation_type": "welzijn", "text": SAID,
                            "themes": ["openbare_ruimte", "sociale_samenhang"], "tone": "zorg",
                            "consent": "on"})
    saved = client.post(URL, data)
    voice = Voice.objects.using(on_alias).get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("voices-intake-saved", args=[voice.pk])
    assert (voice.area.code, voice.group, voice.organisation_type, voice.tone, voice.consent,
            voice.channel, voice.date) == (buurt, "professionals", "welzijn", "zorg", True,
                                           "gesprek", date.today())
    assert voice.text == ("Mevrouw [NAAM] ([TELEFOON]) vertelt dat de portiek vies is, dat er "
                          "zwerfafval ligt en dat de buren elkaar niet meer kennen.")
    assert set(VoiceTheme.objects.using(on_alias).values_list("theme", "confirmed")) == {
        ("openbare_ruimte", True), ("sociale_samenhang", True)}
    dumped = repr(raw_table(Voice, on_alias)) + repr(raw_table(VoiceTheme, on_alias))
    assert not any(p in dumped for p in PERSONAL)  # never stored, not even in the report

    shown = client.get(saved["Location"])
    text = shown.content.decode()
    assert shown.status_code == 200 and "Zo is het opgeslagen" in text
    assert "Mevrouw [NAAM] ([TELEFOON]) vertelt dat de portiek vies is" in text
    assert not any(p in text for p in PERSONAL)
    again = re.search(r'<a class="button-link" href="([^"]+)">Nog een gesprek vastleggen</a>', text)
    assert again is not None and again.group(1) == URL
    assert TextReadAudit.objects.using(on_alias).count() == 1  # the read is logged


@pytest.mark.django_db
def test_errors_are_summarised_with_links_and_nothing_is_stored(raw: Path) -> None:
    store_areas(raw)
    client = signed_in("professional")
    form = parse_form(client.get(URL).content.decode())
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page = client.post(URL, post_data(form, {"group": "professionals", "date": tomorrow}))
    assert page.status_code == 400
    html = page.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    links = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary.group(0))
    assert [a for a, _t in links] == ["id_area", "id_organisation_type", "id_text", "id_date"]
    for anchor, _text in links:
        assert f'id="{anchor}"' in html  # every link lands on a field
    assert "De datum ligt in de toekomst." in summary.group(0)
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for element_id in described.split():
            assert f'id="{element_id}"' in html, element_id  # no dangling references
    assert Voice.objects.count() == 0
    # The values given are kept on the page.
    assert 'value="professionals" id="id_group_1" required checked' in html.replace(
        'aria-invalid="true" ', "")


@pytest.mark.django_db
def test_over_long_text_gets_a_clear_form_error_and_nothing_is_stored(raw: Path) -> None:
    """The limit of the core (``MAX_TEXT_CHARS``), also for a client that ignores the
    ``maxlength`` of the text area: a Dutch error with Dutch numbers, the text kept on the page."""
    from wijkbeeld.voices import MAX_TEXT_CHARS

    store_areas(raw)
    client = signed_in("professional")
    form = parse_form(client.get(URL).content.decode())
    text = ("De portiek is vies en er ligt afval. " * 200).strip()
    assert len(text) > MAX_TEXT_CHARS
    page = client.post(URL, post_data(form, {"area": WIJK, "group": "residents", "text": text,
                                             "tone": "zorg"}))
    assert page.status_code == 400
    html = page.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    length = f"{len(text):,}".replace(",", ".")
    message = (f"De tekst is te lang: {length} tekens, er mogen hoogstens 5.000 in. Maak hem "
               "korter of verdeel hem over meer stemmen.")
    assert message in summary.group(0)
    assert [a for a in re.findall(r'<a href="#([\w-]+)">', summary.group(0))] == ["id_text"]
    assert f'maxlength="{MAX_TEXT_CHARS}"' in html
    assert "De portiek is vies en er ligt afval." in html  # what was written is not lost
    assert Voice.objects.count() == 0


@pytest.mark.django_db
def test_viewer_is_refused_and_other_municipality_areas_are_not_offered(raw: Path) -> None:
    store_areas(raw)
    ensure_areas([("GM0518", "'s-Gravenhage"), ("WK051834", "Morgenstond")], 2024)
    viewer = signed_in("viewer")
    assert viewer.get(URL).status_code == 403
    assert viewer.post(URL, {"text": SAID}).status_code == 403
    assert Client().get(URL)["Location"].startswith("/inloggen/")
    # A professional of Den Haag sees only Den Haag, and cannot log for Amsterdam.
    other = signed_in("professional", "GM0518")
    page = other.get(URL)
    html = page.content.decode()
    form = parse_form(html)
    assert [v for v, _t, _g in form.fields["area"].options if v] == ["WK051834"]
    assert WIJK not in html
    assert other.get(URL, {"gebied": WIJK}).status_code == 403
    before = snapshot()
    refused = other.post(URL, post_data(form, {"text": SAID, "group": "residents"})
                         | {"area": WIJK})
    assert refused.status_code == 400 and Voice.objects.count() == 0
    assert snapshot() == before
    assert other.post(URL + f"?gebied={WIJK}", {"area": WIJK}).status_code == 403


@pytest.mark.django_db
def test_confirmation_only_for_the_author_or_an_analyst(raw: Path) -> None:
    store_areas(raw)
    author = signed_in("professional", name="auteur")
    form = parse_form(author.get(URL).content.decode())
    saved = author.post(URL, post_data(form, {"area": WIJK, "group": "residents",
                                              "text": SAID}))
    url = saved["Location"]
    voice = Voice.objects.get()
    assert (voice.consent, voice.tone, voice.organisation_type) == (False, "neutraal", "")
    assert voice.themes.filter(confirmed=True).count() == 0  # no themes chosen: suggestions
    assert voice.themes.exists()
    assert author.get(url).status_code == 200
    assert signed_in("professional", name="collega").get(url).status_code == 403
    assert signed_in("viewer").get(url).status_code == 403
    assert signed_in("analyst", "GM0518").get(url).status_code == 403
    assert signed_in("analyst").get(url).status_code == 200
    assert TextReadAudit.objects.count() == 2


@pytest.mark.django_db
def test_user_of_every_municipality_picks_one_first(raw: Path) -> None:
    store_areas(raw)
    ensure_areas([("GM0518", "'s-Gravenhage"), ("WK051834", "Morgenstond")], 2024)
    admin = signed_in("admin", "")
    chooser = admin.get(URL).content.decode()
    assert 'name="gemeente"' in chooser and "Amsterdam (GM0363)" in chooser
    assert "'s-Gravenhage (GM0518)" in chooser.replace("&#x27;", "'")
    form = parse_form(admin.get(URL, {"gemeente": "GM0518"}).content.decode())
    assert [v for v, _t, _g in form.fields["area"].options if v] == ["WK051834"]
    picked = parse_form(admin.get(URL, {"gebied": WIJK}).content.decode())
    assert picked.fields["area"].values == [WIJK]  # preselected from the area page link
    # A later boundary year replaces the earlier one in the list.
    ensure_areas([("WK051834", "Morgenstond (nieuw)")], 2025)
    newer = parse_form(admin.get(URL, {"gemeente": "GM0518"}).content.decode())
    assert [t for v, t, _g in newer.fields["area"].options if v] == [
        "Morgenstond (nieuw): hele wijk (WK051834)"]
    assert Area.objects.filter(code="WK051834").count() == 2
    assert get_user_model().objects.count() == 1
