"""Peers ("vergelijkbare buurten"), recomputed by hand from the raw KWB 2024 file."""

from __future__ import annotations

import dataclasses
import math
from functools import cache
from pathlib import Path

import pytest
from compare_support import kwb_buurten, mean, num, sd

from wijkbeeld.compare import CompareOptions, Figures, compare_all, find_peers, profile
from wijkbeeld.compare.measures import prepare
from wijkbeeld.figures.readers import read_figures

AGE = ["Pop_Age_0_15", "Pop_Age_15_25", "Pop_Age_25_45", "Pop_Age_45_65", "Pop_Age_65_Plus"]
FEATURES = ["huishoudensgrootte", "leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45",
            "leeftijd_45_65", "leeftijd_65_plus", "koopwoningen_pct"]


@cache
def kwb_figures(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(
        raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv")])


def hand_features(raw: Path) -> dict[str, list[float]]:
    """Per buurt with every context figure: household size, five age shares (% of
    inhabitants) and % owner-occupied, in FEATURES order."""
    out: dict[str, list[float]] = {}
    for r in kwb_buurten(raw, 2024):
        pop = num(r["Population_Total"])
        size = num(r["Avg_Household_Size"])
        own = num(r["Pct_Owner_Occupied"])
        ages = [num(r[c]) for c in AGE]
        if not pop or size is None or own is None or any(a is None for a in ages):
            continue
        out[r["Area_Code"]] = [size, *[100 * a / pop for a in ages if a is not None], own]
    return out


def hand_peers(raw: Path, code: str, k: int = 10) -> list[tuple[str, float]]:
    feats = hand_features(raw)
    codes = sorted(feats)
    cols = list(zip(*(feats[c] for c in codes), strict=True))
    stats = [(mean(col), sd(col)) for col in cols]
    z = {c: [(v - m) / s for v, (m, s) in zip(feats[c], stats, strict=True)] for c in codes}
    dist = [
        (math.sqrt(sum((a - b) ** 2 for a, b in zip(z[code], z[o], strict=True)) / len(cols)), o)
        for o in codes if o != code
    ]
    return [(o, d) for d, o in sorted(dist)[:k]]


@pytest.mark.parametrize("code", ["BU0363AA01", "BU0363KH02", "BU0363TH02"])
def test_peers_are_the_nearest_on_standardised_context(raw: Path, code: str) -> None:
    figures = kwb_figures(raw)
    options = CompareOptions()
    peers = find_peers(prepare(figures, options), options, areas=[code])
    assert peers.features == tuple(FEATURES)
    assert "bevolkingsdichtheid" in peers.missing_features  # not in this file
    expected = hand_peers(raw, code)
    got = peers.for_area(code, "2024")
    assert list(got.peers) == [c for c, _ in expected]
    assert list(got.distances) == pytest.approx([d for _, d in expected], rel=1e-9)


def test_peer_explanation(raw: Path) -> None:
    p = profile(kwb_figures(raw), "BU0363AA01")
    assert p.peers is not None
    feats = hand_features(raw)
    cols = list(zip(*feats.values(), strict=True))
    first = p.peers.peers[0]
    detail = p.peers.detail[p.peers.detail["peer_code"] == first]
    assert detail["indicator"].tolist() == FEATURES
    for j, f in enumerate(FEATURES):
        line = detail[detail["indicator"] == f].iloc[0]
        assert line["area_value"] == pytest.approx(feats["BU0363AA01"][j], rel=1e-12)
        assert line["peer_value"] == pytest.approx(feats[first][j], rel=1e-12)
        assert line["difference_sd"] == pytest.approx(
            (feats[first][j] - feats["BU0363AA01"][j]) / sd(cols[j]), rel=1e-9)
    text = p.peers.explanation()
    assert "huishoudensgrootte" in text and "10 gebieden" in text
    as_json = p.to_dict()["peers"]
    assert as_json["peers"][0]["area"] == first
    assert len(as_json["peers"][0]["features"]) == len(FEATURES)


def test_k_and_scope_are_configurable(raw: Path) -> None:
    options = CompareOptions(peer_k=3, peer_scope="municipality")
    peers = find_peers(prepare(kwb_figures(raw), options), options, areas=["BU0363AA01"])
    got = peers.for_area("BU0363AA01", "2024")
    assert list(got.peers) == [c for c, _ in hand_peers(raw, "BU0363AA01", k=3)]
    assert "in dezelfde gemeente" in got.explanation()


def test_context_only_indicators_are_never_peer_features(raw: Path) -> None:
    figures = kwb_figures(raw)
    indicators = dict(figures.indicators)
    indicators["koopwoningen_pct"] = dataclasses.replace(
        indicators["koopwoningen_pct"], context_only=True)
    barred = Figures(frame=figures.frame, indicators=indicators)
    options = CompareOptions()
    peers = find_peers(prepare(barred, options), options, areas=["BU0363AA01"])
    assert "koopwoningen_pct" not in peers.features
    assert "koopwoningen_pct" in peers.missing_features


def test_peer_reference_keeps_its_peers(raw: Path) -> None:
    c = compare_all(kwb_figures(raw), CompareOptions(reference="peers"), themes=False)
    assert c.peers is not None
    table = c.peers.table
    mine = table[table["area_code"] == "BU0363AA01"]
    assert mine["peer_code"].tolist() == [code for code, _ in hand_peers(raw, "BU0363AA01")]
