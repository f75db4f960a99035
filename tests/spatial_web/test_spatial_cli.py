"""`wijkbeeld hotspots` and `wijkbeeld export` on a real SQLite database (subprocess), with the
bundled Amsterdam KWB 2024 figures and buurt boundaries.

The expected numbers come from the raw files read here (csv module, GeoJSON through geopandas)
and from esda and libpysal called directly, never from wijkbeeld's own code.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from libpysal.graph import Graph
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "wijkbeeld" / "data" / "amsterdam"
KWB = DATA / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURTEN = DATA / "amsterdam_buurten_2022.geojson"
INDICATOR, COLUMN = "huishoudens_laag_inkomen_pct", "Pct_Low_Income_Households"


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-c", "import sys; from wijkbeeld.cli import main; sys.exit(main())"]
    done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=300,
                          cwd=db.parent)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("spatialcli") / "wijkbeeld.sqlite3"
    _run(path, "import", "figures", str(KWB))
    _run(path, "import", "areas", str(BUURTEN), "--year", "2024")
    yield path


def _raw_values() -> dict[str, float]:
    """Low-income share per buurt from the raw CSV (``.`` and empty: no value)."""
    out: dict[str, float] = {}
    with KWB.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            code = row["Area_Code"].strip()
            if not code.startswith("BU"):
                continue
            cell = (row[COLUMN] or "").strip().replace(",", ".")
            try:
                out[code] = float(cell)
            except ValueError:
                out[code] = math.nan
    return out


def test_hotspots_json_equals_esda_called_directly(db: Path) -> None:
    done = _run(db, "hotspots", "--municipality", "GM0363", "--year", "2024", "--indicator",
                INDICATOR, "--json", "--island-policy", "exclude")
    result = json.loads(done.stdout)
    assert result["seed"] == 12345 and result["permutations"] == 999
    assert result["graph"]["policy"] == "exclude"
    # independently: shapes from the GeoJSON, values from the CSV, Queen in RD New
    shapes = gpd.read_file(BUURTEN).set_index("cbsCode").sort_index().to_crs("EPSG:28992")
    values = _raw_values()
    y_all = np.array([values.get(c, math.nan) for c in shapes.index])
    keep = shapes.loc[~np.isnan(y_all)]
    graph = Graph.build_contiguity(keep.geometry, rook=False)
    n, labels = connected_components(graph.sparse, directed=False)
    largest = np.bincount(labels).argmax()
    tested = keep.loc[labels == largest]
    assert n == 2 and result["graph"]["n_tested"] == len(tested)
    w = Graph.build_contiguity(tested.geometry, rook=False)
    y = np.array([values[c] for c in tested.index])
    local = esda.Moran_Local(y, w, transformation="r", permutations=999, seed=12345,
                             keep_simulations=False, alternative="two-sided")
    gi = esda.G_Local(y, w, transform="R", star=True, permutations=999, seed=12345,
                      keep_simulations=False, alternative="two-sided")
    np.random.seed(12345)
    glob = esda.Moran(y, w, transformation="r", permutations=999)
    assert result["global_moran"]["i"] == pytest.approx(glob.I, rel=1e-12)
    assert result["global_moran"]["p"] == pytest.approx(glob.p_sim)
    by_area = {a["area"]: a for a in result["areas"]}
    assert len(by_area) == len(shapes)
    for k in (0, 17, 120, len(tested) - 1):
        row = by_area[tested.index[k]]
        assert row["value"] == y[k]
        assert row["local_i"] == pytest.approx(local.Is[k], rel=1e-9)
        assert row["p"] == pytest.approx(float(local.p_sim[k]), abs=1e-6)
        assert row["gi_z"] == pytest.approx(gi.Zs[k], rel=1e-9)
    missing = [c for c in shapes.index if math.isnan(values.get(c, math.nan))]
    assert missing and all(by_area[c]["cluster"] == "geen gegevens" for c in missing)
    excluded = set(keep.index) - set(tested.index)
    assert excluded and all(by_area[c]["cluster"] == "niet getoetst" for c in excluded)


def test_hotspots_map_writes_a_png(db: Path) -> None:
    out = db.parent / "hotspots.png"
    _run(db, "hotspots", "--municipality", "GM0363", "--year", "2024", "--theme",
         "werk_inkomen", "--map", str(out), "--permutations", "99")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000


def test_export_gpkg_carries_the_profile_values(db: Path) -> None:
    target = db.parent / "gebieden.gpkg"
    _run(db, "export", "--municipality", "GM0363", "--year", "2024", "--format", "gpkg",
         "-o", str(target), "--permutations", "99")
    frame = pyogrio.read_dataframe(target, layer="gebieden").set_index("area")
    assert len(frame) == len(gpd.read_file(BUURTEN))
    assert {"bron", "jaar", "methode", "thema_werk_inkomen", "thema_werk_inkomen_cluster"} <= set(
        frame.columns)
    assert (frame["jaar"] == 2024).all()
    assert "99 permutaties, seed 12345" in frame["methode"].iloc[0]
    code = "BU0363AF01"
    profile = json.loads(_run(db, "profile", code, "--year", "2024", "--json").stdout)
    checked = 0
    for ind in profile["indicators"]:
        # the export carries the figure as stored: the profile's raw_value (counts are compared
        # as shares of their base in the profile's ``value``)
        if ind["indicator"] in frame.columns and ind["raw_value"] is not None:
            assert frame.at[code, ind["indicator"]] == pytest.approx(ind["raw_value"])
            checked += 1
    assert checked >= 10
    assert frame.at[code, INDICATOR] == _raw_values()[code]
    for theme in profile["themes"]:
        column = f"thema_{theme['theme']}"
        if theme["score"] is not None and column in frame.columns:
            assert frame.at[code, column] == pytest.approx(theme["score"])
    herkomst = pyogrio.read_dataframe(target, layer="herkomst")
    assert list(herkomst["sleutel"]) == ["bron", "jaar", "methode"]
