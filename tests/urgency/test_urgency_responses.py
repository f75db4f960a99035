"""The input contract: canonical values, and bad answers refused with row and column — from a
frame and from a survey tool's CSV export (Dutch headers, ``;``)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from urgency_support import AREA, ROUNDS, answers, frame

from wijkbeeld.figures.errors import DataError
from wijkbeeld.urgency import (
    RESPONSE_COLUMNS,
    read_responses_csv,
    urgency_matrix,
    validate_responses,
)

R1 = ROUNDS[0].key


def test_canonical_values() -> None:
    raw = pd.DataFrame({
        "Ronde": [R1, R1, R1], "Gebied": [" wk0363np ", AREA, AREA],
        "Thema": ["Veiligheid", "veiligheid", "wonen"],
        "Groep": ["bewoners", "Professional", "beleid"],
        "Urgentie": ["4", "weet niet", 5.0], "Herkenning": ["Ja", None, "gedeeltelijk"],
        "Opmerking": ["ignored", "", ""],
    })
    r = validate_responses(raw)
    assert tuple(r.frame.columns) == RESPONSE_COLUMNS
    assert r.frame["area_code"].tolist() == [AREA] * 3
    assert r.frame["theme"].tolist() == ["veiligheid", "veiligheid", "wonen"]
    assert r.frame["group"].tolist() == ["residents", "professionals", "policy"]
    ratings = r.frame["rating"].tolist()
    assert ratings[0] == 4.0 and math.isnan(ratings[1]) and ratings[2] == 5.0
    assert r.frame["recognition"].tolist() == ["ja", None, "deels"]
    assert r.rounds == (R1,)


def test_every_bad_cell_is_named() -> None:
    rows = frame(answers(R1, "veiligheid", "residents", [4, 5, 3]))
    rows.loc[0, "rating"] = 6
    rows.loc[1, "group"] = "bewonerz"
    rows.loc[2, "recognition"] = "misschien"
    rows.loc[2, "area_code"] = "WK03"
    with pytest.raises(DataError) as err:
        validate_responses(rows, source="peiling.csv")
    found = [(p.file, p.row, p.column) for p in err.value.problems]
    assert found == [("peiling.csv", 2, "rating"), ("peiling.csv", 3, "group"),
                     ("peiling.csv", 4, "area_code"), ("peiling.csv", 4, "recognition")]
    assert "rating 6 is not a whole number 1..5" in str(err.value)


@pytest.mark.parametrize("value", [0, 3.5, "3,5", "hoog", True])
def test_ratings_outside_the_scale_are_refused(value: object) -> None:
    rows = frame(answers(R1, "wonen", "policy", [4]))
    rows["rating"] = rows["rating"].astype(object)
    rows.loc[0, "rating"] = value
    with pytest.raises(DataError, match="row 2, column 'rating'"):
        validate_responses(rows)


def test_one_answer_per_respondent_and_one_group_per_round() -> None:
    rows = frame(answers(R1, "wonen", "residents", [4, 5]))
    rows.loc[1, "respondent"] = rows.loc[0, "respondent"]
    with pytest.raises(DataError, match="answered theme 'wonen' for WK0363NP twice"):
        validate_responses(rows)
    other = frame(answers(R1, "wonen", "residents", [4]), answers(R1, "veiligheid", "policy", [3]))
    other.loc[1, "respondent"] = other.loc[0, "respondent"]
    with pytest.raises(DataError, match="in group 'policy' here but in 'residents' at row 2"):
        validate_responses(other)


def test_missing_columns_and_unknown_themes() -> None:
    with pytest.raises(DataError, match="column 'rating': required column missing"):
        validate_responses(pd.DataFrame({"round": [R1], "area_code": [AREA], "theme": ["wonen"],
                                         "group": ["policy"]}))
    rows = frame(answers(R1, "wijkfeest", "policy", [4]))
    with pytest.raises(DataError, match="unknown theme 'wijkfeest'"):
        validate_responses(rows, themes=["wonen", "veiligheid"])


def test_csv_export_of_another_survey_tool(tmp_path: Path) -> None:
    lines = ["ronde;gebied;thema;groep;organisatie;urgentie;herkenning;respondent"]
    ratings = {"residents": [4, 5, 4, 5, 4], "professionals": [2, 2, 3, 1, 2],
               "policy": [4, 4, 5, 4, 5]}
    for group, values in ratings.items():
        for i, v in enumerate(values):
            lines.append(f"{R1};{AREA};wonen;{group};;{v};ja;{group}{i}")
    lines.append(f"{R1};{AREA};wonen;residents;;weet niet;;residents9")
    path = tmp_path / "export.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    r = read_responses_csv(path)
    assert r.source == "export.csv" and len(r) == 16
    m = urgency_matrix(r, AREA, ROUNDS)
    res = m.cell("wonen", "residents")
    assert res is not None and (res.n, res.n_dont_know, res.share_urgent) == (5, 1, 1.0)
    assert m.row("wonen").classification.key == "verdeeld"

    lines[3] = lines[3].replace(";4;ja;", ";9;ja;")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"export.csv, row 4, column 'urgentie'"):
        read_responses_csv(path)
    (tmp_path / "latin.csv").write_bytes("ronde;gebied\n\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_responses_csv(tmp_path / "latin.csv")
