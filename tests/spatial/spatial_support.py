"""Test data for the spatial tests: generated grids and the real Amsterdam buurten with a real
KWB 2024 indicator, read independently of the code under test (csv module, decimal comma)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

BUURTEN = Path("amsterdam-gebieden-buurten-2022") / "amsterdam_buurten_2022.geojson"
KWB_2024 = Path("amsterdam-kwb-2020-2024") / "Kerncijfers_wijken_en_buurten_2024.csv"
INDICATOR = "Pct_Low_Income_Households"
SOURCE = "CBS, Kerncijfers wijken en buurten 2024; Gemeente Amsterdam, buurten 2022"

#: The planted cluster of the grid tests: rows and columns 4..8 (a 5 x 5 block).
CLUSTER = range(4, 9)


def cell_id(row: int, col: int) -> str:
    return f"c{row:02d}{col:02d}"


def grid(n: int = 20, size: float = 100.0) -> gpd.GeoDataFrame:
    """n x n square cells in RD New, indexed ``cRRCC``, with their row and column."""
    rows, cols = np.divmod(np.arange(n * n), n)
    cells = shapely.box(cols * size, rows * size, (cols + 1) * size, (rows + 1) * size)
    ids = [cell_id(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]
    return gpd.GeoDataFrame({"row": rows, "col": cols}, geometry=cells, index=ids,
                            crs="EPSG:28992")


def planted_grid(seed: int = 20240601, lift: float = 15.0) -> gpd.GeoDataFrame:
    """The 20 x 20 grid with values N(50, 5) and the 5 x 5 CLUSTER block raised by ``lift``."""
    cells = grid()
    rng = np.random.default_rng(seed)
    values = rng.normal(50.0, 5.0, len(cells))
    in_cluster = cells["row"].isin(CLUSTER) & cells["col"].isin(CLUSTER)
    values[in_cluster.to_numpy()] += lift
    cells["value"] = values
    cells["in_cluster"] = in_cluster
    # Chebyshev distance to the block: 1 = touches it (a Queen neighbour), >= 2 = background.
    first, last = CLUSTER.start, CLUSTER.stop - 1
    d_row = np.maximum(np.maximum(first - cells["row"], cells["row"] - last), 0)
    d_col = np.maximum(np.maximum(first - cells["col"], cells["col"] - last), 0)
    cells["ring"] = np.maximum(d_row, d_col)
    return cells


def read_decimal(text: str) -> float:
    """A KWB cell: decimal comma or dot; empty = missing (NaN)."""
    text = text.strip()
    return math.nan if text == "" else float(text.replace(",", "."))


def kwb_values(raw: Path, column: str = INDICATOR) -> dict[str, float]:
    """Buurt code -> value of ``column`` from the raw KWB 2024 CSV (``;``-separated)."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return {
        row["Area_Code"].strip(): read_decimal(row[column])
        for row in rows
        if row["Area_Code"].strip().startswith("BU")
    }


def amsterdam(raw: Path) -> gpd.GeoDataFrame:
    """The 518 Amsterdam buurten (index ``cbsCode``, RD New) with ``value`` = % low-income
    households (NaN where the KWB has no figure or no row)."""
    areas = gpd.read_file(raw / BUURTEN).set_index("cbsCode").to_crs("EPSG:28992")
    areas.index = areas.index.astype(str)
    values = kwb_values(raw)
    areas["value"] = [values.get(code, math.nan) for code in areas.index]
    return areas[["naam", "value", "geometry"]]
