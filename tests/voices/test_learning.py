"""The learning theme model (issue 20, item 4): training, combining with the lexicon,
storage as bytes, cross-validation, and reading a municipality's labelled export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wijkbeeld.voices.evaluation_tags import LabelledSetError, LabelledText
from wijkbeeld.voices.learning import (
    DEFAULT_THRESHOLD,
    LEXICON,
    NotEnoughLabels,
    combine,
    cross_validate,
    dumps,
    evaluate_holdout,
    loads,
    train,
)
from wijkbeeld.voices.municipal_labels import read_category_mapping, read_municipal_export
from wijkbeeld.voices.tagging import Tagger, TagResult, ThemeSuggestion, Tone

TEXTS = {
    "openbare_ruimte": ["Overal zwerfafval en volle containers.", "Het gras wordt nooit gemaaid.",
                        "Kapotte stoeptegels en geen bankjes in het park.",
                        "De lantaarnpalen doen het niet.", "Hondenpoep op het speelveld."],
    "veiligheid": ["Jongeren maken 's nachts lawaai.", "Er wordt gedeald in het portiek.",
                   "Weer een inbraak in de flat.", "Ik voel me niet veilig op straat.",
                   "Overlast van dronken mannen bij de supermarkt."],
    "sociale_samenhang": ["Veel ouderen zijn eenzaam.", "Het straatfeest bracht buren samen.",
                          "Niemand kent elkaar meer in de flat.", "Vrijwilligers in het buurthuis.",
                          "De buren helpen elkaar met boodschappen."],
}


def _labels() -> list[LabelledText]:
    return [LabelledText(f"{k}{i}", t, (k,)) for k, ts in TEXTS.items() for i, t in enumerate(ts)]


def _lexicon(*themes: tuple[str, float]) -> TagResult:
    return TagResult(tuple(ThemeSuggestion(t, c, ()) for t, c in themes), Tone.NEUTRAAL,
                     0.0, 0.0, 0.5)


def test_training_is_deterministic_and_versioned() -> None:
    a, b = train(_labels()), train(list(reversed(_labels())))
    assert a.version == b.version and a.version.startswith("m") and len(a.version) == 16
    assert a.n_labels == 15 and a.n_texts == 15 and not a.calibrated and a.seed == 0
    assert set(a.classes) == set(TEXTS)
    assert train(_labels(), seed=1).version != a.version
    assert train(_labels()[:-1]).version != a.version
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.version = "x"  # type: ignore[misc]
    probs = a.predict("Er ligt zwerfafval naast de containers.")
    assert next(iter(probs)) == "openbare_ruimte" and abs(sum(probs.values()) - 1) < 1e-6


def test_multi_theme_label_counts_once_per_theme() -> None:
    labels = [*_labels(), LabelledText("x", "Eenzame ouderen durven niet over straat.",
                                       ("sociale_samenhang", "veiligheid"))]
    assert train(labels).n_labels == 17


def test_too_few_labels_falls_back() -> None:
    with pytest.raises(NotEnoughLabels, match="lexicon"):
        train(_labels()[:3])
    with pytest.raises(NotEnoughLabels):
        train([LabelledText(str(i), f"tekst {i}", ("wonen",)) for i in range(10)])


def test_calibrated_with_enough_labels() -> None:
    labels = [LabelledText(f"{k}{i}{j}", f"{t} ({j})", (k,))
              for k, ts in TEXTS.items() for i, t in enumerate(ts) for j in range(8)]
    model = train(labels)
    assert model.calibrated and model.n_labels == 120
    assert next(iter(model.predict("Hondenpoep en zwerfafval"))) == "openbare_ruimte"


def test_roundtrip_bytes() -> None:
    model = train(_labels())
    again = loads(dumps(model))
    assert again == model and again.predict("lawaai") == model.predict("lawaai")
    with pytest.raises(TypeError):
        loads(b"\x80\x05K\x01.")  # a pickled int, not a model


def test_combine_rules() -> None:
    lexicon = _lexicon(("veiligheid", 0.8), ("wonen", 0.6))
    assert combine(lexicon, None) == combine(lexicon, {})
    assert [(c.theme, c.made_by) for c in combine(lexicon, None)] == [
        ("veiligheid", LEXICON), ("wonen", LEXICON)]
    unsure = {"openbare_ruimte": DEFAULT_THRESHOLD - 0.01, "veiligheid": 0.3}
    assert [c.theme for c in combine(lexicon, unsure, model_version="m1")] == [
        "veiligheid", "wonen"]
    sure = {"openbare_ruimte": 0.7, "veiligheid": 0.2, "wonen": 0.05}
    got = combine(lexicon, sure, model_version="m1")
    assert [(c.theme, c.made_by, c.confidence) for c in got] == [
        ("openbare_ruimte", "m1", 0.7), ("veiligheid", LEXICON, 0.8)]
    # the model agrees with the lexicon: one theme, made by the model
    agree = combine(_lexicon(("veiligheid", 0.6)), {"veiligheid": 0.9}, model_version="m1")
    assert [(c.theme, c.made_by) for c in agree] == [("veiligheid", "m1")]
    # the model adds a theme where the lexicon found none
    assert [c.theme for c in combine(_lexicon(), sure, model_version="m1")] == [
        "openbare_ruimte"]


def test_cross_validation_reports_model_and_baselines() -> None:
    result = cross_validate(_labels(), folds=5, tagger=Tagger())
    assert result.folds == 5 and result.texts == 15
    assert [m.name for m in result.methods] == ["combined", "model", "lexicon", "majority"]
    assert 0.0 <= result.model.first_theme_macro <= 1.0
    assert result.majority.themes_per_text == 1.0
    few = cross_validate(_labels()[:3] + _labels()[5:8] + _labels()[10:13], folds=5)
    assert few.folds == 3 and few.texts == 9
    with pytest.raises(NotEnoughLabels):
        cross_validate(_labels()[:1] + _labels()[5:6], folds=5)
    holdout = evaluate_holdout(_labels()[::2], _labels()[1::2])
    assert holdout.folds == 1 and holdout.texts == 7


# -- a municipality's export ---------------------------------------------------------------------
def test_export_with_csv_mapping(tmp_path: Path) -> None:
    export = tmp_path / "meldingen.csv"
    export.write_bytes("id;Omschrijving;Hoofdcategorie\n1;Afval naast de container;Afval\n"
                       "2;Jongeren maken herrie;Overlast\n3;Vraag over WOZ;Overig\n"
                       "4;;Afval\n5;Café geluid;Overlast;\n".encode("cp1252"))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("categorie,thema\nAfval,openbare_ruimte\nOverlast,veiligheid\nOverig,\n",
                       encoding="utf-8")
    texts = read_municipal_export(export, read_category_mapping(mapping))
    assert [(t.text, t.themes) for t in texts] == [
        ("Afval naast de container", ("openbare_ruimte",)),
        ("Jongeren maken herrie", ("veiligheid",)), ("Café geluid", ("veiligheid",))]
    assert texts[0].id == "meldingen.csv:2"


def test_export_with_toml_mapping(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("melding_tekst,soort_melding\n\"Boom omgewaaid, straat dicht\",Groen\n",
                      encoding="utf-8-sig")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\ntext = "melding_tekst"\ncategory = "soort_melding"\n'
                       '[categories]\n"Groen" = ["openbare_ruimte", "veiligheid"]\n',
                       encoding="utf-8")
    texts = read_municipal_export(export, read_category_mapping(mapping))
    assert texts[0].themes == ("openbare_ruimte", "veiligheid")


@pytest.mark.parametrize(("export", "mapping", "message"), [
    ("tekst,categorie\na,Afval\nb,Parkeren\n", "category,theme\nAfval,openbare_ruimte\n",
     "export.csv, rij 3, kolom 'categorie': categorie 'Parkeren' staat niet in de mapping"),
    ("tekst,categorie\na,Afval\n", "category,theme\nAfval,groenvoorziening\n",
     "mapping.csv, rij 2, kolom 'theme': onbekend thema groenvoorziening"),
    ("tekst,categorie\na,Afval\n", "category,theme\nAfval,wonen\nAfval,wonen\n",
     "mapping.csv, rij 3, kolom 'category': categorie 'Afval' staat er twee keer in"),
    ("naam,categorie\na,Afval\n", "category,theme\nAfval,wonen\n",
     "export.csv: geen kolom voor de tekst"),
    ("tekst,categorie\na,Afval\n", "cat,thema\nAfval,wonen\n",
     "mapping.csv: kolom 'category' en kolom 'theme' zijn nodig"),
])
def test_export_errors_name_file_row_column(tmp_path: Path, export: str, mapping: str,
                                            message: str) -> None:
    (tmp_path / "export.csv").write_text(export, encoding="utf-8")
    (tmp_path / "mapping.csv").write_text(mapping, encoding="utf-8")
    with pytest.raises(LabelledSetError) as info:
        read_municipal_export(tmp_path / "export.csv",
                              read_category_mapping(tmp_path / "mapping.csv"))
    assert message in str(info.value)


def test_toml_mapping_errors(tmp_path: Path) -> None:
    bad = tmp_path / "m.toml"
    bad.write_text("[categories]\nAfval = 3\n", encoding="utf-8")
    with pytest.raises(LabelledSetError, match=r"m.toml, \[categories\] 'Afval'"):
        read_category_mapping(bad)
    bad.write_text("x = [", encoding="utf-8")
    with pytest.raises(LabelledSetError, match="geen geldige TOML"):
        read_category_mapping(bad)
    with pytest.raises(LabelledSetError, match="kan het bestand niet lezen"):
        read_category_mapping(tmp_path / "missing.csv")


def test_evaluate_command_with_learning(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    from wijkbeeld.cli import main

    labelled = tmp_path / "set.csv"
    rows = "".join(f'"{t}",{k}\n' for k, ts in TEXTS.items() for t in ts)
    labelled.write_text("text,themes\n" + rows, encoding="utf-8")
    assert main(["voices", "evaluate", "--file", str(labelled), "--learn", "--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "3-voudige kruisvalidatie" in out and "lexicon + model" in out
    assert "altijd het meest voorkomende" in out
    export = tmp_path / "export.csv"
    export.write_text("tekst;categorie\n" + "".join(
        f'"{t}";{k.upper()}\n' for k, ts in TEXTS.items() for t in ts), encoding="utf-8")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("category,theme\n" + "".join(f"{k.upper()},{k}\n" for k in TEXTS),
                       encoding="utf-8")
    assert main(["voices", "evaluate", "--file", str(export), "--mapping", str(mapping),
                 "--folds", "2", "--json"]) == 0
    assert '"folds": 2' in capsys.readouterr().out
    assert main(["voices", "evaluate", "--file", str(export), "--mapping",
                 str(tmp_path / "none.csv")]) == 2
    assert "kan het bestand niet lezen" in capsys.readouterr().err
