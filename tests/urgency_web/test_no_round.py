"""No dead ends (issue 19): the urgency dashboard and timeline of a stored area without rounds
say "Nog geen peiling voor <naam>" (200), with a link to start one only for those who may."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.urgency.models import Round
from wijkbeeld.web.urgency.setup_forms import initial_areas

pytestmark = pytest.mark.django_db

START = 'href="/peilingen/nieuw/?gebied=WK051834"'


@pytest.fixture
def morgenstond() -> Area:
    gm = Area.objects.create(code="GM0518", boundary_year=2024, level="municipality",
                             name="'s-Gravenhage", municipality="GM0518")
    return Area.objects.create(code="WK051834", boundary_year=2024, level="district",
                               name="Wijk 34 Morgenstond", municipality="GM0518", parent=gm,
                               parent_code="GM0518")


def login(role: str) -> Client:
    user = get_user_model().objects.create_user(
        f"u-{role}", password="geheim-wachtwoord-1", role=role, municipality="GM0518")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/urgentie/WK051834/", "/urgentie/WK051834/tijdlijn/"])
def test_analyst_gets_a_start_link(morgenstond: Area, path: str) -> None:
    response = login("analyst").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nog geen peiling voor Morgenstond" in html
    assert "Morgenstond — wijk in 's-Gravenhage" in html.replace("&#x27;", "'")
    assert "Wijk 34" not in html
    assert START in html and "Een peiling starten" in html


@pytest.mark.parametrize("path", ["/urgentie/WK051834/", "/urgentie/WK051834/tijdlijn/"])
def test_viewer_gets_a_plain_sentence(morgenstond: Area, path: str) -> None:
    response = login("viewer").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nog geen peiling voor Morgenstond" in html
    assert "Een analist van uw gemeente kan een peiling starten." in html
    assert START not in html and "/peilingen/nieuw/" not in html


def test_open_round_without_answers_says_no_outcome_yet(morgenstond: Area) -> None:
    rnd = Round.objects.create(key="2026-najaar", held_on=date(2026, 11, 1), themes=["wonen"])
    rnd.areas.add(morgenstond)
    html = login("viewer").get("/urgentie/WK051834/").content.decode()
    assert "Nog geen uitkomst voor Morgenstond" in html
    assert "nog te weinig antwoorden om iets te laten zien" in html
    assert "Nog geen peiling" not in html
    # The rounds list links to the round by key: that link is no dead end either (it was a
    # 404 until the crawler of tests/web/test_crawl.py followed it).
    by_key = login("analyst").get("/urgentie/WK051834/?ronde=2026-najaar")
    assert by_key.status_code == 200
    assert "Nog geen uitkomst voor Morgenstond" in by_key.content.decode()
    # A round of another area is still unknown here.
    Round.objects.create(key="elders", held_on=date(2026, 11, 1), themes=["wonen"])
    assert login("professional").get("/urgentie/WK051834/?ronde=elders").status_code == 404


def test_unknown_area_or_round_stays_404(morgenstond: Area) -> None:
    viewer = login("viewer")
    assert viewer.get("/urgentie/WK051899/").status_code == 404
    assert viewer.get("/urgentie/WK051899/tijdlijn/").status_code == 404
    assert viewer.get("/urgentie/WK051834/?ronde=bestaat-niet").status_code == 404


def test_start_link_fills_in_the_area(morgenstond: Area) -> None:
    html = login("analyst").get("/peilingen/nieuw/?gebied=WK051834").content.decode()
    assert '<option value="WK051834" selected>' in html


def test_initial_areas() -> None:
    areas = [("WK051834", "Morgenstond", "district", "WK051834"),
             ("BU05183401", "Morgenstond-Zuid", "neighbourhood", "WK051834")]
    assert initial_areas(areas, "WK051834") == {"wijk": "WK051834"}
    assert initial_areas(areas, "bu05183401") == {"wijk": "WK051834", "buurten": ["BU05183401"]}
    assert initial_areas(areas, "WK036300") == {}
    assert initial_areas(areas, "") == {}
