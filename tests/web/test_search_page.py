"""The search page ``/zoeken/?q=`` and the search form on the home page (issue 19), on the
Den Haag wijken as the raw Haaglanden file names them (read with the csv module) plus a buurt
"Centrum" in Amsterdam and in Den Haag."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from django.test import Client
from webpages_support import make_user

from wijkbeeld.web.areas.models import Area

pytestmark = pytest.mark.django_db

RAW = Path(os.environ.get("WIJKBEELD_RAW_DATA", Path(__file__).resolve().parents[3]
                          / "shared" / "data" / "raw"))


def _haaglanden_wijken() -> dict[str, tuple[str, str]]:
    """Code → (stored wijk name, municipality name) of the raw file, e.g. "Wijk Wijk 34 ..."."""
    with (RAW / "haaglanden-wijken-zorg" / "df_count_ver_3.csv").open(encoding="utf-8") as fh:
        return {r["WKC"].strip(): (r["Wijknaam"].strip(), r["GMN"].strip()[len("Gemeente "):])
                for r in csv.DictReader(fh) if r["WKC"].strip()[2:].isdigit()}


@pytest.fixture
def areas() -> None:
    wijken = _haaglanden_wijken()
    municipalities = {code[2:6]: name for code, (_, name) in wijken.items()} | {"0363": "Amsterdam"}
    for digits, name in municipalities.items():
        Area.objects.create(code=f"GM{digits}", name=name, level="municipality",
                            municipality=f"GM{digits}", boundary_year=2022)
    for code, (name, _) in wijken.items():
        Area.objects.create(code=code, name=name, level="district", municipality=f"GM{code[2:6]}",
                            parent_code=f"GM{code[2:6]}", boundary_year=2022)
    Area.objects.create(code="BU05182801", name="Centrum", level="neighbourhood",
                        municipality="GM0518", boundary_year=2022)
    Area.objects.create(code="BU03630001", name="Centrum", level="neighbourhood",
                        municipality="GM0363", boundary_year=2024)


def signed_in(role: str = "viewer", municipality: str = "") -> Client:
    client = Client()
    client.force_login(make_user(f"{role}-{municipality or 'alle'}", role, municipality))
    return client


def test_the_home_page_has_a_labelled_search_form(areas: None) -> None:
    html = signed_in().get("/").content.decode()
    assert '<form class="area-search" role="search" action="/zoeken/" method="get">' in html
    assert '<label for="zoek-gebied">Zoek een gemeente, wijk of buurt</label>' in html
    assert '<input type="search" id="zoek-gebied" name="q"' in html


def test_morgenstond_goes_straight_to_the_wijk(areas: None) -> None:
    assert _haaglanden_wijken()["WK051834"][0] == "Wijk Wijk 34 Morgenstond"
    response = signed_in().get("/zoeken/", {"q": "Morgenstond"})
    assert response.status_code == 302 and response["Location"] == "/gebied/WK051834/2022/"
    assert signed_in("analyst").get("/zoeken/", {"q": "wk051834"})[
        "Location"] == "/gebied/WK051834/2022/"


def test_an_ambiguous_name_lists_both_municipalities(areas: None) -> None:
    response = signed_in().get("/zoeken/", {"q": "centrum"})
    assert response.status_code == 200
    html = response.content.decode()
    # the wijk "Wijk 28 Centrum" and two buurten "Centrum", names first, codes in small print
    assert "3 gebieden gevonden voor “centrum”" in html
    assert ('<a href="/gebied/WK051828/2022/">Centrum</a> — wijk in &#x27;s-Gravenhage '
            '<span class="code">WK051828</span>') in html
    assert ('<a href="/gebied/BU05182801/2022/">Centrum</a> — buurt in &#x27;s-Gravenhage'
            in html)
    assert '<a href="/gebied/BU03630001/2024/">Centrum</a> — buurt in Amsterdam' in html


def test_a_user_of_one_municipality_finds_only_its_areas(areas: None) -> None:
    client = signed_in("viewer", "GM0363")
    assert client.get("/zoeken/", {"q": "Centrum"})["Location"] == "/gebied/BU03630001/2024/"
    html = client.get("/zoeken/", {"q": "Morgenstond"}).content.decode()
    assert "Niets gevonden voor “Morgenstond”" in html and "/gebied/WK051834/" not in html


def test_nothing_found_is_friendly_and_the_query_is_escaped(areas: None) -> None:
    html = signed_in().get("/zoeken/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "Niets gevonden voor “&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;”" in html
    assert "Controleer de spelling" in html and 'href="/"' in html


def test_search_in_english(areas: None) -> None:
    client = signed_in()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/zoeken/", {"q": "Centrum"}).content.decode()
    assert "3 areas found for “Centrum”" in html and "district (wijk) in &#x27;s-Gravenhage" in html
    assert "Nothing found for “qqxz”" in client.get("/zoeken/", {"q": "qqxz"}).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get("/zoeken/", {"q": "Centrum"})
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
