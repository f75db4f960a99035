"""Every endpoint on stored data: the bundled Amsterdam KWB 2024 figures, the buurt boundaries
and one urgency round. Expected values come from the raw CSV/GeoJSON (csv/json modules), from
esda called directly, and from the ratings written in :mod:`api_support`, never from the API's
own code path."""

from __future__ import annotations

import math
import tomllib
from typing import Any

import pytest
from api_support import BUURTEN, RATINGS, ROUND, WIJK, boundary_codes, kwb, make_user, number
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_data")]

INDICATOR, COLUMN = "huishoudens_laag_inkomen_pct", "Pct_Low_Income_Households"


@pytest.fixture
def reader(client: Client) -> Client:
    client.force_login(make_user("lezer", "viewer", "GM0363"))
    return client


def get(client: Client, url: str, expect: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == expect, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _amsterdam_buurten() -> list[str]:
    return sorted({c for c in kwb() if c.startswith("BU0363")} | set(boundary_codes()))


def test_areas_list_filters_and_pages(reader: Client) -> None:
    expected = _amsterdam_buurten()
    body = get(reader, "/api/areas", municipality="GM0363", level="neighbourhood",
               boundary_year=2024, limit=50, offset=100)
    assert body["total"] == len(expected) and body["limit"] == 50 and body["offset"] == 100
    assert [a["code"] for a in body["items"]] == expected[100:150]
    first = body["items"][0]
    assert first["level"] == "neighbourhood" and first["boundary_year"] == 2024
    assert first["municipality"] == "GM0363"
    assert first["has_geometry"] is (first["code"] in set(boundary_codes()))
    # walking every page gives every code once
    seen: list[str] = []
    offset = 0
    while True:
        part = get(reader, "/api/areas", municipality="GM0363", level="neighbourhood",
                   limit=200, offset=offset)
        seen += [a["code"] for a in part["items"]]
        offset += 200
        if offset >= part["total"]:
            break
    assert seen == expected
    wijken = get(reader, "/api/areas", level="district", limit=1000)
    assert sorted(a["code"] for a in wijken["items"]) == sorted(
        c for c in kwb() if c.startswith("WK0363"))
    named = get(reader, "/api/areas", q="Planciusbuurt")
    assert {a["name"] for a in named["items"]} >= {kwb()["BU0363AA01"]["District_Type"].strip()}


def test_area_detail_has_parent_children_and_years(reader: Client) -> None:
    body = get(reader, f"/api/areas/{WIJK}", geometry="true")
    assert body["code"] == WIJK and body["name"] == kwb()[WIJK]["District_Type"].strip()
    assert body["parent"]["code"] == "GM0363"
    # Amsterdam's wijk names carry no level word, so the display name is the name itself.
    assert body["display_name"] == body["name"] and body["parent"]["display_name"] == "Amsterdam"
    children = sorted(c["code"] for c in body["children"])
    assert children == sorted(c for c in _amsterdam_buurten() if c.startswith("BU" + WIJK[2:]))
    assert body["boundary_years"] == [2024] and body["figure_years"] == [2024]
    assert body["n_figures"] > 10
    buurt = get(reader, "/api/areas/BU0363AA01", geometry="true")
    assert buurt["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert get(reader, "/api/areas/BU0363AA01", boundary_year=2020, expect=404)["error"][
        "code"] == "not_found"


def test_figures_carry_source_year_and_never_a_withheld_value(reader: Client) -> None:
    raw = kwb()
    body = get(reader, "/api/figures", area="BU0363AA01", indicator=INDICATOR, year=2024)
    assert body["total"] == 1
    fig = body["items"][0]
    assert fig["value"] == pytest.approx(number(raw["BU0363AA01"][COLUMN]))
    assert fig["year"] == 2024 and fig["period"].startswith("2024")
    assert "CBS" in fig["source"] and fig["source_column"] == COLUMN
    # Issue 19: a display field beside the raw value, as the pages show it (percent unit:
    # the raw file's figure with a decimal comma and " %").
    expected = f"{number(raw['BU0363AA01'][COLUMN]):.1f}".replace(".", ",") + " %"
    assert fig["value_text"] == expected
    # per indicator: every Amsterdam buurt, value as in the raw file, null where not published
    all_rows = get(reader, "/api/figures", indicator=INDICATOR, municipality="GM0363",
                   level="neighbourhood", limit=1000)
    by_area = {r["area"]: r for r in all_rows["items"]}
    buurten = {c: r for c, r in raw.items() if c.startswith("BU0363")}
    assert set(by_area) == set(buurten)
    hidden = [c for c, r in buurten.items() if math.isnan(number(r[COLUMN]))]
    assert hidden, "the raw file has unpublished cells"
    for code in hidden:
        assert by_area[code]["value"] is None and by_area[code]["status"] != "ok"
    for code, row in buurten.items():
        if code not in hidden:
            assert by_area[code]["value"] == pytest.approx(number(row[COLUMN]))
    assert all(r["source"] and r["year"] == 2024 for r in all_rows["items"])
    suppressed = get(reader, "/api/figures", municipality="GM0363", status="suppressed",
                     limit=1000)
    assert all(r["value"] is None for r in suppressed["items"])
    assert get(reader, "/api/figures", expect=400)["error"]["code"] == "bad_request"


def test_indicator_catalogue(reader: Client) -> None:
    from wijkbeeld.figures import catalogue as cat_pkg

    folder = cat_pkg.__file__.rsplit("/", 1)[0] + "/catalogue"
    import pathlib

    keys: dict[str, dict[str, Any]] = {}
    for path in pathlib.Path(folder).glob("*.toml"):
        for ind in tomllib.loads(path.read_text(encoding="utf-8")).get("indicator", []):
            keys[ind["key"]] = ind
    body = get(reader, "/api/indicators", limit=1000)
    assert body["total"] == len(keys)
    assert {i["key"] for i in body["items"]} == set(keys)
    one = get(reader, f"/api/indicators/{INDICATOR}")
    assert one["unit"] == keys[INDICATOR]["unit"] and one["theme"] == keys[INDICATOR]["theme"]
    assert one["polarity"] == keys[INDICATOR]["polarity"]
    themed = get(reader, "/api/indicators", theme="armoede_schulden", limit=1000)
    assert {i["key"] for i in themed["items"]} == {
        k for k, v in keys.items() if v.get("theme") == "armoede_schulden"}
    themes = {t["key"]: t for t in get(reader, "/api/themes")}
    assert themes["armoede_schulden"]["n_indicators"] == themed["total"]
    assert get(reader, "/api/indicators/geen_indicator", expect=404)["error"]["code"] == \
        "not_found"


def test_profile_matches_raw_figures_and_the_page_cache(reader: Client) -> None:
    raw = kwb()
    body = get(reader, "/api/profiles/BU0363AA01")
    assert body["area"]["code"] == "BU0363AA01" and body["year"] == 2024
    assert body["reference"] == "municipality" and body["boundary_year"] == 2024
    row = next(r for r in body["indicators"] if r["indicator"] == "woz_waarde")
    woz = number(raw["BU0363AA01"]["Avg_Property_Value_1000EUR"])
    assert row["raw_value"] == pytest.approx(woz)
    assert row["year"] == 2024 and "CBS" in row["source"]
    # the reference set: every Amsterdam buurt with a published value (plain mean, as woz has
    # no base in the catalogue), population SD (ddof 0)
    values = [number(r["Avg_Property_Value_1000EUR"]) for c, r in raw.items()
              if c.startswith("BU0363")]
    values = [v for v in values if not math.isnan(v)]
    assert row["ref_n"] == len(values)
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    assert row["ref_mean"] == pytest.approx(mean)
    assert row["ref_sd"] == pytest.approx(sd)
    assert row["z"] == pytest.approx((row["value"] - mean) / sd)
    for r in body["indicators"]:
        assert r["source"] and r["year"] == 2024
        if r["status"] != "ok":
            assert r["value"] is None and r["raw_value"] is None
    # the same numbers as the area page's cached profile (one code path for both)
    from wijkbeeld.web.pages.area_profile import area_profile_data
    from wijkbeeld.web.pages.profile_cache import import_stamp

    page = area_profile_data("BU0363AA01", "neighbourhood", "GM0363", 2024, 2024,
                             "municipality", import_stamp())
    assert [r["indicator"] for r in body["indicators"]] == [
        r.indicator for r in page.profile.indicators]
    for reference in ("nl", "parent", "peers"):
        other = get(reader, "/api/profiles/BU0363AA01", reference=reference)
        assert other["reference"] == reference and other["indicators"]
    peers = get(reader, "/api/profiles/BU0363AA01", reference="peers")
    assert set(peers["peer_names"]) == {p["area"] for p in peers["peers"]["peers"]}
    assert all(code.startswith("BU0363") for code in peers["peer_names"])
    bad = get(reader, "/api/profiles/GM0363", reference="parent", expect=400)
    assert bad["error"]["code"] == "bad_request"
    assert get(reader, "/api/profiles/BU0363AA01", year=2019, expect=404)["error"]["code"] == \
        "not_found"


def test_hotspots_as_esda_computes_them(reader: Client) -> None:
    import esda
    import geopandas as gpd
    import numpy as np
    from libpysal.graph import Graph
    from scipy.sparse.csgraph import connected_components

    body = get(reader, "/api/hotspots", municipality="GM0363", year=2024, indicator=INDICATOR,
               permutations=99, island_policy="exclude")
    assert body["year"] == 2024 and body["period"].startswith("2024") and "CBS" in body["source"]
    assert body["permutations"] == 99 and body["seed"] == 12345
    raw = kwb()
    shapes = gpd.read_file(BUURTEN).set_index("cbsCode").sort_index().to_crs("EPSG:28992")
    values = {c: number(raw[c][COLUMN]) if c in raw else math.nan for c in shapes.index}
    by_area = {a["area"]: a for a in body["areas"]}
    assert set(by_area) == set(shapes.index) and body["n_areas"] == len(shapes)
    for code, v in values.items():
        if math.isnan(v):
            assert by_area[code]["value"] is None and by_area[code]["cluster"] == "geen gegevens"
        else:
            assert by_area[code]["value"] == pytest.approx(v)
    keep = shapes.loc[[c for c in shapes.index if not math.isnan(values[c])]]
    graph = Graph.build_contiguity(keep.geometry, rook=False)
    _n, labels = connected_components(graph.sparse, directed=False)
    tested = keep.loc[labels == np.bincount(labels).argmax()]
    w = Graph.build_contiguity(tested.geometry, rook=False)
    y = np.array([values[c] for c in tested.index])
    assert body["n_tested"] == len(tested)
    assert body["global_moran"]["i"] == pytest.approx(esda.Moran(y, w, permutations=0).I,
                                                      rel=1e-12)
    assert sum(body["counts"].values()) == body["n_areas"]
    theme = get(reader, "/api/hotspots", municipality="GM0363", year=2024,
                theme="armoede_schulden", permutations=99)
    assert theme["layer"]["kind"] == "theme"
    both = get(reader, "/api/hotspots", municipality="GM0363", year=2024, expect=400)
    assert both["error"]["code"] == "bad_request"
    none = get(reader, "/api/hotspots", municipality="GM0363", year=2019, indicator=INDICATOR,
               expect=404)
    assert none["error"]["code"] == "not_found"


def _share(values: list[int]) -> float:
    return sum(1 for v in values if v >= 4) / len(values)


def test_urgency_matrix_withholds_small_groups(reader: Client) -> None:
    rounds = get(reader, "/api/urgency/rounds")
    assert rounds["total"] == 1 and rounds["items"][0]["key"] == ROUND
    assert rounds["items"][0]["areas"] == [WIJK]
    body = get(reader, f"/api/urgency/{WIJK}")
    assert body["area_code"] == WIJK and body["round"]["key"] == ROUND
    row = next(t for t in body["themes"] if t["theme"] == "veiligheid")
    residents, policy = row["cells"]["residents"], row["cells"]["policy"]
    assert residents["n"] == len(RATINGS["residents"]) and not residents["withheld"]
    assert residents["share_urgent"] == pytest.approx(_share(RATINGS["residents"]))
    assert residents["mean"] == pytest.approx(sum(RATINGS["residents"]) / 6)
    assert policy["share_urgent"] == pytest.approx(_share(RATINGS["policy"]))
    pros = row["cells"]["professionals"]
    assert pros["withheld"] is True
    for key in ("mean", "share_urgent", "r_wg", "variance"):
        assert pros[key] is None, key
    assert {"theme": "veiligheid", "group": "professionals"}.items() <= next(
        w for w in body["withheld"] if w["group"] == "professionals"
        and w["theme"] == "veiligheid").items()
    assert any("CBS" in s for s in body["figures_sources"])
    figures = row["class"]["figures"]
    assert figures is None or figures["year"] == 2024
    assert get(reader, "/api/urgency/WK0363AA", expect=404)["error"]["code"] == "not_found"


def test_me_and_unknown_paths(reader: Client) -> None:
    me = get(reader, "/api/me")
    assert me == {"username": "lezer", "role": "viewer", "municipality": "GM0363",
                  "via": "session"}
    body = get(reader, "/api/bestaat-niet", expect=404)
    assert body["error"]["code"] == "not_found"


def test_comparison_table_against_raw_mean_and_sd(reader: Client) -> None:
    raw = kwb()
    body = get(reader, "/api/comparisons", municipality="GM0363", year=2024,
               indicator="woz_waarde", limit=1000)
    buurten = {c: number(r["Avg_Property_Value_1000EUR"]) for c, r in raw.items()
               if c.startswith("BU0363")}
    assert body["total"] == len(buurten) and body["reference"] == "municipality"
    published = [v for v in buurten.values() if not math.isnan(v)]
    mean = sum(published) / len(published)
    sd = math.sqrt(sum((v - mean) ** 2 for v in published) / len(published))
    for row in body["items"]:
        v = buurten[row["area"]]
        assert row["year"] == 2024 and "CBS" in row["source"]
        if math.isnan(v):
            assert row["value"] is None and row["z"] is None and row["status"] != "ok"
        else:
            assert row["value"] == pytest.approx(v)
            assert row["z"] == pytest.approx((v - mean) / sd)
            assert row["reference_value"] == pytest.approx(mean)
    paged = get(reader, "/api/comparisons", municipality="GM0363", year=2024,
                indicator="woz_waarde", limit=10, offset=20)
    assert paged["items"] == body["items"][20:30]
    themed = get(reader, "/api/comparisons", municipality="GM0363", year=2024,
                 theme="armoede_schulden", limit=1000)
    assert {r["theme"] for r in themed["items"]} == {"armoede_schulden"}
    assert get(reader, "/api/comparisons", municipality="GM0363", year=2019,
               expect=404)["error"]["code"] == "not_found"
