"""The round set-up pages (/peilingen/nieuw/, /peilingen/<pk>/, /peilingen/<pk>/sluiten/) through
Django's test client with CSRF checks on: opening a round, broken input, roles, invitation
links shown once and stored hashed, closing. Areas are real Amsterdam wijken and buurten read
from the raw KWB 2024 file with the csv module."""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from urgency_web_support import KWB_2024

from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.urgency.models import Invitation, Round
from wijkbeeld.web.urgency.services import (
    ThemeAnswer,
    create_invitations,
    open_round,
    submit_response,
)

WIJK = "WK0363AF"
OTHER_WIJK = "WK0363AG"
DH_WIJK, DH_BUURT = "WK051834", "BU05183401"
PASSWORD = "geheim-wachtwoord-1"
TOKEN_IN_LINK = re.compile(r"/peiling/([A-Za-z0-9_-]{43})/")


def kwb_areas(raw: Path) -> dict[str, str]:
    """Code → name of the wijken AF and AG and their buurten, straight from the raw file."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {r["Area_Code"].strip(): r["District_Type"].strip() for r in rows
            if r["Area_Code"].strip()[2:8] in ("0363AF", "0363AG")
            and r["Area_Code"].strip()[:2] in ("WK", "BU")}


def store(raw: Path, using: str = "default") -> dict[str, str]:
    names = kwb_areas(raw)
    ensure_areas([("GM0363", "Amsterdam"), *names.items()], 2024, using=using)
    ensure_areas([("GM0518", "'s-Gravenhage"), (DH_WIJK, "Wijk 34"), (DH_BUURT, "Buurt 01")],
                 2024, using=using)
    return names


def buurten(names: dict[str, str], wijk: str) -> list[str]:
    return sorted(c for c in names if c.startswith("BU" + wijk[2:]))


def login(role: str, municipality: str = "GM0363", name: str = "") -> Client:
    user = get_user_model().objects.create_user(
        name or f"{role}-{municipality or 'alle'}", password=PASSWORD, role=role,
        municipality=municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None, url
    return found.group(1)


def text(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def new_round(client: Client, **fields: object) -> object:
    data: dict[str, object] = {"key": "2025-voorjaar", "title": "Voorjaar", "held_on": "2025-04-01",
                               "wijk": WIJK, "themes": ["wonen", "veiligheid"], **fields}
    data["csrfmiddlewaretoken"] = csrf(client, "/peilingen/nieuw/")
    return client.post("/peilingen/nieuw/", data)


@pytest.mark.django_db
def test_open_a_round_of_buurten_through_the_form(raw: Path) -> None:
    names = store(raw)
    analyst = login("analyst")
    page = analyst.get("/peilingen/nieuw/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{WIJK}">{names[WIJK]} ({WIJK})</option>' in html
    assert DH_WIJK not in html and DH_BUURT not in html  # another municipality: not offered
    offered = re.findall(r'type="checkbox" name="themes" value="([a-z_]+)"', html)
    assert offered == list(THEME_KEYS)
    chosen = buurten(names, WIJK)[:2]
    sent = new_round(analyst, buurten=chosen)
    rnd = Round.objects.get(key="2025-voorjaar")
    assert sent.status_code == 302 and sent["Location"] == f"/peilingen/{rnd.pk}/"  # type: ignore[attr-defined]
    assert rnd.themes == ["veiligheid", "wonen"]  # catalogue order, not the order sent
    assert sorted(rnd.areas.values_list("code", flat=True)) == chosen
    assert rnd.held_on == date(2025, 4, 1) and rnd.title == "Voorjaar" and rnd.is_open
    assert rnd.created_by is not None and rnd.created_by.username == "analyst-GM0363"
    detail = text(analyst.get(sent["Location"]))  # type: ignore[attr-defined]
    assert "Peiling 2025-voorjaar is geopend." in detail
    assert all(f"{names[c]} ({c})" in detail for c in chosen)
    # A wijk alone: a round about that wijk.
    assert new_round(analyst, key="wijk-2025").status_code == 302  # type: ignore[attr-defined]
    assert list(Round.objects.get(key="wijk-2025").areas.values_list("code", flat=True)) == [WIJK]


BROKEN = {
    "unknown area": ({"wijk": "WK0363ZZ"}, "Onbekende wijk, of een wijk buiten uw gemeente: "
                                           "WK0363ZZ."),
    "area of another municipality": ({"wijk": DH_WIJK}, "Onbekende wijk, of een wijk buiten uw "
                                                        f"gemeente: {DH_WIJK}."),
    "buurt of another municipality": ({"buurten": [DH_BUURT]},
                                      f"Onbekende buurt, of een buurt buiten uw gemeente: "
                                      f"{DH_BUURT}."),
    "no themes": ({"themes": []}, "Kies minstens één thema."),
    "unknown theme": ({"themes": ["wonen", "geluk"]}, "Onbekend thema: geluk."),
    "bad key": ({"key": "voorjaar 2025!"}, "Gebruik alleen letters, cijfers, - en _"),
    "no date": ({"held_on": "1 april"}, "Voer een geldige datum in."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_is_named_and_stores_nothing(raw: Path, case: str) -> None:
    store(raw)
    fields, message = BROKEN[case]
    response = new_round(login("analyst"), **fields)
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = text(response)
    assert "er is niets opgeslagen" in page and message in page, page[-1500:]
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_duplicate_key_buurt_of_other_wijk_and_mixed_municipalities(raw: Path) -> None:
    names = store(raw)
    analyst = login("analyst")
    open_round("2025-voorjaar", [WIJK], ["wonen"], date(2025, 1, 1))
    page = text(new_round(analyst))
    assert "Er bestaat al een peiling met sleutel 2025-voorjaar." in page
    elsewhere = buurten(names, OTHER_WIJK)[0]
    response = new_round(analyst, key="b", buurten=[buurten(names, WIJK)[0], elsewhere])
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f"Deze buurten liggen niet in de gekozen wijk: {elsewhere}." in text(response)
    assert 'type="date" name="held_on" value="2025-04-01"' in response.content.decode()  # type: ignore[attr-defined]
    # An admin sees every municipality: buurten of two municipalities are still refused.
    admin = login("admin", municipality="")
    response = new_round(admin, key="c", buurten=[buurten(names, WIJK)[0], DH_BUURT])
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f"Buurten van een andere gemeente dan de wijk: {DH_BUURT}." in text(response)
    assert list(Round.objects.values_list("key", flat=True)) == ["2025-voorjaar"]
    # The same message in English.
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = text(new_round(admin, key="d", themes=[]))
    assert "Choose at least one theme." in english and "nothing was stored" in english


@pytest.mark.django_db
def test_roles_and_municipality(raw: Path) -> None:
    store(raw)
    rnd = open_round("2025-voorjaar", [WIJK], ["wonen"], date(2025, 4, 1))
    urls = ["/peilingen/nieuw/", f"/peilingen/{rnd.pk}/", f"/peilingen/{rnd.pk}/sluiten/"]
    for url in urls:
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
        for role in ("viewer", "professional"):
            assert login(role, name=f"{role}{len(url)}").get(url).status_code == 403
    other = login("analyst", municipality="GM0518")
    assert other.get(urls[0]).status_code == 200  # may open rounds for its own areas
    for url in urls[1:]:
        assert other.get(url).status_code == 403
        assert other.post(url, {"csrfmiddlewaretoken": csrf(other, urls[0]),
                                "group": "residents", "count": "1"}).status_code == 403
    assert not Invitation.objects.exists() and Round.objects.get().is_open
    response = new_round(other, key="andermans")  # a wijk of GM0363: not a choice for GM0518
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f"buiten uw gemeente: {WIJK}" in text(response)
    assert Round.objects.count() == 1
    assert login("admin", municipality="").get(urls[1]).status_code == 200


def invite(client: Client, rnd: Round, **fields: str) -> object:
    data = {"group": "residents", "organisation_type": "", "count": "1", **fields,
            "csrfmiddlewaretoken": csrf(client, f"/peilingen/{rnd.pk}/")}
    return client.post(f"/peilingen/{rnd.pk}/", data)


@pytest.mark.django_db
def test_invitation_links_are_shown_once_and_work(raw: Path) -> None:
    names = store(raw)
    chosen = buurten(names, WIJK)[:2]
    rnd = open_round("2025-voorjaar", chosen, ["wonen", "veiligheid"], date(2025, 4, 1))
    analyst = login("analyst")
    missing = invite(analyst, rnd, count="3")
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "Dit veld is verplicht." in text(missing)  # a round of buurten: choose the buurt
    too_many = invite(analyst, rnd, count="501", area=chosen[1])
    assert "Maak hoogstens 500 links tegelijk." in text(too_many)
    assert not Invitation.objects.exists()
    made = invite(analyst, rnd, group="professionals", organisation_type="Corporatie",
                  count="3", area=chosen[1])
    assert made.status_code == 200  # type: ignore[attr-defined]
    assert "no-store" in made["Cache-Control"]  # type: ignore[index]
    tokens = sorted(set(TOKEN_IN_LINK.findall(made.content.decode())))  # type: ignore[attr-defined]
    assert len(tokens) == 3
    stored = Invitation.objects.order_by("pk")
    assert sorted(stored.values_list("token_hash", flat=True)) == sorted(
        hashlib.sha256(t.encode()).hexdigest() for t in tokens)
    assert set(stored.values_list("group", "organisation_type", "area__code")) == {
        ("professionals", "corporatie", chosen[1])}
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT * FROM rounds_invitation")
        rows = repr(cursor.fetchall())
    assert not any(t in rows for t in tokens)
    form = Client().get(f"/peiling/{tokens[0]}/")
    assert form.status_code == 200 and names[chosen[1]] in form.content.decode()
    submit_response(tokens[0], [ThemeAnswer("veiligheid", 4), ThemeAnswer("wonen", None)])
    detail = analyst.get(f"/peilingen/{rnd.pk}/")
    html = detail.content.decode()
    assert not any(t in html for t in tokens) and not TOKEN_IN_LINK.search(html)
    row = re.search(r'<tr data-group="professionals">(.*?)</tr>', html, re.S)
    assert row is not None and re.findall(r"<td>(\d+)</td>", row.group(1)) == ["3", "1", "1"]


@pytest.mark.django_db
def test_closing_needs_csrf_and_then_links_refuse_answers(raw: Path) -> None:
    store(raw)
    rnd = open_round("2025-voorjaar", [WIJK], ["wonen"], date(2025, 4, 1))
    token = create_invitations(rnd, "residents", 1)[0]
    analyst = login("analyst")
    url = f"/peilingen/{rnd.pk}/sluiten/"
    confirm = analyst.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert analyst.post(url).status_code == 403  # no CSRF token
    assert invite(analyst, rnd).status_code == 200
    assert analyst.post(f"/peilingen/{rnd.pk}/", {"group": "residents",
                                                  "count": "1"}).status_code == 403
    assert Invitation.objects.count() == 2 and Round.objects.get().is_open
    closed = analyst.post(url, {"csrfmiddlewaretoken": csrf(analyst, url)})
    assert closed.status_code == 302 and closed["Location"] == f"/peilingen/{rnd.pk}/"
    assert not Round.objects.get().is_open
    page = text(analyst.get(closed["Location"]))
    assert "Peiling 2025-voorjaar is gesloten" in page and "Links maken" not in page
    refused = invite(analyst, rnd)  # a closed round makes no links
    assert refused.status_code == 302 and Invitation.objects.count() == 2  # type: ignore[attr-defined]
    respondent = Client()
    assert respondent.get(f"/peiling/{token}/").status_code == 410
    assert respondent.post(f"/peiling/{token}/", {"wonen-rating": "4"}).status_code == 410


@pytest.mark.django_db(databases="__all__")
def test_opened_round_and_hashed_tokens_on_each_engine(raw: Path, db_alias: str) -> None:
    """What the pages store, through the same service calls, read back as raw rows."""
    names = store(raw, using=db_alias)
    chosen = buurten(names, WIJK)[:2]
    rnd = open_round("2025-voorjaar", chosen, ["wonen", "veiligheid"], date(2025, 4, 1),
                     using=db_alias)
    tokens = create_invitations(rnd, "residents", 2, area=chosen[0], using=db_alias)
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT * FROM rounds_invitation")
        rows = repr(cursor.fetchall())
        cursor.execute("SELECT a.code FROM rounds_round_areas ra JOIN areas_area a "
                       "ON a.id = ra.area_id ORDER BY a.code")
        codes = [r[0] for r in cursor.fetchall()]
    assert codes == chosen
    assert not any(t in rows for t in tokens)
    assert all(hashlib.sha256(t.encode()).hexdigest() in rows for t in tokens)
