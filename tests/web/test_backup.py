"""``wijkbeeld backup`` / ``restore`` round-trip the whole database between SQLite and PostgreSQL.

Real data is stored on one engine (Den Haag wijk boundaries with GeoJSON geometry, the Amsterdam
KWB 2024 figures, users with password hashes, a round with hashed invitation tokens, scrubbed
answers, voices and the read audit), backed up, restored into the other engine's empty database and
backed up again: every table's rows must be equal. The expected row counts come from plain SQL on
the source, not from the backup code. A damaged file and a non-empty target restore nothing.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from wijkbeeld.web.backup import BackupError, backed_up_models, backup, read_rows, restore

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
GEOJSON = "haaglanden-wijken-zorg/haaglanden_wijken.geojson"
PASSWORD = "geheim-wachtwoord-1"

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.fixture(autouse=True)
def _fresh_contenttype_cache() -> Any:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def _needs_postgres() -> None:
    from django.conf import settings

    if "postgres" not in settings.DATABASES:
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")


def _user(username: str, role: str, using: str, **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save(using=using)
    return user


def _load(raw: Path, using: str) -> list[str]:
    """Demo-like data on ``using``; returns the plain invitation tokens."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        close_round,
        create_invitations,
        open_round,
        submit_response,
    )
    from wijkbeeld.web.voices.models import TextReadAudit
    from wijkbeeld.web.voices.services import record_voice

    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=using)
    store_boundaries(read_boundaries(raw / GEOJSON, year=2022), who="test", using=using)
    store_table(read_figures(raw / KWB_2024, catalogue=catalogue), who="test", using=using)
    admin = _user("beheer", "admin", using, is_superuser=True, is_staff=True)
    analyst = _user("analist", "analyst", using, municipality="GM0363")
    rnd = open_round("2024-voorjaar", ["WK0363AF"], ["veiligheid", "wonen"], date(2024, 4, 1),
                     title="Voorjaar", created_by=admin, using=using)
    tokens = create_invitations(rnd, "residents", 3, using=using)
    for i, token in enumerate(tokens[:2]):
        submit_response(token, [ThemeAnswer("veiligheid", 4 + i, "ja", "Bel Jan op 06-12345678"),
                                ThemeAnswer("wonen", None, None, "")],
                        story="Het is hier 's avonds onrustig €", using=using)
    close_round(rnd, using=using)
    from wijkbeeld.web.areas.models import Area

    area = Area.objects.using(using).get(code="WK0363AF", boundary_year=2024)
    voice = record_voice(area, "Veel zwerfafval bij de speeltuin", when=date(2024, 5, 1),
                         channel="gesprek", group="residents", consent=True, using=using)
    TextReadAudit.objects.using(using).create(user=analyst, voice=voice)
    return tokens


def _sql_counts(using: str) -> dict[str, int]:
    """Rows per table by plain SQL (independent of the backup code)."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for model in backed_up_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[model._meta.label_lower] = cursor.fetchone()[0]
    return counts


@pytest.mark.parametrize(("source", "target"), [("default", "postgres"), ("postgres", "default")])
def test_round_trip_between_engines(raw: Path, tmp_path: Path, source: str, target: str) -> None:
    _needs_postgres()
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.urgency.services import invitation_for_token

    tokens = _load(raw, source)
    expected = _sql_counts(source)
    assert expected["figures.observation"] > 10_000
    assert expected["areas.area"] > 100

    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    written = backup(first, using=source)
    assert written.rows == sum(expected.values())
    restored = restore(first, using=target)
    assert restored.rows == written.rows
    assert _sql_counts(target) == expected
    backup(second, using=target)

    a, b = read_rows(first), read_rows(second)
    assert a.keys() == b.keys()
    for label in a:
        assert a[label] == b[label], label

    # What users and respondents rely on still works on the target engine.
    users = get_user_model().objects.using(target)
    assert users.get(username="beheer").check_password(PASSWORD)
    assert invitation_for_token(tokens[0], using=target).response.answers.count() == 2
    from wijkbeeld.web.areas.models import Area

    source_geo = Area.objects.using(source).exclude(geometry="").order_by("pk")
    target_geo = Area.objects.using(target).exclude(geometry="").order_by("pk")
    assert list(source_geo.values_list("code", "geometry")) == list(
        target_geo.values_list("code", "geometry"))
    # New rows get new ids after a restore (sequences were reset on PostgreSQL).
    new = _user("nieuw", "viewer", target)
    assert new.pk > users.exclude(pk=new.pk).order_by("-pk").values_list("pk", flat=True)[0]


def _small(using: str) -> None:
    _user("beheer", "admin", using)


def test_restore_refuses_a_database_with_data(tmp_path: Path) -> None:
    _small("default")
    file = tmp_path / "b.zip"
    backup(file)
    with pytest.raises(BackupError, match=r"alleen in een lege database.*accounts\.user"):
        restore(file)


def _corrupt_member(src: Path, dst: Path) -> None:
    """Copy the backup with one changed byte in the users' data (checksum no longer matches)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "data/accounts.user.jsonl":
                data = data.replace(b"beheer", b"beheeR")
            zout.writestr(item, data)


def test_damaged_backup_restores_nothing(tmp_path: Path) -> None:
    _needs_postgres()
    _small("default")
    good = tmp_path / "good.zip"
    backup(good)
    changed, cut, junk = tmp_path / "changed.zip", tmp_path / "cut.zip", tmp_path / "junk.zip"
    _corrupt_member(good, changed)
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    junk.write_bytes(b"geen backup")
    before = _sql_counts("postgres")
    for bad, why in ((changed, "controlegetal"), (cut, "beschadigd"), (junk, "beschadigd")):
        with pytest.raises(BackupError, match=why):
            restore(bad, using="postgres")
        assert _sql_counts("postgres") == before
    restore(good, using="postgres")  # the intact file still restores
    assert _sql_counts("postgres")["accounts.user"] == 1


def test_cli_backup_and_restore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main

    _small("default")
    file = tmp_path / "cli.zip"
    assert main(["backup", str(file)]) == 0
    assert "backup van" in capsys.readouterr().out
    assert main(["backup", str(file)]) == 2  # never overwrites without --force
    assert "bestaat al" in capsys.readouterr().err
    assert main(["restore", str(file)]) == 2  # the database is not empty
    assert "lege database" in capsys.readouterr().err
