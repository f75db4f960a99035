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
