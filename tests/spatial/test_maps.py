"""Static maps of the real Amsterdam buurten: PNG and SVG, legend, title, source line.

The hotspot map uses 99 permutations: it tests drawing, not inference (equality with esda at 999
permutations is tested in test_hotspots.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd
import pytest
from PIL import Image
from spatial_support import SOURCE, amsterdam

from wijkbeeld.spatial import SpatialOptions, choropleth_map, classify, hotspot_map, hotspots

TITLE = "Huishoudens met een laag inkomen (%)"


@pytest.fixture(scope="module")
def areas(raw: Path) -> gpd.GeoDataFrame:
    return amsterdam(raw)


def svg_texts(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def test_png_choropleth(areas: gpd.GeoDataFrame, tmp_path: Path) -> None:
    classes = classify(areas["value"], "quantiles", k=5)
    out = choropleth_map(areas, classes, tmp_path / "kaart.png", title=TITLE, source=SOURCE)
    data = out.path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    with Image.open(out.path) as image:
        assert image.size == (out.width_px, out.height_px)
        assert 600 <= image.size[0] <= 3000 and 300 <= image.size[1] <= 3000
        dpi = image.info.get("dpi")
        assert dpi is not None and round(dpi[0]) == 150
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 6  # the classes, not a blank canvas
    # legend: one entry per class actually formed, plus "geen gegevens" for the 15 without value
    assert out.n_classes == classes.k == 5
    assert [label for label, _n in out.legend[:-1]] == list(classes.labels)
    assert out.legend[-1] == ("geen gegevens", int(areas["value"].isna().sum()))
    assert sum(n for _label, n in out.legend) == len(areas)


def test_svg_carries_title_source_and_legend(areas: gpd.GeoDataFrame, tmp_path: Path) -> None:
    classes = classify(areas["value"], "equal_interval", k=7)
    out = choropleth_map(areas, classes, tmp_path / "kaart.svg", title=TITLE, source=SOURCE)
    texts = svg_texts(out.path)
    assert TITLE in texts
    assert f"Bron: {SOURCE}" in texts
    legend = [t for t in texts if re.fullmatch(r"[\d,]+( – [\d,]+)? \(\d+\)", t)]
    assert len(legend) == classes.k == out.n_classes
    assert "geen gegevens (15)" in texts
    assert "Klassen (gelijke intervallen)" in texts
    assert "N" in texts and any(t.endswith("km") for t in texts)  # north arrow, scale bar
    # deterministic: the same map twice gives the same bytes
    again = choropleth_map(areas, classes, tmp_path / "again.svg", title=TITLE, source=SOURCE)
    assert again.path.read_bytes() == out.path.read_bytes()


def test_hotspot_map_legend_lists_present_classes(areas, tmp_path: Path) -> None:
    result = hotspots(areas, "value", SpatialOptions(permutations=99))
    out = hotspot_map(areas, result, tmp_path / "hotspots.svg", title="Lage inkomens",
                      source="Bron: CBS")
    counts = {label: n for label, n in result.counts().items() if n}
    assert dict(out.legend) == counts
    assert out.n_classes == len(counts)
    texts = svg_texts(out.path)
    assert "Bron: CBS" in texts and "Lage inkomens" in texts
    assert f"concentratie van opgaven ({counts['concentratie van opgaven']})" in texts
    assert "geen gegevens (15)" in texts


def test_bad_requests(areas, tmp_path: Path) -> None:
    classes = classify(areas["value"])
    with pytest.raises(ValueError, match=r"png or \.svg"):
        choropleth_map(areas, classes, tmp_path / "kaart.pdf", title=TITLE, source=SOURCE)
    with pytest.raises(ValueError, match="title"):
        choropleth_map(areas, classes, tmp_path / "kaart.png", title=" ", source=SOURCE)
