"""The agenda in the JSON API, with the pages' rules: municipality scoping (403), drafts only
for those who prepare them (404 for a reader), the learning network as aggregates only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from agenda_web_support import AMS, HAAG, make_user, store_two_wijken
from django.test import Client

from wijkbeeld.web.agenda import services

pytestmark = pytest.mark.django_db


def client_for(role: str, municipality: str) -> Client:
    client = Client()
    client.force_login(make_user(f"{role}-{municipality}", role, municipality))
    return client


def test_agenda_api_scoping_and_drafts(raw: Path) -> None:
    store_two_wijken(raw)
    for code in (AMS, HAAG):
        agenda = services.create_agenda(code, f"Agenda {code}")
        services.add_item(agenda, "wonen", "wonen", f"Beter wonen in {code}.")
    haag_agenda = services.create_agenda(HAAG, "Vastgesteld")
    services.add_item(haag_agenda, "wonen", "wonen", "Vastgesteld wonen.")
    services.agree_agenda(haag_agenda, date(2024, 1, 1))

    reader = client_for("viewer", "GM0518")
    ok = reader.get(f"/api/agenda/{HAAG}?timeline=true")
    assert ok.status_code == 200
    data = ok.json()
    assert data["status"] == "vastgesteld" and data["items"][0]["ambition"] == \
        "Vastgesteld wonen."
    assert data["items"][0]["versions"][0]["number"] == 1 and data["timeline"] is not None
    assert reader.get(f"/api/agenda/{AMS}").status_code == 403
    ams_reader = client_for("viewer", "GM0363")
    assert ams_reader.get(f"/api/agenda/{AMS}").status_code == 404  # only a draft there
    ams_prof = client_for("professional", "GM0363")
    draft = ams_prof.get(f"/api/agenda/{AMS}")
    assert draft.status_code == 200 and draft.json()["status"] == "concept"
    assert Client().get(f"/api/agenda/{HAAG}").status_code == 401

    net = reader.get("/api/agenda/network")
    assert net.status_code == 200
    body = net.text
    assert "Beter wonen" not in body and AMS not in body and HAAG not in body
    assert net.json()["min_n"] == 5


def test_network_api_and_page_publish_no_count_of_a_withheld_pool(raw: Path) -> None:
    """Issue 18 through the API and the page: a pool of one area (6 residents, 4 urgent) is
    withheld whole, so nothing another member sees gives its share or its count, and a group
    under 5 (Den Haag: 3 residents) has no figure either."""
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        close_round,
        create_invitations,
        open_round,
        submit_response,
    )

    store_two_wijken(raw)
    for key, code, ratings in (("ams-2024", AMS, [5, 4, 4, 2, 5, 1]),
                               ("haag-2024", HAAG, [5, 5, 4])):
        rnd = open_round(key, [code], ["wonen"], date(2024, 4, 1))
        for token, rating in zip(create_invitations(rnd, "residents", len(ratings)), ratings,
                                 strict=True):
            submit_response(token, [ThemeAnswer("wonen", rating, "ja")])
        close_round(rnd)
    haag = client_for("viewer", "GM0518")
    body = haag.get("/api/agenda/network").json()
    cells = {(c["municipality"], c["theme"]): c for c in body["cells"]}
    ams = cells[("GM0363", "wonen")]
    assert ams["respondents"] is None and ams["group_shares"] == {"residents": None}
    den_haag = cells[("GM0518", "wonen")]
    assert den_haag["respondents"] is None and den_haag["group_shares"] is None
    # No share of the withheld pools anywhere: 4/6 and 3/3 are not in the response.
    text = haag.get("/api/agenda/network").text
    assert "0.666" not in text and "0.667" not in text
    page = haag.get("/lerend-netwerk/").content.decode()
    assert "67 %" not in page and "66,7" not in page and "67%" not in page
