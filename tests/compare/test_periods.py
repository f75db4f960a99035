"""``compare_by_period`` gives exactly the rows of one ``compare_all`` over every period.

Real files: the Amsterdam KWB 2020 and 2024 tables (two periods, buurten and wijken) and the Den
Haag wijk series (2009-2022, fourteen periods). For every reference kind the per-period results,
theme scores (with ranks and stability draws) and strengths, stacked, equal the all-at-once
comparison; one z-score is also recomputed by hand from the raw CSV.
"""

from __future__ import annotations

import pickle
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from compare_support import city_z

from wijkbeeld.compare import CompareOptions, Figures, compare_all, compare_by_period
from wijkbeeld.figures.readers import read_figures

KWB = "amsterdam-kwb-2020-2024"


@cache
def amsterdam(raw: Path) -> Figures:
    return Figures.from_tables([
        read_figures(raw / KWB / f"Kerncijfers_wijken_en_buurten_{year}.csv")
        for year in (2020, 2024)
    ])


@cache
def den_haag(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(raw / "haaglanden-wijken-zorg" /
                                             "df_count_ver_3.csv")])


def _plain(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Categoricals as texts, rows in key order: frames from different slices compare equal."""
    out = frame.astype({c: str for c in frame.columns if frame[c].dtype == "category"})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("reference", ["municipality", "nl", "parent", "peers"])
@pytest.mark.parametrize("data", ["amsterdam", "den_haag"])
def test_per_period_equals_all_at_once(raw: Path, data: str, reference: str) -> None:
    figures = amsterdam(raw) if data == "amsterdam" else den_haag(raw)
    options = CompareOptions(reference=reference)  # type: ignore[arg-type]
    whole = compare_all(figures, options)
    parts = list(compare_by_period(figures, options))
    periods = [str(p.figures.frame["period"].iloc[0]) for p in parts]
    assert periods == sorted(figures.periods)
    assert all(p.figures.frame["period"].nunique() == 1 for p in parts)

    for name, keys in (("results", ["area_code", "indicator", "period"]),
                       ("themes", ["slice", "area_code", "theme"]),
                       ("highlights", ["slice", "area_code", "kind", "indicator"])):
        stacked = pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        expected = getattr(whole, name)
        assert len(stacked) == len(expected), name
        if name == "results":
            assert len(stacked) > 0
        pd.testing.assert_frame_equal(_plain(stacked, keys), _plain(expected, keys),
                                      check_dtype=False, obj=name)


def test_a_period_z_by_hand(raw: Path) -> None:
    parts = {str(p.figures.frame["period"].iloc[0]): p
             for p in compare_by_period(amsterdam(raw))}
    results = parts["2024"].results
    expected = city_z(raw, 2024, "Pct_Owner_Occupied", weighted=False)
    code = sorted(expected)[3]
    row = results[(results["area_code"] == code) & (results["indicator"] == "koopwoningen_pct")]
    assert row["z"].tolist() == pytest.approx([expected[code]], rel=1e-12)


def test_a_period_comparison_survives_pickling(raw: Path) -> None:
    """Worker processes send comparisons back pickled (``web.figures.national``)."""
    first = next(compare_by_period(amsterdam(raw)))
    back = pickle.loads(pickle.dumps(first))
    assert dict(back.figures.indicators) == dict(first.figures.indicators)
    pd.testing.assert_frame_equal(back.results, first.results)
    pd.testing.assert_frame_equal(back.figures.frame, first.figures.frame)
