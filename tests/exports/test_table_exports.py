"""Round trips of the table exports: a profile, a comparison table and an urgency matrix written
to CSV, XLSX and Parquet and read back with pandas give the same values, and one value per
table is checked against a hand computation from the raw file (csv module, no code under test).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from wijkbeeld.compare import CompareOptions, Comparison, Figures, compare_all, profile
from wijkbeeld.exports import (
    PROVENANCE_COLUMNS,
    ExportTable,
    comparison_table,
    matrix_table,
    profile_table,
    read_metadata,
    write_table,
)
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.urgency import RoundInfo, urgency_matrix

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
AREA = "BU0363AA01"


@cache
def _comparison(raw: Path) -> Comparison:
    figures = Figures.from_tables([read_figures(raw / KWB_2024)])
    return compare_all(figures, CompareOptions(), themes=False)


def _raw_row(raw: Path, code: str) -> dict[str, str]:
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["Area_Code"].strip() == code:
                return row
    raise AssertionError(code)


def _read_back(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig",
                           keep_default_na=True)
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name="gegevens", engine="openpyxl")
    return pd.read_parquet(path)


def _same_values(written: pd.DataFrame, back: pd.DataFrame, rtol: float = 0.0) -> None:
    """Column by column: numbers equal (NaN where NaN), text equal, nothing lost or added.
    ``rtol``: XLSX keeps 16 significant digits (Excel itself shows 15), CSV and Parquet all."""
    assert list(back.columns) == list(written.columns)
    assert len(back) == len(written)
    for col in written.columns:
        w, b = written[col], back[col]
        numeric = pd.api.types.is_numeric_dtype(w) and not pd.api.types.is_bool_dtype(w)
        if numeric:
            wv = pd.to_numeric(w, errors="coerce").astype("float64").to_numpy()
            bv = pd.to_numeric(b, errors="coerce").astype("float64").to_numpy()
            np.testing.assert_array_equal(np.isnan(wv), np.isnan(bv), err_msg=col)
            np.testing.assert_allclose(wv[~np.isnan(wv)], bv[~np.isnan(bv)], rtol=rtol, atol=0,
                                       err_msg=col)
        elif pd.api.types.is_bool_dtype(w):
            assert [bool(x) for x in w] == [str(x).lower() == "true" or x is True for x in b], col
        else:
            def text(x: object) -> str:
                return "" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x)

            assert [text(x) for x in w] == [text(x) for x in b], col


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_profile_round_trip(raw: Path, tmp_path: Path, fmt: str) -> None:
    result = profile(_comparison(raw), AREA, year=2024)
    table = profile_table(result)
    path = write_table(table, tmp_path / f"profiel.{fmt}")
    back = _read_back(path)
    _same_values(table.frame, back, rtol=1e-15 if fmt == "xlsx" else 0.0)
    # Hand computation from the raw file: the population of the buurt, and its source/year.
    row = back.set_index("indicator").loc["inwoners"]
    assert float(row["raw_value"]) == float(_raw_row(raw, AREA)["Population_Total"])
    assert str(row["bron"]).startswith("CBS")
    assert int(row["jaar"]) == 2024
    assert "hetzelfde niveau in de gemeente" in str(row["methode"])
    assert list(back.columns[-3:]) == list(PROVENANCE_COLUMNS)


def test_comparison_parquet_keeps_types_and_metadata(raw: Path, tmp_path: Path) -> None:
    comparison = _comparison(raw)
    table = comparison_table(comparison, name="amsterdam-2024")
    path = write_table(table, tmp_path / "tabel.parquet")
    back = pd.read_parquet(path)
    expected = table.frame.reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False, check_categorical=False)
    assert str(back["jaar"].dtype) == "Int64"
    facts = json.loads(pq.read_schema(path).metadata[b"wijkbeeld"])
    assert facts["soort"] == "vergelijking" and facts["rijen"] == str(len(expected))
    assert json.loads(facts["opties"])["reference"] == "municipality"
    # Hand computation: the share of 65+ in a buurt is its 65+ count over its population.
    raw_row = _raw_row(raw, AREA)
    own = back[(back["area_code"] == AREA) & (back["indicator"] == "leeftijd_65_plus")].iloc[0]
    share = float(raw_row["Pop_Age_65_Plus"]) / float(raw_row["Population_Total"])
    assert own["raw_value"] == float(raw_row["Pop_Age_65_Plus"])
    assert own["measure"] == "share_of_base"  # a count is compared as a percentage
    assert own["value"] == pytest.approx(100 * share, rel=1e-12)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_comparison_csv_and_xlsx_round_trip(raw: Path, tmp_path: Path, fmt: str) -> None:
    table = comparison_table(_comparison(raw))
    small = ExportTable(table.kind, table.frame[table.frame["area_code"].str.startswith(
        ("WK0363A", "BU0363A"))].reset_index(drop=True), table.metadata)
    path = write_table(small, tmp_path / f"tabel.{fmt}")
    _same_values(small.frame, _read_back(path), rtol=1e-15 if fmt == "xlsx" else 0.0)
    if fmt == "xlsx":
        facts = read_metadata(path)
        assert facts["soort"] == "vergelijking" and "bron" in facts and "methode" in facts
    else:
        head = path.read_bytes()[:3]
        assert head == b"\xef\xbb\xbf"  # Excel needs the BOM to read UTF-8


def _matrix_responses() -> pd.DataFrame:
    rows = []
    # residents 4, 5, 2, 4, 5, 1 → 4 of 6 urgent (4 or 5); professionals only 3 answers.
    for i, rating in enumerate([4, 5, 2, 4, 5, 1]):
        rows.append({"round": "r1", "area_code": "WK0363NP", "theme": "veiligheid",
                     "group": "residents", "rating": rating, "recognition": None,
                     "organisation_type": "", "respondent": f"res-{i}"})
    for i, rating in enumerate([5, 5, 4]):
        rows.append({"round": "r1", "area_code": "WK0363NP", "theme": "veiligheid",
                     "group": "professionals", "rating": rating, "recognition": None,
                     "organisation_type": "", "respondent": f"pro-{i}"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_urgency_matrix_round_trip_keeps_withheld_out(tmp_path: Path, fmt: str) -> None:
    matrix = urgency_matrix(_matrix_responses(), "WK0363NP",
                            [RoundInfo("r1", date(2024, 3, 1), "voorjaar")])
    table = matrix_table(matrix)
    path = write_table(table, tmp_path / f"matrix.{fmt}")
    back = _read_back(path)
    _same_values(table.frame, back, rtol=1e-15 if fmt == "xlsx" else 0.0)
    by_group = back.set_index("group")
    assert by_group.loc["residents", "share_urgent"] == pytest.approx(4 / 6)
    assert by_group.loc["residents", "mean"] == pytest.approx((4 + 5 + 2 + 4 + 5 + 1) / 6)
    # Three professional answers: below the threshold, so no mean or share in any format.
    assert pd.isna(by_group.loc["professionals", "mean"])
    assert pd.isna(by_group.loc["professionals", "share_urgent"])
    assert int(by_group.loc["residents", "jaar"]) == 2024
    assert "peiling voorjaar" in str(by_group.loc["residents", "bron"])


def test_bad_format_and_atomic_write(raw: Path, tmp_path: Path) -> None:
    table = profile_table(profile(_comparison(raw), AREA, year=2024))
    with pytest.raises(ValueError, match="unknown table format 'txt'"):
        write_table(table, tmp_path / "profiel.txt")
    assert list(tmp_path.iterdir()) == []
    broken = ExportTable(table.kind, table.frame.assign(raw_value=[object()] * len(table.frame)),
                         table.metadata)
    with pytest.raises(Exception):  # noqa: B017 - pyarrow cannot store a bare object
        write_table(broken, tmp_path / "profiel.parquet")
    assert list(tmp_path.iterdir()) == []  # no half-written file left behind
