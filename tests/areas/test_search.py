"""Name search in the core (issue 19): hand-written candidates and expected rankings."""

from __future__ import annotations

import pytest

from wijkbeeld.areas import AreaCandidate, MatchKind, rank_areas, unambiguous

DH, AMS = "'s-Gravenhage", "Amsterdam"
AREAS = [
    AreaCandidate("GM0518", "'s-Gravenhage", "municipality", DH, 2022),
    AreaCandidate("WK051834", "Wijk Wijk 34 Morgenstond", "district", DH, 2022),
    AreaCandidate("WK051834", "Wijk 34 Morgenstond", "district", DH, 2020),  # older year
    AreaCandidate("BU05183401", "Morgenstond-Zuid", "neighbourhood", DH, 2022),
    AreaCandidate("WK051828", "Wijk 28 Centrum", "district", DH, 2022),
    AreaCandidate("BU03630001", "Centrum", "neighbourhood", AMS, 2024),
    AreaCandidate("BU0363AF03", "Oosterdokseiland", "neighbourhood", AMS, 2024),
    AreaCandidate("BU0363AA01", "Kop Zeedijk", "neighbourhood", AMS, 2024),
    AreaCandidate("BU05990001", "Café Één", "neighbourhood", "Rotterdam", 2024),
]


def codes(query: str) -> list[tuple[str, MatchKind]]:
    return [(m.area.code, m.kind) for m in rank_areas(AREAS, query)]


def test_morgenstond_finds_the_wijk_first_and_only_its_latest_year() -> None:
    found = rank_areas(AREAS, "Morgenstond")
    assert [(m.area.code, m.kind) for m in found] == [
        ("WK051834", MatchKind.EXACT), ("BU05183401", MatchKind.PREFIX)]
    assert found[0].area.boundary_year == 2022 and found[0].display_name == "Morgenstond"
    assert unambiguous(found) == found[0]


@pytest.mark.parametrize("query", ["morgenstond", "MORGENSTOND", " wijk Morgenstond ",
                                   "Wijk 34 Morgenstond"])
def test_case_and_level_words_do_not_matter(query: str) -> None:
    assert codes(query)[0] == ("WK051834", MatchKind.EXACT)


def test_accents_do_not_matter() -> None:
    assert codes("cafe een") == [("BU05990001", MatchKind.EXACT)]


def test_an_exact_code_comes_first_and_is_unambiguous() -> None:
    found = rank_areas(AREAS, "wk051834")
    assert [(m.area.code, m.kind) for m in found] == [("WK051834", MatchKind.CODE)]
    assert unambiguous(found) is found[0]


def test_an_ambiguous_name_lists_every_candidate_wider_level_first() -> None:
    found = rank_areas(AREAS, "Centrum")
    assert [(m.area.code, m.area.municipality_name) for m in found] == [
        ("WK051828", DH), ("BU03630001", AMS)]
    assert unambiguous(found) is None


def test_whole_word_and_prefix_before_typos() -> None:
    assert codes("Zeedijk") == [("BU0363AA01", MatchKind.WORD)]
    assert codes("Oosterdok") == [("BU0363AF03", MatchKind.PREFIX)]
    assert codes("gravenhage") == [("GM0518", MatchKind.WORD)]


def test_typos_are_found_but_never_taken_for_granted() -> None:
    found = rank_areas(AREAS, "Oosterdoksielnd")
    assert [(m.area.code, m.kind) for m in found] == [("BU0363AF03", MatchKind.FUZZY)]
    assert unambiguous(found) is None


@pytest.mark.parametrize("query", ["xqzvw", "", "   ", "Amsterdamsestraatweg-Noord", "12"])
def test_nonsense_finds_nothing(query: str) -> None:
    assert rank_areas(AREAS, query) == []


def test_limit_keeps_the_best() -> None:
    assert [m.area.code for m in rank_areas(AREAS, "Morgenstond", limit=1)] == ["WK051834"]
