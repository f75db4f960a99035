"""The national benchmark generator makes contiguous, nested polygons with valid CBS codes.

Checked with shapely and the code parser directly (not through wijkbeeld's importer): every
level tiles the box without gaps or overlaps, every buurt lies in its wijk and every wijk in its
gemeente (the codes say which), and the written files hold every area and every year.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from national_data import BOX, YEARS, generate  # noqa: E402

from wijkbeeld.areas.codes import parse_code  # noqa: E402


def test_generator_makes_contiguous_nested_areas_with_valid_codes(tmp_path: Path) -> None:
    data = generate(tmp_path, scale=0.02, seed=7, n_indicators=4)
    areas = data.areas.set_index("code")
    levels = areas["level"].value_counts().to_dict()
    assert levels["municipality"] == 7 and levels["neighbourhood"] == 300
    assert 7 <= levels["district"] <= 70
    box_area = (BOX[2] - BOX[0]) * (BOX[3] - BOX[1])
    for code, row in areas.iterrows():
        parsed = parse_code(str(code))  # raises on an invalid code
        assert str(parsed.level) == row["level"] or parsed.level.value == row["level"]
        assert shapely.is_valid(row.geometry)
        assert row.geometry.geom_type in {"Polygon", "MultiPolygon"}
    for level in ("municipality", "district", "neighbourhood"):
        shapes = areas.loc[areas["level"] == level, "geometry"].to_numpy()
        total = float(shapely.area(shapes).sum())
        union = shapely.union_all(shapes)
        assert abs(total - box_area) / box_area < 1e-9  # no overlaps ...
        assert abs(union.area - box_area) / box_area < 1e-9  # ... and no gaps
    for code, row in areas[areas["level"] != "municipality"].iterrows():
        parent = areas.loc[row["parent"]]
        assert str(code)[2:6] == str(row["municipality"])[2:]
        assert str(code)[2:len(str(row["parent"]))] == str(row["parent"])[2:]
        shrunk = row.geometry.buffer(-1.0)
        assert shrunk.is_empty or parent.geometry.contains(shrunk)
    # Contiguity: every buurt touches another buurt of its gemeente when there are several.
    buurten = areas[areas["level"] == "neighbourhood"]
    tree = shapely.STRtree(buurten.geometry.to_numpy())
    pairs = tree.query(buurten.geometry.to_numpy(), predicate="touches")
    touching = set(pairs[0])
    assert touching == set(range(len(buurten)))
    # The files: one CSV per year with every area once, and the GeoJSON with every area.
    assert [int(p.stem[-4:]) for p in data.figures] == list(YEARS)
    with data.figures[0].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert sorted(r["Area_Code"] for r in rows) == sorted(areas.index)
    assert all(0.0 <= float(r["NlSynth00"]) <= 100.0 for r in rows)
    assert data.boundaries.read_text(encoding="utf-8").count('"statcode"') == len(areas)
