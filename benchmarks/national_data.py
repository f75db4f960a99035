"""A synthetic national data set: ~15,000 buurten in ~3,500 wijken in ~350 gemeenten, 60
indicators, 10 years, in the files wijkbeeld imports (CBS-style CSV, GeoJSON, catalogue TOML).

Why synthetic: the real national KWB and boundary files of every year are not in the raw data
folder (only Amsterdam, one national wijken file of 2016 and the RIVM workbook), and a benchmark
needs the full national size with every level nested. The shapes are a hierarchical Voronoi
tessellation in RD New over a Netherlands-sized box: one Voronoi diagram of the buurt seeds (so
neighbouring buurten share their vertices exactly), each buurt assigned to the nearest gemeente
seed and then to the nearest wijk seed of its gemeente; wijken and gemeenten are the unions of
their buurten, so every level tiles its parent exactly: contiguous, non-overlapping, nested.
Values are spatially autocorrelated (a smooth field of a few long waves, a gemeente effect and
noise) with a trend over the years; wijk and gemeente rows are the means of their buurten, as in
the KWB.

    .venv/bin/python benchmarks/national_data.py OUT_DIR [--scale 0.1] [--seed 2026]

:func:`generate` writes ``catalogue.toml`` (60 indicators, themes and polarity),
``gebieden_2024.geojson`` (every gemeente, wijk and buurt, boundary year 2024) and
``kerncijfers_nl_<year>.csv`` for 2015-2024, and returns their paths with the shapes.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["BOX", "NationalData", "generate", "tessellate"]

#: A Netherlands-sized box in RD New (metres): 250 km x 300 km.
BOX = (20_000.0, 310_000.0, 270_000.0, 610_000.0)
THEMES = ("veiligheid", "armoede_schulden", "werk_inkomen", "gezondheid_zorg",
          "jeugd_onderwijs", "wonen", "openbare_ruimte")
POLARITIES = ("higher_is_worse", "higher_is_better", "neutral")
YEARS = tuple(range(2015, 2025))
BOUNDARY_YEAR = 2024


@dataclass(frozen=True)
class NationalData:
    """The generated files and shapes (RD New), and the sizes asked for."""

    folder: Path
    catalogue: Path
    boundaries: Path
    figures: tuple[Path, ...]
    areas: gpd.GeoDataFrame  # code, name, level, parent, municipality, geometry
    scale: float
    n_indicators: int


def _voronoi(seeds: np.ndarray, box: shapely.Polygon) -> np.ndarray:
    """The Voronoi cells of ``seeds`` clipped to ``box``, in seed order, snapped to 1 m."""
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=box))
    # voronoi_polygons does not keep seed order: each cell holds exactly one seed.
    tree = shapely.STRtree(cells)
    seed_idx, cell_idx = tree.query(shapely.points(seeds), predicate="intersects")
    order = np.empty(len(seeds), dtype=int)
    order[seed_idx] = cell_idx
    # Snapping one coverage to a grid keeps shared vertices shared (equal inputs, equal outputs).
    return shapely.set_precision(shapely.intersection(cells[order], box), 1.0)


def _split(total: int, parts: int, rng: np.random.Generator, cap: int) -> np.ndarray:
    """``total`` split into ``parts`` positive counts of at most ``cap`` (uneven, like CBS)."""
    weights = rng.gamma(2.0, 1.0, parts)
    counts = np.ones(parts, dtype=int)
    extra = total - parts
    if extra > 0:
        counts += np.floor(weights / weights.sum() * extra).astype(int)
        for i in np.argsort(-weights)[: total - counts.sum()]:
            counts[i] += 1
    return np.minimum(counts, cap)


def _nearest(points: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    from scipy.spatial import cKDTree

    return np.asarray(cKDTree(seeds).query(points)[1], dtype=int)


def tessellate(scale: float = 1.0, seed: int = 2026) -> gpd.GeoDataFrame:
    """Nested gemeenten, wijken and buurten (RD New) with valid, nested CBS codes.

    One Voronoi diagram of the buurt seeds over the box makes the buurten (so neighbours share
    their vertices exactly, as in CBS files); each buurt goes to the nearest of the gemeente
    seeds, then to the nearest wijk seed of its gemeente; wijken and gemeenten are the unions of
    their buurten. Every level therefore tiles the box and nests exactly."""
    rng = np.random.default_rng(seed)
    n_gm = max(3, round(350 * scale))
    n_wk = max(n_gm, round(3500 * scale))
    n_bu = max(n_wk, round(15000 * scale))
    box = shapely.box(*BOX)
    seeds = rng.uniform(BOX[:2], BOX[2:], size=(n_bu, 2))
    cells = _voronoi(seeds, box)
    gm_of = _nearest(seeds, seeds[rng.choice(n_bu, n_gm, replace=False)])
    wijk_counts = _split(n_wk, n_gm, rng, 99)
    rows: list[tuple[str, str, str, str, str, shapely.Geometry]] = []
    for g in range(n_gm):
        gm = f"GM{g + 1:04d}"
        members = np.flatnonzero(gm_of == g)
        k = min(int(wijk_counts[g]), len(members))
        wk_of = _nearest(seeds[members], seeds[rng.choice(members, k, replace=False)])
        rows.append((gm, f"Gemeente {g + 1}", "municipality", "", gm,
                     shapely.coverage_union_all(cells[members])))
        for j in range(k):
            wk = f"WK{g + 1:04d}{j:02d}"
            inside = members[wk_of == j]
            if len(inside) > 100:
                raise ValueError(f"{wk}: {len(inside)} buurten, more than a code can number")
            rows.append((wk, f"Wijk {j:02d} {g + 1}", "district", gm, gm,
                         shapely.coverage_union_all(cells[inside])))
            for b, i in enumerate(inside):
                rows.append((f"BU{g + 1:04d}{j:02d}{b:02d}",
                             f"Buurt {b:02d} wijk {j:02d} {g + 1}", "neighbourhood", wk, gm,
                             cells[i]))
    frame = pd.DataFrame(rows, columns=["code", "name", "level", "parent", "municipality",
                                        "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:28992")


def _catalogue(path: Path, n: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    """Write the catalogue TOML; return (indicator key, CSV column) pairs."""
    lines = ["# Synthetic national benchmark indicators (benchmarks/national_data.py).", "",
             "[source]", 'key = "nl_synthetisch"', 'name = "Synthetische kerncijfers (benchmark)"',
             ""]
    pairs = []
    for i in range(n):
        key, column = f"nl_synth_{i:02d}", f"NlSynth{i:02d}"
        polarity = POLARITIES[int(rng.integers(len(POLARITIES)))]
        lines += ["[[indicator]]", f'key = "{key}"', f'name_nl = "Synthetische indicator {i}"',
                  f'name_en = "Synthetic indicator {i}"', 'unit = "percent"',
                  f'polarity = "{polarity}"']
        if polarity != "neutral":
            lines.append(f'theme = "{THEMES[i % len(THEMES)]}"')
        lines += [f'aliases = ["{column}"]', ""]
        pairs.append((key, column))
    path.write_text("\n".join(lines), encoding="utf-8")
    return pairs


def _values(areas: gpd.GeoDataFrame, n: int, rng: np.random.Generator) -> np.ndarray:
    """Buurt values (buurten x indicators x years): smooth field + gemeente effect + noise."""
    buurten = areas[areas["level"] == "neighbourhood"]
    centre = shapely.centroid(buurten.geometry.to_numpy())
    x = (shapely.get_x(centre) - BOX[0]) / 1000.0
    y = (shapely.get_y(centre) - BOX[1]) / 1000.0
    gm_codes, gm_index = np.unique(buurten["municipality"].to_numpy(), return_inverse=True)
    out = np.empty((len(buurten), n, len(YEARS)), dtype=np.float64)
    for i in range(n):
        field = np.zeros(len(buurten))
        for _ in range(3):  # long waves of 20-120 km: neighbours look alike
            k = rng.uniform(20, 120)
            angle = rng.uniform(0, np.pi)
            field += np.sin((x * np.cos(angle) + y * np.sin(angle)) / k + rng.uniform(0, 6.3))
        gm_effect = rng.normal(0, 0.4, len(gm_codes))[gm_index]
        level, spread = rng.uniform(10, 60), rng.uniform(2, 8)
        base = level + spread * (field + gm_effect)
        trend = rng.normal(0, 0.3)
        for t in range(len(YEARS)):
            noise = rng.normal(0, spread * 0.5, len(buurten))
            out[:, i, t] = np.clip(base + trend * t + noise, 0.0, 100.0)
    return out


def generate(folder: Path, scale: float = 1.0, seed: int = 2026,
             n_indicators: int = 60) -> NationalData:
    """Write the national benchmark files to ``folder`` (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 1)
    areas = tessellate(scale, seed)
    catalogue = folder / "catalogue.toml"
    pairs = _catalogue(catalogue, n_indicators, rng)

    boundaries = folder / f"gebieden_{BOUNDARY_YEAR}.geojson"
    features = [
        {"type": "Feature", "properties": {"statcode": code, "statnaam": name},
         "geometry": json.loads(shapely.to_geojson(geom))}
        for code, name, geom in zip(areas["code"], areas["name"], areas.geometry, strict=True)
    ]
    boundaries.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": features}, separators=(",", ":")), encoding="utf-8")

    values = _values(areas, n_indicators, rng)
    buurten = areas[areas["level"] == "neighbourhood"]
    columns = [c for _, c in pairs]
    files = []
    for t, year in enumerate(YEARS):
        bu = pd.DataFrame(values[:, :, t], columns=columns)
        bu.insert(0, "parent", buurten["parent"].to_numpy())
        bu.insert(0, "municipality", buurten["municipality"].to_numpy())
        wk = bu.groupby("parent")[columns].mean()
        gm = bu.groupby("municipality")[columns].mean()
        table = pd.concat([gm, wk, bu.set_index(buurten["code"].to_numpy())[columns]])
        info = areas.set_index("code").loc[table.index]
        table.insert(0, "Gemeentenaam", info["municipality"].map(
            areas.set_index("code")["name"]).to_numpy())
        table.insert(0, "Naam", info["name"].to_numpy())
        table.index.name = "Area_Code"
        path = folder / f"kerncijfers_nl_{year}.csv"
        table.round(1).to_csv(path, sep=";", encoding="utf-8")
        files.append(path)
    return NationalData(folder, catalogue, boundaries, tuple(files), areas, scale, n_indicators)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    data = generate(args.out, args.scale, args.seed)
    counts = data.areas["level"].value_counts()
    print(f"{counts.get('municipality', 0)} gemeenten, {counts.get('district', 0)} wijken, "
          f"{counts.get('neighbourhood', 0)} buurten, {data.n_indicators} indicators, "
          f"{len(data.figures)} years → {data.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
