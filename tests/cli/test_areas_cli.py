"""``wijkbeeld areas search NAME`` and names instead of codes for ``profile`` and ``urgency``
(issue 19): in-process on the test database, with hand-written areas."""

from __future__ import annotations

import json

import pytest

from wijkbeeld.cli import main
from wijkbeeld.web.areas.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas() -> None:
    for code, name, level, gm, year in [
        ("GM0518", "'s-Gravenhage", "municipality", "GM0518", 2022),
        ("GM0363", "Amsterdam", "municipality", "GM0363", 2024),
        ("WK051834", "Wijk Wijk 34 Morgenstond", "district", "GM0518", 2022),
        ("BU05182801", "Centrum", "neighbourhood", "GM0518", 2022),
        ("BU03630001", "Centrum", "neighbourhood", "GM0363", 2024),
    ]:
        Area.objects.create(code=code, name=name, level=level, municipality=gm,
                            boundary_year=year)


def test_search_prints_name_level_municipality_and_code(
        areas: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["areas", "search", "centrum"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Centrum\tbuurt\t's-Gravenhage\tBU05182801",
                     "Centrum\tbuurt\tAmsterdam\tBU03630001"]
    assert main(["areas", "search", "Morgenstond", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["name"], r["level"], r["municipality"], r["match"]) for r in rows] == [
        ("WK051834", "Morgenstond", "district", "'s-Gravenhage", "exact")]
    assert main(["areas", "search", "xqzvw"]) == 1


def test_an_ambiguous_name_lists_the_candidates_and_exits_2(
        areas: None, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["profile", "Centrum"], ["urgency", "Centrum"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "past op meer dan één gebied" in err and "Traceback" not in err
        assert "BU05182801" in err and "BU03630001" in err
    assert main(["profile", "Nergenshuizen"]) == 2
    assert "geen gebied gevonden" in capsys.readouterr().err


def test_a_name_that_means_one_area_is_used_as_its_code(
        areas: None, capsys: pytest.CaptureFixture[str]) -> None:
    # No figures or rounds are stored: the commands get as far as looking for them by code.
    assert main(["profile", "Morgenstond"]) == 1
    assert "WK051834" in capsys.readouterr().err
    main(["urgency", "morgenstond"])
    assert "WK051834" in capsys.readouterr().err
