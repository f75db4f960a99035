"""Theme and tone tagging: evaluation on labelled Dutch statements, negation, lexicon overrides.

``data/labelled_themes.csv`` (299 statements) is the development set: the lexicon before issue
20 was written and tuned while looking at it. ``data/labelled_themes_fresh.csv`` (50 statements)
was written afterwards and never used for tuning; its figures show how the lexicon generalises.

Since issue 20 (item 3) the lexicon is written from the theme definitions, and the tagger cuts
secondary themes that are only mentioned in passing. On the development set that costs recall of
secondary themes (this set labels them generously: every "jongeren" is also youth), so its
per-theme floor is 0.6 where it was 0.7 (macro F1 0.88 before, 0.81 now); on the fresh set macro
F1 rose from 0.70 to 0.79, and its floor from 0.6 to 0.75. The acceptance figures of the tagger
are measured on the frozen held-out set, ``test_tagging_eval.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from voices_tagging_eval import evaluate, labelled

from wijkbeeld.voices import THEME_KEYS, LexiconError, Tagger, Tone, load_lexicon, tag


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def test_labelled_sets_are_large_and_use_the_design_keys() -> None:
    rows = labelled("labelled_themes.csv")
    fresh = labelled("labelled_themes_fresh.csv")
    assert len(rows) >= 200 and len(fresh) >= 50
    for row in rows + fresh:
        assert {t for t in row["themes"].split(";") if t} <= set(THEME_KEYS), row
        assert row["tone"] in ("zorg", "kracht", "neutraal"), row
    for key in THEME_KEYS:  # several statements per theme, some multi-theme, some none
        assert sum(key in r["themes"] for r in rows) >= 15, key
    assert sum(";" in r["themes"] for r in rows) >= 50
    assert sum(not r["themes"] for r in rows) >= 10


def test_theme_precision_and_recall_on_the_development_set(tagger: Tagger) -> None:
    scores = evaluate(tagger, labelled("labelled_themes.csv"))
    print(f"\nmacro F1 {scores.macro_f1:.3f}, tone accuracy {scores.tone_accuracy:.3f}")
    for key, (p, r, f) in scores.per_theme.items():
        print(f"  {key:22} P {p:.2f} R {r:.2f} F1 {f:.2f}")
        assert f >= 0.6, key
    assert scores.macro_f1 >= 0.8
    assert scores.tone_accuracy >= 0.75


def test_theme_tagging_generalises_to_unseen_statements(tagger: Tagger) -> None:
    scores = evaluate(tagger, labelled("labelled_themes_fresh.csv"))
    print(f"\nfresh set: macro F1 {scores.macro_f1:.3f}, tone accuracy {scores.tone_accuracy:.3f}")
    assert scores.macro_f1 >= 0.75
    assert scores.tone_accuracy >= 0.5


def test_result_shape_and_confidence(tagger: Tagger) -> None:
    result = tagger.tag("Er is veel drugsoverlast en de huur is niet meer te betalen.")
    assert set(result.theme_keys) >= {"veiligheid", "armoede_schulden"}
    confidences = [s.confidence for s in result.themes]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 < c <= 1.0 for c in confidences)
    assert all(s.confidence >= result.min_confidence for s in result.themes)
    assert "overlast" in next(s for s in result.themes if s.theme == "veiligheid").terms
    data = result.to_dict()
    assert set(data) == {"themes", "tone"}
    assert data["themes"][0] == {"theme": result.themes[0].theme,
                                 "confidence": result.themes[0].confidence}
    empty = tag("")
    assert empty.to_dict() == {"themes": [], "tone": "neutraal"}


def test_more_evidence_gives_more_confidence(tagger: Tagger) -> None:
    one = tagger.scores("Er is overlast.")["veiligheid"].confidence
    two = tagger.scores("Er is overlast en er wordt ingebroken.")["veiligheid"].confidence
    three = tagger.scores("Overlast, inbraken en geweld: de politie doet niets.")["veiligheid"]
    assert 0.5 < one < two < three.confidence < 1.0


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Ik voel me hier veilig.", Tone.KRACHT),
        ("Ik voel me hier niet veilig.", Tone.ZORG),
        ("Er is veel overlast.", Tone.ZORG),
        ("Er is geen overlast meer.", Tone.KRACHT),
        ("Ik ben niet bang in het donker.", Tone.KRACHT),
        ("De vergadering is op donderdag.", Tone.NEUTRAAL),
        ("Er is nooit vandalisme geweest.", Tone.KRACHT),
        ("Het park is prachtig opgeknapt.", Tone.KRACHT),
    ],
)
def test_tone_with_negation(tagger: Tagger, text: str, tone: Tone) -> None:
    assert tagger.tag(text).tone is tone


def test_lemmas_match_inflected_words(tmp_path: Path) -> None:
    lexicon_file = tmp_path / "eigen.toml"
    lexicon_file.write_text('[themes.wonen]\nlabel = "Wonen"\nwords = ["huis"]\n', encoding="utf-8")
    tagger = Tagger(load_lexicon([lexicon_file], defaults=False))
    assert tagger.tag("De huizen zijn oud.").theme_keys == ("wonen",)
    assert tagger.tag("Het huis is oud.").theme_keys == ("wonen",)
    assert tagger.tag("De straat is oud.").theme_keys == ()


def test_municipality_lexicon_extends_replaces_removes_and_adds(tmp_path: Path) -> None:
    text = "Het kroos in de krabbenscheer."
    assert Tagger().scores(text) == {}
    override = tmp_path / "gemeente.toml"
    override.write_text(
        "[themes.openbare_ruimte]\n"
        'parts = ["kroos", "krabbenscheer"]\n'
        "[themes.veiligheid]\n"
        "replace = true\n"
        'words = ["ondermijning"]\n'
        "[themes.wonen]\n"
        'remove = ["woning", "huur"]\n'
        "[themes.cultuur]\n"
        'label = "Cultuur"\n'
        'words = ["theater", "museum"]\n'
        "[tone.kracht]\n"
        'words = ["krabbenscheer"]\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon([override])
    assert lexicon.sources[-1] == str(override)
    assert lexicon.theme_keys[-1] == "cultuur" and lexicon.themes["cultuur"].label == "Cultuur"
    tagger = Tagger(lexicon)
    assert "openbare_ruimte" in tagger.tag(text).theme_keys
    assert dict(lexicon.themes["veiligheid"].terms.words) == {"ondermijning": 1.0}
    assert "overlast" not in lexicon.themes["veiligheid"].terms.parts
    assert "woning" not in lexicon.themes["wonen"].terms.parts
    assert "huur" not in lexicon.themes["wonen"].terms.words
    assert tagger.tag("Naar het theater en het museum.").theme_keys == ("cultuur",)
    # the default lexicon is untouched by an override
    assert "overlast" in load_lexicon().themes["veiligheid"].terms.words


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[themes.wonen\n", "not valid TOML"),
        ('[themes.wonen]\nwoorden = ["huis"]\n', "unknown key(s) woorden"),
        ("[themes.wonen]\nwords = 3\n", "'words' must be a list of strings"),
        ('[themes.wonen]\nparts = ["hu"]\n', "shorter than 3 letters"),
        ('[themes.Wonen]\nwords = ["huis"]\n', "theme key must be lower_case"),
        ('[tone.boos]\nwords = ["huis"]\n', "expected tone.zorg"),
        ("[tone.negation]\nwindow = 20\n", "'window' must be 1..10"),
        ('[thema.wonen]\nwords = ["huis"]\n', "unknown table"),
    ],
)
def test_broken_lexicon_files_are_rejected_with_file_and_table(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "kapot.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([path])
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon([tmp_path / "bestaat-niet.toml"])


def test_tagger_parameters_are_checked() -> None:
    with pytest.raises(ValueError):
        Tagger(min_confidence=1.5)
    with pytest.raises(ValueError):
        Tagger(scale=0)
