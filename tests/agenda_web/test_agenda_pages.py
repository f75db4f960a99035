"""The agenda pages through Django's test client with CSRF checks on: versioning on edit (the
old version stays visible), broken input (400, nothing stored), and roles across municipalities
(a professional of one municipality sees neither another municipality's agenda drafts nor its
voices; a reader never sees a draft)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from agenda_web_support import AMS, HAAG, csrf_from, make_user, store_two_wijken, text_of
from django.test import Client

from wijkbeeld.web.agenda import services
from wijkbeeld.web.agenda.models import Agenda, AgendaItem, AgendaItemVersion, Party

pytestmark = pytest.mark.django_db

TARGETS = "indicator elan_bijstand 2019 0,081 0,075"


def setup_agendas(raw: Path) -> dict[str, tuple[Agenda, AgendaItem, Party]]:
    store_two_wijken(raw)
    out: dict[str, tuple[Agenda, AgendaItem, Party]] = {}
    for code in (AMS, HAAG):
        party = services.add_party(code, f"Welzijn {code}", "welzijn", "opbouwwerker")
        agenda = services.create_agenda(code, f"Agenda {code}")
        item = services.add_item(agenda, "armoede", "armoede_schulden",
                                 f"Minder armoede in {code}.", targets=[{
                                     "kind": "indicator", "key": "elan_bijstand",
                                     "baseline": 0.081, "baseline_at": "2019",
                                     "target": 0.075}], parties=[party])
        out[code] = (agenda, item, party)
    # Den Haag agreed its agenda; Amsterdam's is still a draft.
    services.agree_agenda(out[HAAG][0], date(2023, 3, 1))
    return out


def login(role: str, municipality: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(f"{role}-{municipality or 'alle'}", role, municipality))
    return client


def test_edit_creates_a_new_version_and_the_old_one_stays_visible(raw: Path) -> None:
    made = setup_agendas(raw)
    _agenda, item, party = made[HAAG]
    client = login("analyst", "GM0518")
    url = f"/agenda/punt/{item.pk}/wijzigen/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Minder armoede in WK051834." in html and "elan_bijstand 2019 0,081 0,075" in html
    response = client.post(url, {
        "csrfmiddlewaretoken": csrf_from(html), "ambition": "Minder armoede; schulden eerder "
        "in beeld.", "targets": TARGETS + "\npeiling residents share_urgent r-2023 0,8 0,5",
        "parties": [party.pk], "policy_link": "Armoedebeleid 2023",
        "change_note": "peilingvraag toegevoegd", "agreed_on": "2024-02-01"})
    assert response.status_code == 302, text_of(response.content.decode())
    versions = list(AgendaItemVersion.objects.filter(item=item).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].ambition == "Minder armoede in WK051834."  # untouched
    assert len(versions[0].targets) == 1 and len(versions[1].targets) == 2
    assert versions[1].agreed_on == date(2024, 2, 1)
    history = text_of(client.get(response["Location"]).content.decode())
    assert "Versie 2 (geldend)" in history and "Versie 1" in history
    assert "Minder armoede in WK051834." in history  # the old version is still shown
    assert "peilingvraag toegevoegd" in history
    area = text_of(client.get(f"/agenda/gebied/{HAAG}/").content.decode())
    assert "versie 2" in area and "Minder armoede; schulden eerder in beeld." in area
    # Issue 19: baseline and target in the indicator's unit, not as fractions ("0,081").
    assert "8,1 % 2019" in area and "7,5 %" in area and "0,081" not in area
    assert "80 %" in area and "50 %" in area  # the round's share urgent, as a percentage


def test_broken_input_answers_400_and_stores_nothing(raw: Path) -> None:
    made = setup_agendas(raw)
    _agenda, item, party = made[HAAG]
    client = login("analyst", "GM0518")
    url = f"/agenda/punt/{item.pk}/wijzigen/"
    token = csrf_from(client.get(url).content.decode())
    broken = {"csrfmiddlewaretoken": token, "ambition": "Iets nieuws.",
              "targets": TARGETS + "\nindicator elan_bijstand 2019 veel 0,07\n"
              "peiling kinderen share_urgent r1 0,5 0,3\nonzin",
              "parties": [party.pk], "change_note": "x", "agreed_on": "2024-02-01"}
    response = client.post(url, broken)
    assert response.status_code == 400
    text = text_of(response.content.decode())
    assert "regel 2: nulmeting 'veel' is geen getal" in text
    assert "regel 3: residents/groep" in text or "regel 3: armoede_schulden: groep 'kinderen'" \
        in text
    assert "regel 4: schrijf" in text
    # An agreed agenda needs the date of the change.
    no_date = dict(broken, targets=TARGETS, agreed_on="")
    assert client.post(url, no_date).status_code == 400
    # Nothing changed: still one version.
    assert AgendaItemVersion.objects.filter(item=item).count() == 1
    # Unchanged content is refused too (no empty versions).
    same = dict(broken, ambition="Minder armoede in WK051834.", targets=TARGETS)
    response = client.post(url, same)
    assert response.status_code == 400
    assert "er is niets veranderd" in text_of(response.content.decode())
    assert AgendaItemVersion.objects.filter(item=item).count() == 1
    # Without the CSRF token: refused.
    assert client.post(url, dict(broken, csrfmiddlewaretoken="")).status_code == 403
    # A party form with a person's e-mail as "contact role" is refused.
    purl = f"/agenda/gebied/{HAAG}/partij/"
    token = csrf_from(client.get(purl).content.decode())
    response = client.post(purl, {"csrfmiddlewaretoken": token, "name": "Corporatie X",
                                  "party_type": "corporatie",
                                  "contact_role": "mail jan.jansen@example.nl"})
    assert response.status_code == 400
    assert not Party.objects.filter(name="Corporatie X").exists()
    response = client.post(purl, {"csrfmiddlewaretoken": token, "name": "Corporatie X",
                                  "party_type": "kerk", "contact_role": "wijkconsulent"})
    assert response.status_code == 400


def test_professional_of_another_municipality_sees_no_drafts_and_no_voices(raw: Path) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.voices.services import record_voice

    made = setup_agendas(raw)
    ams_agenda, ams_item, _ = made[AMS]
    record_voice(Area.objects.get(code=AMS), "De buurt verdient meer aandacht voor armoede.",
                 when=date(2024, 3, 1), channel="gesprek", group="residents")
    haag = login("professional", "GM0518")
    for url in (f"/agenda/gebied/{AMS}/", f"/agenda/gebied/{AMS}/tijdlijn/",
                f"/agenda/punt/{ams_item.pk}/versies/", f"/agenda/punt/{ams_item.pk}/actie/",
                f"/stemmen/gebied/{AMS}/"):
        assert haag.get(url).status_code == 403, url
    listing = text_of(haag.get("/agenda/").content.decode())
    assert f"Agenda {HAAG}" in listing and f"Agenda {AMS}" not in listing
    # The learning network shows no agenda text and no voice of Amsterdam.
    network = haag.get("/lerend-netwerk/").content.decode()
    assert "meer aandacht" not in network and f"Minder armoede in {AMS}" not in network

    # The professional of Amsterdam sees its own draft.
    ams = login("professional", "GM0363")
    assert ams.get(f"/agenda/gebied/{AMS}/").status_code == 200
    assert "Minder armoede in WK0363AF." in ams.get(f"/agenda/gebied/{AMS}/").content.decode()
    # A reader of Amsterdam does not see the draft; a reader of Den Haag sees its agreed one.
    reader = login("viewer", "GM0363")
    assert f"Minder armoede in {AMS}" not in reader.get(f"/agenda/gebied/{AMS}/").content.decode()
    assert reader.get(f"/agenda/punt/{ams_item.pk}/versies/").status_code == 404
    haag_reader = login("viewer", "GM0518")
    assert "Minder armoede in WK051834." in haag_reader.get(
        f"/agenda/gebied/{HAAG}/").content.decode()
    # Readers and professionals do not edit agendas; anonymous visitors log in first.
    token = csrf_from(haag_reader.get(f"/agenda/gebied/{HAAG}/").content.decode())
    _, haag_item, _ = made[HAAG]
    assert haag_reader.post(f"/agenda/punt/{haag_item.pk}/wijzigen/",
                            {"csrfmiddlewaretoken": token}).status_code == 403
    assert login("professional", "").get(
        f"/agenda/punt/{haag_item.pk}/wijzigen/").status_code == 403
    anon = Client().get(f"/agenda/gebied/{HAAG}/")
    assert anon.status_code == 302 and "inloggen" in anon["Location"]
    # An analyst of Den Haag cannot add an item to, or agree, Amsterdam's agenda.
    analyst = login("analyst", "GM0518")
    token = csrf_from(analyst.get("/agenda/").content.decode())
    assert analyst.post(f"/agenda/{ams_agenda.pk}/vaststellen/",
                        {"csrfmiddlewaretoken": token, "agreed_on": "2024-01-01"}
                        ).status_code == 403
    assert not Agenda.objects.get(pk=ams_agenda.pk).is_agreed
    assert AgendaItem.objects.filter(agenda=ams_agenda).count() == 1


def test_actions_and_progress_reports_through_the_pages(raw: Path) -> None:
    made = setup_agendas(raw)
    _agenda, item, party = made[HAAG]
    client = login("professional", "GM0518")
    url = f"/agenda/punt/{item.pk}/actie/"
    token = csrf_from(client.get(url).content.decode())
    bad = client.post(url, {"csrfmiddlewaretoken": token, "title": "Spreekuur",
                            "party": party.pk, "started_on": "2024-05-01",
                            "due_on": "2024-01-01"})
    assert bad.status_code == 400
    ok = client.post(url, {"csrfmiddlewaretoken": token, "title": "Spreekuur",
                           "party": party.pk, "started_on": "2024-01-01"})
    assert ok.status_code == 302
    action = item.actions.get()
    rurl = f"/agenda/actie/{action.pk}/voortgang/"
    for status, pct, code in (("lopend", 140, 400), ("afgerond", 80, 400),
                              ("lopend", 40, 302)):
        response = client.post(rurl, {"csrfmiddlewaretoken": token, "on": "2024-06-01",
                                      "status": status, "progress": pct, "note": ""})
        assert response.status_code == code, (status, pct)
    action.refresh_from_db()
    assert (action.status, action.progress, action.updates.count()) == ("lopend", 40, 1)
    page = text_of(client.get(f"/agenda/gebied/{HAAG}/").content.decode())
    assert "Spreekuur – lopend, 40%" in page
    timeline = client.get(f"/agenda/gebied/{HAAG}/tijdlijn/").content.decode()
    assert 'data-kind="actie"' in timeline and "Spreekuur: lopend 40%" in timeline
