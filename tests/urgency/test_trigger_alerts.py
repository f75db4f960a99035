""""Aanleiding vervaagd, opgave blijft" with constructed histories: a trigger whose status
changed (with the date of each change) while the figures or a group still mark the theme urgent.

Every expected outcome below is worked out by hand from the constructed ratings and scores
(urgent = rating 4 or 5; a group finds a theme urgent from a share of 0.5; the figures call a
theme urgent from a theme score of -0.5 or lower; at least 5 answers per group)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from urgency_support import AREA, ROUNDS, answers, figures, frame

from wijkbeeld.urgency import (
    Measures,
    Timeline,
    Trigger,
    measure,
    timeline,
    validate_figure_scores,
)
from wijkbeeld.urgency.responses import validate_responses
from wijkbeeld.urgency.triggers import StatusChange, history_from, status_change_problem

R1, R2 = (r.key for r in ROUNDS)  # 2023-03-01, 2024-03-01
THEME = "veiligheid"
FADED = "aanleiding_vervaagd"


def scores(*rows: tuple[int, float]) -> pd.DataFrame:
    return validate_figure_scores(figures([(AREA, THEME, y, s) for y, s in rows]))


def faded_trigger(status: str = "vervaagd") -> Trigger:
    """Recorded active on 2022-06-01 after a shooting; faded (or resolved) on 2023-09-15."""
    history = (StatusChange("actief", date(2022, 6, 1)), StatusChange(status, date(2023, 9, 15)))
    return Trigger(AREA, THEME, "schietincident bij het winkelcentrum", status, date(2022, 6, 1),
                   date(2023, 9, 15), history)


def residents_still_urgent() -> Measures:
    # 2024: residents 4 of 5 urgent (0.8 ≥ 0.5); professionals 1 of 5 (0.2); policy 0 of 5.
    return measure(validate_responses(frame(
        answers(R2, THEME, "residents", [5, 4, 4, 4, 2]),
        answers(R2, THEME, "professionals", [4, 2, 2, 3, 1]),
        answers(R2, THEME, "policy", [3, 3, 2, 2, 1]))))


def nobody_urgent() -> Measures:
    # 2024: residents 1 of 5, professionals 0 of 5, policy 1 of 5: no group reaches 0.5.
    return measure(validate_responses(frame(
        answers(R2, THEME, "residents", [4, 3, 2, 2, 1]),
        answers(R2, THEME, "professionals", [3, 3, 2, 2, 1]),
        answers(R2, THEME, "policy", [5, 3, 2, 1, 1]))))


def kinds(line: Timeline) -> list[str]:
    return [a.kind for a in line.alerts]


def test_fires_when_faded_while_residents_still_find_it_urgent() -> None:
    trig = faded_trigger()
    # Figures improving and calm (+0.4 in 2024): only the residents keep the theme urgent.
    line = timeline(residents_still_urgent(), AREA, THEME, ROUNDS, figures=scores((2024, 0.4)),
                    triggers=[trig])
    assert kinds(line) == [FADED]
    alert = line.alerts[0]
    assert alert.basis == ("peiling",)
    assert [(g.group, g.n_after, g.share_after) for g in alert.groups] == [("residents", 5, 0.8)]
    assert alert.trigger is trig and alert.trigger.status_since == date(2023, 9, 15)
    assert alert.message == (
        "aanleiding vervaagd, opgave blijft: aanleiding 'schietincident bij het winkelcentrum' "
        "is vervaagd sinds 2023-09-15; bewoners 80% urgent (2024-voorjaar)")
    assert alert.to_dict()["trigger"]["history"] == [
        {"status": "actief", "date": "2022-06-01"}, {"status": "vervaagd", "date": "2023-09-15"}]


def test_fires_when_resolved_while_the_figures_stay_urgent() -> None:
    # Nobody in the 2024 round finds it urgent, but the 2024 theme score is -0.9 (≤ -0.5).
    line = timeline(nobody_urgent(), AREA, THEME, ROUNDS, figures=scores((2024, -0.9)),
                    triggers=[faded_trigger("opgelost")])
    assert kinds(line) == [FADED]
    alert = line.alerts[0]
    assert alert.basis == ("cijfers",) and alert.groups == ()
    assert "is opgelost sinds 2023-09-15" in alert.message
    assert "themascore 2024 −0,90" in alert.message


def test_quiet_while_the_trigger_is_active() -> None:
    history = (StatusChange("actief", date(2022, 6, 1)),)
    active = Trigger(AREA, THEME, "schietincident", "actief", date(2022, 6, 1), date(2022, 6, 1),
                     history)
    line = timeline(residents_still_urgent(), AREA, THEME, ROUNDS,
                    figures=scores((2024, -0.9)), triggers=[active])
    assert FADED not in kinds(line)
    # Faded once, then active again (2024-01-10): also quiet.
    reopened = Trigger(AREA, THEME, "schietincident", "actief", date(2022, 6, 1),
                       date(2024, 1, 10), (*faded_trigger().history,
                                           StatusChange("actief", date(2024, 1, 10))))
    line2 = timeline(residents_still_urgent(), AREA, THEME, ROUNDS,
                     figures=scores((2024, -0.9)), triggers=[reopened])
    assert FADED not in kinds(line2)


def test_quiet_when_the_problem_is_gone() -> None:
    # No group urgent and the 2024 theme score +0.2 (above -0.5): the task is done.
    line = timeline(nobody_urgent(), AREA, THEME, ROUNDS, figures=scores((2024, 0.2)),
                    triggers=[faded_trigger()])
    assert line.alerts == ()
    # The faded trigger is still on the timeline, with its history.
    assert line.triggers[0].history[-1] == StatusChange("vervaagd", date(2023, 9, 15))


def test_a_trigger_on_another_theme_or_the_whole_area_is_never_alerted() -> None:
    other = Trigger(AREA, "wonen", "brand in portiekflat", "vervaagd", date(2022, 6, 1),
                    date(2023, 1, 1))
    whole = Trigger(AREA, None, "krantenartikel over de wijk", "opgelost", date(2022, 6, 1),
                    date(2023, 1, 1))
    line = timeline(residents_still_urgent(), AREA, THEME, ROUNDS,
                    figures=scores((2024, -0.9)), triggers=[other, whole])
    assert FADED not in kinds(line)
    assert line.triggers == (whole,)  # the area-wide one is shown on every theme's timeline


def test_status_change_rules() -> None:
    history = history_from([{"status": "actief", "date": "2022-06-01"}])
    started = date(2022, 6, 1)
    assert status_change_problem(history, "vervaagd", date(2023, 1, 1), started) is None
    assert status_change_problem(history, "actief", date(2023, 1, 1), started) == (
        "de aanleiding is al actief")
    assert status_change_problem(history, "weg", date(2023, 1, 1), started) is not None
    assert "vóór de datum van de aanleiding" in (
        status_change_problem(history, "opgelost", date(2022, 5, 31), started) or "")
    later = (*history, StatusChange("vervaagd", date(2023, 1, 1)))
    assert "vóór de vorige wijziging" in (
        status_change_problem(later, "opgelost", date(2022, 12, 31), started) or "")
    with pytest.raises(ValueError, match="trigger status"):
        StatusChange("gesloten", date(2023, 1, 1))
