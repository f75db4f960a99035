"""The import page (issue 10): a data manager uploads a figures file on ``/taken/import/``, the
background worker (``wijkbeeld worker --once``, in-process) imports it, ``/taken/`` shows the
progress, and the stored upload is gone once the job ends, done or failed.

Expected figures come straight from the raw files with the csv module: the Den Haag wijken of
the ELAN series (``haaglanden-wijken-zorg/df_count_ver_3.csv``) and the Leefbaarometer file of
Amstelveen with its mapping. Broken uploads (none, empty, wrong extension, too large, a zip bomb,
a broken mapping) queue nothing and leave nothing on disk; a bad cell fails the job with file,
row and column, and stores nothing. The runner's handling of an upload is also run on
PostgreSQL (``db_alias``).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from webpages_support import make_user

from wijkbeeld.cli import main as wijkbeeld_main
from wijkbeeld.data import data_file

SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
SERIES_META = ("WKC", "GMN", "Wijknaam", "YEAR")
LBM = "leefbaarometer-amstelveen-wijken/AmstelveenDataWithDimensions.csv"
LBM_MAPPING = """code_column = "wk_code"
name_column = "wk_naam"
period_column = "jaar"
source = "Leefbaarometer 3.0 (Ministerie van BZK)"
boundary_year = 2022
ignore = ["1", "afw", "fys", "onv", "soc", "vrz", "won"]
[columns.lbm]
key = "lbm_score"
name_nl = "Leefbaarometer score"
unit = "number"
polarity = "higher_is_better"
"""
#: The Den Haag series' own layout, with text in a number cell on data row 2 (file row 3).
BAD_CSV = ("WKC,GMN,Wijknaam,YEAR,Total_Population\n"
           "WK051801,'s-Gravenhage,Oostduinen,2022,120\n"
           "WK051802,'s-Gravenhage,Belgisch Park,2022,veel\n")
RIVM = data_file("amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx")

Cells = dict[tuple[str, str, str], tuple[str, float | None]]


@pytest.fixture
def job_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "jobs"
    settings.WIJKBEELD_JOB_DIR = folder
    return folder


def uploads_left(folder: Path) -> list[Path]:
    return sorted(folder.glob("import-*")) if folder.exists() else []


def den_haag_wijken(raw: Path, out: Path) -> Path:
    """The raw series' header and its rows of Den Haag (GM0518) wijken, unchanged."""
    with (raw / SERIES).open(encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines(keepends=True)
    out.write_text(lines[0] + "".join(x for x in lines[1:] if x.startswith("WK0518")),
                   encoding="utf-8")
    return out


def series_cells(path: Path) -> Cells:
    """(wijk, column, year) → (status, value) from the csv module: empty is missing, and so is a
    (column, year) that is exactly 0 for every wijk (at least 5; ELAN's "not available")."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["WKC"].strip().endswith("--")]
    numbers: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        for col, text in r.items():
            if col not in SERIES_META and text.strip():
                numbers.setdefault((col, r["YEAR"].strip()), []).append(float(text))
    zero = {k for k, vs in numbers.items() if len(vs) >= 5 and all(v == 0 for v in vs)}
    out: Cells = {}
    for r in rows:
        for col, text in r.items():
            if col in SERIES_META:
                continue
            year = r["YEAR"].strip()
            missing = not text.strip() or (col, year) in zero
            out[(r["WKC"].strip(), col, year)] = (
                ("missing", None) if missing else ("ok", float(text)))
    return out


def stored_cells(using: str = "default") -> Cells:
    from wijkbeeld.web.figures.models import Observation

    rows = Observation.objects.using(using).values_list(
        "area__code", "source_column", "period", "status", "value")
    return {(a, c, p): (s, v) for a, c, p, s, v in rows}


def client_for(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_upload_is_queued_run_by_the_worker_with_progress_on_the_jobs_page(
        raw: Path, tmp_path: Path, job_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.web.figures.models import ImportBatch
    from wijkbeeld.web.jobs.models import Job

    source = den_haag_wijken(raw, tmp_path / "denhaag_wijken.csv")
    analyst = make_user("import-analist", "analyst", "GM0518")
    client = client_for(analyst)
    page = client.get("/taken/import/")
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b"csrfmiddlewaretoken" in page.content
    assert b'href="/taken/import/"' in client.get("/taken/").content

    sent = client.post("/taken/import/", {"bestand": upload(source.name, source.read_bytes())})
    assert sent.status_code == 302 and sent["Location"] == "/taken/"
    job = Job.objects.get()
    assert (job.kind, job.status, job.municipality, job.created_by) == (
        "import_figures", "queued", "GM0518", analyst)
    [folder] = uploads_left(job_dir)
    assert (folder / source.name).read_bytes() == source.read_bytes()
    assert folder.stat().st_mode & 0o077 == 0  # private to the server's user
    listed = client.get("/taken/")
    assert b'<meta http-equiv="refresh" content="3">' in listed.content
    assert re.search(rb'data-job="%d" data-status="queued"' % job.pk, listed.content)
    assert b"denhaag_wijken.csv staat in de wachtrij" in listed.content

    # While the worker stores the table, the jobs page shows step 1 of 3 ("opslaan").
    from wijkbeeld.web.figures import store

    seen: list[bytes] = []
    real_store = store.store_table

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(client.get("/taken/").content)
        return real_store(*args, **kwargs)

    monkeypatch.setattr(store, "store_table", watched)
    assert wijkbeeld_main(["worker", "--once"]) == 0
    assert "1 taken uitgevoerd" in capsys.readouterr().out
    [during] = seen
    assert re.search(rb'data-job="%d" data-status="running"' % job.pk, during)
    assert b'<progress max="3" value="1"' in during and b"opslaan: 37576 cijfers" in during

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert uploads_left(job_dir) == []  # the stored upload is gone with the job
    expected = series_cells(source)
    assert len(expected) == 37576
    assert stored_cells() == expected
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.who) == ("denhaag_wijken.csv", "web:import-analist")
    assert str(job_dir) not in " ".join(batch.warnings)
    done = client.get("/taken/").content
    assert b'http-equiv="refresh"' not in done
    assert re.search(rb'data-job="%d" data-status="done"' % job.pk, done)
    assert b"37576 cijfers van 44 gebieden" in done

    # The same file again: queued and run, and nothing changes.
    client.post("/taken/import/", {"bestand": upload(source.name, source.read_bytes())})
    assert wijkbeeld_main(["worker", "--once"]) == 0
    again = Job.objects.order_by("-pk").first()
    assert again is not None and again.status == "done"
    assert "al eerder geïmporteerd" in again.message
    assert ImportBatch.objects.count() == 1 and uploads_left(job_dir) == []


@pytest.mark.django_db
def test_own_table_with_a_mapping_file(raw: Path, job_dir: Path) -> None:
    """An analyst of Amstelveen uploads the Leefbaarometer file with its TOML mapping."""
    from wijkbeeld.web.jobs.models import Job

    client = client_for(make_user("import-amstelveen", "analyst", "GM0362"))
    sent = client.post("/taken/import/", {
        "bestand": upload("AmstelveenDataWithDimensions.csv", (raw / LBM).read_bytes()),
        "mapping": upload("leefbaarometer.toml", LBM_MAPPING.encode()),
    })
    assert sent.status_code == 302
    assert wijkbeeld_main(["worker", "--once"]) == 0
    job = Job.objects.get()
    assert job.status == "done", job.error
    with (raw / LBM).open(encoding="utf-8", newline="") as fh:
        expected = {(r["wk_code"], "lbm", r["jaar"]): ("ok", float(r["lbm"]))
                    for r in csv.DictReader(fh)}
    assert stored_cells() == expected
    assert uploads_left(job_dir) == []


@pytest.mark.django_db
def test_an_analyst_imports_only_their_own_municipality(raw: Path, tmp_path: Path,
                                                        job_dir: Path) -> None:
    from wijkbeeld.web.figures.models import ImportBatch, Observation
    from wijkbeeld.web.jobs.models import Job

    source = den_haag_wijken(raw, tmp_path / "denhaag_wijken.csv")
    client = client_for(make_user("import-elders", "analyst", "GM0362"))
    assert client.post("/taken/import/",
                       {"bestand": upload(source.name, source.read_bytes())}).status_code == 302
    assert wijkbeeld_main(["worker", "--once"]) == 0
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error.startswith("DataError: denhaag_wijken.csv: 44 areas lie outside GM0362 "
                                "(WK051801, WK051802, WK051803, ...)")
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()
    assert uploads_left(job_dir) == []


@pytest.mark.django_db
def test_a_bad_cell_fails_the_job_with_row_and_column_and_stores_nothing(
        raw: Path, tmp_path: Path, job_dir: Path) -> None:
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.models import ImportBatch, Observation
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.jobs.models import Job

    catalogue = load_catalogue()
    sync_catalogue(catalogue)
    store_table(read_figures(den_haag_wijken(raw, tmp_path / "denhaag_wijken.csv"),
                             catalogue=catalogue), who="test")
    before = (Observation.objects.count(), ImportBatch.objects.count())
    client = client_for(make_user("import-beheer", "admin"))
    assert client.post("/taken/import/",
                       {"bestand": upload("kapot.csv", BAD_CSV.encode())}).status_code == 302
    assert wijkbeeld_main(["worker", "--once"]) == 0
    job = Job.objects.get()
    assert job.status == "failed" and job.finished_at is not None
    assert job.error == ("DataError: kapot.csv, row 3, column 'Total_Population': text 'veel' in "
                         "a number column")
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before
    assert uploads_left(job_dir) == []
    page = client.get("/taken/").content.decode()
    assert "kapot.csv, row 3, column &#x27;Total_Population&#x27;" in page
    assert str(job_dir) not in page


def _zip_bomb() -> bytes:
    """The bundled RIVM workbook plus a 64 MB part of one byte (a 1000-fold compression)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(RIVM) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/media/padding.xml", b"A" * (64 << 20))
    return buffer.getvalue()


BROKEN: dict[str, tuple[dict[str, Any], int, str, str]] = {
    # name: (form fields, status, field with the error, words of the error)
    "no file": ({}, 400, "bestand", "Kies een bestand"),
    "empty": ({"bestand": ("leeg.csv", b"")}, 400, "bestand", "leeg.csv is leeg (0 bytes)"),
    "wrong extension": ({"bestand": ("cijfers.pdf", b"%PDF-1.7 ...")}, 400, "bestand",
                        "cijfers.pdf is geen CSV- of Excel-bestand"),
    "too large": ({"bestand": ("groot.csv", b"x" * 5000)}, 400, "bestand",
                  "groter dan 2 kB, de grens voor een import (WIJKBEELD_MAX_IMPORT_BYTES)"),
    "announced too large": ({"bestand": ("enorm.csv", b"x" * (400 << 10))}, 413, "bestand",
                            "groter dan 2 kB"),
    "zip bomb": ({"bestand": ("rivm_2020.xlsx", "bomb")}, 400, "bestand",
                 "rivm_2020.xlsx: refused: part 'xl/media/padding.xml' is compressed"),
    "mapping not TOML": ({"bestand": ("kapot.csv", BAD_CSV.encode()),
                          "mapping": ("koppeling.toml", b"code_column = [")}, 400, "mapping",
                         "koppeling.toml: not valid TOML"),
    "mapping wrong extension": ({"bestand": ("kapot.csv", BAD_CSV.encode()),
                                 "mapping": ("koppeling.txt", b"x = 1")}, 400, "mapping",
                                "koppeling.txt is geen koppelbestand (.toml)"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_uploads_queue_nothing_and_leave_nothing(
        case: str, job_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkbeeld.web.jobs.models import Job

    fields, status, field, words = BROKEN[case]
    if "too large" in case:
        monkeypatch.setenv("WIJKBEELD_MAX_IMPORT_BYTES", "2000")
    data = {k: upload(name, _zip_bomb() if body == "bomb" else body)
            for k, (name, body) in fields.items()}
    client = client_for(make_user("import-kapot", "analyst", "GM0518"))
    answer = client.post("/taken/import/", {**data, "skip_unknown": "on"})
    assert answer.status_code == status
    form = answer.context["form"]
    assert words in " ".join(form.errors.get(field, [])), form.errors
    text = answer.content.decode()
    assert 'role="alert"' in text and "er is niets in de wachtrij gezet" in text
    assert str(job_dir) not in text
    assert not Job.objects.exists()
    assert uploads_left(job_dir) == []


@pytest.mark.django_db
def test_roles_and_csrf(job_dir: Path) -> None:
    from wijkbeeld.web.jobs.models import Job

    body = {"bestand": upload("kapot.csv", BAD_CSV.encode())}
    assert Client().get("/taken/import/")["Location"].startswith("/inloggen/")
    assert Client().post("/taken/import/", body)["Location"].startswith("/inloggen/")
    for role in ("viewer", "professional"):
        client = client_for(make_user(f"import-{role}", role, "GM0518"))
        assert client.get("/taken/import/").status_code == 403
        assert client.post("/taken/import/", {
            "bestand": upload("kapot.csv", BAD_CSV.encode())}).status_code == 403
    strict = client_for(make_user("import-csrf", "analyst", "GM0518"), enforce_csrf_checks=True)
    assert strict.get("/taken/import/").status_code == 200
    assert strict.post("/taken/import/", body).status_code == 403  # no CSRF token
    assert not Job.objects.exists() and uploads_left(job_dir) == []


@pytest.mark.django_db(databases="__all__")
def test_upload_job_on_each_engine(db_alias: str, raw: Path, tmp_path: Path,
                                   job_dir: Path) -> None:
    """What the page queues, run by the worker's code on SQLite and PostgreSQL: the figures
    equal the file's, a bad file stores nothing, and both uploads are removed."""
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.jobs.imports import queue_figures
    from wijkbeeld.web.jobs.queue import claim, run_job
    from wijkbeeld.web.jobs.uploads import new_upload_dir

    source = den_haag_wijken(raw, tmp_path / "denhaag_wijken.csv")
    bad = tmp_path / "kapot.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    for path in (source, bad):
        folder = new_upload_dir()
        stored = Path(shutil.copy(path, folder / path.name))
        queue_figures(stored, who="test", municipality="GM0518",
                      upload=(folder, path.name, None), using=db_alias)
    good_job, bad_job = claim(using=db_alias), claim(using=db_alias)
    assert good_job is not None and bad_job is not None
    good_job = run_job(good_job, db_alias)
    assert good_job.status == "done", good_job.error
    assert stored_cells(db_alias) == series_cells(source)
    count = Observation.objects.using(db_alias).count()
    bad_job = run_job(bad_job, db_alias)
    assert bad_job.status == "failed"
    assert "kapot.csv, row 3, column 'Total_Population'" in bad_job.error
    assert str(job_dir) not in bad_job.error
    assert Observation.objects.using(db_alias).count() == count
    assert uploads_left(job_dir) == []


@pytest.mark.django_db
def test_the_page_in_english(job_dir: Path) -> None:
    from django.conf import settings

    client = client_for(make_user("import-english", "admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/taken/import/").content.decode()
    for text in ("<h1>Import figures</h1>", "File (CSV or Excel)", "Mapping file (optional)",
                 "Skip columns that wijkbeeld does not know", "of at most 200 MB", "Back to Jobs"):
        assert text in page
    assert "Import figures (CSV or Excel)" in client.get("/taken/").content.decode()
    answer = client.post("/taken/import/", {"bestand": upload("cijfers.pdf", b"%PDF")})
    assert "cijfers.pdf is not a CSV or Excel file (.csv or .xlsx)." in answer.content.decode()
    assert "Check the marked fields; nothing has been queued." in answer.content.decode()
