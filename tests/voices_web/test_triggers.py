"""Trigger services on SQLite and PostgreSQL: record (scrubbed), edit, close with a date and a
history that keeps every change, refusals that store nothing, the migration that gives stored
rows their dates, and what the timeline and the report make of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from voices_web_support import PLANTED, WIJK, area, raw_table, store_areas

from wijkbeeld.web.voices import triggers
from wijkbeeld.web.voices.models import Trigger

pytestmark = pytest.mark.django_db(databases="__all__")


def test_lifecycle_keeps_every_status_change(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    row = triggers.record_trigger(
        wijk, "Raadsvraag van Fatima Yilmaz (06-12345678) over de onveilige tunnel",
        when=date(2024, 2, 1), source="raadsvraag", themes=["veiligheid", "veiligheid"],
        using=db_alias)
    stored = Trigger.objects.using(db_alias).get(pk=row.pk)
    assert not any(p in stored.description for p in PLANTED)
    assert "Yilmaz" not in repr(raw_table(Trigger, db_alias))
    assert (stored.status, stored.status_since, stored.themes) == (
        "actief", date(2024, 2, 1), ["veiligheid"])
    assert stored.history == [{"status": "actief", "date": "2024-02-01"}]

    triggers.update_trigger(stored, description="Raadsvraag over de onveilige tunnel",
                            source="raadsvraag", themes=["veiligheid", "openbare_ruimte"],
                            when=date(2024, 1, 30), using=db_alias)
    triggers.set_trigger_status(stored, "vervaagd", on=date(2024, 6, 1), using=db_alias)
    triggers.set_trigger_status(stored, "actief", on=date(2024, 9, 1), using=db_alias)
    triggers.set_trigger_status(stored, "opgelost", on=date(2025, 1, 15), using=db_alias)
    again = Trigger.objects.using(db_alias).get(pk=row.pk)
    assert (again.date, again.status, again.status_since) == (
        date(2024, 1, 30), "opgelost", date(2025, 1, 15))
    assert again.themes == ["veiligheid", "openbare_ruimte"]
    assert again.history == [
        {"status": "actief", "date": "2024-01-30"},  # follows the edited date
        {"status": "vervaagd", "date": "2024-06-01"},
        {"status": "actief", "date": "2024-09-01"},
        {"status": "opgelost", "date": "2025-01-15"},
    ]
    # The core value carries the same dates, one per theme.
    cores = triggers.core_trigger(again)
    assert [c.theme for c in cores] == ["veiligheid", "openbare_ruimte"]
    assert cores[0].status_since == date(2025, 1, 15) and len(cores[0].history) == 4


def test_refused_changes_store_nothing(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    for kwargs in ({"source": "fax"}, {"themes": ["weer"]}, {"status": "weg"}):
        args = {"when": date(2024, 3, 1), "source": "bewoners", "using": db_alias, **kwargs}
        with pytest.raises(triggers.VoiceError):
            triggers.record_trigger(wijk, "Iets gebeurd", **args)  # type: ignore[arg-type]
    with pytest.raises(triggers.VoiceError, match="leeg"):
        triggers.record_trigger(wijk, "  ", when=date(2024, 3, 1), source="nieuws",
                                using=db_alias)
    assert Trigger.objects.using(db_alias).count() == 0
    row = triggers.record_trigger(wijk, "Krantenartikel", when=date(2024, 3, 1),
                                  source="nieuws", using=db_alias)
    with pytest.raises(triggers.TriggerError, match="al actief"):
        triggers.set_trigger_status(row, "actief", on=date(2024, 4, 1), using=db_alias)
    with pytest.raises(triggers.TriggerError, match="vóór de datum"):
        triggers.set_trigger_status(row, "vervaagd", on=date(2024, 2, 1), using=db_alias)
    triggers.set_trigger_status(row, "vervaagd", on=date(2024, 5, 1), using=db_alias)
    with pytest.raises(triggers.TriggerError, match="vóór de vorige wijziging"):
        triggers.set_trigger_status(row, "opgelost", on=date(2024, 4, 30), using=db_alias)
    with pytest.raises(triggers.TriggerError, match="na een statuswijziging"):
        triggers.update_trigger(row, when=date(2024, 6, 1), using=db_alias)
    stored = Trigger.objects.using(db_alias).get(pk=row.pk)
    assert (stored.date, stored.status, len(stored.history)) == (date(2024, 3, 1), "vervaagd", 2)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_migration_gives_stored_rows_their_dates(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    executor = MigrationExecutor(connections[db_alias])
    before = [("voices_web", "0001_initial")]
    latest = executor.loader.graph.leaf_nodes("voices_web")
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_trigger = old_apps.get_model("voices_web", "Trigger")
    old_area = old_apps.get_model("areas", "Area")
    wijk = old_area.objects.using(db_alias).get(code=WIJK, boundary_year=2024)
    old_trigger.objects.using(db_alias).create(
        area=wijk, date=date(2021, 5, 4), source="incident", description="brand",
        themes=["wonen"], status="vervaagd")
    executor = MigrationExecutor(connections[db_alias])
    executor.migrate(latest)
    row = Trigger.objects.using(db_alias).get()
    assert (row.status, row.status_since) == ("vervaagd", date(2021, 5, 4))
    assert row.history == [{"status": "vervaagd", "date": "2021-05-04"}]


def test_timeline_shows_each_status_change_as_a_dated_event(raw: Path, db_alias: str) -> None:
    from wijkbeeld.urgency import measure, timelines
    from wijkbeeld.urgency.options import UrgencyOptions
    from wijkbeeld.urgency.responses import validate_responses
    from wijkbeeld.web.urgency.reading import area_triggers, responses_frame
    from wijkbeeld.web.urgency.timeline import timeline_events

    store_areas(raw, db_alias)
    row = triggers.record_trigger(area(using=db_alias), "Sluiting buurthuis",
                                  when=date(2023, 4, 1), source="gemeente",
                                  themes=["sociale_samenhang"], using=db_alias)
    triggers.set_trigger_status(row, "vervaagd", on=date(2024, 2, 1), using=db_alias)
    cores = area_triggers(WIJK, using=db_alias)
    assert [(c.since, c.status, c.status_since) for c in cores] == [
        (date(2023, 4, 1), "vervaagd", date(2024, 2, 1))]
    empty = measure(validate_responses(responses_frame(area_code=WIJK, using=db_alias)),
                    UrgencyOptions())
    events = timeline_events(timelines(empty, WIJK, [], triggers=cores), {})
    assert [(e.when, e.kind, e.items[0]["status"]) for e in events] == [
        (date(2023, 4, 1), "aanleiding", "actief"),
        (date(2024, 2, 1), "aanleiding", "vervaagd"),
    ]


def test_report_shows_source_themes_status_and_its_date(raw: Path, db_alias: str) -> None:
    from wijkbeeld.report.sections_extra import occasions
    from wijkbeeld.web.reports import _triggers

    store_areas(raw, db_alias)
    row = triggers.record_trigger(area(using=db_alias), "Landelijk programma leefbaarheid",
                                  when=date(2023, 4, 1), source="rijk",
                                  themes=["wonen"], using=db_alias)
    triggers.set_trigger_status(row, "opgelost", on=date(2024, 2, 1), using=db_alias)
    rows = _triggers(WIJK, db_alias)
    assert rows == ({"date": "2023-04-01", "source": "rijk", "themes": ["wonen"],
                     "status": "opgelost", "description": "Landelijk programma leefbaarheid",
                     "status_since": "2024-02-01"},)

    class Data:  # the two things the section reads besides the rows
        triggers = rows
        voices = None
        urgency = None
        language = "nl"
        timelines = ()  # no picture: the table is what this test reads

        @staticmethod
        def theme_label(key: str) -> str:
            return {"wonen": "Wonen"}[key]

    html = occasions(Data()).html  # type: ignore[arg-type]
    assert ("<td>rijk (landelijk doel)</td><td>Wonen</td><td>opgelost (sinds 2024-02-01)</td>"
            in html)
