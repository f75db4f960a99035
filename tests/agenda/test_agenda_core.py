"""The agenda core without Django: progress against baseline and target, coverage, the stall
check raising the urgency package's persistence alert, and the learning network's small-number
rule. Expected values are worked out by hand in each test."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from wijkbeeld.agenda import (
    AreaEntry,
    Measurement,
    RoundParticipation,
    Target,
    compare_network,
    progress,
    round_coverage,
    stall_alert,
)
from wijkbeeld.urgency import ALERT_LABELS, RoundInfo, measure, timeline, validate_responses


def test_progress_statuses_by_hand() -> None:
    t = Target("indicator", "x", 0.10, "2019", 0.06)  # lower is progress, gap -0.04
    assert progress(t, [Measurement("2021", 0.095, 2021)]).status == "stagneert"  # 0.125
    assert progress(t, [Measurement("2021", 0.08, 2021)]).fraction == pytest.approx(0.5)
    assert progress(t, [Measurement("2021", 0.08, 2021)]).status == "vooruit"
    assert progress(t, [Measurement("2021", 0.05, 2021)]).status == "bereikt"
    assert progress(t, [Measurement("2021", 0.12, 2021)]).status == "achteruit"
    assert progress(t, [Measurement("2019", 0.02, 2019)]).status == "geen_meting"  # baseline
    r = Target("round", "wonen", 0.8, "r1", 0.5, group="residents", metric="share_urgent")
    assert progress(r, [Measurement("r2", None, 2)]).status == "te_weinig"
    for bad in ({"kind": "x", "key": "k", "baseline": 1, "baseline_at": "2019", "target": 2},
                {"kind": "round", "key": "k", "baseline": 1.5, "baseline_at": "r",
                 "target": 0.2, "group": "residents", "metric": "share_urgent"},
                {"kind": "indicator", "key": "k", "baseline": "veel", "baseline_at": "2019",
                 "target": 2}):
        with pytest.raises(ValueError):
            Target.from_dict(bad)


def test_progress_at_the_stall_band_edge() -> None:
    t = Target("indicator", "x", 0.0, "2019", 1.0)
    assert progress(t, [Measurement("2021", 0.25, 2021)]).status == "vooruit"
    assert progress(t, [Measurement("2021", 0.2499, 2021)]).status == "stagneert"
    assert progress(t, [Measurement("2021", -0.25, 2021)]).status == "achteruit"


def test_coverage_names_who_is_missing() -> None:
    c = round_coverage(RoundParticipation("r1", {"residents": 9, "professionals": 6,
                                                 "policy": 3},
                                          {"welzijn": 4, "corporatie": 2}),
                       ["welzijn", "corporatie", "politie", "gemeente"], min_n=5)
    assert [(g.group, g.state, g.n) for g in c.groups] == [
        ("residents", "genoeg", 9), ("professionals", "genoeg", 6),
        ("policy", "te_weinig", None)]  # 3 < 5: no number shown
    assert c.missing_groups == ("policy",)
    assert dict(c.parties) == {"welzijn": True, "corporatie": True, "politie": False,
                               "gemeente": True}
    unknown = round_coverage(RoundParticipation("r2", {"professionals": 6}, {}), ["politie"])
    assert dict(unknown.parties) == {"politie": None}


def _line(before: dict[str, list[int]], after: dict[str, list[int]]):  # type: ignore[no-untyped-def]
    rows = []
    for rnd, per in (("r1", before), ("r2", after)):
        for group, ratings in per.items():
            for i, rating in enumerate(ratings):
                rows.append({"round": rnd, "area_code": "WK036300", "theme": "wonen",
                             "group": group, "rating": rating, "respondent": f"{group}{i}"})
    m = measure(validate_responses(pd.DataFrame(rows)))
    infos = [RoundInfo("r1", date(2021, 5, 1)), RoundInfo("r2", date(2023, 5, 1))]
    return timeline(m, "WK036300", "wonen", infos)


def test_stall_alert_needs_stalled_indicators_and_fading_urgency() -> None:
    # residents 5/6 urgent → 1/6: a drop of 0.67 ≥ fade_drop 0.15, from ≥ 0.5.
    line = _line({"residents": [5, 4, 4, 5, 4, 2]}, {"residents": [2, 3, 4, 2, 1, 3]})
    t = Target("indicator", "x", 0.10, "2021", 0.06)
    stalled = progress(t, [Measurement("2023", 0.10, 2023)])
    moving = progress(t, [Measurement("2023", 0.07, 2023)])
    alert = stall_alert("meer woningen", [stalled], line)
    assert alert is not None and alert.kind == "urgentie_neemt_af"
    assert alert.label == ALERT_LABELS["urgentie_neemt_af"]
    g = alert.groups[0]
    assert (g.group, g.share_before, g.share_after) == ("residents", pytest.approx(5 / 6),
                                                         pytest.approx(1 / 6))
    assert stall_alert("meer woningen", [moving], line) is None
    assert stall_alert("meer woningen", [progress(t, [])], line) is None  # nothing measured
    steady = _line({"residents": [5, 4, 4, 5, 4, 2]}, {"residents": [5, 4, 4, 5, 4, 2]})
    assert stall_alert("meer woningen", [stalled], steady) is None
    # A group under the minimum never counts: 4 answers each round.
    small = _line({"residents": [5, 5, 5, 5]}, {"residents": [1, 1, 1, 1]})
    assert stall_alert("meer woningen", [stalled], small) is None


def test_network_small_number_rule_and_indicator_sets() -> None:
    a = frozenset({"i1", "i2"})
    entries = [
        # Amsterdam: two areas, residents 4 + 3 = 7 answers (5 urgent), policy 2 + 2 = 4.
        AreaEntry("GM0363", "WK036301", "wonen", -0.8, a, "gedeeld",
                  {"residents": (4, 3), "policy": (2, 1)}, ("vooruit", "stagneert")),
        AreaEntry("GM0363", "WK036302", "wonen", -0.2, a, "geen",
                  {"residents": (3, 2), "policy": (2, 2)}, ("achteruit",)),
        # Den Haag: one area with 4 answers in total: everything about urgency withheld.
        AreaEntry("GM0518", "WK051834", "wonen", -1.0, a, "verdeeld",
                  {"residents": (3, 3), "professionals": (1, 0)}, ()),
        # Veiligheid measured with different indicators: not comparable.
        AreaEntry("GM0363", "WK036301", "veiligheid", -0.5, frozenset({"v1"}), None),
        AreaEntry("GM0518", "WK051834", "veiligheid", 0.3, frozenset({"v2"}), None),
    ]
    net = compare_network(entries, min_n=5)
    ams = net.cell("GM0363", "wonen")
    assert ams is not None
    assert ams.score == pytest.approx((-0.8 - 0.2) / 2)
    # Issue 18: the pooled shares and the respondents are pools of two areas, each under 5:
    # WK036301 minus its own 4 (3 urgent) would give WK036302's 3 (2 urgent). Withheld.
    assert ams.respondents is None
    assert ams.classes == {"gedeeld": 1, "geen": 1}
    assert ams.group_shares == {"residents": None, "policy": None}
    assert ams.progress == {"vooruit": 1, "stagneert": 1, "achteruit": 1}
    haag = net.cell("GM0518", "wonen")
    assert haag is not None and haag.urgency_withheld
    assert haag.classes is None and haag.group_shares is None and haag.respondents is None
    assert haag.score == pytest.approx(-1.0)  # figures are not people: shown
    for muni in ("GM0363", "GM0518"):
        cell = net.cell(muni, "veiligheid")
        assert cell is not None and cell.score is None and not cell.comparable
    assert any("veiligheid" in n for n in net.notes)
    text = str(net.to_dict())
    assert "WK051834" not in text and "WK036301" not in text  # no area leaves, only totals
