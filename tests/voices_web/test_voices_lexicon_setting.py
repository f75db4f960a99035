"""A municipality's own lexicon file (setting WIJKBEELD_LEXICON_FILES) changes the suggested
themes of stored voices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from voices_web_support import area, store_areas

from wijkbeeld.web.voices import services
from wijkbeeld.web.voices.models import VoiceTheme

TEXT = "De klimboomgaard achter de school is al maanden dicht."


@pytest.fixture
def fresh_tagger() -> Iterator[None]:
    services._TAGGER = None
    yield
    services._TAGGER = None


def _themes(db_alias: str, raw: Path) -> set[str]:
    store_areas(raw, db_alias)
    voice = services.record_voice(area(using=db_alias), TEXT, when=date(2024, 3, 1),
                                  channel="gesprek", group="residents", using=db_alias)
    return set(VoiceTheme.objects.using(db_alias).filter(voice=voice)
               .values_list("theme", flat=True))


@pytest.mark.django_db(databases="__all__")
def test_own_lexicon_file_adds_a_theme(
    raw: Path, db_alias: str, tmp_path: Path, settings: object, fresh_tagger: None
) -> None:
    assert "openbare_ruimte" not in _themes(db_alias, raw)  # the bundled lexicon lacks the word
    own = tmp_path / "amsterdam.toml"
    own.write_text('[themes.openbare_ruimte]\nwords = ["klimboomgaard"]\n', encoding="utf-8")
    settings.WIJKBEELD_LEXICON_FILES = [str(own)]  # type: ignore[attr-defined]
    services._TAGGER = None
    assert "openbare_ruimte" in _themes(db_alias, raw)
