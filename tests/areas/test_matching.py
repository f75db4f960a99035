"""Codes built from parts, placeholder codes, and name matching (issue 21, items 2 and 3)."""

from __future__ import annotations

import pytest

from wijkbeeld.areas.codes import (
    InvalidAreaCode,
    build_code,
    code_from_parts,
    parse_code,
    placeholder_reason,
)
from wijkbeeld.areas.matching import match_names, name_key, proposed_mapping
from wijkbeeld.areas.search import AreaCandidate


@pytest.mark.parametrize(
    ("prefix", "number", "code"),
    [("BU0758", "103", "BU07580103"), ("BU0758", "0103", "BU07580103"),
     ("BU075801", "3", "BU07580103"), ("WK0758", "1", "WK075801"), ("GM", "758", "GM0758"),
     ("BU0758", "103.0", "BU07580103"), ("BU0363", "AA01", "BU0363AA01"),
     ("BU0758", "BU07580103", "BU07580103")],
)
def test_build_code(prefix: str, number: str, code: str) -> None:
    assert build_code(prefix, number) == code


@pytest.mark.parametrize(("prefix", "number", "needle"), [
    ("BU0758", "12345", "te lang"), ("XX12", "1", "geen codevoorvoegsel"),
    ("BU07580103", "1", "al een hele code"), ("BU0758", "", "geen nummer"),
])
def test_build_code_refuses(prefix: str, number: str, needle: str) -> None:
    with pytest.raises(InvalidAreaCode, match=needle):
        build_code(prefix, number)


def test_code_from_parts() -> None:
    assert code_from_parts("758", "1", "3") == "BU07580103"
    assert code_from_parts("0758", "01") == "WK075801"
    assert code_from_parts("758.0") == "GM0758"
    with pytest.raises(InvalidAreaCode, match="zonder wijknummer"):
        code_from_parts("758", "", "3")
    with pytest.raises(InvalidAreaCode, match="hooguit 2"):
        code_from_parts("758", "123")


@pytest.mark.parametrize("code", ["BU00000000", "WK000000", "GM0000", "BU00001234"])
def test_placeholders(code: str) -> None:
    assert "plaatsvervangende code" in (placeholder_reason(parse_code(code)) or "")


@pytest.mark.parametrize("code", ["GM0363", "WK036300", "BU03630000", "BU0363AA01", "NL01"])
def test_real_codes_are_no_placeholders(code: str) -> None:
    assert placeholder_reason(parse_code(code)) is None


@pytest.mark.parametrize(("a", "b"), [
    ("Wijk 01 Oostduinen", "OOSTDUINEN"), ("'s-Gravenzande", "S GRAVENZANDE"),
    ("'s-Gravenzande", "'s Gravenzande"), ("'t Zand", "Het Zand"), ("Oud-Zuid", "oud zuid"),
    ("Oud-Zuid", "Oudzuid"), ("Sint Jansklooster", "St. Jansklooster"),
    ("Zuidwest", "Buurt Zuidwest"), ("Hoogvliet-Zuid", "Hoogvliet Z."),
    ("Crooswijk", "Crooswijk "), ("Zeeheldenkwartier", "wijk zeeheldenkwartier"),
    ("Bloemhof", "Bloemhöf"),
])
def test_same_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Oostduinen", "Westduinen"), ("Oud-Zuid", "Oud-West")])
def test_different_name_key(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


AREAS = [
    AreaCandidate("WK051801", "Wijk 01 Oostduinen", "district", "Den Haag", 2022),
    AreaCandidate("WK051802", "Wijk 02 Belgisch Park", "district", "Den Haag", 2022),
    AreaCandidate("WK051803", "Wijk 03 Westbroekpark", "district", "Den Haag", 2022),
    AreaCandidate("WK051890", "Centrum", "district", "Den Haag", 2022),
    AreaCandidate("WK051891", "centrum", "district", "Den Haag", 2022),
]


def test_match_names_exact_ambiguous_and_nearest() -> None:
    out = match_names(["OOSTDUINEN", "wijk belgisch park", "Westbroekprak", "Centrum"], AREAS)
    assert out["OOSTDUINEN"].code == "WK051801"
    assert out["wijk belgisch park"].code == "WK051802"
    typo = out["Westbroekprak"]
    assert typo.code is None and not typo.ambiguous
    assert typo.nearest[0][0].code == "WK051803"  # the candidate, never applied
    assert "Westbroekpark (WK051803)" in typo.candidates_text()
    both = out["Centrum"]
    assert both.code is None and both.ambiguous
    assert {a.code for a in both.matches} == {"WK051890", "WK051891"}


def test_mapping_wins_and_proposal_lists_everything() -> None:
    out = match_names(["Westbroekprak", "Oostduinen", "Centrum"], AREAS,
                      {"westbroekprak": "wk051803"})
    assert out["Westbroekprak"].code == "WK051803" and out["Westbroekprak"].via_mapping
    text = proposed_mapping(match_names(["Westbroekprak", "Oostduinen", "Centrum"],
                                        AREAS).values())
    lines = text.splitlines()
    assert lines[0] == "naam;code;gevonden_naam;soort;score"
    assert "Westbroekprak;WK051803;Wijk 03 Westbroekpark;voorstel: controleren;" in text
    assert "Oostduinen;WK051801;Wijk 01 Oostduinen;exact;100" in lines
    assert sum(line.startswith("Centrum;") for line in lines) == 2
