"""Tagging that understands Dutch (issue 20, item 3): word boundaries, lemmas and inflections,
compounds decided by their head, negated problems, and a ranking with a cut.

The sentences here are written for these tests; the held-out evaluation of the whole tagger is
``test_tagging_eval.py`` on the frozen set ``eval/tagging_eval.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkbeeld.voices import Tagger, load_lexicon
from wijkbeeld.voices.evidence import COMPOUND_MAX_CHARS, EvidenceFinder, inflections
from wijkbeeld.voices.legacy_tagging import LegacyTagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


@pytest.fixture(scope="module")
def finder(tagger: Tagger) -> EvidenceFinder:
    return EvidenceFinder({k: t.terms for k, t in tagger.lexicon.themes.items()})


def _themes_of(finder: EvidenceFinder, word: str) -> set[str]:
    return {key for key, _, _ in finder.lookup(word)}


# -- word boundaries ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "not_theme"),
    [
        ("Op zaterdag is er muziek op het plein.", "gezondheid_zorg"),  # "ziek" in "muziek"
        ("Het alarm van de auto ging de hele nacht af.", "armoede_schulden"),  # "arm" in "alarm"
        ("Ze heeft een groot netwerk in de buurt.", "werk_inkomen"),  # "werk" in "netwerk"
        ("Mijn dochter maakt haar huiswerk aan de keukentafel.", "werk_inkomen"),
        ("We gaan verzorgen wat er nodig is.", "gezondheid_zorg"),  # not "ver" + "zorgen"
        ("Het hele plein stond bomvol mensen.", "veiligheid"),
    ],
)
def test_a_term_inside_another_word_is_not_found(
    tagger: Tagger, text: str, not_theme: str
) -> None:
    assert not_theme not in tagger.scores(text)


def test_the_old_substring_tagger_did_find_them() -> None:
    """The baseline keeps the old behaviour, so the evaluation compares with what it was."""
    assert "gezondheid_zorg" in LegacyTagger().themes("Op zaterdag is er muziek en veel ziek.")
    assert "gezondheid_zorg" in LegacyTagger().themes("Op zaterdag is er veel muziek op straat.")
    assert "gezondheid_zorg" not in Tagger().scores("Op zaterdag is er veel muziek op straat.")


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Mijn buurman is al weken ziek.", "gezondheid_zorg"),
        ("Er zijn veel zieken in de flat.", "gezondheid_zorg"),
        ("De woningen zijn oud en vochtig.", "wonen"),
        ("Er zijn drie bomen gekapt.", "openbare_ruimte"),
        ("Bij ons is twee keer ingebroken.", "veiligheid"),  # lemma: inbreken
        ("Hij solliciteert al maanden.", "werk_inkomen"),  # lemma of a verb form
        ("Hij schreef tien sollicitatiebrieven.", "werk_inkomen"),  # word beginning
        ("Ze wordt gediscrimineerd om haar hoofddoek.", "sociale_samenhang"),
    ],
)
def test_words_lemmas_and_regular_forms_are_found(tagger: Tagger, text: str, theme: str) -> None:
    assert tagger.tag(text).theme_keys[:1] == (theme,)


def test_inflections_keep_real_forms_and_drop_other_words() -> None:
    assert {"woningen", "woninkje"} & inflections("woning") == {"woningen"}
    assert {"bomen", "boompje"} <= inflections("boom")
    assert "huizen" in inflections("huis")
    assert "cracker" not in inflections("crack")  # a word of its own, not a form of "crack"
    assert "lawaaien" not in inflections("lawaai")
    assert inflections("geen geld") == {"geen geld"}


# -- compounds ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "theme"),
    [
        ("hondenpoep", "openbare_ruimte"),
        ("hondepoep", "openbare_ruimte"),  # linking "e" written without n
        ("drugsoverlast", "veiligheid"),
        ("jongerenoverlast", "veiligheid"),  # the head decides: nuisance, not youth
        ("scooteroverlast", "veiligheid"),
        ("verkeersdrempels", "openbare_ruimte"),
        ("kiespijn", "gezondheid_zorg"),
        ("energieschulden", "armoede_schulden"),
        ("portiekwoningen", "wonen"),
        ("politiebureau", "veiligheid"),  # head is no theme word: the first part speaks
        ("wmo-indicatie", "gezondheid_zorg"),
    ],
)
def test_compounds_are_split_and_the_head_decides(
    tagger: Tagger, finder: EvidenceFinder, word: str, theme: str
) -> None:
    assert theme in _themes_of(finder, word)
    assert tagger.tag(f"Er is veel {word}.").theme_keys[0] == theme


def test_a_compound_listed_as_a_word_wins_over_its_parts(finder: EvidenceFinder) -> None:
    assert _themes_of(finder, "wateroverlast") >= {"energie_duurzaamheid"}
    assert "veiligheid" not in _themes_of(finder, "wateroverlast")
    assert _themes_of(finder, "buurthuis") == {"sociale_samenhang"}


def test_the_first_part_adds_a_little_for_its_own_theme(finder: EvidenceFinder) -> None:
    weights = {key: w for key, _, w in finder.lookup("jongerenoverlast")}
    assert weights["veiligheid"] > weights["jeugd_onderwijs"] > 0


def test_long_words_are_not_split(finder: EvidenceFinder) -> None:
    word = "a" * (COMPOUND_MAX_CHARS - 10) + "hondenpoep" + "x"
    assert finder.lookup(word) == ()
    assert finder.lookup("q" * 200 + "overlast") == ()


def test_a_municipal_word_beginning_matches_at_the_start_only(tmp_path: Path) -> None:
    own = tmp_path / "gemeente.toml"
    own.write_text('[themes.openbare_ruimte]\nparts = ["kroos"]\n', encoding="utf-8")
    tagger = Tagger(load_lexicon([own]))
    assert tagger.tag("Er is kroosvorming in de singel.").theme_keys[0] == "openbare_ruimte"
    assert "openbare_ruimte" not in tagger.scores("Het was een mokroosje.")


# -- negation -----------------------------------------------------------------------------------
def test_an_absent_problem_steps_back_behind_the_real_one(tagger: Tagger) -> None:
    text = "Geen last meer van hangjongeren, maar de stoep ligt vol hondenpoep."
    result = tagger.tag(text)
    assert result.theme_keys == ("openbare_ruimte",)
    assert "veiligheid" in tagger.scores(text)  # still seen, weakly


@pytest.mark.parametrize(
    "text",
    [
        "Geen enkel probleem met inbraken hier, wel met de huur die steeds hoger wordt.",
        "We hebben geen overlast van de buren, alleen is de woning vochtig en zit er schimmel.",
        "Nooit last gehad van criminaliteit; het probleem is de schimmel in huis.",
    ],
)
def test_negated_problems_do_not_rank_first(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text).theme_keys[0] == "wonen"
    assert "veiligheid" not in tagger.tag(text).theme_keys


def test_a_text_only_about_an_absent_problem_keeps_its_theme(tagger: Tagger) -> None:
    assert tagger.tag("Er is geen overlast meer sinds de zomer.").theme_keys == ("veiligheid",)
    assert tagger.tag("Het is hier helemaal niet onveilig.").theme_keys == ("veiligheid",)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Mijn zoon heeft geen werk en zit de hele dag thuis.", "werk_inkomen"),
        ("Aan het eind van de maand is er geen geld voor eten.", "armoede_schulden"),
        ("Er is geen enkel bankje of speelplek in de straat.", "openbare_ruimte"),
    ],
)
def test_an_absent_resource_is_the_problem_itself(tagger: Tagger, text: str, theme: str) -> None:
    assert tagger.tag(text).theme_keys[0] == theme


# -- ranking and cut ----------------------------------------------------------------------------
def test_several_themes_ranked_and_a_passing_mention_cut(tagger: Tagger) -> None:
    both = tagger.tag("Door mijn schulden kan ik de huur niet meer betalen en nu dreigt de "
                      "verhuurder met ontruiming van de woning.")
    assert both.theme_keys[:2] == ("armoede_schulden", "wonen")
    text = "Ik heb al jaren schulden bij de deurwaarder, ik woon in een flat."
    assert tagger.tag(text).theme_keys == ("armoede_schulden",)
    assert "wonen" in tagger.scores(text)  # seen, but a passing mention


def test_the_problem_outweighs_the_setting(tagger: Tagger) -> None:
    text = "Bij de school wordt op het schoolplein gedeald, zeggen ouders."
    assert tagger.tag(text).theme_keys[0] == "veiligheid"


def test_at_most_max_themes_and_the_cut_is_relative(tagger: Tagger) -> None:
    text = ("Schulden, eenzaamheid, schimmel in de woning, zwerfafval, inbraken, geen werk, "
            "een hoge energierekening en te weinig huisartsen.")
    assert len(tagger.tag(text).theme_keys) == 3
    assert len(Tagger(max_themes=5, relative_cut=0.0).tag(text).theme_keys) == 5
    with pytest.raises(ValueError):
        Tagger(relative_cut=1.5)
    with pytest.raises(ValueError):
        Tagger(max_themes=0)
