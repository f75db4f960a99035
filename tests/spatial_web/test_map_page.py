"""The map page and its data endpoint (/kaart/<GM>/, /kaart/<GM>/data.json) on the bundled
Amsterdam KWB 2024 figures and buurt boundaries; expected values from the raw CSV (csv module)."""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "wijkbeeld" / "data" / "amsterdam"
KWB = DATA / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURTEN = DATA / "amsterdam_buurten_2022.geojson"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("map_data")]


def store_demo(using: str = "default") -> None:
    """KWB 2024 and the buurt boundaries (indeling 2024), through the real importers."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=using)
    store_table(read_figures(KWB, catalogue=catalogue), who="test", using=using)
    store_boundaries(read_boundaries(BUURTEN, year=2024), who="test", using=using)


def wipe_all(using: str = "default") -> None:
    from wijkbeeld.web.areas.models import Area, Crosswalk
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation, Theme
    from wijkbeeld.web.pages.map_views import MAPS

    MAPS.clear()
    for model in (Observation, Crosswalk, Area, ImportBatch, Indicator, Theme):
        model.objects.using(using).all().delete()


@pytest.fixture(scope="module")
def map_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        wipe_all()
        store_demo()
        try:
            yield
        finally:
            wipe_all()


def raw_low_income() -> dict[str, float]:
    out: dict[str, float] = {}
    with KWB.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            cell = (row["Pct_Low_Income_Households"] or "").strip().replace(",", ".")
            try:
                out[row["Area_Code"].strip()] = float(cell)
            except ValueError:
                out[row["Area_Code"].strip()] = math.nan
    return out


def _user(name: str, role: str, municipality: str = "") -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(name, password="geheim-wachtwoord-1",
                                                role=role, municipality=municipality)


URL = ("/kaart/GM0363/data.json?niveau=neighbourhood&variabele=huishoudens_laag_inkomen_pct"
       "&jaar=2024")


def test_data_json_has_every_buurt_with_its_value_class_and_hotspot(client: Client) -> None:
    client.force_login(_user("kijker", "viewer", "GM0363"))
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    raw = raw_low_income()
    features = {f["id"]: f for f in data["features"]}
    n_shapes = len(json.loads(BUURTEN.read_text(encoding="utf-8"))["features"])
    assert len(features) == n_shapes == 518
    for code, feature in features.items():
        value = feature["properties"]["value"]
        expected = raw.get(code, math.nan)
        assert (value is None) == math.isnan(expected), code
        if value is not None:
            assert value == expected
            assert feature["properties"]["klasse"] in range(data["wijkbeeld"]["legend"].__len__())
        else:
            assert feature["properties"]["cluster_code"] == "no_data"
    legend = data["wijkbeeld"]["legend"]
    with_value = sum(1 for c in features if not math.isnan(raw.get(c, math.nan)))
    assert sum(r["count"] for r in legend if r["colour"]) == with_value
    assert sum(c["count"] for c in data["wijkbeeld"]["clusters"]) == 518
    assert data["wijkbeeld"]["profile_url"] == "/gebied/XXXXXXXXXX/2024/"
    print(f"payload {len(response.content)} bytes")
    assert len(response.content) < 400_000


def test_data_json_refuses_another_municipality_and_anonymous(client: Client) -> None:
    assert client.get(URL).status_code == 302
    client.force_login(_user("haags", "viewer", "GM0518"))
    assert client.get(URL).status_code == 403
    assert client.get("/kaart/GM0363/").status_code == 403


def test_map_page_uses_local_leaflet_and_lists_every_area(client: Client) -> None:
    client.force_login(_user("analist2", "analyst"))
    response = client.get("/kaart/GM0363/?variabele=thema:werk_inkomen&jaar=2024")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/leaflet/leaflet.js" in page and "/static/leaflet/leaflet.css" in page
    assert "http://" not in page and "https://" not in page
    rows = re.findall(r'<tr data-area="(BU\d{4}\w{4})">', page)
    assert len(rows) == 518
    assert '<a href="/gebied/BU0363AF01/2024/">' in page
    assert client.get("/static/leaflet/leaflet.js").status_code in (200, 404)  # served in DEBUG
    from django.contrib.staticfiles import finders

    assert finders.find("leaflet/leaflet.js") and finders.find("wijkbeeld/map.js")


def test_map_index_sends_a_tied_user_to_their_municipality(client: Client) -> None:
    client.force_login(_user("kijker3", "viewer", "GM0363"))
    response = client.get("/kaart/")
    assert response.status_code == 302 and response["Location"] == "/kaart/GM0363/"
    assert client.get("/kaart/GM0363/?niveau=provincie").status_code == 404


@pytest.mark.django_db
def test_a_count_with_a_base_is_mapped_as_a_rate() -> None:
    """Issue 21: residents aged 65+ is a count with a base (inwoners); the map and its
    hotspots use the share, not the count, so a big buurt is not "hot" for being big. For
    buurten with a large base the smoothed share is the raw share (computed here from the
    raw CSV); the values are shares (0–1), the table and legend read as percentages."""
    from django.contrib.auth import get_user_model

    wipe_all()
    store_demo()
    with KWB.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["Area_Code"].strip(): r for r in csv.DictReader(fh, delimiter=";")
                if r["Area_Code"].strip().startswith("BU")}
    share = {code: int(r["Pop_Age_65_Plus"]) / int(r["Population_Total"])
             for code, r in rows.items()
             if r["Pop_Age_65_Plus"].strip().isdigit() and r["Population_Total"].strip().isdigit()
             and int(r["Population_Total"]) > 0}
    big = [c for c in share if int(rows[c]["Population_Total"]) >= 3000]
    assert len(big) > 20
    client = Client()
    client.force_login(get_user_model().objects.create_user(
        "lezer-rate", password="x-1234567", role="viewer", municipality="GM0363"))
    query = "?niveau=neighbourhood&variabele=leeftijd_65_plus&jaar=2024"
    data = json.loads(client.get(f"/kaart/GM0363/data.json{query}").content)
    values = {f["id"]: f["properties"]["value"] for f in data["features"]}
    for code in big:
        assert values[code] == pytest.approx(share[code], abs=0.005), code
    shown = [v for v in values.values() if v is not None]
    assert max(shown) <= 1.0  # shares, not counts (the biggest count is in the thousands)
    assert "%" in data["wijkbeeld"]["legend"][0]["label"]
    assert data["wijkbeeld"]["label"].endswith(", als aandeel van aantal inwoners")
    page = client.get(f"/kaart/GM0363/{query}").content.decode()
    code = big[0]
    row = re.search(rf'<tr data-area="{code}">.*?</tr>', page, re.S)
    assert row is not None
    assert f"{100 * values[code]:.1f}".replace(".", ",") + " %" in row.group(0)
