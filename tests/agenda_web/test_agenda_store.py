"""The agenda tables on SQLite and PostgreSQL: versions are appended and never changed, the
database refuses a second version with the same number, and the learning network built from
stored rounds applies the small-number rule to cross-city aggregates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from agenda_web_support import AMS, HAAG, store_two_wijken
from django.db import IntegrityError, transaction

from wijkbeeld.urgency import CLASS_LABELS
from wijkbeeld.web.agenda import services
from wijkbeeld.web.agenda.models import AgendaItemVersion, VersionImmutable
from wijkbeeld.web.agenda.network import network_comparison
from wijkbeeld.web.urgency.services import (
    ThemeAnswer,
    close_round,
    create_invitations,
    open_round,
    submit_response,
)

TARGET = {"kind": "indicator", "key": "elan_bijstand", "baseline": 0.081,
          "baseline_at": "2019", "target": 0.075}


@pytest.mark.django_db(databases="__all__")
def test_versions_are_appended_never_changed(db_alias: str, raw: Path) -> None:
    store_two_wijken(raw, using=db_alias)
    party = services.add_party(HAAG, "Welzijn", "welzijn", "opbouwwerker", using=db_alias)
    agenda = services.create_agenda(HAAG, "Agenda", using=db_alias)
    item = services.add_item(agenda, "armoede", "armoede_schulden", "Minder armoede.",
                             targets=[TARGET], parties=[party], using=db_alias)
    services.agree_agenda(agenda, date(2023, 1, 10), using=db_alias)
    with pytest.raises(services.AgendaError, match="datum"):
        services.revise_item(item, ambition="Anders.", targets=[TARGET], parties=[party],
                             change_note="x", using=db_alias)
    v2 = services.revise_item(item, ambition="Minder armoede en schulden.", targets=[TARGET],
                              parties=[party], change_note="schulden erbij",
                              agreed_on=date(2024, 1, 5), using=db_alias)
    assert v2.number == 2
    v1 = AgendaItemVersion.objects.using(db_alias).get(item=item, number=1)
    assert v1.ambition == "Minder armoede." and v1.agreed_on is None  # agreed with the agenda
    v1.ambition = "overschreven"
    with pytest.raises(VersionImmutable):
        v1.save(using=db_alias)
    with pytest.raises(VersionImmutable):
        v1.delete()
    assert AgendaItemVersion.objects.using(db_alias).get(pk=v1.pk).ambition == "Minder armoede."
    with pytest.raises(IntegrityError), transaction.atomic(using=db_alias):
        AgendaItemVersion(item=item, number=2, ambition="dubbel").save(using=db_alias)
    # Personal data in free text is scrubbed before it is stored.
    v3 = services.revise_item(item, ambition="Bel 06-12345678 voor hulp bij schulden.",
                              targets=[TARGET], parties=[party], change_note="telefoon",
                              agreed_on=date(2024, 2, 1), using=db_alias)
    assert "12345678" not in v3.ambition
    with pytest.raises(services.AgendaError, match="indicator 'bestaat_niet'"):
        services.revise_item(item, ambition="x", targets=[dict(TARGET, key="bestaat_niet")],
                             parties=[party], change_note="x", agreed_on=date(2024, 3, 1),
                             using=db_alias)
    assert AgendaItemVersion.objects.using(db_alias).filter(item=item).count() == 3


def _round(key: str, code: str, ratings: list[int], using: str) -> None:
    rnd = open_round(key, [code], ["wonen"], date(2024, 4, 1), using=using)
    for token, rating in zip(create_invitations(rnd, "residents", len(ratings), using=using),
                             ratings, strict=True):
        submit_response(token, [ThemeAnswer("wonen", rating, "ja")], using=using)
    close_round(rnd, using=using)


@pytest.mark.django_db(databases="__all__")
def test_network_from_stored_rounds_withholds_small_groups(db_alias: str, raw: Path) -> None:
    store_two_wijken(raw, using=db_alias)
    _round("ams-2024", AMS, [5, 4, 4, 2, 5, 1], db_alias)  # 6 residents, 4 urgent
    _round("haag-2024", HAAG, [5, 5, 4], db_alias)  # 3 residents: under the minimum
    # A draft agenda of Amsterdam does not count towards progress.
    draft = services.create_agenda(AMS, "Concept", using=db_alias)
    services.add_item(draft, "wonen", "wonen", "Beter wonen.", targets=[
        {"kind": "round", "key": "wonen", "group": "residents", "metric": "share_urgent",
         "baseline": 0.9, "baseline_at": "r0", "target": 0.5}], using=db_alias)
    net = network_comparison(using=db_alias)
    assert net.min_n == 5 and net.municipalities == ("GM0363", "GM0518")
    ams = net.cell("GM0363", "wonen")
    # Issue 18: a pooled figure needs at least 3 areas (each with 5 or more answers); here one
    # area of 6 residents (4 urgent): the share and the count are withheld.
    assert ams is not None and ams.respondents is None
    assert ams.group_shares == {"residents": None}
    assert ams.classes is not None and set(ams.classes) <= set(CLASS_LABELS)
    assert ams.progress == {}  # the draft is not counted
    haag = net.cell("GM0518", "wonen")
    assert haag is not None and haag.urgency_withheld and haag.group_shares is None
