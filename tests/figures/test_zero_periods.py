"""All-zero periods: a source that writes 0.0 for "not available" (catalogue ``[source]
all_zero_period = "missing"``, set for the ELAN wijkprofielen) gets a column that is exactly 0 for
every area in a period stored as missing, never as 0; other sources keep the zeros and warn.

The Den Haag expectations are computed here from the raw CSV with the csv module.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from wijkbeeld.figures.catalogue import AllZeroPeriod, CatalogueError, load_catalogue
from wijkbeeld.figures.readers import read_figures

META = {"WKC", "GMN", "Wijknaam", "YEAR"}


def test_den_haag_all_zero_years_are_stored_as_not_available(raw: Path) -> None:
    path = raw / "haaglanden-wijken-zorg" / "df_count_ver_3.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["WKC"].strip().endswith("--")]
    values: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        for col, text in r.items():
            if col not in META and text.strip():
                values.setdefault((col, r["YEAR"].strip()), []).append(float(text))
    zero = {k for k, vs in values.items() if len(vs) >= 5 and all(v == 0 for v in vs)}
    assert ("%_Employee", "2009") in zero and ("%_Welfare_benefit_user", "2010") in zero
    assert ("%_Employee", "2011") not in zero
    assert len(zero) == 73  # the count reported in docs/import.md

    frame = read_figures(path).frame
    assert len(frame) == len(rows) * (len(rows[0]) - len(META))
    got = {
        (str(a), str(c), str(p)): (str(s), float(v))
        for a, c, p, s, v in zip(frame["area_code"], frame["source_column"], frame["period"],
                                 frame["status"], frame["value"], strict=True)
    }
    n_blanked = 0
    for r in rows:
        for col, text in r.items():
            if col in META:
                continue
            status, value = got[(r["WKC"].strip(), col, r["YEAR"].strip())]
            if (col, r["YEAR"].strip()) in zero:
                assert status == "missing" and math.isnan(value), (r["WKC"], col, r["YEAR"])
                n_blanked += 1
            elif not text.strip():
                assert status == "missing" and math.isnan(value)
            else:
                assert (status, value) == ("ok", float(text)), (r["WKC"], col, r["YEAR"])
    assert n_blanked == sum(len(values[k]) for k in zero)
    # No cell of an all-zero year is stored as a 0 figure.
    in_zero = np.array([(c, p) in zero for c, p in zip(frame["source_column"], frame["period"],
                                                      strict=True)])
    assert not ((frame["status"] == "ok").to_numpy() & in_zero).any()
    # A single 0 in a year where other wijken have a value stays a real 0.
    assert ((frame["status"] == "ok") & (frame["value"] == 0)).any()


CATALOGUE = """
[source]
key = "proef"
name = "Proefbron"
{option}

[[indicator]]
key = "proef_aandeel"
name_nl = "Proefaandeel"
unit = "fraction"
aliases = ["Aandeel"]
"""


def _write_csv(path: Path, n_areas: int) -> None:
    """``Aandeel`` (the test source) is 0 for every wijk in 2020 and in 2021 for all but one;
    ``Population_Total`` (the CBS KWB source, no option) is 0 for every wijk in 2021."""
    lines = ["WKC;YEAR;Aandeel;Population_Total"]
    for i in range(n_areas):
        code = f"WK0363{i:02d}"
        lines.append(f"{code};2020;0.0;{100 + i}")
        lines.append(f"{code};2021;{0.25 if i == 0 else 0.0};0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read(tmp_path: Path, option: str, n_areas: int = 6) -> tuple[dict[tuple[str, str, str],
                                                                          tuple[str, float]],
                                                                     tuple[str, ...]]:
    extra = tmp_path / "proef.toml"
    extra.write_text(CATALOGUE.format(option=option), encoding="utf-8")
    data = tmp_path / "proef.csv"
    _write_csv(data, n_areas)
    table = read_figures(data, catalogue=load_catalogue([extra]))
    f = table.frame
    cells = {(str(a), str(c), str(p)): (str(s), float(v))
             for a, c, p, s, v in zip(f["area_code"], f["source_column"], f["period"],
                                      f["status"], f["value"], strict=True)}
    return cells, table.warnings


def _zero_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "is exactly 0 for every area" in w]


@pytest.mark.parametrize("option", ['all_zero_period = "missing"'])
def test_option_on_blanks_only_that_sources_all_zero_period(tmp_path: Path, option: str) -> None:
    cells, warnings = _read(tmp_path, option)
    for i in range(6):
        code = f"WK0363{i:02d}"
        status, value = cells[(code, "Aandeel", "2020")]
        assert status == "missing" and math.isnan(value)
        # 2021: one wijk has a figure, so the zeros of the others are real zeros.
        assert cells[(code, "Aandeel", "2021")] == ("ok", 0.25 if i == 0 else 0.0)
        # Population_Total belongs to the CBS source (no option): its all-zero 2021 is kept.
        assert cells[(code, "Population_Total", "2021")] == ("ok", 0.0)
    zero = _zero_warnings(warnings)
    assert len(zero) == 2
    (mine,) = [w for w in zero if "'Aandeel'" in w]
    assert mine == (f"{tmp_path / 'proef.csv'}: column 'Aandeel' is exactly 0 for every area (6) "
                    "in 2020: 'not available' written as 0; stored as not available (missing)")
    (cbs,) = [w for w in zero if "'Population_Total'" in w]
    assert cbs.endswith("in 2021: probably 'not available' written as 0; stored as 0")


@pytest.mark.parametrize("option", ["", 'all_zero_period = "warn"'])
def test_option_off_keeps_zeros_and_warns(tmp_path: Path, option: str) -> None:
    cells, warnings = _read(tmp_path, option)
    for i in range(6):
        assert cells[(f"WK0363{i:02d}", "Aandeel", "2020")] == ("ok", 0.0)
    (mine,) = [w for w in _zero_warnings(warnings) if "'Aandeel'" in w]
    assert mine.endswith("(6) in 2020: probably 'not available' written as 0; stored as 0")


def test_too_few_areas_are_left_alone(tmp_path: Path) -> None:
    cells, warnings = _read(tmp_path, 'all_zero_period = "missing"', n_areas=4)
    assert all(cells[(f"WK0363{i:02d}", "Aandeel", "2020")] == ("ok", 0.0) for i in range(4))
    assert _zero_warnings(warnings) == []


def test_bad_option_value_is_a_catalogue_error(tmp_path: Path) -> None:
    extra = tmp_path / "proef.toml"
    extra.write_text(CATALOGUE.format(option='all_zero_period = "zero"'), encoding="utf-8")
    with pytest.raises(CatalogueError, match="all_zero_period 'zero' is not one of"):
        load_catalogue([extra])


def test_bundled_catalogue_sets_the_option_for_elan_only() -> None:
    cat = load_catalogue()
    elan = cat.sources["elan_haaglanden"]
    assert cat.all_zero_period == {elan: AllZeroPeriod.MISSING}
    assert cat.zero_policy(cat["elan_werknemer"]) is AllZeroPeriod.MISSING
    assert cat.zero_policy(cat["inwoners"]) is AllZeroPeriod.WARN
