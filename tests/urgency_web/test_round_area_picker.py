"""Issue 19, forms people can use: the new-round form offers the wijken and buurten of the
user's own municipality in its current division only (a wijk stored only for an older boundary
year is not offered beside its successor), names first and by name, buurten under their wijk."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.urgency.setup_forms import area_choices

pytestmark = pytest.mark.django_db


@pytest.fixture
def divisions() -> None:
    # Amsterdam in 2022 had wijk WK0363ZZ (since merged); in 2024 two wijken and a buurt.
    ensure_areas([("GM0363", "Amsterdam"), ("WK0363ZZ", "Oude wijk"),
                  ("WK0363AF", "Spaarndammer- en Zeeheldenbuurt")], 2022)
    ensure_areas([("GM0363", "Amsterdam"), ("WK0363AF", "Spaarndammer- en Zeeheldenbuurt"),
                  ("WK0363AA", "Burgwallen-Oude Zijde"), ("BU0363AF01", "Zeeheldenbuurt")],
                 2024)
    # Den Haag is stored for 2022 only: its current division is 2022.
    ensure_areas([("GM0518", "'s-Gravenhage"), ("WK051834", "Morgenstond")], 2022)


def test_only_the_current_division_by_name(divisions: None) -> None:
    amsterdam = area_choices("GM0363")
    assert [a[0] for a in amsterdam] == ["WK0363AA", "WK0363AF", "BU0363AF01"]
    assert amsterdam[2][3] == "WK0363AF"  # the buurt under its wijk
    national = {a[0] for a in area_choices(None)}
    assert national == {"WK0363AA", "WK0363AF", "BU0363AF01", "WK051834"}


def test_the_form_offers_them(divisions: None) -> None:
    client = Client()
    client.force_login(get_user_model().objects.create_user(
        "analist", password="x-1234567", role="analyst", municipality="GM0363"))
    html = client.get("/peilingen/nieuw/").content.decode()
    wijk_select = re.search(r'<select name="wijk".*?</select>', html, re.S)
    assert wijk_select is not None
    options = re.findall(r'<option value="(WK\w+)"[^>]*>([^<]+)</option>', wijk_select.group(0))
    assert options == [("WK0363AA", "Burgwallen-Oude Zijde (WK0363AA)"),
                       ("WK0363AF", "Spaarndammer- en Zeeheldenbuurt (WK0363AF)")]
    assert "WK0363ZZ" not in html and "WK051834" not in html
    assert re.search(r'<optgroup label="Spaarndammer- en Zeeheldenbuurt">\s*<option '
                     r'value="BU0363AF01"', html)
