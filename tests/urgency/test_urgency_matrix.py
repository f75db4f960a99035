"""The themes × groups matrix of one area and round: its JSON, its text, the alerts as of the
round, and the small-number rule holding in every output."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from urgency_support import AREA, ROUNDS, answers, figures, frame

from wijkbeeld.urgency import (
    RoundInfo,
    Trigger,
    UrgencyError,
    UrgencyMatrix,
    render_matrix,
    urgency_matrix,
)

R1, R2 = (r.key for r in ROUNDS)
OTHER = "WK0363NQ"


def responses() -> pd.DataFrame:
    return frame(
        # armoede_schulden: shared in 2023; in 2024 residents and professionals let go.
        answers(R1, "armoede_schulden", "residents", [4, 5, 4, 5, 4, 5, 3, 4]),
        answers(R1, "armoede_schulden", "professionals", [4, 4, 5, 5, 4, 3]),
        answers(R1, "armoede_schulden", "policy", [4, 4, 5, 4, 5]),
        answers(R2, "armoede_schulden", "residents", [2, 3, 4, 2, 3, 3, 4, 2],
                ["ja", "ja", "deels", "nee", "ja", "nee", "ja", "nee"]),
        answers(R2, "armoede_schulden", "professionals", [3, 3, 4, 2, 3, 3],
                ["ja", "ja", "ja", "nee", "deels", "nee"], organisation="corporatie"),
        answers(R2, "armoede_schulden", "policy", [4, 4, 5, 5, 5], ["ja"] * 5),
        # veiligheid 2024: residents only 4 answers (withheld): 5, 5, 5, 2 → mean 4.25,
        # share 0.75; recognition ja, ja, ja, nee → 0.75.
        answers(R2, "veiligheid", "residents", [5, 5, 5, 2], ["ja", "ja", "ja", "nee"]),
        answers(R2, "veiligheid", "professionals", [4, 5, 4, 5, 4, 5]),
        answers(R2, "veiligheid", "policy", [1, 2, 2, 3, 1, 2]),
        # another wijk: must not leak into the matrix of AREA
        answers(R2, "veiligheid", "residents", [1, 1, 1, 1, 1], area=OTHER),
    )


FIGS = figures([(AREA, "armoede_schulden", 2023, -1.40), (AREA, "armoede_schulden", 2024, -1.45),
                (AREA, "veiligheid", 2024, 0.35)])


def matrix(**kw: object) -> UrgencyMatrix:
    return urgency_matrix(responses(), AREA, ROUNDS, figures=FIGS, **kw)  # type: ignore[arg-type]


def test_matrix_of_the_latest_round() -> None:
    m = matrix()
    assert m.round.key == R2 and [r.key for r in m.rounds] == [R1, R2]
    assert [r.theme for r in m.rows] == ["veiligheid", "armoede_schulden"]  # catalogue order
    poverty = m.row("armoede_schulden")
    assert poverty.classification.key == "van_bovenaf"
    res = m.cell("armoede_schulden", "residents")
    assert res is not None and res.share_urgent == 2 / 8
    # Recognition of residents: ja ×4, deels ×1, nee ×3 of 8: (4 + 0.5 · 1) / 8.
    assert res.recognition == pytest.approx(4.5 / 8)
    assert (res.recognition_yes, res.recognition_yes_or_partly) == (4 / 8, 5 / 8)
    pro = m.cell("armoede_schulden", "professionals")
    assert pro is not None and pro.recognition == pytest.approx(3.5 / 6)
    # Consensus 2024 by hand: residents 2/8, professionals 1/6, policy 5/5 →
    # (2.5/9 · 1.5/7 · 5.5/6)^(1/3).
    assert poverty.measures is not None
    assert poverty.measures.consensus == pytest.approx((2.5 / 9 * 1.5 / 7 * 5.5 / 6) ** (1 / 3))
    assert [a.kind for a in m.alerts] == ["urgentie_neemt_af"]
    assert poverty.alerts == m.alerts
    # veiligheid: professionals urgent, policy not, figures favourable; residents withheld.
    safety = m.row("veiligheid")
    assert safety.classification.key == "gevoeld_niet_gemeten"
    assert not safety.classification.complete


def test_withheld_cell_appears_nowhere_in_the_output() -> None:
    m = matrix()
    cell = m.cell("veiligheid", "residents")
    # Issue 18: the withheld cell publishes no n (it had 4), n_dont_know or n_recognition.
    assert cell is not None and cell.withheld and cell.n is None
    d = m.to_dict()
    out = d["themes"][0]["cells"]["residents"]
    assert out["withheld"] is True and out["n"] is None and out["n_dont_know"] is None
    assert out["recognition"]["n"] is None
    assert out["mean"] is None and out["share_urgent"] is None
    assert out["recognition"]["score"] is None
    text = json.dumps(d)
    assert "4.25" not in text and "0.75" not in text
    assert {"theme": "veiligheid", "group": "residents", "what": "oordeel"} in d["withheld"]
    assert all("n" not in w for w in d["withheld"])
    assert d["themes"][0]["consensus"]["value"] is None
    assert d["themes"][0]["consensus"]["missing_groups"] == ["residents"]
    printed = render_matrix(m)
    assert "<5" in printed and "(n=4)" not in printed
    assert "75%" not in printed and "4,25" not in printed


def test_to_dict_is_plain_json() -> None:
    d = matrix().to_dict()
    again = json.loads(json.dumps(d))
    assert again == d
    assert d["area_code"] == AREA and d["round"] == {
        "key": R2, "held_on": "2024-03-01", "year": 2024, "label": "", "blind": None}
    assert [g["label"] for g in d["groups"]] == ["bewoners", "professionals", "beleid"]
    row = d["themes"][1]
    assert row["class"]["label"] == "van bovenaf"
    assert row["cells"]["policy"]["share_urgent"] == 1.0
    assert row["alerts"][0]["figures"] == {"year_before": 2023, "score_before": -1.40,
                                           "year_after": 2024, "score_after": -1.45,
                                           "change": pytest.approx(-0.05)}
    assert d["options"]["min_n"] == 5


def test_an_earlier_round_shows_its_own_alerts() -> None:
    m = matrix(round_key=R1)
    assert m.round.key == R1
    assert [r.theme for r in m.rows] == ["armoede_schulden"]
    assert m.row("armoede_schulden").classification.key == "gedeeld"
    assert m.alerts == ()


def test_requested_themes_without_answers_are_rows_too() -> None:
    m = matrix(themes=["armoede_schulden", "wonen"])
    wonen = m.row("wonen")
    assert wonen.measures is None and wonen.classification.key == "onvoldoende"
    assert wonen.to_dict()["cells"] == {"residents": None, "professionals": None, "policy": None}


def test_triggers_and_voices_reach_the_matrix() -> None:
    trig = Trigger(AREA, "armoede_schulden", "sluiting fabriek", "vervaagd")
    voices = pd.DataFrame([{"area_code": AREA, "theme": "veiligheid", "group": "residents",
                            "n": 8, "mean_urgency": 4.4}])
    m = matrix(triggers=[trig], voices=voices)
    assert [a.kind for a in m.alerts] == ["urgentie_neemt_af", "aanleiding_vervaagd"]
    sig = m.row("veiligheid").classification.signal("residents")
    assert (sig.basis, sig.urgent) == ("stemmen", True)


def test_text_rendering() -> None:
    printed = render_matrix(matrix())
    assert printed.startswith("Urgentie WK0363NP, ronde 2024-voorjaar (2024-03-01)")
    assert "van bovenaf" in printed and "gevoeld, niet gemeten" in printed
    assert "25% (n=8)" in printed and "100% (n=5)" in printed
    assert "−1,45 (2024)" in printed
    assert "urgentie neemt af terwijl de cijfers niet verbeteren" in printed


def test_errors() -> None:
    with pytest.raises(UrgencyError, match="geen antwoorden voor WK0363AA"):
        urgency_matrix(responses(), "WK0363AA", ROUNDS)
    with pytest.raises(UrgencyError, match="is not a CBS area code"):
        urgency_matrix(responses(), "Noord", ROUNDS)
    with pytest.raises(UrgencyError, match="in ronde '2022'"):
        urgency_matrix(responses(), AREA, ROUNDS, round_key="2022")
    with pytest.raises(UrgencyError, match="rondes zonder datum: 2024-voorjaar"):
        urgency_matrix(responses(), AREA, [ROUNDS[0]])
    # A round without answers for this area is never chosen as the default.
    later = [*ROUNDS, RoundInfo("2025", date(2025, 3, 1))]
    assert urgency_matrix(responses(), AREA, later).round.key == R2
