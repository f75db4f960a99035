"""AVG duties: erase and export one respondent by token, purge past the retention period, and
the audit log of full-text reads (complete, viewable by admins only). On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from security_support import GM, THEMES, WIJK, YEAR, kwb_names, make_user

from wijkbeeld.cli import main
from wijkbeeld.web.urgency.models import Answer, Invitation, Response
from wijkbeeld.web.voices.models import TextReadAudit, Voice

#: Personal data typed by a respondent; scrubbing must keep it out of storage and exports.
PLANTED = ("Fatima Yilmaz", "06-12345678")
STORY = "Bel Fatima Yilmaz op 06-12345678: de straat is 's nachts onveilig geworden."


def _round(raw: Path, tmp: Path, using: str) -> list[str]:
    from wijkbeeld.web.figures.store import ensure_areas
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        create_invitations,
        open_round,
        submit_response,
    )

    ensure_areas(list(kwb_names(raw).items()), YEAR, using=using)
    rnd = open_round("2024-najaar", [WIJK], THEMES, date(2024, 10, 1), using=using)
    tokens = create_invitations(rnd, "residents", 2, using=using)
    for i, token in enumerate(tokens):
        submit_response(token, [ThemeAnswer("veiligheid", 4 + i, "ja", "Veel overlast."),
                                ThemeAnswer("wonen", 2, "deels", "")],
                        story=STORY, using=using)
    return tokens


@pytest.mark.django_db(databases="__all__")
def test_erase_removes_one_respondent_only(raw: Path, tmp_path: Path, db_alias: str) -> None:
    from wijkbeeld.web.privacy import erase, export

    gone, kept = _round(raw, tmp_path, db_alias)
    responses = Response.objects.using(db_alias)
    assert responses.count() == 2 and Answer.objects.using(db_alias).count() == 4
    stories = Voice.objects.using(db_alias).filter(source__startswith="peiling:")
    assert stories.count() == 2
    before = export(kept, using=db_alias)

    removed = erase(gone, using=db_alias)
    assert removed.counts == {"responses": 1, "antwoorden": 2, "stemmen": 1, "uitnodigingen": 0}
    assert responses.count() == 1 and Answer.objects.using(db_alias).count() == 2
    assert stories.count() == 1
    assert export(gone, using=db_alias)["antwoord"] is None
    assert export(kept, using=db_alias) == before  # the other respondent is untouched
    assert erase(gone, revoke=True, using=db_alias).counts["uitnodigingen"] == 1
    assert Invitation.objects.using(db_alias).count() == 1


@pytest.mark.django_db(databases="__all__")
def test_export_holds_what_is_stored_and_no_typed_personal_data(
        raw: Path, tmp_path: Path, db_alias: str) -> None:
    from wijkbeeld.web.privacy import export

    token = _round(raw, tmp_path, db_alias)[1]
    data = export(token, using=db_alias)
    stored = Response.objects.using(db_alias).get(respondent=data["antwoord"]["respondent"])
    assert data["uitnodiging"]["peiling"] == "2024-najaar"
    assert data["uitnodiging"]["gebied"] == WIJK
    assert {(t["thema"], t["score"], t["herkenning"]) for t in data["antwoord"]["themas"]} == {
        ("veiligheid", 5, "ja"), ("wonen", 2, "deels")}
    assert data["antwoord"]["verhaal"] == stored.story
    assert data["stem_uit_verhaal"]["tekst"] == Voice.objects.using(db_alias).get(
        source=f"peiling:{stored.pk}").text
    text = json.dumps(data, ensure_ascii=False)
    assert token not in text
    for secret in PLANTED:
        assert secret not in text


@pytest.mark.django_db(databases="__all__")
def test_purge_respects_retention_and_dry_run(raw: Path, tmp_path: Path, db_alias: str) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.privacy import purge
    from wijkbeeld.web.voices.services import record_voice

    _round(raw, tmp_path, db_alias)
    area = Area.objects.using(db_alias).get(code=WIJK, boundary_year=YEAR)
    record_voice(area, "Zwerfafval bij de speeltuin.", when=date(2024, 5, 1),
                 channel="gesprek", group="residents", using=db_alias)
    voices, responses = Voice.objects.using(db_alias), Response.objects.using(db_alias)
    assert (voices.count(), responses.count()) == (3, 2)

    days = settings.WIJKBEELD_RETENTION_RESPONSES_DAYS
    soon = timezone.now() + timedelta(days=days - 1)
    assert purge(now=soon, voices_days=0, using=db_alias).counts["responses"] == 0
    later = timezone.now() + timedelta(days=days + 1)
    dry = purge(now=later, voices_days=0, dry_run=True, using=db_alias)
    assert dry.counts["responses"] == 2 and dry.counts["stemmen"] == 2  # the two stories
    assert (voices.count(), responses.count()) == (3, 2)  # a dry run changes nothing
    done = purge(now=later, voices_days=0, using=db_alias)
    assert done.counts == dry.counts
    assert (voices.count(), responses.count(), Answer.objects.using(db_alias).count()) == (1, 0, 0)
    purge(now=timezone.now() + timedelta(days=1), voices_days=1, responses_days=0, using=db_alias)
    assert voices.count() == 0


@pytest.mark.django_db
def test_privacy_cli(raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wijkbeeld.cli._privacy.django_ready", lambda: None)
    token = _round(raw, tmp_path, "default")[0]
    assert main(["privacy", "export", f"https://wijkbeeld.example.nl/peiling/{token}/"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["uitnodiging"]["gebied"] == WIJK
    assert main(["privacy", "purge", "--dry-run"]) == 0
    assert "zou verwijderen" in capsys.readouterr().out
    assert main(["privacy", "erase", token]) == 0
    assert "responses 1" in capsys.readouterr().out
    assert main(["privacy", "erase", "A" * 43]) == 2
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_every_full_text_read_is_audited_and_only_admins_see_the_log(
        raw: Path, tmp_path: Path) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.voices.services import record_voice

    _round(raw, tmp_path, "default")
    area = Area.objects.get(code=WIJK, boundary_year=YEAR)
    voice = record_voice(area, "Overlast van scooters op de stoep.", when=date(2024, 5, 1),
                         channel="gesprek", group="residents")
    analyst, admin = make_user("an", "analyst", GM), make_user("ad", "admin")
    client = Client()
    client.force_login(analyst)
    assert client.get(f"/stemmen/{voice.pk}/").status_code == 200
    assert client.get("/stemmen/").status_code == 200  # the list shows no texts: no audit row
    assert client.get(f"/stemmen/{voice.pk}/").status_code == 200
    reads = TextReadAudit.objects.filter(voice=voice)
    assert [(r.user_id, r.voice_id) for r in reads] == [(analyst.pk, voice.pk)] * 2
    assert client.get("/admin/voices_web/textreadaudit/").status_code in (302, 403)
    client.force_login(admin)
    page = client.get("/admin/voices_web/textreadaudit/")
    assert page.status_code == 200 and "an" in page.content.decode()
    assert client.get(f"/admin/voices_web/textreadaudit/{reads[0].pk}/delete/").status_code == 403
