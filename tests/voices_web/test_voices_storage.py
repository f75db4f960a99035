"""Storing voices: scrubbed before storage (checked in the raw tables), tagged, counted through
the small-number rule, quoted only from five voices up; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from voices_web_support import (
    PLANTED,
    PLANTED_TEXT,
    WIJK,
    area,
    raw_table,
    store_areas,
    user,
    voices,
)

from wijkbeeld.web.voices import services
from wijkbeeld.web.voices.models import TextReadAudit, Trigger, Voice, VoiceTheme

pytestmark = pytest.mark.django_db(databases="__all__")


def test_planted_personal_data_never_reaches_the_database(raw: Path, db_alias: str) -> None:
    names = store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    text = f"{PLANTED_TEXT} Dat speelt in heel {names[WIJK]}."
    voice = services.record_voice(wijk, text, when=date(2024, 3, 1), channel="gesprek",
                                  group="professionals", organisation_type="Fatima Yilmaz",
                                  using=db_alias)
    services.record_trigger(wijk, "Brief van Fatima Yilmaz (06-12345678) over de speeltuin",
                            when=date(2024, 3, 2), source="bewoners", themes=["wonen"],
                            using=db_alias)
    dumped = repr([raw_table(m, db_alias) for m in (Voice, VoiceTheme, Trigger)])
    for planted in PLANTED:
        assert planted not in dumped
    assert "Yilmaz" not in dumped and "12345678" not in dumped
    stored = Voice.objects.using(db_alias).get(pk=voice.pk)
    assert stored.text.startswith("Ik sprak met [NAAM], bel [TELEFOON] of mail [EMAIL]")
    assert names[WIJK] in stored.text  # the area's own name is kept
    assert stored.scrub_report == {"EMAIL": 1, "TELEFOON": 1, "NAAM": 1}
    assert stored.organisation_type == "[NAAM]"
    themes = dict(VoiceTheme.objects.using(db_alias).filter(voice=voice)
                  .values_list("theme", "confirmed"))
    # "overlast van jongeren": nuisance is veiligheid, the young people a passing mention (#20)
    assert {"veiligheid", "openbare_ruimte"} <= set(themes)
    assert not any(themes.values())
    assert stored.tone == "zorg"


def test_bad_voice_stores_nothing(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    for kwargs in ({"channel": "fax"}, {"group": "iedereen"}, {"urgency": 6}):
        args = {"when": date(2024, 3, 1), "channel": "gesprek", "group": "residents",
                "using": db_alias, **kwargs}
        with pytest.raises(services.VoiceError):
            services.record_voice(wijk, "Er ligt veel zwerfafval.", **args)  # type: ignore[arg-type]
    with pytest.raises(services.VoiceError, match="leeg"):
        services.record_voice(wijk, "   ", when=date(2024, 3, 1), channel="gesprek",
                              group="residents", using=db_alias)
    assert Voice.objects.using(db_alias).count() == 0


def test_counts_withhold_small_cells_and_include_buurten(raw: Path, db_alias: str) -> None:
    names = store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    buurt = area(sorted(c for c in names if c.startswith("BU"))[0], db_alias)
    voices(wijk, 4, "Er ligt veel zwerfafval op straat", using=db_alias)
    voices(buurt, 3, "Het zwerfafval op straat is erg", using=db_alias)
    voices(wijk, 2, "Er ligt zwerfafval op straat", group="professionals", using=db_alias)
    grid = services.counts(wijk, using=db_alias)
    assert grid.count("openbare_ruimte", "professionals") is None  # 2 < 5
    assert grid.count("openbare_ruimte", "policy") is None  # 0 is withheld too
    # Issue 18: with the row total 9 published, 9 − 7 = 2 would leave professionals in 0..2,
    # so residents (4 in the wijk + 3 in a buurt = 7) is withheld too (9 over 7, 2 and 0).
    assert grid.count("openbare_ruimte", "residents") is None
    # and the grand total 9 goes (it would give the professionals' 2 again, as 9 − 7).
    assert grid.row_totals["openbare_ruimte"] == 9 and grid.total is None
    assert grid.column_totals["residents"] == 7
    assert grid.column_totals["professionals"] is None
    assert services.counts(buurt, using=db_alias).count("openbare_ruimte", "residents") is None


def test_quotes_only_from_five_consenting_voices(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    voices(wijk, 4, "De buurt is schoon en het zwerfafval wordt goed opgeruimd", using=db_alias)
    voices(wijk, 3, "Zwerfafval op straat, niemand ruimt het op", consent=False, using=db_alias)
    assert services.quotes(wijk, "openbare_ruimte", using=db_alias).withheld
    voices(wijk, 1, "Zwerfafval ligt overal op straat", group="professionals", using=db_alias)
    selection = services.quotes(wijk, "openbare_ruimte", using=db_alias)
    assert not selection.withheld and selection.candidates == 5
    consenting = set(Voice.objects.using(db_alias).filter(consent=True).values_list("pk",
                                                                                    flat=True))
    assert selection.quotes and {q.id for q in selection.quotes} <= consenting


def test_correction_rescrubs_and_confirms(raw: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    wijk = area(using=db_alias)
    analyst = user("ana", "analyst")
    if db_alias != "default":  # users live in the alias they are created in
        analyst.save(using=db_alias)
    voice = voices(wijk, 1, "Er ligt veel zwerfafval", using=db_alias)[0]
    services.correct_voice(voice, text="Volgens Fatima Yilmaz is het onveilig op straat",
                           themes=["veiligheid"], tone="zorg", urgency=4, who=analyst,
                           using=db_alias)
    stored = Voice.objects.using(db_alias).get(pk=voice.pk)
    assert "Yilmaz" not in stored.text and "[NAAM]" in stored.text
    assert stored.scrub_report == {"NAAM": 1} and stored.urgency == 4
    assert list(VoiceTheme.objects.using(db_alias).filter(voice=voice)
                .values_list("theme", "confirmed")) == [("veiligheid", True)]
    services.read_full_text(stored, analyst, using=db_alias)
    assert TextReadAudit.objects.using(db_alias).filter(voice=voice, user=analyst).count() == 1
