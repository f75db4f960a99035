"""``wijkbeeld voices evaluate``: theme tagging on a labelled CSV against the two baselines, in
plain Dutch with percentages, or as JSON; bad files exit with status 2 and name file and row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wijkbeeld.cli import main

EVAL_SET = Path(__file__).resolve().parents[1] / "voices" / "eval" / "tagging_eval.csv"

ROWS = [
    ("1", "Er wordt gedeald bij de flat en ingebroken in de schuurtjes.", "veiligheid", "train"),
    ("2", "Overal zwerfafval en hondenpoep op de stoep.", "openbare_ruimte", "train"),
    ("3", "Veel overlast van hangjongeren bij het winkelcentrum.", "veiligheid", "train"),
    ("4", "De schulden stapelen zich op, de deurwaarder staat voor de deur.",
     "armoede_schulden", "test"),
    ("5", "Er is geen overlast meer, maar de woning is vochtig en vol schimmel.",
     "wonen", "test"),
    ("6", "Er zit hier muziek in, de buurt leeft!", "sociale_samenhang", "test"),
]


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "meldingen.csv"
    lines = ["id,text,themes,split"] + [f'{i},"{t}",{th},{s}' for i, t, th, s in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evaluate_prints_the_figures_against_the_baselines_in_dutch(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["voices", "evaluate", "--file", str(labelled), "--split", "test"]) == 0
    out = capsys.readouterr().out
    assert "Thema's voorstellen: 3 teksten uit" in out and "split test" in out
    assert "altijd veiligheid" in out  # the majority theme of the train split
    assert "oude lexicon" in out
    lines: dict[str, str] = {}
    for line in out.splitlines():  # the first line of each label: the figures, not the legend
        lines.setdefault(line.split(":")[0], line)
    assert lines["Eerste thema goed"].split()[3:5] == ["67", "%"]  # 2 of 3 themes right
    for label in ("Voorgestelde thema's juist", "Thema's gevonden", "Thema's per tekst"):
        assert label in lines
    assert "Armoede en schulden" in out and "Per thema" in out
    assert "0." not in lines["Thema's per tekst"]  # Dutch decimal comma


def test_evaluate_as_json_and_on_every_text(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["voices", "evaluate", "--file", str(labelled), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["texts"] == 6 and data["split"] is None
    assert data["majority_from"] == "train"  # the file has a train split: learnt from it
    assert [b["name"] for b in data["baselines"]] == ["majority", "legacy"]
    assert 0.0 <= data["tagger"]["precision"] <= 1.0
    assert len(data["tagger"]["per_theme"]) == 9


def test_evaluate_runs_on_the_frozen_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "evaluate", "--file", str(EVAL_SET), "--split", "train"]) == 0
    assert "Thema's voorstellen: 265 teksten" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,text,themes\n1,Tekst,cultuur\n", "rij 2, kolom 'themes': onbekend thema cultuur"),
        ("id,tekst\n1,Tekst\n", "'text', 'themes' ontbreekt"),
    ],
)
def test_a_bad_file_exits_2_naming_file_and_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "fout.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["voices", "evaluate", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and str(path) in err and message in err


def test_an_unknown_split_exits_2(labelled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "evaluate", "--file", str(labelled), "--split", "dev"]) == 2
    assert "geen teksten in split 'dev'" in capsys.readouterr().err
