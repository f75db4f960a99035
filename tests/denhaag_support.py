"""A Den Haag wijk z-score computed by hand from the raw ELAN file, for the tests that check the
national comparison against it (the catalogue gives the shares the base ``elan_inwoners``)."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

FILE = "haaglanden-wijken-zorg/df_count_ver_3.csv"


def denhaag_z(raw: Path, code: str, year: str, column: str) -> float:
    """(x - R) / SD over the Den Haag wijken of ``year``: R the population-weighted mean
    (Total_Population), SD the population SD of the values around their plain mean
    (docs/compare.md)."""
    with (raw / FILE).open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["WKC"].strip().startswith("WK0518") and r["YEAR"] == year and r[column]]
    values = {r["WKC"].strip(): float(r[column]) for r in rows}
    weights = {r["WKC"].strip(): float(r["Total_Population"]) for r in rows
               if r["Total_Population"]}
    reference = sum(values[c] * w for c, w in weights.items()) / sum(weights.values())
    return (values[code] - reference) / statistics.pstdev(values.values())
