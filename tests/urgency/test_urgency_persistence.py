"""Persistence: two rounds in two years, the figure years beside them, triggers, and the alerts
with the numbers they rest on."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from urgency_support import AREA, ROUNDS, answers, figures, frame

from wijkbeeld.urgency import (
    Measures,
    RoundInfo,
    Timeline,
    Trigger,
    UrgencyOptions,
    measure,
    timeline,
    timelines,
    validate_figure_scores,
    validate_responses,
)

R1, R2 = (r.key for r in ROUNDS)
THEME = "armoede_schulden"


def fading_frame() -> pd.DataFrame:
    """2023: every group finds poverty urgent. 2024: residents and professionals no longer do;
    policy still does."""
    return frame(
        answers(R1, THEME, "residents", [4, 5, 4, 5, 4, 5, 3, 4]),  # 7/8 urgent
        answers(R1, THEME, "professionals", [4, 4, 5, 5, 4, 3]),  # 5/6
        answers(R1, THEME, "policy", [4, 4, 5, 4, 5]),  # 5/5
        answers(R2, THEME, "residents", [2, 3, 4, 2, 3, 3, 4, 2]),  # 2/8
        answers(R2, THEME, "professionals", [3, 3, 4, 2, 3, 3]),  # 1/6
        answers(R2, THEME, "policy", [4, 4, 5, 5, 5]),  # 5/5
    )


def fading(options: UrgencyOptions | None = None) -> Measures:
    return measure(validate_responses(fading_frame()), options)


def scores(*rows: tuple[int, float]) -> pd.DataFrame:
    return validate_figure_scores(figures([(AREA, THEME, y, s) for y, s in rows]))


def kinds(line: Timeline) -> list[str]:
    return [a.kind for a in line.alerts]


def test_urgency_fades_while_the_figures_did_not_improve() -> None:
    # Theme score 2023 -1.40 (in effect at the 2023 round), 2024 -1.45: no improvement.
    line = timeline(fading(), AREA, THEME, ROUNDS, figures=scores((2023, -1.40), (2024, -1.45)))
    assert kinds(line) == ["urgentie_neemt_af"]
    alert = line.alerts[0]
    assert alert.label == "urgentie neemt af terwijl de cijfers niet verbeteren"
    assert (alert.round_before, alert.round_after) == (R1, R2)
    faded = {g.group: g for g in alert.groups}
    assert set(faded) == {"residents", "professionals"}  # policy stayed at 5/5
    res, pro = faded["residents"], faded["professionals"]
    assert (res.n_before, res.share_before, res.n_after, res.share_after) == (8, 7 / 8, 8, 2 / 8)
    assert (pro.n_before, pro.share_before, pro.n_after, pro.share_after) == (6, 5 / 6, 6, 1 / 6)
    assert res.change == pytest.approx(2 / 8 - 7 / 8)
    assert alert.figures is not None
    assert (alert.figures.year_before, alert.figures.score_before) == (2023, -1.40)
    assert (alert.figures.year_after, alert.figures.score_after) == (2024, -1.45)
    assert alert.figures.change == pytest.approx(-0.05)
    assert "bewoners 88% → 25% urgent" in alert.message
    assert "themascore 2023 −1,40 → 2024 −1,45" in alert.message
    d = alert.to_dict()
    assert d["groups"][0]["share_before"] == 7 / 8 and d["figures"]["score_after"] == -1.45
    # The timeline keeps both rounds with their class: 2024 is "van bovenaf" (policy and the
    # figures urgent, residents and professionals not).
    assert [p.classification.key for p in line.rounds] == ["gedeeld", "van_bovenaf"]
    assert [(f.year, f.score, f.urgent) for f in line.figures] == [
        (2023, -1.40, True), (2024, -1.45, True)]


def test_figures_improving_is_its_own_signal_and_no_fading_alarm() -> None:
    # 2023 -1.40 → 2024 -0.90: +0.50 ≥ 0.25, the figures improved.
    line = timeline(fading(), AREA, THEME, ROUNDS, figures=scores((2023, -1.40), (2024, -0.90)))
    assert kinds(line) == ["cijfers_verbeteren"]
    alert = line.alerts[0]
    assert alert.figures is not None and alert.figures.change == pytest.approx(0.5)
    assert alert.message == "cijfers verbeteren: themascore 2023 −1,40 → 2024 −0,90"
    # A smaller rise (+0.2) is not an improvement: the fading alert fires instead.
    line2 = timeline(fading(), AREA, THEME, ROUNDS, figures=scores((2023, -1.40), (2024, -1.20)))
    assert kinds(line2) == ["urgentie_neemt_af"]
    # Configurable: with improve_delta 0.15 the same +0.2 counts as improving.
    line3 = timeline(fading(UrgencyOptions(improve_delta=0.15)), AREA, THEME, ROUNDS,
                     figures=scores((2023, -1.40), (2024, -1.20)))
    assert kinds(line3) == ["cijfers_verbeteren"]


def test_trigger_faded_problem_remains() -> None:
    trig = Trigger(AREA, THEME, "schuldenproblematiek na sluiting fabriek", "vervaagd",
                   date(2022, 9, 1))
    active = Trigger(AREA, THEME, "voedselbank meldt drukte", "actief")
    line = timeline(fading(), AREA, THEME, ROUNDS, figures=scores((2023, -1.40), (2024, -1.45)),
                    triggers=[trig, active])
    assert kinds(line) == ["urgentie_neemt_af", "aanleiding_vervaagd"]
    alert = line.alerts[1]
    assert alert.label == "aanleiding vervaagd, opgave blijft"
    assert alert.trigger == trig
    assert alert.basis == ("cijfers", "peiling")
    # The numbers it rests on: latest figures (2024, -1.45) and policy still 5/5 urgent.
    assert alert.figures is not None and alert.figures.score_after == -1.45
    assert [(g.group, g.n_after, g.share_after) for g in alert.groups] == [("policy", 5, 1.0)]
    assert "aanleiding 'schuldenproblematiek na sluiting fabriek' is vervaagd" in alert.message
    assert line.triggers == (trig, active)


def test_trigger_faded_and_problem_gone_is_quiet() -> None:
    calm = measure(validate_responses(frame(
        answers(R2, THEME, "residents", [1, 2, 2, 3, 1]),
        answers(R2, THEME, "professionals", [2, 2, 3, 1, 1]),
        answers(R2, THEME, "policy", [2, 3, 3, 2, 1]))))
    trig = Trigger(AREA, THEME, "krantenartikel", "opgelost")
    line = timeline(calm, AREA, THEME, ROUNDS, figures=scores((2024, 0.3)), triggers=[trig])
    assert line.alerts == ()
    # Same round, but the figures are still bad (-0.8): the task remains.
    line2 = timeline(calm, AREA, THEME, ROUNDS, figures=scores((2024, -0.8)), triggers=[trig])
    assert kinds(line2) == ["aanleiding_vervaagd"] and line2.alerts[0].basis == ("cijfers",)


def test_new_urgency_from_a_group_and_from_the_figures() -> None:
    m = measure(validate_responses(frame(
        answers(R1, "veiligheid", "residents", [2, 3, 4, 2, 3, 3, 4, 2]),  # 2/8
        answers(R2, "veiligheid", "residents", [4, 5, 4, 3, 5, 4, 2, 4]),  # 6/8
    )))
    figs = validate_figure_scores(figures([(AREA, "veiligheid", 2023, -0.2),
                                           (AREA, "veiligheid", 2024, -0.7)]))
    line = timeline(m, AREA, "veiligheid", ROUNDS, figures=figs)
    assert kinds(line) == ["nieuwe_urgentie"]
    alert = line.alerts[0]
    assert alert.basis == ("peiling", "cijfers")
    g = alert.groups[0]
    assert (g.group, g.share_before, g.share_after) == ("residents", 2 / 8, 6 / 8)
    assert alert.figures is not None
    assert (alert.figures.score_before, alert.figures.score_after) == (-0.2, -0.7)


def test_as_of_an_earlier_round_and_figures_up_to_its_year() -> None:
    figs = scores((2023, -1.40), (2024, -1.45))
    line = timeline(fading(), AREA, THEME, ROUNDS, figures=figs, as_of=R1)
    assert [p.round.key for p in line.rounds] == [R1]
    assert [f.year for f in line.figures] == [2023]
    assert line.alerts == ()


def test_without_figures_fading_is_noted_not_alerted() -> None:
    line = timeline(fading(), AREA, THEME, ROUNDS)
    assert line.alerts == ()
    assert any("zonder cijfers" in n for n in line.notes)


def test_withheld_groups_do_not_enter_the_comparison() -> None:
    # 2024 residents: 4 answers (withheld): their fall cannot be shown or alerted.
    m = measure(validate_responses(frame(
        answers(R1, THEME, "residents", [4, 5, 4, 5, 4, 5]),
        answers(R2, THEME, "residents", [1, 1, 2, 2]),
    )))
    line = timeline(m, AREA, THEME, ROUNDS, figures=scores((2023, -1.4), (2024, -1.45)))
    assert line.alerts == ()
    assert line.rounds[1].to_dict()["groups"]["residents"] == {
        "n": None, "withheld": True, "share_urgent": None, "mean": None}  # issue 18: no n


def test_rounds_are_ordered_by_date_and_must_be_known() -> None:
    backwards = [ROUNDS[1], ROUNDS[0]]
    line = timeline(fading(), AREA, THEME, backwards,
                    figures=scores((2023, -1.40), (2024, -1.45)))
    assert [p.round.key for p in line.rounds] == [R1, R2]
    with pytest.raises(ValueError, match="rounds without a date: 2024-voorjaar"):
        timeline(fading(), AREA, THEME, [ROUNDS[0]])
    with pytest.raises(ValueError, match="unknown round"):
        timeline(fading(), AREA, THEME, ROUNDS, as_of="2030")
    with pytest.raises(ValueError, match="trigger status"):
        Trigger(AREA, THEME, "x", "weg")


def test_timelines_cover_asked_and_triggered_themes() -> None:
    trig = Trigger(AREA, "wonen", "schimmel in flats", "actief")
    lines = timelines(fading(), AREA, [*ROUNDS, RoundInfo("2025", date(2025, 3, 1))],
                      triggers=[trig])
    assert [t.theme for t in lines] == [THEME, "wonen"]
    assert lines[1].rounds == () and lines[1].triggers == (trig,)
    assert lines[0].to_dict()["rounds"][0]["class"] == "gedeeld"
