"""Area names for people (issue 19): name first, level word and number prefix dropped."""

from __future__ import annotations

import pytest

from wijkbeeld.areas.names import area_title, display_name


@pytest.mark.parametrize(
    ("stored", "code", "expected"),
    [
        ("Wijk 34 Morgenstond", "WK051834", "Morgenstond"),
        ("Wijk Wijk 34 Morgenstond", "WK051834", "Morgenstond"),  # as the demo stores it
        ("Wijk 03 Duinoord", "WK051803", "Duinoord"),
        ("Buurt 12 Oud Rijswijk", "BU05181200", "Oud Rijswijk"),
        ("Burgwallen-Oude Zijde", "WK036300", "Burgwallen-Oude Zijde"),
        ("Oosterdokseiland", "BU0363AF03", "Oosterdokseiland"),
        ("Wijk 12", "WK051812", "Wijk 12"),  # nothing real left: keep the stored name
        ("", "BU05180001", "BU05180001"),
        (None, "BU05180001", "BU05180001"),
        ("  Wijkerbroek  ", "WK045300", "Wijkerbroek"),
    ],
)
def test_display_name(stored: str | None, code: str, expected: str) -> None:
    assert display_name(stored, code) == expected


def test_title_of_a_den_haag_wijk() -> None:
    title = area_title("Wijk 34 Morgenstond", "WK051834", "district", "'s-Gravenhage")
    assert title == "Morgenstond — wijk in 's-Gravenhage"


def test_title_of_an_amsterdam_buurt() -> None:
    assert (area_title("Oosterdokseiland", "BU0363AF03", "neighbourhood", "Amsterdam")
            == "Oosterdokseiland — buurt in Amsterdam")


def test_title_without_a_name_falls_back_to_the_code() -> None:
    assert area_title("", "BU05180001", "neighbourhood", "'s-Gravenhage") == (
        "BU05180001 — buurt in 's-Gravenhage")


def test_title_in_english_keeps_the_stored_municipality_name() -> None:
    assert area_title("Wijk 34 Morgenstond", "WK051834", "district", "'s-Gravenhage",
                      language="en") == "Morgenstond — district in 's-Gravenhage"


def test_title_of_a_municipality_and_without_municipality_name() -> None:
    assert area_title("Amsterdam", "GM0363", "municipality", "Amsterdam") == (
        "Amsterdam — gemeente")
    assert area_title("Morgenstond", "WK051834", "district") == "Morgenstond — wijk"
