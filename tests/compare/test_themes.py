"""Theme scores, coverage, flags, strengths, ranking stability, and migration background never
counting, recomputed by hand from the raw files."""

from __future__ import annotations

import dataclasses
import math
import zlib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from compare_support import KWB_THEMED, city_percentile, city_z, haaglanden_rows

from wijkbeeld.compare import CompareOptions, Comparison, Figures, compare_all, profile
from wijkbeeld.figures.catalogue import Polarity
from wijkbeeld.figures.readers import read_figures


@cache
def kwb_figures(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(
        raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv")])


@cache
def kwb(raw: Path, **kw: object) -> Comparison:
    return compare_all(kwb_figures(raw), CompareOptions(**kw))  # type: ignore[arg-type]


def theme_row(c: Comparison, code: str, theme: str) -> pd.Series:
    t = c.themes
    hit = t[(t["area_code"] == code) & (t["theme"] == theme)]
    assert len(hit) == 1
    return hit.iloc[0]


def signed(raw: Path, code: str, theme: str) -> dict[str, float]:
    """Hand-computed polarity-signed z of the area's indicators in ``theme``."""
    out: dict[str, float] = {}
    for column, (key, th, sign, weighted) in KWB_THEMED.items():
        if th != theme:
            continue
        z = city_z(raw, 2024, column, weighted)
        if code in z:
            out[key] = sign * z[code]
    return out


@pytest.mark.parametrize("code", ["BU0363AA01", "BU0363EN04", "BU0363TH02"])
def test_theme_score_is_the_mean_of_signed_z(raw: Path, code: str) -> None:
    c = kwb(raw)
    for theme in ("werk_inkomen", "armoede_schulden", "wonen"):
        s = signed(raw, code, theme)
        t = theme_row(c, code, theme)
        assert t["n_available"] == len(s)
        assert t["n_total"] == {"werk_inkomen": 5, "armoede_schulden": 2, "wonen": 1}[theme]
        assert sorted(t["indicators"]) == sorted(s)
        assert t["score"] == pytest.approx(sum(s.values()) / len(s), rel=1e-9, abs=1e-12)


def test_configured_weights(raw: Path) -> None:
    s = signed(raw, "BU0363AA01", "werk_inkomen")
    weights = {"inkomen_laagste_40_pct": 3.0, "inkomen_per_ontvanger": 0.5}
    expected = sum(weights.get(k, 1.0) * v for k, v in s.items()) / sum(
        weights.get(k, 1.0) for k in s)
    c = compare_all(kwb_figures(raw), CompareOptions(weights=weights))
    t = theme_row(c, "BU0363AA01", "werk_inkomen")
    assert t["score"] == pytest.approx(expected, rel=1e-9)


def test_missing_income_reduces_coverage_and_says_why(raw: Path) -> None:
    c = kwb(raw)
    # BU0363FA03 (115 inhabitants) has the two income percentages but no income amounts.
    t = theme_row(c, "BU0363FA03", "werk_inkomen")
    assert (t["n_available"], t["n_total"], t["coverage"]) == (2, 5, 0.4)
    assert t["indicators"] == ["inkomen_hoogste_20_pct", "inkomen_laagste_40_pct"]
    assert sorted(t["unavailable"]) == ["inkomen_huishouden_gestandaardiseerd",
                                        "inkomen_per_inwoner", "inkomen_per_ontvanger"]
    assert math.isnan(t["score"])
    assert t["withheld_reason"] == "te weinig indicatoren beschikbaar (2 van 5; minimaal 50%)"
    # With no coverage threshold the score is the mean of the two available signed z.
    s = signed(raw, "BU0363FA03", "werk_inkomen")
    assert sorted(s) == ["inkomen_hoogste_20_pct", "inkomen_laagste_40_pct"]
    t = theme_row(kwb(raw, min_theme_coverage=0.0), "BU0363FA03", "werk_inkomen")
    assert t["score"] == pytest.approx(sum(s.values()) / 2, rel=1e-9)
    assert t["coverage"] == 0.4
    # BU0363BA01 (5 inhabitants): no income figure at all.
    t = theme_row(c, "BU0363BA01", "werk_inkomen")
    assert (t["n_available"], t["n_total"]) == (0, 5)
    assert t["withheld_reason"] == "geen indicatoren beschikbaar"
    p = profile(c, "BU0363BA01")
    assert p.theme("werk_inkomen").coverage == 0.0
    assert p.indicator("inkomen_laagste_40_pct").reliability == "missing"


def test_suppressed_score_reduces_coverage(raw: Path) -> None:
    path = next((raw / "amsterdam-ses-woa-2019").glob("*.csv"))
    c = compare_all(Figures.from_tables([read_figures(path)]))
    r = c.results
    suppressed = r[(r["indicator"] == "ses_woa_score") & (r["status"] == "suppressed")
                   & (r["level"] == "neighbourhood")]
    code = str(suppressed["area_code"].iloc[0])
    t = theme_row(c, code, "werk_inkomen")
    assert (t["n_available"], t["n_total"]) == (0, 1)
    assert t["unavailable"] == ["ses_woa_score"]
    assert math.isnan(t["score"])


def test_ninetieth_percentile_flag(raw: Path) -> None:
    c = kwb(raw)
    pct = {column: city_percentile(raw, 2024, column) for column in KWB_THEMED}
    for code in ["BU0363FA03", "BU0363AA01", "BU0363TH02", "BU0363FP05"]:
        for theme in ("werk_inkomen", "armoede_schulden", "wonen"):
            expected = sorted(
                key for column, (key, th, sign, _) in KWB_THEMED.items()
                if th == theme and code in pct[column]
                and (pct[column][code] if sign < 0 else 1 - pct[column][code]) >= 0.9
            )
            assert theme_row(c, code, theme)["flags"] == expected, (code, theme)
    assert theme_row(c, "BU0363FA03", "wonen")["flags"] == ["woningen_onbewoond_pct"]


def test_strengths_and_challenges(raw: Path) -> None:
    c = kwb(raw)
    pct = {column: city_percentile(raw, 2024, column) for column in KWB_THEMED}
    for code in ["BU0363AA01", "BU0363EC01", "BU0363TH02"]:
        p = profile(c, code)
        strengths, challenges = [], []
        for column, (key, theme, sign, _) in KWB_THEMED.items():
            s = signed(raw, code, theme).get(key)
            if s is None:
                continue
            unfav = pct[column][code] if sign < 0 else 1 - pct[column][code]
            if s >= 1.0:
                strengths.append(key)
            if s <= -1.0 or unfav >= 0.9:
                challenges.append(key)
        assert sorted(h.indicator for h in p.strengths) == sorted(strengths), code
        assert sorted(h.indicator for h in p.challenges) == sorted(challenges), code
    # EC01 (high incomes) has strengths, listed strongest first.
    p = profile(c, "BU0363EC01")
    assert p.strengths
    z = [h.signed_z for h in p.strengths]
    assert z == sorted(z, reverse=True)


def hand_scores(raw: Path) -> dict[str, dict[str, float]]:
    """armoede_schulden: per buurt the signed z of its two indicators (no base: no shrinkage)."""
    out: dict[str, dict[str, float]] = {}
    for column, (key, theme, sign, _) in KWB_THEMED.items():
        if theme == "armoede_schulden":
            for code, z in city_z(raw, 2024, column, False, min_population=None).items():
                out.setdefault(code, {})[key] = sign * z
    return out


def test_rank_quintile_and_monte_carlo_stability(raw: Path) -> None:
    c = kwb(raw)
    per_area = hand_scores(raw)
    codes = sorted(per_area)
    keys = ["huishoudens_laag_inkomen_pct", "huishoudens_sociaal_minimum_pct"]
    z = np.array([[per_area[a].get(k, np.nan) for k in keys] for a in codes])
    mask = np.isfinite(z)
    score = np.nanmean(z, axis=1)
    n = len(codes)
    # The documented draws: per indicator a stream from (seed, crc32(key)), factors U(0.5, 1.5).
    options = CompareOptions()
    factors = np.vstack([
        np.random.default_rng([options.seed, zlib.crc32(k.encode())]).uniform(0.5, 1.5, 200)
        for k in keys
    ])
    draws = (np.where(mask, z, 0) @ factors) / (mask.astype(float) @ factors)
    for code in ["BU0363AA01", "BU0363FA03", "BU0363EC01", "BU0363TH02"]:
        i = codes.index(code)
        # ties (buurten carrying their wijk's figures) are ranked in area-code order
        before = np.arange(n) < i
        rank = 1 + int((score < score[i]).sum() + ((score == score[i]) & before).sum())
        quint = (5 * (rank - 1)) // n
        t = theme_row(c, code, "armoede_schulden")
        assert (t["rank"], t["n_ranked"], t["quintile"]) == (rank, n, quint + 1)
        same = [
            (5 * int((draws[:, d] < draws[i, d]).sum()
                     + ((draws[:, d] == draws[i, d]) & before).sum())) // n == quint
            for d in range(200)
        ]
        assert t["stability"] == pytest.approx(sum(same) / 200)
        assert t["stability_draws"] == 200


def test_stability_is_deterministic_and_degenerates_correctly(raw: Path) -> None:
    a = kwb(raw).themes
    b = compare_all(kwb_figures(raw)).themes
    pd.testing.assert_series_equal(a["stability"], b["stability"])
    stable = kwb(raw, stability_spread=0.0).themes
    ranked = stable[stable["n_ranked"] >= 5]
    assert (ranked["stability"] == 1.0).all()
    # One indicator (wonen): weights cannot reorder anything.
    wonen = a[(a["theme"] == "wonen") & a["score"].notna()]
    assert (wonen["stability"] == 1.0).all()
    # Another seed: other draws, still shares between 0 and 1.
    other = kwb(raw, seed=7).themes
    assert other["stability"].between(0, 1).all() or other["stability"].isna().any()
    assert not other["stability"].equals(a["stability"])


# --- migration background never enters a theme score -----------------------------------------

@cache
def haaglanden(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(raw / "haaglanden-wijken-zorg" /
                                             "df_count_ver_3.csv")])


def _scores(figures: Figures, **kw: object) -> pd.DataFrame:
    themes = compare_all(figures, CompareOptions(**kw)).themes  # type: ignore[arg-type]
    for col in ("slice", "area_code", "theme"):
        themes[col] = themes[col].astype(str)
    return themes.sort_values(["slice", "area_code", "theme"]).reset_index(drop=True)


def _recast(figures: Figures, context_only: bool) -> Figures:
    """The migration-background indicators given a theme and a polarity (as a careless
    configuration might), with ``context_only`` as given."""
    indicators = dict(figures.indicators)
    for key, ind in figures.indicators.items():
        if key.startswith("elan_herkomst"):
            indicators[key] = dataclasses.replace(
                ind, theme="sociale_samenhang", polarity=Polarity.HIGHER_IS_WORSE,
                context_only=context_only)
    return Figures(frame=figures.frame, indicators=indicators)


def test_migration_background_never_changes_a_theme_score(raw: Path) -> None:
    figures = haaglanden(raw)
    herkomst = [k for k in figures.indicators if k.startswith("elan_herkomst")]
    columns = {r for r in haaglanden_rows(raw)[0] if "Ethnicity" in r}
    assert len(herkomst) >= 7 and len(columns) == 7
    assert all(figures.indicators[k].context_only for k in herkomst)  # from the catalogue
    present = figures.frame["indicator"].isin(herkomst).to_numpy()
    assert present.any()

    with_them = _scores(figures)
    without = _scores(figures.restrict(~present))
    pd.testing.assert_frame_equal(with_them, without)
    # Even with a theme and a polarity, context_only keeps them out ...
    pd.testing.assert_frame_equal(_scores(_recast(figures, True)), without)
    # ... which is what matters: the same figures without context_only would change scores.
    changed = _scores(_recast(figures, False))
    assert not changed["score"].equals(without["score"])
    # Nor do they steer the choice of peers.
    peer_options = {"reference": "peers", "peer_indicators": (
        "elan_leeftijd_0_20", "elan_leeftijd_61_80", "elan_meerpersoonshuishouden", *herkomst)}
    pd.testing.assert_frame_equal(_scores(figures, **peer_options),
                                  _scores(figures.restrict(~present), **peer_options))
    # They are still shown, as context.
    c = compare_all(figures, themes=False)
    rows = c.results[c.results["indicator"].isin(herkomst)]
    assert rows["context_only"].all() and rows["z"].notna().any()
