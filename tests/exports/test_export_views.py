"""The table downloads of the area page and the urgency dashboard: role and municipality checks,
and the downloaded file read back gives the raw file's numbers (csv module, by hand)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.web.figures.store import store_table, sync_catalogue

DATA = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "data"
KWB_2024 = DATA / "amsterdam" / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURT = "BU0363AA01"


def _raw(code: str) -> dict[str, str]:
    with KWB_2024.open(encoding="utf-8-sig", newline="") as fh:
        return next(r for r in csv.DictReader(fh, delimiter=";") if r["Area_Code"].strip() == code)


@pytest.mark.django_db
def test_profile_and_comparison_downloads() -> None:
    catalogue = load_catalogue([])
    sync_catalogue(catalogue)
    store_table(read_figures(KWB_2024, catalogue=catalogue), who="test")
    users = get_user_model().objects
    client = Client()
    client.force_login(users.create_user("a", password="x-1234567", role="analyst",
                                         municipality="GM0363"))
    page = client.get(f"/gebied/{BUURT}/2024/").content.decode()
    assert f"/gebied/{BUURT}/2024/profiel.xlsx?jaar=2024" in page
    assert f"/gebied/{BUURT}/2024/vergelijking.parquet?jaar=2024" in page

    got = client.get(f"/gebied/{BUURT}/2024/profiel.xlsx?jaar=2024")
    assert got.status_code == 200
    assert got["Content-Disposition"] == f'attachment; filename="profiel-{BUURT}-2024.xlsx"'
    frame = pd.read_excel(io.BytesIO(got.content), sheet_name="gegevens", engine="openpyxl")
    row = frame.set_index("indicator").loc["inwoners"]
    assert row["raw_value"] == float(_raw(BUURT)["Population_Total"])
    assert row["bron"].startswith("CBS") and row["jaar"] == 2024
    about = pd.read_excel(io.BytesIO(got.content), sheet_name="herkomst", engine="openpyxl")
    assert {"bron", "jaar", "methode"} <= set(about["sleutel"])

    csv_got = client.get(f"/gebied/{BUURT}/2024/vergelijking.csv?jaar=2024")
    assert csv_got.status_code == 200 and csv_got["Content-Type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(csv_got.content), sep=";", decimal=",", encoding="utf-8-sig")
    buurten = set(table["area_code"])
    assert BUURT in buurten and all(c.startswith("BU0363") for c in buurten)
    woz = table[(table["area_code"] == "BU0363AA02") & (table["indicator"] == "woz_waarde")]
    assert woz["raw_value"].iloc[0] == float(_raw("BU0363AA02")["Avg_Property_Value_1000EUR"])

    assert client.get(f"/gebied/{BUURT}/2024/profiel.txt").status_code == 404
    assert client.get(f"/gebied/{BUURT}/2024/profiel.csv?referentie=x").status_code == 400

    other = Client()
    other.force_login(users.create_user("b", password="x-1234567", role="analyst",
                                        municipality="GM0518"))
    assert other.get(f"/gebied/{BUURT}/2024/profiel.csv").status_code == 403
    assert other.get("/urgentie/WK0363NP/matrix.csv").status_code == 403
    anonymous = Client().get(f"/gebied/{BUURT}/2024/profiel.csv")
    assert anonymous.status_code in (302, 403)


@pytest.mark.django_db
def test_urgency_matrix_download_withholds_small_groups() -> None:
    from datetime import date

    from wijkbeeld.web.figures.store import ensure_areas
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        close_round,
        create_invitations,
        open_round,
        submit_response,
    )

    ensure_areas([("GM0363", "Amsterdam"), ("WK0363AF", "Spaarndammer- en Zeeheldenbuurt")],
                 2024)
    rnd = open_round("2024-voorjaar", ["WK0363AF"], ["veiligheid"], date(2024, 4, 1))
    # residents 4, 5, 4, 2, 1, 4 → 4 of 6 urgent, mean 20/6; policy only 3 answers (withheld)
    ratings = {"residents": [4, 5, 4, 2, 1, 4], "policy": [5, 5, 5]}
    for group, values in ratings.items():
        for token, v in zip(create_invitations(rnd, group, len(values)), values, strict=True):
            submit_response(token, [ThemeAnswer("veiligheid", v, "ja", "")])
    close_round(rnd)  # a closed round shows every answer (an open one only in steps of 5)
    client = Client()
    client.force_login(get_user_model().objects.create_user(
        "v", password="x-1234567", role="viewer", municipality="GM0363"))
    page = client.get("/urgentie/WK0363AF/").content.decode()
    assert "/urgentie/WK0363AF/matrix.xlsx?ronde=2024-voorjaar" in page
    got = client.get("/urgentie/WK0363AF/matrix.parquet?ronde=2024-voorjaar")
    assert got.status_code == 200
    assert got["Content-Disposition"] == (
        'attachment; filename="urgentie-WK0363AF-2024-voorjaar.parquet"')
    frame = pd.read_parquet(io.BytesIO(got.content)).set_index("group")
    assert frame.loc["residents", "share_urgent"] == pytest.approx(4 / 6)
    assert frame.loc["residents", "mean"] == pytest.approx(20 / 6)
    assert bool(frame.loc["policy", "withheld"]) and pd.isna(frame.loc["policy", "mean"])
    assert frame.loc["residents", "jaar"] == 2024
    assert client.get("/urgentie/WK0363AF/matrix.csv?ronde=nee").status_code == 404


@pytest.mark.django_db
def test_export_table_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main

    catalogue = load_catalogue([])
    sync_catalogue(catalogue)
    store_table(read_figures(KWB_2024, catalogue=catalogue), who="test")
    assert main(["export-table", "profile", BUURT, "--year", "2024",
                 "-o", str(tmp_path / "p.xlsx")]) == 0
    frame = pd.read_excel(tmp_path / "p.xlsx", sheet_name="gegevens", engine="openpyxl")
    assert frame.set_index("indicator").loc["inwoners", "raw_value"] == float(
        _raw(BUURT)["Population_Total"])
    assert main(["export-table", "comparison", "--municipality", "GM0363", "--level", "district",
                 "--year", "2024", "-o", str(tmp_path / "t"), "--format", "csv",
                 "--csv-dialect", "international"]) == 0
    table = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert set(table["level"]) == {"district"}
    wk = table[(table["area_code"] == "WK0363AA") & (table["indicator"] == "inwoners")]
    assert wk["raw_value"].iloc[0] == float(_raw("WK0363AA")["Population_Total"])
    assert main(["export-table", "profile", "BU0363ZZ99", "-o", str(tmp_path / "x.csv")]) == 1
    assert main(["export-table", "urgency", "WK0363AF", "-o", str(tmp_path / "u.csv")]) == 1
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "u.csv").exists()
    assert "geen" in capsys.readouterr().err


@pytest.mark.django_db
def test_map_download_round_trips_through_pyogrio(tmp_path: Path) -> None:
    import json as _json

    import pyogrio

    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.web.areas.store import store_boundaries

    catalogue = load_catalogue([])
    sync_catalogue(catalogue)
    store_table(read_figures(KWB_2024, catalogue=catalogue), who="test")
    store_boundaries(read_boundaries(DATA / "amsterdam" / "amsterdam_buurten_2022.geojson",
                                     year=2024), who="test")
    client = Client()
    client.force_login(get_user_model().objects.create_user(
        "k", password="x-1234567", role="viewer", municipality="GM0363"))
    page = client.get("/kaart/GM0363/?variabele=huishoudens_laag_inkomen_pct&jaar=2024")
    assert "/kaart/GM0363/gebieden.gpkg?niveau=neighbourhood&amp;jaar=2024" in (
        page.content.decode())
    got = client.get("/kaart/GM0363/gebieden.gpkg?niveau=neighbourhood&jaar=2024")
    assert got.status_code == 200, got.content[:300]
    path = tmp_path / "kaart.gpkg"
    path.write_bytes(got.content)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert "gebieden" in layers and "herkomst" in layers
    areas = pyogrio.read_dataframe(path, layer="gebieden").set_index("area")
    assert areas.crs.to_epsg() == 28992
    raw_row = _raw(BUURT)
    assert areas.loc[BUURT, "huishoudens_laag_inkomen_pct"] == float(
        raw_row["Pct_Low_Income_Households"].replace(",", "."))
    assert set(areas["jaar"]) == {2024} and areas["bron"].iloc[0].startswith("CBS")
    about = pyogrio.read_dataframe(path, layer="herkomst", read_geometry=False)
    assert set(about["sleutel"]) == {"bron", "jaar", "methode"}
    geo = client.get("/kaart/GM0363/gebieden.geojson?niveau=neighbourhood&jaar=2024")
    doc = _json.loads(geo.content)
    feature = next(f for f in doc["features"] if f["properties"]["area"] == BUURT)
    assert feature["properties"]["huishoudens_laag_inkomen_pct"] == areas.loc[
        BUURT, "huishoudens_laag_inkomen_pct"]
    assert client.get("/kaart/GM0363/gebieden.shp?jaar=2024").status_code == 404
    assert client.get("/kaart/GM0363/gebieden.gpkg?jaar=x").status_code == 400
    other = Client()
    other.force_login(get_user_model().objects.create_user(
        "h", password="x-1234567", role="viewer", municipality="GM0518"))
    assert other.get("/kaart/GM0363/gebieden.gpkg?jaar=2024").status_code == 403

