"""The national map (/kaart/nederland/, /kaart/nederland/data.json) on real data, on SQLite and
PostgreSQL: who may see it, every area with a shape in one layer, values and medians from the raw
CSV files (csv module), and no stale payload after an import.

The data are those of the demo: Amsterdam's buurten (KWB 2024, buurt boundaries, indeling 2024)
and the Den Haag region's wijken (ELAN/LUMC wijk series, wijk boundaries, indeling 2022: four
municipalities with shapes). The whole request runs on the engine under test: a database router
sends every query there (the views read the "primary", ``router.db_for_write``).
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from wijkbeeld.data import data_file

KWB = data_file("amsterdam/Kerncijfers_wijken_en_buurten_2024.csv")
BUURTEN = data_file("amsterdam/amsterdam_buurten_2022.geojson")
ELAN = data_file("haaglanden/df_numeric_ver_6.csv")
WIJKEN = data_file("haaglanden/haaglanden_wijken.geojson")
PASSWORD = "geheim-wachtwoord-1"
BUURT_URL = ("/kaart/nederland/data.json?niveau=neighbourhood"
             "&variabele=huishoudens_laag_inkomen_pct&jaar=2024")
WIJK_URL = "/kaart/nederland/data.json?niveau=district&variabele=elan_leeftijd_gemiddeld&jaar=2020"


class OneDatabase:
    """Every read and write of the request on one alias (the engine under test)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return self.alias

    def allow_relation(self, *args: Any, **hints: Any) -> bool:
        return True


def store(using: str, kwb: Path = KWB) -> None:
    """The demo's Amsterdam buurten and Den Haag region wijken, through the real importers."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=using)
    store_table(read_figures(kwb, catalogue=catalogue), who="test", using=using)
    store_table(read_figures(ELAN, catalogue=catalogue), who="test", using=using)
    store_boundaries(read_boundaries(BUURTEN, year=2024), who="test", using=using)
    store_boundaries(read_boundaries(WIJKEN, year=2022, code_field="WK_CODE"), who="test",
                     using=using)


def wipe(using: str) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.areas.models import Area, Crosswalk
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation, Theme
    from wijkbeeld.web.pages.national_map import CHOICES, NATIONAL
    from wijkbeeld.web.pages.profile_cache import clear_caches

    NATIONAL.clear()
    CHOICES.clear()
    for model in (Observation, Crosswalk, Area, ImportBatch, Indicator, Theme):
        model.objects.using(using).all().delete()
    get_user_model().objects.using(using).all().delete()
    clear_caches()


@pytest.fixture
def on(db_alias: str) -> Iterator[str]:
    """The engine under test with the data stored and every query of a request sent to it."""
    wipe(db_alias)
    store(db_alias)
    with override_settings(DATABASE_ROUTERS=[OneDatabase(db_alias)]):
        yield db_alias
    wipe(db_alias)


def user(using: str, name: str, role: str, municipality: str = "") -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.db_manager(using).create_user(
        name, password=PASSWORD, role=role, municipality=municipality)


_N = iter(range(1_000_000))


def signed_in(using: str, role: str = "viewer", municipality: str = "") -> Client:
    client = Client()
    name = f"{role}-{municipality or 'nl'}-{next(_N)}"
    client.force_login(user(using, name, role, municipality))
    return client


# --- expected values, straight from the raw files --------------------------------------------


def _float(text: str | None) -> float:
    text = (text or "").strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def raw_low_income(path: Path = KWB) -> dict[str, float]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["Area_Code"].strip(): _float(r["Pct_Low_Income_Households"])
                for r in csv.DictReader(fh, delimiter=";")}


def raw_age_2020() -> dict[str, tuple[str, float]]:
    """Wijk code → (municipality name, AGE_MEAN in 2020)."""
    with ELAN.open(encoding="utf-8-sig", newline="") as fh:
        return {r["WKC"].strip(): (r["gem_name"].strip(), _float(r["AGE_MEAN"]))
                for r in csv.DictReader(fh) if r["YEAR"].strip() == "2020"}


def shape_codes(path: Path, field: str) -> set[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(f["properties"][field]).strip() for f in data["features"] if f["geometry"]}


def features(response: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    return data["wijkbeeld"], {f["id"]: f for f in data["features"]}


# --- the data ----------------------------------------------------------------------------------


@pytest.mark.django_db(databases="__all__")
def test_data_json_has_every_area_with_a_shape_and_its_raw_value(on: str) -> None:
    client = signed_in(on, "analyst")
    meta, found = features(client.get(BUURT_URL))
    raw = raw_low_income()
    buurten = shape_codes(BUURTEN, "cbsCode")
    assert set(found) == buurten and len(buurten) == 518
    assert found["BU0363AF01"]["properties"]["value"] == raw["BU0363AF01"]
    assert found["BU0363AA01"]["properties"]["value"] == raw["BU0363AA01"]
    for code, feature in found.items():
        expected = raw.get(code, math.nan)
        value = feature["properties"]["value"]
        assert (value is None) == math.isnan(expected), code
        assert value is None or value == expected, code
        assert (feature["properties"]["klasse"] is None) == (value is None), code
        assert "cluster_code" not in feature["properties"]  # no hotspots nationally
    with_value = sum(1 for c in buurten if not math.isnan(raw.get(c, math.nan)))
    assert sum(r["count"] for r in meta["legend"] if r["colour"]) == with_value
    assert meta["clusters"] == [] and meta["boundary_year"] == 2024
    assert meta["profile_url"] == "/gebied/XXXXXXXXXX/2024/"
    assert meta["source"].startswith("CBS") and meta["period"] == "2024"

    # The wijk level: the Den Haag region's wijken, four municipalities in one layer.
    meta, found = features(client.get(WIJK_URL))
    raw_age = raw_age_2020()
    wijken = shape_codes(WIJKEN, "WK_CODE")
    assert set(found) == wijken and len(wijken) == 72
    assert {raw_age[c][0] for c in wijken if c in raw_age} >= {"'s-Gravenhage", "Rijswijk",
                                                               "Wassenaar"}
    for code in ("WK051828", "WK060301", "WK062901"):  # Den Haag, Rijswijk, Wassenaar
        assert found[code]["properties"]["value"] == raw_age[code][1], code
    for code, feature in found.items():
        expected = raw_age.get(code, ("", math.nan))[1]
        value = feature["properties"]["value"]
        assert (value is None) == math.isnan(expected), code
        assert value is None or value == expected, code
    assert meta["boundary_year"] == 2022 and meta["profile_url"] == "/gebied/XXXXXXXXXX/2022/"


@pytest.mark.django_db(databases="__all__")
def test_page_table_per_municipality_with_medians_from_the_raw_file(on: str) -> None:
    client = signed_in(on, "admin")
    response = client.get("/kaart/nederland/?niveau=district&variabele=elan_leeftijd_gemiddeld"
                          "&jaar=2020")
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page
    assert "/static/leaflet/leaflet.js" in page and 'data-area-links="0"' in page
    assert re.search(r'<p class="source">Bron: ELAN[^<]*, 2020 · Indeling 2022 · 72 wijken', page)
    assert "Geen hotspotlaag" in page and 'id="hotspot-laag"' not in page
    raw_age = raw_age_2020()
    by_gm: dict[str, list[float]] = {}
    for code in shape_codes(WIJKEN, "WK_CODE"):
        by_gm.setdefault("GM" + code[2:6], []).append(raw_age.get(code, ("", math.nan))[1])
    rows = dict(re.findall(r'<tr data-municipality="(GM\d{4})">(.*?)</tr>', page, re.S))
    assert set(rows) == set(by_gm) and len(rows) == 4
    for gm, values in by_gm.items():
        cells = re.findall(r'<td class="num">([^<]*)</td>', rows[gm])
        present = [v for v in values if not math.isnan(v)]
        assert cells[:2] == [str(len(values)), str(len(present))], gm
        # Ages around 40: three significant digits, so one decimal (Dutch comma).
        whole, decimals = cells[2].split(",")
        assert len(decimals) == 1, cells[2]
        assert abs(float(f"{whole}.{decimals}") - statistics.median(present)) <= 0.05, gm
        link = (f'/kaart/{gm}/?niveau=district&amp;variabele=elan_leeftijd_gemiddeld'
                f'&amp;jaar=2020')
        assert link in rows[gm]
    # The municipality's own map opens on the same choice.
    assert client.get("/kaart/GM0603/?niveau=district&variabele=elan_leeftijd_gemiddeld"
                      "&jaar=2020").status_code == 200
    # Buurt level by default; theme scores and unknown levels are not offered nationally.
    first = client.get("/kaart/nederland/")
    assert first.status_code == 200 and first.context["level"] == "neighbourhood"
    assert first.context["variable"] == "huishoudens_laag_inkomen_pct"
    assert first.context["year"] == 2024
    # Switching the level keeps the indicator in the form: without figures there, the page
    # shows the level's default with a notice (an unknown indicator is a 404).
    switched = client.get("/kaart/nederland/?niveau=district"
                          "&variabele=huishoudens_laag_inkomen_pct&jaar=2024")
    assert switched.status_code == 200 and switched.context["notice"]
    assert switched.context["variable"] != "huishoudens_laag_inkomen_pct"
    assert switched.context["year"] == 2022 and switched.context["found"].n_areas == 72
    assert client.get("/kaart/nederland/?variabele=bestaat_niet").status_code == 404
    assert client.get("/kaart/nederland/?variabele=thema:wonen").status_code == 404
    assert client.get("/kaart/nederland/?niveau=provincie").status_code == 404
    english = client.get("/kaart/nederland/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Map of the Netherlands" in english.content.decode()


# --- who may see it ----------------------------------------------------------------------------


@pytest.mark.django_db(databases="__all__")
def test_only_accounts_without_a_municipality_see_the_national_map(on: str) -> None:
    for url in ("/kaart/nederland/", BUURT_URL):
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
    for role in ("viewer", "professional", "analyst", "admin"):
        client = signed_in(on, role)
        assert client.get("/kaart/nederland/").status_code == 200, role
        assert client.get(BUURT_URL).status_code == 200, role
    for role, gm in (("viewer", "GM0363"), ("analyst", "GM0363"), ("analyst", "GM0518")):
        client = signed_in(on, role, gm)
        assert client.get("/kaart/nederland/").status_code == 403, (role, gm)
        assert client.get(BUURT_URL).status_code == 403, (role, gm)
        # ... and their own map stays where it was: /kaart/ sends them there.
        assert client.get("/kaart/")["Location"] == f"/kaart/{gm}/"
    index = signed_in(on, "analyst", "").get("/kaart/")
    assert index.status_code == 200 and 'href="/kaart/nederland/"' in index.content.decode()


# --- the cache ---------------------------------------------------------------------------------


@pytest.mark.django_db(databases="__all__")
def test_cached_payload_is_not_served_stale_after_an_import(
    on: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table
    from wijkbeeld.web.pages import national_map

    computed: list[Any] = []
    real = national_map._compute
    monkeypatch.setattr(national_map, "_compute",
                        lambda key: computed.append(key) or real(key))
    client = signed_in(on, "analyst")
    before = raw_low_income()
    _meta, found = features(client.get(BUURT_URL))
    assert found["BU0363AF01"]["properties"]["value"] == before["BU0363AF01"]
    features(client.get(BUURT_URL))
    assert len(computed) == 1  # the second request was served from the cache
    # Another process: an empty local cache finds the layer in the shared cache.
    national_map.NATIONAL.clear()
    features(client.get(BUURT_URL))
    assert len(computed) == 1 and national_map.NATIONAL.shared_hits == 1

    # A corrected KWB file (same name, so the same period) with one changed cell.
    changed = tmp_path / KWB.name
    with KWB.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    column = rows[0].index("Pct_Low_Income_Households")
    new = "77,5" if before["BU0363AF01"] != 77.5 else "12,5"
    for row in rows[1:]:
        if row[rows[0].index("Area_Code")].strip() == "BU0363AF01":
            row[column] = new
    with changed.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    store_table(read_figures(changed, catalogue=load_catalogue()), who="test", using=on)
    after = raw_low_income(changed)
    assert after["BU0363AF01"] != before["BU0363AF01"]
    _meta, found = features(client.get(BUURT_URL))
    assert found["BU0363AF01"]["properties"]["value"] == after["BU0363AF01"]
    assert len(computed) == 2


@pytest.mark.django_db(databases="__all__")
def test_without_boundaries_the_page_says_so_and_the_data_is_404(db_alias: str) -> None:
    wipe(db_alias)
    with override_settings(DATABASE_ROUTERS=[OneDatabase(db_alias)]):
        client = signed_in(db_alias, "admin")
        page = client.get("/kaart/nederland/")
        assert page.status_code == 200
        assert "Er zijn geen gebieden met grenzen en cijfers op dit niveau." in \
            page.content.decode()
        assert 'id="kaart"' not in page.content.decode()
        assert client.get(BUURT_URL).status_code == 404


@pytest.mark.django_db(databases="__all__")
def test_page_says_how_many_areas_with_figures_have_no_boundary(on: str) -> None:
    """A layer's notes are shown under its source line, in the reader's language: here the
    ELAN wijken of 2020 whose code has no stored 2022 wijk shape, counted from the raw files."""
    with ELAN.open(encoding="utf-8-sig", newline="") as fh:
        stored = {r["WKC"].strip() for r in csv.DictReader(fh) if r["YEAR"].strip() == "2020"}
    unmapped = len(stored - shape_codes(WIJKEN, "WK_CODE"))
    assert unmapped > 0
    url = "/kaart/nederland/?niveau=district&variabele=elan_leeftijd_gemiddeld&jaar=2020"
    client = signed_in(on)
    page = client.get(url).content.decode()
    assert f"<li>{unmapped} gebieden met een cijfer hebben geen opgeslagen grens</li>" in page
    client.cookies["django_language"] = "en"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<li>{unmapped} areas with a figure have no stored boundary</li>" in page
