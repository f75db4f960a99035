"""Triangulation classes on constructed rounds: every class, both "from above" (the figures or
policy urgent, residents and professionals not) and its reverse, voices as a second signal, and
the real Amsterdam figures (KWB 2024) feeding the class through compare's theme score."""

from __future__ import annotations

import csv
import statistics
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from urgency_support import AREA, ROUNDS, answers, figures, frame

from wijkbeeld.figures.errors import DataError
from wijkbeeld.urgency import (
    Classification,
    FigureSignal,
    UrgencyOptions,
    classify,
    figure_scores_from_themes,
    figures_at,
    measure,
    urgency_matrix,
    validate_figure_scores,
    validate_responses,
    validate_voices,
    voices_for,
)

R1 = ROUNDS[0].key
OPTS = UrgencyOptions()

# Rating patterns (share urgent = ratings 4 or 5; r_wg = 1 - s²/2):
URGENT = [4, 5, 4, 5, 4, 5]  # share 6/6; mean 4.5, s² = 6·0.25/5 = 0.3, r_wg = 0.85
CALM = [1, 2, 2, 3, 1, 2]  # share 0/6; r_wg = 1 - 17/60
SPLIT = [5, 5, 5, 5, 1, 1, 1]  # share 4/7 ≥ 0.5 but two camps: s² = 4.571 > 2, r_wg = 0


def fig(score: float, year: int = 2022) -> FigureSignal:
    return FigureSignal(year, score, score <= -0.5)


def classes(
    residents: list[int] | None, professionals: list[int] | None, policy: list[int] | None,
    figure: FigureSignal | None, voices: pd.DataFrame | None = None,
    options: UrgencyOptions = OPTS,
) -> Classification:
    parts: list[list[dict[str, Any]]] = []
    for group, ratings in (("residents", residents), ("professionals", professionals),
                           ("policy", policy)):
        if ratings is not None:
            parts.append(answers(R1, "veiligheid", group, ratings))
    cell = measure(validate_responses(frame(*parts)), options).get(R1, AREA, "veiligheid")
    v = voices_for(None if voices is None else validate_voices(voices), AREA, "veiligheid",
                   options)
    return classify(cell, figure, v, options)


def test_gedeelde_urgentie() -> None:
    c = classes(URGENT, URGENT, URGENT, fig(-1.2))
    assert (c.key, c.label, c.rule, c.complete) == ("gedeeld", "gedeelde urgentie", 1, True)
    assert all(s.urgent and s.agreement and s.basis == "peiling" for s in c.signals)


def test_gedeeld_without_the_figures_points_to_a_data_gap() -> None:
    c = classes(URGENT, URGENT, URGENT, fig(0.3))
    assert c.key == "gedeeld"
    assert any("gat in de cijfers" in n for n in c.notes)


def test_van_bovenaf_figures_urgent_residents_and_professionals_not() -> None:
    # The municipality's figures: score -1.5 (well below the reference); residents and
    # professionals rate the theme 1-3, policy neither.
    c = classes(CALM, CALM, CALM, fig(-1.5))
    assert (c.key, c.label, c.rule) == ("van_bovenaf", "van bovenaf", 2)
    assert c.figures is not None and c.figures.urgent
    assert any("valse start" in n for n in c.notes)


def test_van_bovenaf_policy_urgent_figures_average() -> None:
    c = classes(CALM, CALM, URGENT, fig(-0.2))
    assert c.key == "van_bovenaf"
    assert c.signal("policy").urgent and not c.signal("residents").urgent


def test_gevoeld_niet_gemeten_the_reverse() -> None:
    # Residents and professionals urgent, policy not, figures favourable (+0.4).
    c = classes(URGENT, URGENT, CALM, fig(0.4))
    assert (c.key, c.label, c.rule) == ("gevoeld_niet_gemeten", "gevoeld, niet gemeten", 3)
    assert any("gat in de cijfers" in n for n in c.notes)
    # One bottom group is enough; no figures at all is the data gap itself.
    c2 = classes(URGENT, CALM, CALM, None)
    assert c2.key == "gevoeld_niet_gemeten"
    assert "geen cijfers voor dit thema" in c2.notes


def test_verdeeld_groups_disagree() -> None:
    c = classes(URGENT, CALM, URGENT, fig(-0.8))
    assert (c.key, c.rule) == ("verdeeld", 4)


def test_verdeeld_when_an_urgent_group_is_split_inside() -> None:
    # Everyone's share is ≥ 0.5, but the residents are two camps (r_wg 0): not shared.
    c = classes(SPLIT, URGENT, URGENT, fig(-0.8))
    assert c.key == "verdeeld"
    assert c.signal("residents").urgent and c.signal("residents").agreement is False
    assert any("weinig overeenstemming" in n and "bewoners" in n for n in c.notes)


def test_geen_urgentie() -> None:
    c = classes(CALM, CALM, CALM, fig(0.1))
    assert (c.key, c.label, c.rule) == ("geen", "geen urgentie", 5)


def test_onvoldoende_without_residents_and_professionals() -> None:
    c = classes(None, None, URGENT, fig(-1.0))
    assert (c.key, c.rule, c.complete) == ("onvoldoende", 6, False)
    # All heard groups urgent and agreeing, but policy has only 3 answers: not "gedeeld".
    c2 = classes(URGENT, URGENT, [5, 5, 4], fig(-1.0))
    assert c2.key == "onvoldoende" and not c2.complete
    assert any("beleid" in n for n in c2.notes)


def test_thresholds_are_configurable() -> None:
    # 3 of 6 urgent = 0.5: urgent by default, not with urgent_share 0.6.
    half = [4, 4, 4, 2, 2, 2]
    assert classes(half, half, half, fig(-1.0)).signal("residents").urgent
    strict = UrgencyOptions(urgent_share=0.6)
    assert classes(half, half, half, fig(-1.0), options=strict).key == "van_bovenaf"
    # Figures -0.6 are urgent at 0.5, not at 1.0.
    table = validate_figure_scores(figures([(AREA, "veiligheid", 2022, -0.6)]))
    default = figures_at(table, AREA, "veiligheid", 2023, OPTS)
    loose = UrgencyOptions(figures_urgent_z=1.0)
    relaxed = figures_at(table, AREA, "veiligheid", 2023, loose)
    assert default is not None and default.urgent
    assert relaxed is not None and not relaxed.urgent
    assert classes(CALM, CALM, CALM, default).key == "van_bovenaf"
    assert classes(CALM, CALM, CALM, relaxed, options=loose).key == "geen"


def test_voices_stand_in_for_a_group_without_enough_ratings() -> None:
    voices = pd.DataFrame([
        {"area_code": AREA, "theme": "veiligheid", "group": "residents", "n": 7,
         "mean_urgency": 4.2},
        {"area_code": AREA, "theme": "veiligheid", "group": "professionals", "n": 4,
         "mean_urgency": 4.9},
    ])
    # Residents: 3 ratings (withheld); their 7 stories are urgent (4.2 ≥ 3.5).
    c = classes([1, 1, 2], CALM, CALM, fig(0.2), voices=voices)
    res = c.signal("residents")
    assert (res.basis, res.urgent) == ("stemmen", True)
    assert c.key == "gevoeld_niet_gemeten" and not c.complete
    assert any("op basis van verhalen: bewoners" in n for n in c.notes)
    # Professionals rated (calm), their 4 voices are below min_n: withheld, no mean.
    pro = c.signal("professionals")
    assert pro.basis == "peiling" and pro.voices is not None
    assert (pro.voices.withheld, pro.voices.mean_urgency, pro.voices.urgent) == (True, None, None)
    assert "4.9" not in str(c.to_dict())


def test_voices_never_make_urgency_shared() -> None:
    voices = pd.DataFrame([{"area_code": AREA, "theme": "veiligheid", "group": "residents",
                            "n": 12, "mean_urgency": 4.6}])
    c = classes([5, 5], URGENT, URGENT, fig(-1.0), voices=voices)
    assert c.signal("residents").basis == "stemmen"
    assert c.key == "onvoldoende"  # gedeeld needs the round's own ratings, with agreement


def test_voices_that_contradict_the_round_are_noted() -> None:
    voices = pd.DataFrame([{"area_code": AREA, "theme": "veiligheid", "group": "residents",
                            "n": 9, "mean_urgency": 4.0}])
    c = classes(CALM, CALM, CALM, fig(0.0), voices=voices)
    assert c.key == "geen"  # the round decides
    assert any("verhalen wijken af van de peiling: bewoners" in n for n in c.notes)


def test_bad_voices_and_figures_tables_name_row_and_column() -> None:
    bad = pd.DataFrame([
        {"area_code": AREA, "theme": "wonen", "group": "policy", "n": 8, "mean_urgency": 4.0},
        {"area_code": AREA, "theme": "wonen", "group": "residents", "n": 8, "mean_urgency": 7},
        {"area_code": AREA, "theme": "wonen", "group": "professionals", "n": -1,
         "mean_urgency": 3},
    ])
    with pytest.raises(DataError) as err:
        validate_voices(bad)
    where = [(p.row, p.column) for p in err.value.problems]
    assert where == [(2, "group"), (3, "mean_urgency"), (4, "n")]
    with pytest.raises(DataError) as err2:
        validate_figure_scores(figures([(AREA, "wonen", 2022, -1.0), (AREA, "wonen", 2022, 0.0)]))
    assert [(p.row, p.column) for p in err2.value.problems] == [(3, "year")]
    with pytest.raises(DataError, match="column 'score': required column missing"):
        validate_figure_scores(pd.DataFrame({"area_code": [AREA], "theme": ["wonen"],
                                             "year": [2022]}))


def test_figures_of_the_round_are_the_latest_year_not_after_it() -> None:
    table = validate_figure_scores(figures([
        (AREA, "wonen", 2021, -0.2), (AREA, "wonen", 2022, float("nan")),
        (AREA, "wonen", 2024, -0.9)]))
    at_2023 = figures_at(table, AREA, "wonen", 2023, OPTS)
    # 2022 is withheld (NaN): the latest year with a score up to 2023 is 2021.
    assert at_2023 == FigureSignal(2021, -0.2, False)
    assert figures_at(table, AREA, "wonen", None, OPTS) == FigureSignal(2024, -0.9, True)
    assert figures_at(table, AREA, "wonen", 2020, OPTS) is None


# --- real figures: Amsterdam KWB 2024 through compare ------------------------------------

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"


@cache
def kwb_theme_scores(raw: Path) -> pd.DataFrame:
    from wijkbeeld.compare import Figures, compare_all
    from wijkbeeld.figures.readers import read_figures

    figs = Figures.from_tables([read_figures(raw / KWB_2024)])
    return compare_all(figs).themes


def test_real_figures_from_compare_van_bovenaf(raw: Path) -> None:
    # Independent check from the raw file: WK0363NP (Noordelijke IJ-oevers-Oost) has 25,1%
    # low-income households and 26,5% near the social minimum, both far above the wijken's
    # plain mean + 0.5 SD: the armoede_schulden figures are unfavourable.
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["Area_Code"].startswith("WK")]
    own = next(r for r in rows if r["Area_Code"].strip() == AREA)
    for column, expected in (("Pct_Low_Income_Households", 25.1),
                             ("Pct_Below_120Pct_Social_Min", 26.5)):
        values = [float(r[column].replace(",", ".")) for r in rows if r[column].strip()]
        value = float(own[column].replace(",", "."))
        assert value == expected
        assert value > statistics.fmean(values) + 0.5 * statistics.pstdev(values)

    themes = kwb_theme_scores(raw)
    table = figure_scores_from_themes(themes)
    score = themes[(themes["area_code"] == AREA) & (themes["theme"] == "armoede_schulden")]
    assert len(score) == 1
    expected_score = float(score["score"].iloc[0])
    assert expected_score <= -0.5

    # A round in 2024 where policy finds poverty urgent, residents and professionals do not.
    r24 = ROUNDS[1].key
    responses = frame(answers(r24, "armoede_schulden", "residents", [2, 3, 2, 1, 3, 4, 2, 2]),
                      answers(r24, "armoede_schulden", "professionals", [3, 2, 3, 3, 4, 2]),
                      answers(r24, "armoede_schulden", "policy", [5, 4, 5, 4, 4]))
    matrix = urgency_matrix(responses, AREA, ROUNDS, figures=table)
    assert matrix.round.key == r24
    cls = matrix.row("armoede_schulden").classification
    assert cls.key == "van_bovenaf"
    assert cls.figures == FigureSignal(2024, expected_score, True)
    out = matrix.to_dict()["themes"][0]["class"]["figures"]
    assert out == {"year": 2024, "score": expected_score, "urgent": True}
