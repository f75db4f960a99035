"""Independent hand computation for the compare tests.

The raw files are read here with the ``csv`` module (decimal commas converted here, codes
stripped here) and every statistic is computed in plain Python, so the expected numbers never
come from the code under test. Loaders are cached: the suite reads each raw file once.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

KWB = "amsterdam-kwb-2020-2024"
HAAGLANDEN = "haaglanden-wijken-zorg"

#: KWB header → catalogue key, for the columns the tests use.
KWB_COLUMNS = {
    "Population_Total": "inwoners",
    "Avg_Household_Size": "huishoudensgrootte",
    "Pct_Lowest_40Pct_Income": "inkomen_laagste_40_pct",
    "Pct_Highest_20Pct_Income": "inkomen_hoogste_20_pct",
    "Pct_Unoccupied_Homes": "woningen_onbewoond_pct",
    "Pct_Low_Income_Households": "huishoudens_laag_inkomen_pct",
    "Pct_Below_120Pct_Social_Min": "huishoudens_sociaal_minimum_pct",
    "Avg_Income_Per_Inhabitant_1000EUR": "inkomen_per_inwoner",
    "Avg_Income_Per_Income_Recipient_1000EUR": "inkomen_per_ontvanger",
    "Avg_Std_Household_Income_1000EUR": "inkomen_huishouden_gestandaardiseerd",
    "Pop_Age_0_15": "leeftijd_0_15",
    "Pop_Age_15_25": "leeftijd_15_25",
    "Pop_Age_25_45": "leeftijd_25_45",
    "Pop_Age_45_65": "leeftijd_45_65",
    "Pop_Age_65_Plus": "leeftijd_65_plus",
    "Pct_Owner_Occupied": "koopwoningen_pct",
}


def num(text: str | None) -> float | None:
    """A raw cell as a number: '' and '.' are None, a decimal comma becomes a dot."""
    if text is None:
        return None
    text = text.strip()
    if text in ("", "."):
        return None
    return float(text.replace(",", "."))


@cache
def kwb_rows(raw: Path, year: int) -> tuple[dict[str, str], ...]:
    """Every row of the Amsterdam KWB file of ``year``, codes stripped."""
    path = raw / KWB / f"Kerncijfers_wijken_en_buurten_{year}.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    for row in rows:
        row["Area_Code"] = row["Area_Code"].strip()
    return tuple(rows)


def kwb_row(raw: Path, year: int, code: str) -> dict[str, str]:
    return next(r for r in kwb_rows(raw, year) if r["Area_Code"] == code)


def kwb_buurten(raw: Path, year: int) -> list[dict[str, str]]:
    """The buurt rows of GM0363 (the default reference set of a buurt)."""
    return [r for r in kwb_rows(raw, year) if r["Area_Code"].startswith("BU0363")]


@cache
def haaglanden_rows(raw: Path) -> tuple[dict[str, str], ...]:
    """The Den Haag wijk rows of df_count_ver_3.csv (valid WK0518 codes only)."""
    path = raw / HAAGLANDEN / "df_count_ver_3.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["WKC"].strip().startswith("WK0518")]
    for row in rows:
        row["WKC"] = row["WKC"].strip()
    return tuple(rows)


@cache
def crosswalk_rows(raw: Path) -> tuple[dict[str, str], ...]:
    path = raw / KWB / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def sd(values: Sequence[float], ddof: int = 0) -> float:
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - ddof))


def median(values: Iterable[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def percentile(x: float, members: Sequence[float]) -> float:
    """(rank - 1) / (N - 1) of ``x`` among ``members`` (which include x), average rank for ties."""
    below = sum(1 for v in members if v < x)
    equal = sum(1 for v in members if v == x)
    rank = below + (equal + 1) / 2
    return (rank - 1) / (len(members) - 1)


def pairs(rows: Iterable[dict[str, str]], column: str, base: str | None = None
          ) -> list[tuple[str, float, float | None]]:
    """(code, value, base value) of the rows that have a value in ``column``."""
    out: list[tuple[str, float, float | None]] = []
    for r in rows:
        code = r.get("Area_Code") or r["WKC"]
        v = num(r[column])
        if v is not None:
            out.append((code, v, num(r[base]) if base else None))
    return out


#: The KWB indicators that count in theme scores: column → (key, theme, polarity sign, base?).
KWB_THEMED = {
    "Avg_Income_Per_Income_Recipient_1000EUR": ("inkomen_per_ontvanger", "werk_inkomen", 1, False),
    "Avg_Income_Per_Inhabitant_1000EUR": ("inkomen_per_inwoner", "werk_inkomen", 1, True),
    "Avg_Std_Household_Income_1000EUR": (
        "inkomen_huishouden_gestandaardiseerd", "werk_inkomen", 1, False),
    "Pct_Lowest_40Pct_Income": ("inkomen_laagste_40_pct", "werk_inkomen", -1, True),
    "Pct_Highest_20Pct_Income": ("inkomen_hoogste_20_pct", "werk_inkomen", 1, True),
    "Pct_Low_Income_Households": ("huishoudens_laag_inkomen_pct", "armoede_schulden", -1, False),
    "Pct_Below_120Pct_Social_Min": (
        "huishoudens_sociaal_minimum_pct", "armoede_schulden", -1, False),
    "Pct_Unoccupied_Homes": ("woningen_onbewoond_pct", "wonen", -1, False),
}


def city_z(
    raw: Path, year: int, column: str, weighted: bool, min_population: float | None = 100
) -> dict[str, float]:
    """z of every GM0363 buurt with a value in ``column``: (x - R) / SD, R the (base-weighted)
    mean of all buurt values, SD their population SD. By default only buurten with >= 100
    inhabitants (a smaller one's rate is shrunk by the code under test)."""
    rows = kwb_buurten(raw, year)
    members = pairs(rows, column, "Population_Total")
    values = [v for _, v, _ in members]
    if weighted:
        with_base = [(v, b) for _, v, b in members if b is not None]
        ref = weighted_mean([v for v, _ in with_base], [b for _, b in with_base])
    else:
        ref = mean(values)
    spread = sd(values)
    return {c: (v - ref) / spread for c, v, b in members
            if min_population is None or (b is not None and b >= min_population)}


def city_percentile(raw: Path, year: int, column: str) -> dict[str, float]:
    values = pairs(kwb_buurten(raw, year), column)
    allv = [v for _, v, _ in values]
    return {c: percentile(v, allv) for c, v, _ in values}
