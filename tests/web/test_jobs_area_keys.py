"""The import page and its job with the area checks of issue 21: a code that is not in the stored
boundaries of the year fails the job (nothing stored) unless *Nieuwe gebieden toestaan* is
ticked; an analyst's name-keyed table is matched within their municipality, and a typo fails the
job naming the candidate. The boundaries are the real Den Haag wijken (Haaglanden file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from webpages_support import make_user

from wijkbeeld.cli import main as wijkbeeld_main

BOUNDARIES = "haaglanden-wijken-zorg/haaglanden_wijken.geojson"
pytestmark = pytest.mark.django_db


@pytest.fixture
def den_haag(raw: Path, settings: Any, tmp_path: Path) -> dict[str, str]:
    """Den Haag's wijk boundaries of 2022 stored; its wijken (code -> name) from the raw file."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.web.areas.store import store_boundaries

    settings.WIJKBEELD_JOB_DIR = tmp_path / "jobs"
    store_boundaries(read_boundaries(raw / BOUNDARIES, year=2022), who="test")
    features = json.loads((raw / BOUNDARIES).read_text("utf-8"))["features"]
    return {f["properties"]["WK_CODE"]: f["properties"]["WK_NAAM"] for f in features
            if f["properties"]["WK_CODE"].startswith("WK0518")}


def _send(client: Client, name: str, text: str, **extra: str) -> Any:
    from wijkbeeld.web.jobs.models import Job

    sent = client.post("/taken/import/", {
        "bestand": SimpleUploadedFile(name, text.encode(), content_type="text/csv"), **extra})
    assert sent.status_code == 302
    assert wijkbeeld_main(["worker", "--once"]) == 0
    return Job.objects.order_by("-pk").first()


def test_unknown_code_needs_the_checkbox(den_haag: dict[str, str]) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import Observation

    client = Client()
    client.force_login(make_user("import-dh", "analyst", "GM0518"))
    page = client.get("/taken/import/").content.decode()
    assert 'name="allow_new_areas"' in page and "Nieuwe gebieden toestaan" in page
    text = "WKC;AGE_MEAN\nWK051801;40.5\nWK051877;38.0\n"
    areas = Area.objects.count()
    job = _send(client, "wijken_2022.csv", text)
    assert job.status == "failed"
    assert "wijken_2022.csv, row 3, column 'WKC': WK051877 staat niet in de gebiedsindeling 2022" \
        in job.error
    assert not Observation.objects.exists() and Area.objects.count() == areas
    job = _send(client, "wijken_2022.csv", text, allow_new_areas="on")
    assert job.status == "done", job.error
    assert "1 nieuwe gebieden" in job.message and "zonder naam" in job.message
    assert Area.objects.filter(code="WK051877", boundary_year=2022).exists()


def test_names_are_matched_in_the_analysts_municipality(den_haag: dict[str, str]) -> None:
    from wijkbeeld.web.figures.models import Observation

    client = Client()
    client.force_login(make_user("import-dh-namen", "analyst", "GM0518"))
    oostduinen = den_haag["WK051801"].split(" ", 2)[2]  # "Wijk 01 Oostduinen"
    job = _send(client, "namen_2022.csv", f"wijknaam;AGE_MEAN\n{oostduinen.lower()};40.5\n"
                                          f"{oostduinen}x;1\n")
    assert job.status == "failed"
    assert f"namen_2022.csv, row 3, column 'wijknaam': geen gebied met de naam '{oostduinen}x'" \
        in job.error and f"{oostduinen} (WK051801)" in job.error
    assert not Observation.objects.exists()
    job = _send(client, "namen_2022.csv", f"wijknaam;AGE_MEAN\n{oostduinen.upper()};40.5\n")
    assert job.status == "done", job.error
    assert list(Observation.objects.values_list("area__code", "value")) == [("WK051801", 40.5)]
