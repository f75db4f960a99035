"""Validation: range, sign, sentinel and duplicate errors; hierarchy and all-zero warnings.

The warnings are checked against sums and zeros computed in the test from the raw files.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.table import COLUMNS
from wijkbeeld.figures.validation import check_hierarchy, check_values, check_zero_columns

KWB = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_{}.csv"
SES = "amsterdam-ses-woa-2019/SES_WOA_scores_per_wijk_en_buurt_25042023_160857.csv"
COUNT_COLUMNS = {
    "Population_Total": "inwoners", "Pop_Age_0_15": "leeftijd_0_15",
    "Pop_Age_15_25": "leeftijd_15_25", "Pop_Age_25_45": "leeftijd_25_45",
    "Pop_Age_45_65": "leeftijd_45_65", "Pop_Age_65_Plus": "leeftijd_65_plus",
    "Higher_Education_Count": "opleiding_hoog",
}


def _frame(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """A tidy frame from (code, indicator, value, status) tuples, one file row each."""
    return pd.DataFrame(
        [
            {"area_code": c, "area_name": "", "indicator": k, "source_column": k.upper(),
             "period": "2024", "value": v, "status": s, "row": i}
            for i, (c, k, v, s) in enumerate(rows, start=2)
        ],
        columns=list(COLUMNS),
    )


def test_check_values_ranges_signs_sentinels_duplicates() -> None:
    cat = load_catalogue()
    frame = _frame(
        [
            ("GM0363", "huurwoningen_pct", 100.0, "ok"),  # edge: fine
            ("WK036300", "huurwoningen_pct", 100.5, "ok"),  # row 3: outside
            ("WK036301", "huurwoningen_pct", -0.1, "ok"),  # row 4: outside
            ("WK036302", "huurwoningen_pct", np.nan, "suppressed"),  # fine
            ("GM0363", "inwoners", -5.0, "ok"),  # row 6: negative count
            ("WK036300", "inwoners", -99999999.0, "ok"),  # row 7: sentinel, not "negative"
            ("WK036301", "ses_woa_score", -0.4, "ok"),  # fine: a score may be negative
            ("WK036301", "elan_bijstand", 1.2, "ok"),  # row 9: share above 1
            ("GM0363", "inwoners", 10.0, "ok"),  # row 10: duplicate of row 6
        ]
    )
    problems = check_values(frame, cat, "f.csv")
    found = {(p.row, p.column): p.message for p in problems}
    assert set(found) == {
        (3, "HUURWONINGEN_PCT"), (4, "HUURWONINGEN_PCT"), (6, "INWONERS"), (7, "INWONERS"),
        (9, "ELAN_BIJSTAND"), (10, "INWONERS"),
    }
    assert found[(3, "HUURWONINGEN_PCT")] == "percentage 100.5 outside 0 to 100"
    assert found[(6, "INWONERS")].startswith("negative value -5 ")
    assert found[(7, "INWONERS")].startswith("sentinel value -99999999 ")
    assert found[(9, "ELAN_BIJSTAND")] == "share 1.2 outside 0 to 1"
    assert "already given in row 6" in found[(10, "INWONERS")]
    assert all(p.file == "f.csv" for p in problems)


def _raw_sums(path: Path, sep: str, columns: dict[str, str], code_col: str) -> tuple[
    dict[tuple[str, str], float], dict[tuple[str, str], list[float]]
]:
    """(parent values, child values) per (code, indicator), straight from the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=sep))
    own: dict[tuple[str, str], float] = {}
    kids: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rows:
        code = r[code_col].strip()
        parent = "WK" + code[2:8] if code.startswith("BU") else (
            "GM" + code[2:6] if code.startswith("WK") else None
        )
        for col, key in columns.items():
            text = r[col].strip()
            if text in {"", "."}:
                continue
            value = float(text.replace(",", "."))
            own[(code, key)] = value
            if parent is not None:
                kids[(parent, key)].append(value)
    return own, kids


@pytest.mark.parametrize(
    ("year", "warned"),
    [(2020, {"WK036302", "WK036315"}), (2024, {"WK0363FJ", "WK0363KC"})],
)
def test_hierarchy_warnings_on_real_kwb(raw: Path, year: int, warned: set[str]) -> None:
    """Only the higher-education counts of two wijken warn, and the raw file confirms both: their
    buurten sum to more than 5% above the wijk. Everything else stays within rounding."""
    table = read_figures(raw / KWB.format(year))
    hier = [w for w in table.warnings if "sum to" in w]
    assert {w.split(" the areas in ")[1].split()[0] for w in hier} == warned
    assert all(": opleiding_hoog " in w for w in hier)
    own, kids = _raw_sums(raw / KWB.format(year), ";", COUNT_COLUMNS, "Area_Code")
    for (parent, key), values in kids.items():
        if (parent, key) not in own:
            continue
        total, parent_value = sum(values), own[(parent, key)]
        if key == "opleiding_hoog" and parent in warned:
            assert total > 1.05 * parent_value + 5 * (len(values) + 1)
        else:
            # KWB rounds buurt counts to 5 (10 for education): half a step per area at most.
            assert total <= 1.05 * parent_value + 5 * (len(values) + 1), (parent, key)


def test_hierarchy_allows_rounding_to_hundreds(raw: Path) -> None:
    """SES-WOA rounds households to hundreds: WK036336's buurten sum above the wijk itself,
    which rounding explains, so no warning."""
    own, kids = _raw_sums(
        raw / SES, ";", {"Particuliere huishoudens (Aantal)": "particuliere_huishoudens"},
        "Regiocode (gemeente, wijk, buurt) (code)",
    )
    key = ("WK036336", "particuliere_huishoudens")
    assert sum(kids[key]) > own[key]
    assert all(v % 100 == 0 for vs in kids.values() for v in vs)
    table = read_figures(raw / SES)
    assert not [w for w in table.warnings if "sum to" in w]


def test_hierarchy_warns_on_a_made_up_excess() -> None:
    cat = load_catalogue()
    frame = _frame(
        [("WK036300", "inwoners", 1000.0, "ok"), ("BU03630000", "inwoners", 900.0, "ok"),
         ("BU03630001", "inwoners", 301.0, "ok"), ("BU03630002", "inwoners", np.nan, "missing")]
    )
    warnings = check_hierarchy(frame, cat, "f.csv")
    assert warnings == [
        "f.csv: inwoners 2024: the areas in WK036300 sum to 1201, above WK036300's own 1000"
    ]
    # Children summing below the parent are fine (buurten may be missing).
    frame.loc[1, "value"] = 500.0
    assert check_hierarchy(frame, cat, "f.csv") == []


def test_zero_columns_on_den_haag(raw: Path) -> None:
    """Every (column, year) in which all wijken hold exactly 0 is warned about, and nothing else."""
    path = raw / "haaglanden-wijken-zorg" / "df_count_ver_3.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["WKC"].endswith("--")]
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rows:
        for col, text in r.items():
            if col not in {"WKC", "GMN", "Wijknaam", "YEAR"} and text.strip():
                values[(col, r["YEAR"])].append(float(text))
    expected: dict[str, list[str]] = defaultdict(list)
    for (col, year), vs in values.items():
        if len(vs) >= 5 and all(v == 0 for v in vs):
            expected[col].append(year)
    assert "%_Employee" in expected and "%_WMO_user" in expected
    # The ELAN catalogue stores those cells as missing: the import's own warnings say so.
    table = read_figures(path)
    got = [w for w in table.warnings if "is exactly 0 for every area" in w]
    assert len(got) == len(expected)
    assert all(w.endswith("stored as not available (missing)") for w in got)
    # With the option off (warn only) the zeros stay and check_zero_columns finds the same.
    warn_only = replace(load_catalogue(), all_zero_period={})
    kept = check_zero_columns(read_figures(path, catalogue=warn_only).frame, "x")
    assert len(kept) == len(expected) and all(w.endswith("stored as 0") for w in kept)
    for lines in (got, kept):
        for col, years in expected.items():
            line = next(w for w in lines if f"column {col!r} " in w)
            assert line.split(" in ")[1].split(":")[0] == ", ".join(sorted(years))


def test_zero_columns_needs_enough_areas() -> None:
    cat = load_catalogue()
    frame = _frame([(f"WK03630{i}", "inwoners", 0.0, "ok") for i in range(4)])
    assert check_zero_columns(frame, "f.csv") == []
    frame = _frame([(f"WK03630{i}", "inwoners", 0.0, "ok") for i in range(5)])
    assert len(check_zero_columns(frame, "f.csv")) == 1
    assert check_values(frame, cat, "f.csv") == []
