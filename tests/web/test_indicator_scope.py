"""Indicator definitions have a scope (issue 18, finding 2): national (the bundled catalogue,
read-only for an account tied to a municipality) or owned by one municipality, with the owner's
code as the key's namespace (``GM0518:eigen_score``).

Before the fix an analyst of Den Haag (GM0518) uploading a mapping with a full definition under
an existing key rewrote that indicator for everyone: a national one (its English name, source
and description) or one that Amsterdam (GM0363) had defined. Now such an upload is refused with
a Dutch message naming the indicator and nothing of it is stored; a new indicator of Den Haag's
own is stored under ``GM0518:…`` and shown so by the API and the CLI. Checked through the import
page and the worker, the CLI, and the storage service on SQLite and PostgreSQL.

Files are tiny and written here; every expected value is written out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from webpages_support import make_user

from wijkbeeld.cli import main as wijkbeeld_main

DEN_HAAG_CSV = "wk_code,wk_naam,score\nWK051801,Oostduinen,7.5\nWK051802,Belgisch Park,6.25\n"
AMSTERDAM_CSV = "wk_code,wk_naam,score\nWK036300,Burgwallen-Oude Zijde,5.5\n"
HEAD = """code_column = "wk_code"
name_column = "wk_naam"
period = "2024"
source = "{source}"
boundary_year = 2024
"""
#: A new indicator: Amsterdam's first, later Den Haag's own under the same plain key.
OWN = HEAD + """[columns.score]
key = "{key}"
name_nl = "{name}"
unit = "number"
polarity = "higher_is_better"
"""
#: The national "inwoners" with the same meaning for the reader (name, unit, polarity) but another
#: English name and description: before the fix this rewrote the national definition.
NATIONAL = HEAD + """[columns.score]
key = "inwoners"
name_nl = "Aantal inwoners"
name_en = "Residents of The Hague"
unit = "count"
polarity = "neutral"
description = "Geteld door Den Haag"
"""

Definitions = dict[str, tuple[Any, ...]]


def definitions(using: str = "default") -> Definitions:
    from wijkbeeld.web.figures.models import Indicator

    return {r[0]: r[1:] for r in Indicator.objects.using(using).values_list(
        "key", "owner", "name_nl", "name_en", "unit", "polarity", "source", "description",
        "theme__key", "base__key", "context_only")}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def upload(client: Client, data: str, mapping: str) -> None:
    sent = client.post("/taken/import/", {
        "bestand": SimpleUploadedFile("eigen.csv", data.encode(), "text/csv"),
        "mapping": SimpleUploadedFile("koppeling.toml", mapping.encode(), "text/plain"),
    })
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert wijkbeeld_main(["worker", "--once"]) == 0


def signed_in(username: str, municipality: str) -> Client:
    client = Client()
    client.force_login(make_user(username, "analyst", municipality))
    return client


@pytest.mark.django_db
def test_upload_cannot_redefine_national_or_another_municipalitys_indicator(
        settings: Any, tmp_path: Path) -> None:
    from wijkbeeld.web.figures.models import ImportBatch, Observation
    from wijkbeeld.web.jobs.models import Job

    settings.WIJKBEELD_JOB_DIR = tmp_path / "jobs"
    amsterdam, den_haag = signed_in("ams", "GM0363"), signed_in("dh", "GM0518")
    upload(amsterdam, AMSTERDAM_CSV,
           OWN.format(source="Amsterdam enquête", key="eigen_score", name="Score Amsterdam"))
    first = Job.objects.get()
    assert first.status == "done", first.error
    before = definitions()
    assert before["GM0363:eigen_score"] == (
        "GM0363", "Score Amsterdam", "Score Amsterdam", "number", "higher_is_better",
        "Amsterdam enquête", "", None, None, False)
    assert before["inwoners"] == ("", "Aantal inwoners", "Population", "count", "neutral",
                                  "CBS, Kerncijfers wijken en buurten", "", None, None, False)
    assert "eigen_score" not in before
    stored = (Observation.objects.count(), ImportBatch.objects.count())
    assert stored == (1, 1)

    # Den Haag redefines the national "inwoners": refused, nothing stored.
    upload(den_haag, DEN_HAAG_CSV, NATIONAL.format(source="Gemeente Den Haag"))
    job = Job.objects.order_by("-pk")[0]
    assert job.status == "failed"
    assert job.error.startswith(
        "DataError: eigen.csv: indicator 'inwoners' is landelijk"), job.error
    assert "alleen-lezen voor een account van GM0518" in job.error
    # ... and Amsterdam's own indicator, named with its namespace: refused, nothing stored.
    upload(den_haag, DEN_HAAG_CSV, OWN.format(source="Den Haag", key="GM0363:eigen_score",
                                              name="Score Den Haag"))
    job = Job.objects.order_by("-pk")[0]
    assert job.status == "failed"
    assert job.error == (
        "DataError: eigen.csv: indicator 'GM0363:eigen_score' is van gemeente GM0363; een "
        "account van GM0518 kan alleen landelijke indicatoren gebruiken en eigen indicatoren "
        "(GM0518:…) maken of wijzigen")
    assert definitions() == before
    assert (Observation.objects.count(), ImportBatch.objects.count()) == stored

    # The same plain key is Den Haag's own: stored as GM0518:eigen_score, Amsterdam's untouched.
    upload(den_haag, DEN_HAAG_CSV,
           OWN.format(source="Den Haag enquête", key="eigen_score", name="Score Den Haag"))
    job = Job.objects.order_by("-pk")[0]
    assert job.status == "done", job.error
    after = definitions()
    assert after.pop("GM0518:eigen_score") == (
        "GM0518", "Score Den Haag", "Score Den Haag", "number", "higher_is_better",
        "Den Haag enquête", "", None, None, False)
    assert after == before
    assert sorted(Observation.objects.filter(indicator__key="GM0518:eigen_score")
                  .values_list("area__code", "value")) == [("WK051801", 7.5), ("WK051802", 6.25)]
    # The API shows the namespace: in the key and as the owner.
    api = den_haag.get("/api/indicators/GM0518:eigen_score")
    assert api.status_code == 200
    assert (api.json()["key"], api.json()["owner"]) == ("GM0518:eigen_score", "GM0518")
    national = den_haag.get("/api/indicators/inwoners").json()
    assert (national["key"], national["owner"], national["name_en"]) == (
        "inwoners", "", "Population")


@pytest.mark.django_db
def test_cli_import_for_a_municipality_is_scoped_and_shows_the_namespace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path, "eigen.csv", DEN_HAAG_CSV)
    national = write(tmp_path, "landelijk.toml", NATIONAL.format(source="Gemeente Den Haag"))
    own = write(tmp_path, "eigen.toml", OWN.format(source="Den Haag enquête", key="eigen_score",
                                                  name="Score Den Haag"))
    args = ["import", "figures", str(data), "--municipality", "GM0518", "--mapping"]
    assert wijkbeeld_main([*args, str(national)]) == 2
    err = capsys.readouterr().err
    assert "indicator 'inwoners' is landelijk" in err and "GM0518" in err
    assert definitions()["inwoners"][:4] == ("", "Aantal inwoners", "Population", "count")
    assert wijkbeeld_main([*args, str(own)]) == 0
    out = capsys.readouterr().out
    assert "eigen indicatoren: GM0518:eigen_score" in out
    assert wijkbeeld_main(["figures", "show", "WK051801", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["indicator"], row["value"]) == ("GM0518:eigen_score", 7.5)


@pytest.mark.django_db(databases="__all__")
def test_store_table_enforces_the_scope_on_both_engines(db_alias: str, tmp_path: Path) -> None:
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.errors import DataError
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=db_alias)

    def table(data: str, mapping: str, name: str) -> Any:
        return read_figures(write(tmp_path, f"{name}.csv", data), catalogue=catalogue,
                            mapping=write(tmp_path, f"{name}.toml", mapping))

    done = store_table(table(AMSTERDAM_CSV, OWN.format(source="A", key="eigen_score", name="A"),
                             "a"), owner="GM0363", using=db_alias)
    assert done.owned == ("GM0363:eigen_score",)
    before = definitions(db_alias)
    with pytest.raises(DataError, match="indicator 'inwoners' is landelijk"):
        store_table(table(DEN_HAAG_CSV, NATIONAL.format(source="DH"), "n"), owner="GM0518",
                    using=db_alias)
    with pytest.raises(DataError, match="'GM0363:eigen_score' is van gemeente GM0363"):
        store_table(table(DEN_HAAG_CSV, OWN.format(source="B", key="GM0363:eigen_score",
                                                   name="B"), "b"),
                    owner="GM0518", using=db_alias)
    assert definitions(db_alias) == before
    assert Observation.objects.using(db_alias).count() == 1
    # Without a municipality (a national import) the definitions are maintained as before.
    store_table(table(DEN_HAAG_CSV, OWN.format(source="Rijk", key="rijk_score", name="Rijk"),
                      "r"), using=db_alias)
    assert definitions(db_alias)["rijk_score"][:2] == ("", "Rijk")
