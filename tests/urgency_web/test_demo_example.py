"""The demo's worked example ("Voorbeeld: fictieve peilingen"): two fictitious rounds about Den
Haag wijk Morgenstond (WK051834), urgency on *werk en inkomen* fading between 2019 and 2021 while
the real figures did not improve, so the urgency matrix (the path of ``wijkbeeld urgency AREA``)
carries the alert "urgentie neemt af terwijl de cijfers niet verbeteren". Only the one figures
file the example rests on is loaded, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from wijkbeeld.urgency import render_matrix
from wijkbeeld.web.demo import load_demo
from wijkbeeld.web.urgency.models import Answer, Invitation, Response, Round
from wijkbeeld.web.urgency.reading import area_matrix

SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
STEPS = {"haaglanden-aandelen", "voorbeeld-peilingen"}
ALERT = "urgentie neemt af terwijl de cijfers niet verbeteren"


def raw_welfare(raw: Path, code: str) -> dict[int, float]:
    """Share of welfare-benefit users per year of one wijk, straight from the raw series."""
    with (raw / SERIES).open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["YEAR"]): float(r["%_Welfare_benefit_user"])
                for r in csv.DictReader(fh) if r["WKC"] == code}


def counts(using: str) -> tuple[int, ...]:
    return tuple(m.objects.using(using).count() for m in (Round, Invitation, Response, Answer))


@pytest.mark.django_db(databases="__all__")
def test_example_rounds_show_fading_urgency_while_figures_do_not_improve(
    db_alias: str, raw: Path
) -> None:
    # The real figures: welfare-benefit use in Morgenstond did not fall from 2019 to 2021.
    welfare = raw_welfare(raw, "WK051834")
    assert welfare[2021] >= welfare[2019] > 0.08

    first = load_demo(verbose=False, using=db_alias, only=STEPS, password="demo-test-1")
    assert {s.key: s.state for s in first.steps} == {k: "geladen" for k in STEPS}
    rounds = list(Round.objects.using(db_alias).order_by("held_on"))
    assert [(r.key, r.held_on.year, r.is_open) for r in rounds] == [
        ("voorbeeld-morgenstond-2019", 2019, False), ("voorbeeld-morgenstond-2021", 2021, False)]
    for r in rounds:  # clearly labelled as example data
        assert r.title.startswith("Voorbeeld: fictieve peilingen")
        assert "voorbeelddata, geen echte antwoorden" in r.title
    # ≥ 5 respondents per group in each round: 8 residents, 6 professionals, 5 policy.
    per_group = Counter(Response.objects.using(db_alias).values_list("round__key", "group"))
    assert per_group == {(r.key, g): n for r in rounds
                         for g, n in (("residents", 8), ("professionals", 6), ("policy", 5))}

    matrix = area_matrix("WK051834", using=db_alias)
    data = json.loads(json.dumps(matrix.to_dict(), ensure_ascii=False))  # as --json prints it
    assert data["round"]["key"] == "voorbeeld-morgenstond-2021"
    fading = [a for a in data["alerts"] if a["kind"] == "urgentie_neemt_af"]
    assert [(a["theme"], a["label"]) for a in fading] == [("werk_inkomen", ALERT)]
    alert = fading[0]
    shares = {g["group"]: (g["share_before"], g["share_after"]) for g in alert["groups"]}
    # By hand from the example's ratings (4 or 5 = urgent): residents 6/8 → 1/8,
    # professionals 5/6 → 1/6, policy 4/5 → 2/5.
    assert shares["residents"] == pytest.approx((6 / 8, 1 / 8))
    assert shares["professionals"] == pytest.approx((5 / 6, 1 / 6))
    assert shares["policy"] == pytest.approx((4 / 5, 2 / 5))
    figures = alert["figures"]
    assert (figures["year_before"], figures["year_after"]) == (2019, 2021)
    assert figures["change"] < matrix.options.improve_delta  # the figures did not improve
    assert figures["score_after"] <= -matrix.options.figures_urgent_z  # and are still urgent
    # armoede_schulden stays urgent for everyone: no fading there.
    assert {a["theme"] for a in data["alerts"] if a["kind"] == "urgentie_neemt_af"} == {
        "werk_inkomen"}
    text = render_matrix(matrix)
    assert ALERT in text and "ronde voorbeeld-morgenstond-2021" in text
    assert data["round"]["label"].startswith("Voorbeeld: fictieve peilingen")

    # Idempotent: a second load changes nothing.
    before = counts(db_alias)
    again = load_demo(verbose=False, using=db_alias, only=STEPS, password="demo-test-1")
    assert not again.changed
    assert {s.state for s in again.steps} == {"ongewijzigd"}
    assert counts(db_alias) == before


@pytest.mark.django_db
def test_cli_json_shows_the_alert(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main

    load_demo(verbose=False, only=STEPS, password="demo-test-1")
    assert main(["urgency", "WK051834", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["label"] for a in data["alerts"] if a["theme"] == "werk_inkomen"] == [ALERT]


@pytest.mark.django_db
def test_example_without_its_wijk_is_skipped_and_stores_nothing() -> None:
    result = load_demo(verbose=False, only={"voorbeeld-peilingen"}, password="demo-test-1")
    assert [s.state for s in result.steps] == ["overgeslagen"]
    assert "WK051834" in result.steps[0].detail
    assert counts("default") == (0, 0, 0, 0)


#: The classes of the 2021 round per theme, by hand from the example's ratings (4 or 5 = urgent,
#: a group urgent from half of it) and the real theme scores (urgent at −0,5 or lower):
#: 2021 scores armoede −1,07, werk −0,77, gezondheid −0,29, jeugd −0,57, samenhang +0,06,
#: veiligheid −0,01 (2017, its last year with a score).
CLASSES_2021 = {
    "armoede_schulden": "gedeeld",  # residents 7/8, professionals 6/6, policy 4/5
    "werk_inkomen": "van_bovenaf",  # figures urgent; residents 1/8, professionals 1/6
    "jeugd_onderwijs": "verdeeld",  # professionals 5/6 and policy 4/5, residents 1/8
    "veiligheid": "gevoeld_niet_gemeten",  # residents 6/8; figures and policy not
    "gezondheid_zorg": "gevoeld_niet_gemeten",  # professionals 5/6; figures and policy not
    "sociale_samenhang": "geen",  # residents 1/8, others 0
}


@pytest.mark.django_db(databases="__all__")
def test_every_urgency_class_appears_and_the_picture_shifts_residents(db_alias: str) -> None:
    load_demo(verbose=False, using=db_alias, only=STEPS, password="demo-test-1")
    seen: dict[str, set[str]] = {}
    for key in ("voorbeeld-morgenstond-2019", "voorbeeld-morgenstond-2021"):
        data = area_matrix("WK051834", round_key=key, using=db_alias).to_dict()
        seen[key] = {row["class"]["key"] for row in data["themes"]}
        if key.endswith("2021"):
            assert {row["theme"]: row["class"]["key"] for row in data["themes"]} == CLASSES_2021
    assert seen["voorbeeld-morgenstond-2019"] == {"gedeeld"}
    assert set().union(*seen.values()) >= {
        "gedeeld", "van_bovenaf", "gevoeld_niet_gemeten", "verdeeld", "geen"}

    # Blind first, then after the picture: the blind rating is the measure (residents on werk
    # en inkomen 1 of 8 urgent, as above), the after rating its own signal.
    answers = Answer.objects.using(db_alias).filter(
        response__round__key="voorbeeld-morgenstond-2021", response__group="residents",
        theme="werk_inkomen").order_by("response__invitation_id")
    blind = [a.rating for a in answers]
    after = [a.rating_after for a in answers]
    assert blind == [3, 2, 4, 3, 2, 3, 1, 3]
    assert after == [4, 3, 4, 4, 3, 4, 2, 3]
    assert sum(after) / 8 - sum(blind) / 8 == pytest.approx(0.75)  # ≥ 0.5: "het beeld verandert"
    assert all(r.blind_at is not None for r in Response.objects.using(db_alias).all())


@pytest.mark.django_db
def test_dashboard_shows_every_class_and_the_shift_signal() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    load_demo(verbose=False, only=STEPS, password="demo-test-1")
    client = Client()
    client.force_login(get_user_model().objects.get(username="analist"))
    page = client.get("/urgentie/WK051834/").content.decode()
    for label in ("gedeelde urgentie", "van bovenaf", "gevoeld, niet gemeten", "verdeeld",
                  "geen urgentie"):
        assert label in page, label
    row = re.search(r'<tr data-theme="werk_inkomen">(.*?)</tr>',
                    page[page.index("beeld verandert") - 3000:], re.S)
    assert row is not None
    assert re.search(r'data-group="bewoners">2,6 → 3,4 \(\+0,8\)<br><strong '
                     r'class="shift-signal">het beeld verandert de urgentie', row.group(1))
