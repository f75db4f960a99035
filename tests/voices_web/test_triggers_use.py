"""The trigger lifecycle through each way in: the area page (the rendered forms submitted with
their CSRF token), the ``wijkbeeld triggers`` command and the JSON API; and who may do what
(viewers and professionals read, analysts and admins write, another municipality neither)."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from voices_web_support import PLANTED_TEXT, WIJK, area, store_areas, user

from wijkbeeld.cli import main
from wijkbeeld.web.voices import triggers
from wijkbeeld.web.voices.models import Trigger

pytestmark = pytest.mark.django_db


def client_for(role: str, municipality: str = "GM0363", csrf: bool = True) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(enforce_csrf_checks=csrf)
    name = f"u-{role}-{municipality}"
    found = get_user_model().objects.filter(username=name).first()
    client.force_login(found or user(name, role, municipality))
    return client


def form_fields(html: str, action_hint: str) -> dict[str, Any]:
    """The CSRF token of the page's form whose markup contains ``action_hint`` (plain regex)."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None and action_hint in html
    return {"csrfmiddlewaretoken": token.group(1)}


def area_url() -> str:
    return f"/gebied/{WIJK}/2024/"


def test_lifecycle_on_the_area_page(raw: Path) -> None:
    store_areas(raw)
    analyst = client_for("analyst")
    page = analyst.get(area_url()).content.decode()
    assert "Aanleidingen" in page and "Er zijn nog geen aanleidingen vastgelegd." in page
    add_url = f"/gebied/{WIJK}/2024/aanleidingen/nieuw/"
    assert f'href="{add_url}"' in page
    form = analyst.get(add_url).content.decode()
    for field in ("description", "date", "source"):
        assert f'for="id_{field}"' in form and f'id="id_{field}"' in form
    assert "<legend>Over welke thema&#x27;s gaat het?</legend>" in form
    assert analyst.post(add_url, {"description": "zonder token"}).status_code == 403  # CSRF
    # An empty description: an error summary that links to the field, nothing stored.
    bad = analyst.post(add_url, {**form_fields(form, "description"), "description": "",
                                 "date": "2024-03-01", "source": "bewoners"})
    assert bad.status_code == 200 and Trigger.objects.count() == 0
    assert '<a href="#id_description">' in bad.content.decode()
    saved = analyst.post(add_url, {**form_fields(form, "description"),
                                   "description": PLANTED_TEXT, "date": "2024-03-01",
                                   "source": "bewoners", "themes": ["veiligheid", "wonen"]})
    assert saved.status_code == 302 and saved["Location"] == area_url() + "#aanleidingen"
    row = Trigger.objects.get()
    assert "Yilmaz" not in row.description and row.themes == ["veiligheid", "wonen"]
    page = unescape(analyst.get(area_url()).content.decode())
    assert "1 maart 2024" in page and "bron: bewoners" in page
    assert "Veiligheid" in page and "Status: <strong>speelt nog</strong> sinds 1 maart 2024" in page

    edit_url = f"/aanleidingen/{row.pk}/wijzigen/"
    edit = analyst.get(edit_url).content.decode()
    assert 'value="2024-03-01"' in edit
    analyst.post(edit_url, {**form_fields(edit, "description"),
                            "description": "Bewoners melden overlast", "date": "2024-02-28",
                            "source": "raadsvraag", "themes": ["veiligheid"]})
    row.refresh_from_db()
    assert (row.description, row.source, row.date, row.themes) == (
        "Bewoners melden overlast", "raadsvraag", date(2024, 2, 28), ["veiligheid"])

    close_url = f"/aanleidingen/{row.pk}/afsluiten/"
    close = analyst.get(close_url).content.decode()
    assert 'value="vervaagd"' in close and 'value="actief"' not in close
    done = analyst.post(close_url, {**form_fields(close, "status"), "status": "vervaagd",
                                    "date": "2024-09-01"})
    assert done.status_code == 302
    # A date before the last change: refused on the form, nothing changes.
    refused = analyst.post(close_url, {**form_fields(close, "status"), "status": "opgelost",
                                       "date": "2024-08-01"})
    assert "vóór de vorige wijziging" in refused.content.decode()
    row.refresh_from_db()
    assert (row.status, row.status_since) == ("vervaagd", date(2024, 9, 1))
    assert [h["status"] for h in row.history] == ["actief", "vervaagd"]
    page = unescape(analyst.get(area_url()).content.decode())
    assert "Status: <strong>vervaagd</strong> sinds 1 september 2024" in page
    assert "Status wijzigen" in page


def test_readers_read_but_only_analysts_write(raw: Path) -> None:
    store_areas(raw)
    row = triggers.record_trigger(area(), "Er was brand in de flat", when=date(2024, 3, 1),
                                  source="incident", themes=["wonen"])
    urls = [f"/gebied/{WIJK}/2024/aanleidingen/nieuw/", f"/aanleidingen/{row.pk}/wijzigen/",
            f"/aanleidingen/{row.pk}/afsluiten/"]
    for role in ("viewer", "professional"):
        reader = client_for(role, csrf=False)
        page = reader.get(area_url()).content.decode()
        assert "Er was brand in de flat" in page
        assert "Aanleiding toevoegen" not in page and "Bewerken" not in page
        for url in urls:
            assert reader.get(url).status_code == 403
            assert reader.post(url, {"status": "opgelost", "date": "2024-05-01"}
                               ).status_code == 403
    other = client_for("analyst", "GM0518", csrf=False)
    assert other.get(area_url()).status_code == 403
    for url in urls:
        assert other.get(url).status_code == 403
        assert other.post(url, {"status": "opgelost", "date": "2024-05-01",
                                "description": "x", "source": "nieuws"}).status_code == 403
    for role in ("analyst", "admin"):
        writer = client_for(role, "" if role == "admin" else "GM0363", csrf=False)
        assert "Aanleiding toevoegen" in writer.get(area_url()).content.decode()
    row.refresh_from_db()
    assert (row.description, row.status) == ("Er was brand in de flat", "actief")


def test_lifecycle_through_the_cli(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_areas(raw)
    assert main(["triggers", "add", WIJK, "--date", "2024-03-01", "--source", "nieuws",
                 "--theme", "veiligheid", "--theme", "openbare_ruimte",
                 "--text", PLANTED_TEXT]) == 0
    row = Trigger.objects.get()
    assert f"aanleiding {row.pk} opgeslagen" in capsys.readouterr().out
    assert main(["triggers", "edit", str(row.pk), "--source", "raadsvraag"]) == 0
    assert main(["triggers", "close", str(row.pk), "--status", "opgelost",
                 "--date", "2024-10-01"]) == 0
    assert "opgelost sinds 2024-10-01" in capsys.readouterr().out
    assert main(["triggers", "list", WIJK, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(t["id"], t["source"], t["themes"], t["status"], t["status_since"])
            for t in listed] == [(row.pk, "raadsvraag", ["veiligheid", "openbare_ruimte"],
                                  "opgelost", "2024-10-01")]
    assert "Yilmaz" not in listed[0]["description"]
    assert [h["status"] for h in listed[0]["history"]] == ["actief", "opgelost"]
    assert main(["triggers", "list"]) == 0
    assert "opgelost sinds 2024-10-01" in capsys.readouterr().out
    # Bad input: exit 2 with a message, nothing changed.
    for argv in (["triggers", "add", WIJK, "--source", "nieuws", "--theme", "weer",
                  "--text", "x"],
                 ["triggers", "add", "WK9999ZZ", "--source", "nieuws", "--text", "x"],
                 ["triggers", "add", "geen-code", "--source", "nieuws", "--text", "x"],
                 ["triggers", "close", str(row.pk), "--status", "vervaagd",
                  "--date", "2024-09-01"],
                 ["triggers", "close", "99999", "--status", "vervaagd"]):
        assert main(argv) == 2, argv
        assert capsys.readouterr().err.startswith("fout: niets gewijzigd.")
    # An unknown source: exit 2 with the allowed ones named (checked by the service, so the
    # CLI does not load pandas at start-up for the argparse choices).
    assert main(["triggers", "add", WIJK, "--source", "fax", "--text", "x"]) == 2
    assert "onbekende bron 'fax'; kies uit bewoners" in capsys.readouterr().err
    assert Trigger.objects.count() == 1


def test_lifecycle_through_the_api(raw: Path) -> None:
    store_areas(raw)
    analyst = client_for("analyst", csrf=False)
    made = analyst.post("/api/triggers", {"area_code": WIJK, "date": "2024-03-01",
                                          "source": "professionals", "themes": ["gezondheid_zorg"],
                                          "description": PLANTED_TEXT},
                        content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["area_code"], body["status"], body["status_since"]) == (
        WIJK, "actief", "2024-03-01")
    assert "Yilmaz" not in body["description"]
    pk = body["id"]
    edited = analyst.patch(f"/api/triggers/{pk}", {"source": "overig"},
                           content_type="application/json")
    assert edited.status_code == 200 and edited.json()["source"] == "overig"
    assert edited.json()["themes"] == ["gezondheid_zorg"]
    closed = analyst.post(f"/api/triggers/{pk}/status",
                          {"status": "vervaagd", "date": "2024-07-01"},
                          content_type="application/json")
    assert closed.status_code == 200
    assert closed.json()["history"] == [{"status": "actief", "date": "2024-03-01"},
                                        {"status": "vervaagd", "date": "2024-07-01"}]
    again = analyst.post(f"/api/triggers/{pk}/status", {"status": "vervaagd",
                                                        "date": "2024-08-01"},
                         content_type="application/json")
    assert again.status_code == 422 and again.json()["error"]["code"] == "validation_error"
    bad = analyst.post("/api/triggers", {"area_code": WIJK, "date": "2024-03-01",
                                         "source": "fax", "description": "x"},
                       content_type="application/json")
    assert bad.status_code == 422
    # Readers list; they cannot write. Another municipality can do neither.
    viewer = client_for("viewer", csrf=False)
    listed = viewer.get(f"/api/areas/{WIJK}/triggers")
    assert listed.status_code == 200
    assert [(t["id"], t["status"]) for t in listed.json()["items"]] == [(pk, "vervaagd")]
    assert viewer.post("/api/triggers", {"area_code": WIJK, "date": "2024-03-01",
                                         "source": "nieuws", "description": "x"},
                       content_type="application/json").status_code == 403
    assert viewer.patch(f"/api/triggers/{pk}", {"source": "nieuws"},
                        content_type="application/json").status_code == 403
    other = client_for("analyst", "GM0518", csrf=False)
    assert other.get(f"/api/areas/{WIJK}/triggers").status_code == 403
    assert other.post("/api/triggers", {"area_code": WIJK, "date": "2024-03-01",
                                        "source": "nieuws", "description": "x"},
                      content_type="application/json").status_code == 403
    assert other.post(f"/api/triggers/{pk}/status", {"status": "opgelost",
                                                     "date": "2024-09-01"},
                      content_type="application/json").status_code == 403
    # A session write needs the CSRF token (ninja's cookie auth checks it).
    strict = client_for("analyst", "GM0363", csrf=True)
    assert strict.patch(f"/api/triggers/{pk}", {"source": "nieuws"},
                        content_type="application/json").status_code == 403
    row = Trigger.objects.get()
    assert (row.source, row.status) == ("overig", "vervaagd")
