"""Acceptance check: the demo's worked example takes one wijk (Den Haag Morgenstond, WK051834)
from picture to agenda to two years of progress. Expected numbers come from the raw ELAN series
(csv module) and from the example's ratings counted by hand, never from the code under test.
Loads only the one figures file and the two example steps, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from wijkbeeld.web.agenda.models import Action, ActionUpdate, Agenda, AgendaItemVersion, Party
from wijkbeeld.web.agenda.reading import agenda_state, timeline_events
from wijkbeeld.web.demo import load_demo
from wijkbeeld.web.demo_agenda import AGENDA_TITLE

SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
STEPS = {"haaglanden-aandelen", "voorbeeld-peilingen", "voorbeeld-agenda"}
CODE = "WK051834"
ALERT = "urgentie neemt af terwijl de cijfers niet verbeteren"


def raw_series(raw: Path, column: str) -> dict[int, float]:
    with (raw / SERIES).open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["YEAR"]): float(r[column]) for r in csv.DictReader(fh) if r["WKC"] == CODE}


def counts(using: str) -> tuple[int, ...]:
    return tuple(m.objects.using(using).count()
                 for m in (Party, Agenda, AgendaItemVersion, Action, ActionUpdate))


@pytest.mark.django_db(databases="__all__")
def test_morgenstond_from_picture_to_agenda_to_two_years_of_progress(
    db_alias: str, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = load_demo(verbose=False, using=db_alias, only=STEPS, password="demo-test-1")
    assert {s.key: s.state for s in first.steps} == {k: "geladen" for k in STEPS}

    agenda = Agenda.objects.using(db_alias).get(area_code=CODE)
    assert agenda.title == AGENDA_TITLE and "fictief" in agenda.title  # clearly labelled
    assert agenda.is_agreed and agenda.agreed_on.isoformat() == "2019-12-12"
    assert agenda.municipality == "GM0518"
    assert all("(voorbeeld)" in p.name for p in Party.objects.using(db_alias).all())

    state = agenda_state(agenda, using=db_alias)
    items = {s.item.key: s for s in state.items}
    assert list(items) == ["werk-inkomen", "armoede"]

    # Versioning: werk-inkomen was revised in 2021; version 1 is still there, unchanged.
    werk = items["werk-inkomen"]
    assert [v.number for v in werk.versions] == [1, 2]
    assert werk.versions[0].ambition == "Meer bewoners van Morgenstond hebben betaald werk."
    assert werk.version.agreed_on.isoformat() == "2021-11-15"
    assert "ondernemers" in {p.party_type for p in werk.parties}
    assert "ondernemers" not in {p.party_type for p in werk.versions[0].parties.all()}

    # Indicator progress, by hand from the raw series: employees 2019 → 2021, target +0.02.
    employees = raw_series(raw, "%_Employee")
    ind = next(p for p in werk.progress if p.target.kind == "indicator")
    assert ind.target.baseline == pytest.approx(employees[2019])
    assert ind.latest is not None and ind.latest.at == "2022"
    expected = (employees[2022] - employees[2019]) / 0.02  # target = baseline + 0.02 (rounded)
    assert ind.fraction == pytest.approx(expected, rel=0.02)
    assert ind.status == "achteruit"  # 0.3168 → 0.3057: away from the target

    # Round question: residents rating werk_inkomen 4 or 5: 6 of 8 in 2019, 1 of 8 in 2021.
    rq = next(p for p in werk.progress if p.target.kind == "round")
    assert rq.target.baseline == pytest.approx(6 / 8)
    assert rq.latest is not None and rq.latest.value == pytest.approx(1 / 8)
    assert rq.latest.at == "voorbeeld-morgenstond-2021"

    # Stall check: indicator does not move while round urgency fades -> persistence alert.
    assert werk.alert is not None and werk.alert.kind == "urgentie_neemt_af"
    assert werk.alert.label == ALERT
    shares = {g.group: (g.share_before, g.share_after) for g in werk.alert.groups}
    assert shares["residents"] == pytest.approx((6 / 8, 1 / 8))
    assert shares["professionals"] == pytest.approx((5 / 6, 1 / 6))

    # Armoede: the low-income share fell by more than a quarter of the way -> moving, no alert.
    low = raw_series(raw, "%_Low_Income")
    armoede = items["armoede"]
    by_key = {p.target.key: p for p in armoede.progress}
    frac = (low[2022] - low[2019]) / -0.02
    assert by_key["elan_laag_inkomen"].fraction == pytest.approx(frac, rel=0.02)
    assert by_key["elan_laag_inkomen"].status in ("vooruit", "bereikt")
    assert armoede.alert is None

    # Two years of actions, reported in 2020 and 2021.
    years = {u.on.year for u in ActionUpdate.objects.using(db_alias).all()}
    assert years == {2020, 2021}
    done = Action.objects.using(db_alias).get(title__startswith="Vroegsignalering")
    assert (done.status, done.progress) == ("afgerond", 100)

    # Coverage: every group reported in both rounds; politie etc. are not parties here.
    assert [c.round_key for c in state.coverage] == [
        "voorbeeld-morgenstond-2019", "voorbeeld-morgenstond-2021"]
    assert all(c.missing_groups == () for c in state.coverage)

    # Timeline: figures, rounds, agenda, actions and the alert together, in date order.
    events = timeline_events(state, using=db_alias)
    kinds = {e.kind for e in events}
    assert {"cijfers", "peiling", "agenda", "actie", "signaal"} <= kinds
    assert [e.when for e in events] == sorted(e.when for e in events)

    # The report gains an "agenda" section with the items, the progress and the alert.
    from wijkbeeld.report import render_sections
    from wijkbeeld.web.reports import build_report_data

    data = build_report_data(CODE, with_map=False, using=db_alias)
    sections = {s.name: s for s in render_sections(data)}
    assert "agenda" in sections
    html = sections["agenda"].html
    assert AGENDA_TITLE in html and "versie 2" in html and ALERT in html
    assert "aandeel werknemers" in html and "Banenspreekuur in het wijkcentrum" in html

    if db_alias == "default":  # the CLI reads the default database
        from wijkbeeld.cli import main

        capsys.readouterr()
        assert main(["agenda", "show", CODE, "--json", "--timeline"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert [i["key"] for i in out["items"]] == ["werk-inkomen", "armoede"]
        assert out["items"][0]["alert"]["kind"] == "urgentie_neemt_af"
        assert out["items"][0]["version"] == 2 and out["items"][1]["alert"] is None
        assert {e["kind"] for e in out["timeline"]} >= {"cijfers", "peiling", "actie"}
        assert main(["agenda", "show", CODE, "--timeline"]) == 0
        text = capsys.readouterr().out
        assert "SIGNAAL: " + ALERT in text and "versie 2" in text
        assert main(["agenda", "show", "WK036300"]) == 1

    before = counts(db_alias)
    again = load_demo(verbose=False, using=db_alias, only=STEPS, password="demo-test-1")
    assert {s.state for s in again.steps} == {"ongewijzigd"}
    assert counts(db_alias) == before
