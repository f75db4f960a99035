"""``wijkbeeld profile AREA``: the real CLI on a real database, and the database loader
(``web.figures.loading.figures_frame``) on SQLite and PostgreSQL, checked by hand."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from compare_support import kwb_buurten, kwb_row, mean, num, pairs, sd, weighted_mean
from django.db import connections
from django.test.utils import CaptureQueriesContext

from wijkbeeld.compare import Figures, compare_all, profile
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
FIELDS = {"indicator", "source_column", "theme", "value", "reference_value", "z", "percentile",
          "index", "band", "reliability"}


def wijkbeeld(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest-django's test settings ignore the URL
    script = Path(sys.executable).parent / "wijkbeeld"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "wijkbeeld.cli"]
    return subprocess.run([*command, *args], env=env, cwd=db.parent, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def database(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("profile") / "x.sqlite3"
    done = wijkbeeld(["import", "figures", str(raw / KWB_2024)], db)
    assert done.returncode == 0, done.stderr
    return db


def by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["indicator"]: r for r in data["indicators"]}


def test_profile_json(raw: Path, database: Path) -> None:
    done = wijkbeeld(["profile", "BU0363AA01", "--json"], database)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["area"]["code"] == "BU0363AA01"
    assert data["area"]["name"] == "Planciusbuurt-Noord"
    assert data["reference"] == "municipality"
    assert {"indicators", "themes", "strengths"} <= set(data)
    for rec in data["indicators"]:
        assert set(rec) >= FIELDS, rec["indicator"]
    rows = by_key(data)
    assert len(rows) == 20

    # inkomen_laagste_40_pct: z against the base-weighted city percentage, by hand.
    members = pairs(kwb_buurten(raw, 2024), "Pct_Lowest_40Pct_Income", "Population_Total")
    values = [v for _, v, _ in members]
    ref = weighted_mean([v for _, v, b in members if b is not None],
                        [b for _, _, b in members if b is not None])
    rec = rows["inkomen_laagste_40_pct"]
    assert rec["source_column"] == "Pct_Lowest_40Pct_Income"
    assert rec["theme"] == "werk_inkomen"
    assert rec["value"] == 57.8
    assert rec["reference_value"] == pytest.approx(ref, rel=1e-12)
    assert rec["z"] == pytest.approx((57.8 - ref) / sd(values), rel=1e-9)
    assert rec["index"] == pytest.approx(100 * 57.8 / ref, rel=1e-12)
    assert rec["band"] == "unfavourable" and rec["band_label"] == "ongunstiger"
    assert rec["reliability"] == "ok"
    # huishoudensgrootte: no base, the plain mean.
    sizes = [v for _, v, _ in pairs(kwb_buurten(raw, 2024), "Avg_Household_Size")]
    rec = rows["huishoudensgrootte"]
    assert rec["z"] == pytest.approx((1.3 - mean(sizes)) / sd(sizes), rel=1e-9)
    assert rec["theme"] == "" and rec["band"] == "lower"
    # A missing figure: null value and z, with the reason.
    rec = rows["opleiding_hoog"]
    assert rec["value"] is None and rec["z"] is None
    assert rec["reliability"] == "missing" and "Higher_Education_Count" in rec[
        "reliability_reason"]
    # Themes keep their coverage and parameters.
    themes = {t["theme"]: t for t in data["themes"]}
    assert themes["werk_inkomen"]["n_total"] == 5
    assert themes["werk_inkomen"]["seed"] == data["options"]["seed"]
    assert data["options"]["ddof"] == 0


def test_profile_text_and_other_references(database: Path) -> None:
    done = wijkbeeld(["profile", "BU0363AA01"], database)
    assert done.returncode == 0, done.stderr
    assert "Bron: CBS, Kerncijfers wijken en buurten, 2024" in done.stdout
    assert "Werk en inkomen: score" in done.stdout
    # shares of their base read as percentages with one decimal, never as fractions
    assert re.search(r"\d(,\d)? %  ref +\d+(,\d)? %", done.stdout), done.stdout[:2000]
    for reference in ("nl", "peers", "parent"):
        done = wijkbeeld(["profile", "BU0363AA01", "--reference", reference, "--json"], database)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["reference"] == reference
        assert by_key(data)["huishoudensgrootte"]["reference_kind"] == reference
    done = wijkbeeld(["profile", "BU0363AA01", "--year", "2019"], database)
    assert done.returncode == 1 and "geen cijfers voor BU0363AA01 in 2019" in done.stderr
    done = wijkbeeld(["profile", "BU0363ZZ99"], database)
    assert done.returncode == 1 and "geen cijfers" in done.stderr
    done = wijkbeeld(["profile", "XX12"], database)
    assert done.returncode == 2 and "not a CBS area code" in done.stderr


@cache
def file_figures(raw: Path) -> Figures:
    return Figures.from_tables([read_figures(raw / KWB_2024)])


@pytest.mark.django_db(databases="__all__")
def test_figures_frame_from_the_database(raw: Path, db_alias: str) -> None:
    from wijkbeeld.web.figures.loading import figures_frame
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    sync_catalogue(load_catalogue(), using=db_alias)
    store_table(read_figures(raw / KWB_2024), who="test", using=db_alias)
    with CaptureQueriesContext(connections[db_alias]) as queries:
        figures = figures_frame(municipality="GM0363", level="neighbourhood", using=db_alias)
    # observations (with indicator key and batch source) + their areas + indicator definitions
    assert len(queries.captured_queries) == 3

    frame = figures.frame
    assert len(frame) == 517 * 20
    assert set(frame["level"].unique()) == {"neighbourhood"}
    got = {(str(r.area_code), str(r.source_column)): (str(r.status), r.value)
           for r in frame.itertuples(index=False)}
    for row in kwb_buurten(raw, 2024)[:40]:
        for column in ("Pct_Lowest_40Pct_Income", "Avg_Household_Size", "Pop_Age_65_Plus"):
            status, value = got[(row["Area_Code"], column)]
            expected = num(row[column])
            if expected is None:
                assert status == "missing" and math.isnan(value)
            else:
                assert (status, value) == ("ok", expected)
    assert str(frame["source"].iloc[0]) == "CBS, Kerncijfers wijken en buurten"
    inwoners = figures.indicators["inkomen_laagste_40_pct"]
    assert inwoners.base == "inwoners" and inwoners.theme == "werk_inkomen"

    # The same profile from the database as from the file.
    from_db = profile(figures, "BU0363AA01")
    from_file = profile(compare_all(file_figures(raw)), "BU0363AA01")
    for key in ("inkomen_laagste_40_pct", "woningen_onbewoond_pct", "leeftijd_65_plus"):
        a, b = from_db.indicator(key), from_file.indicator(key)
        assert a.z == pytest.approx(b.z, rel=1e-12)
        assert a.reference_value == pytest.approx(b.reference_value, rel=1e-12)
    assert from_db.theme("werk_inkomen").score == pytest.approx(
        from_file.theme("werk_inkomen").score, rel=1e-12)
    assert kwb_row(raw, 2024, "BU0363AA01")["Pct_Lowest_40Pct_Income"] == "57,8"


@pytest.mark.django_db(databases="__all__")
def test_figures_frame_filters_and_empty_database(db_alias: str) -> None:
    from wijkbeeld.web.figures.loading import figures_frame

    empty = figures_frame(municipality="GM0363", using=db_alias)
    assert len(empty.frame) == 0
    assert list(empty.frame.columns)[:3] == ["area_code", "area_name", "level"]
