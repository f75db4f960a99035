"""Background jobs (issue 10): a report batch queued on the jobs page, run by ``wijkbeeld worker
--once`` in-process, with progress and a downloadable ZIP of reports; failures recorded without
raising; two workers never claim the same job; and who may start, see and download jobs.

Expected area codes come straight from the raw Den Haag series with the csv module.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from webpages_support import make_user

from wijkbeeld.cli import main as wijkbeeld_main
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.web.figures.store import store_table, sync_catalogue

DH_SERIES = (Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "data" / "haaglanden"
             / "df_count_ver_3.csv")
GM = "GM0518"
LIMIT = 2


def _wijken() -> list[str]:
    with DH_SERIES.open(encoding="utf-8", newline="") as fh:
        return sorted({r["WKC"] for r in csv.DictReader(fh) if r["WKC"].startswith("WK0518")})


def _load(using: str = "default") -> None:
    catalogue = load_catalogue([])
    sync_catalogue(catalogue, using=using)
    store_table(read_figures(DH_SERIES, catalogue=catalogue), who="test", using=using)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_batch_queued_on_the_page_runs_in_the_worker(capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.web.jobs.models import Job

    _load()
    analyst = make_user("jobs-analist", "analyst", GM)
    client = _client(analyst)
    page = client.get("/taken/")
    assert page.status_code == 200 and b"Nog geen taken" in page.content
    started = client.post("/taken/rapporten/", {"level": "district", "format": "pdf"})
    assert started.status_code == 302 and started["Location"] == "/taken/"
    job = Job.objects.get()
    assert (job.kind, job.status, job.municipality, job.created_by) == (
        "report_batch", "queued", GM, analyst)
    # While queued the page refreshes itself (meta refresh, no inline script).
    page = client.get("/taken/")
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert b"<script>" not in page.content
    # A trial run on the first wijken only (WeasyPrint takes about a second per report).
    Job.objects.filter(pk=job.pk).update(parameters={**job.parameters, "limit": LIMIT})
    assert wijkbeeld_main(["worker", "--once"]) == 0
    assert "1 taken uitgevoerd" in capsys.readouterr().out
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.progress_done == job.progress_total == LIMIT
    assert job.started_at is not None and job.finished_at is not None
    page = client.get("/taken/")
    assert b'http-equiv="refresh"' not in page.content
    assert f"/taken/{job.pk}/resultaat.zip".encode() in page.content
    download = client.get(f"/taken/{job.pk}/resultaat.zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as zf:
        names = sorted(zf.namelist())
        assert names == [f"{code}.pdf" for code in _wijken()[:LIMIT]]
        for name in names:
            assert zf.read(name).startswith(b"%PDF-")
    # Nothing left: a second worker run does nothing.
    assert wijkbeeld_main(["worker", "--once"]) == 0
    assert "0 taken uitgevoerd" in capsys.readouterr().out


@pytest.mark.django_db
def test_failures_are_recorded_and_nothing_is_half_imported(tmp_path: Path) -> None:
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.jobs.models import Job, JobResult
    from wijkbeeld.web.jobs.queue import claim, enqueue, run_job

    # The Den Haag series' own layout, with one cell that is not a number on data row 2.
    bad = tmp_path / "kapot.csv"
    bad.write_text("WKC,GMN,Wijknaam,YEAR,Total_Population\n"
                   "WK051801,'s-Gravenhage,Oostduinen,2022,120\n"
                   "WK051802,'s-Gravenhage,Belgisch Park,2022,veel\n", encoding="utf-8")
    enqueue(Job.Kind.IMPORT_FIGURES, {"path": str(bad)})
    enqueue(Job.Kind.REPORT_BATCH, {"level": "district"}, municipality="GM9999")
    first, second = claim(), claim()
    assert first is not None and second is not None and claim() is None
    imported, batch = run_job(first), run_job(second)
    assert imported.status == batch.status == "failed"
    assert "kapot.csv" in imported.error and imported.finished_at is not None
    assert "row 3" in imported.error and "Total_Population" in imported.error
    assert not Observation.objects.exists()
    assert "GM9999" in batch.error
    assert not JobResult.objects.exists()


@pytest.mark.django_db
def test_import_job_reports_its_phases() -> None:
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.jobs.models import Job
    from wijkbeeld.web.jobs.queue import claim, enqueue, run_job

    enqueue(Job.Kind.IMPORT_FIGURES, {"path": str(DH_SERIES), "who": "test"})
    job = claim()
    assert job is not None
    job = run_job(job)
    assert job.status == "done", job.error
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert Observation.objects.filter(area__code__startswith="WK0518").exists()


@pytest.mark.django_db
def test_the_conditional_update_decides_a_race_on_sqlite() -> None:
    """Two workers both saw the same oldest job; only the first update wins it, the loser
    claims the next one. (SQLite's shared in-memory test database cannot take two writing
    threads at once, so the race is played out step by step; PostgreSQL gets real threads.)"""
    from wijkbeeld.web.jobs.models import Job
    from wijkbeeld.web.jobs.queue import claim, enqueue, take

    first = enqueue(Job.Kind.REPORT_BATCH, {}, municipality=GM)
    second = enqueue(Job.Kind.REPORT_BATCH, {}, municipality=GM)
    assert take(first.pk, "a") is True
    assert take(first.pk, "b") is False
    job = claim("b")
    assert job is not None and job.pk == second.pk
    assert dict(Job.objects.values_list("pk", "worker")) == {first.pk: "a", second.pk: "b"}
    assert claim("c") is None


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_two_workers_never_claim_the_same_job(db_alias: str) -> None:
    from wijkbeeld.web.jobs.models import Job
    from wijkbeeld.web.jobs.queue import claim, enqueue

    if db_alias != "postgres":
        pytest.skip("threads writing at once: PostgreSQL (SQLite: the test above)")

    jobs = 20
    for _ in range(jobs):
        enqueue(Job.Kind.REPORT_BATCH, {}, municipality=GM, using=db_alias)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            while (job := claim(name, using=db_alias)) is not None:
                claimed[name].append(job.pk)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    a, b = claimed["a"], claimed["b"]
    assert not set(a) & set(b)
    assert len(a) + len(b) == jobs
    rows = Job.objects.using(db_alias).values_list("pk", "status", "worker")
    assert {(pk, w) for pk, s, w in rows if s == "running"} == {
        *((pk, "a") for pk in a), *((pk, "b") for pk in b)}


@pytest.mark.django_db
def test_roles_and_municipality() -> None:
    from wijkbeeld.web.jobs.models import Job, JobResult
    from wijkbeeld.web.jobs.queue import enqueue

    job = enqueue(Job.Kind.REPORT_BATCH, {}, municipality=GM)
    Job.objects.filter(pk=job.pk).update(status="done")
    JobResult.objects.create(job=job, filename="r.zip", data=b"PK", size=2)
    url = f"/taken/{job.pk}/resultaat.zip"
    anon = Client()
    for path in ("/taken/", url):
        assert anon.get(path)["Location"].startswith("/inloggen/")
    assert anon.post("/taken/rapporten/")["Location"].startswith("/inloggen/")
    viewer = _client(make_user("jobs-lezer", "viewer", GM))
    assert viewer.get("/taken/").status_code == 403
    assert viewer.get(url).status_code == 403
    assert viewer.post("/taken/rapporten/").status_code == 403
    other = _client(make_user("jobs-ander", "analyst", "GM0363"))
    assert other.get(url).status_code == 403
    assert other.post("/taken/rapporten/", {"municipality": GM}).status_code == 403
    assert GM.encode() not in other.get("/taken/").content  # only its own jobs
    admin = _client(make_user("jobs-beheer", "admin"))
    assert admin.get(url).content == b"PK"
    assert admin.post("/taken/rapporten/", {"municipality": "nonsens"}).status_code == 302
    assert Job.objects.count() == 1  # a bad municipality code queues nothing
    assert Client().get("/taken/rapporten/").status_code == 302  # anonymous: to the login
    analyst = _client(make_user("jobs-analist2", "analyst", GM))
    assert analyst.get("/taken/rapporten/").status_code == 405
