"""Results as flat tables for analysts: a profile, a comparison table or an urgency matrix.

Each builder returns an :class:`ExportTable`: a plain pandas frame (one row per figure, per area
× indicator × period, or per theme × group) plus the facts of where the numbers come from. Every
row carries three provenance columns, so a row copied out of Excel or Power BI keeps them:

* ``bron``: the source ("CBS, Kerncijfers wijken en buurten 2024"; for a round "peiling ...");
* ``jaar``: the year of the figure (the first four digits of its period) or of the round;
* ``methode``: how the number was computed (reference set, weighting, z-score, shrinkage; for
  the matrix the urgency rule, the small-number threshold and the consensus measure).

The table-wide facts (what was exported, the options as JSON, the wijkbeeld version) are in
:attr:`ExportTable.metadata`; the writers put them in an XLSX sheet ``herkomst`` and in the
Parquet schema metadata. Withheld urgency numbers (fewer than ``min_n`` answers) are not in the
matrix object, so they are not in its table either: those cells are empty, ``withheld`` is true.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wijkbeeld.compare.comparison import RESULT_COLUMNS, Comparison
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.compare.profile import Profile
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.urgency.matrix import UrgencyMatrix
from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS, UrgencyOptions

__all__ = [
    "PROVENANCE_COLUMNS",
    "ExportTable",
    "compare_method",
    "comparison_table",
    "figures_table",
    "matrix_table",
    "profile_table",
    "urgency_method",
]

#: The provenance columns every exported row carries, last in the table.
PROVENANCE_COLUMNS: tuple[str, ...] = ("bron", "jaar", "methode")

_REFERENCE_NL = {
    "municipality": "hetzelfde niveau in de gemeente",
    "nl": "hetzelfde niveau in heel Nederland",
    "parent": "het bovenliggende gebied",
    "peers": "vergelijkbare gebieden (peers)",
}


@dataclass(frozen=True)
class ExportTable:
    """A result as one flat table with its provenance.

    ``kind`` is ``profiel``, ``vergelijking`` or ``urgentie``; ``frame`` holds the rows with
    :data:`PROVENANCE_COLUMNS` last; ``metadata`` the table-wide facts as text (the writers
    store them beside the rows: XLSX sheet ``herkomst``, Parquet schema metadata).
    """

    kind: str
    frame: pd.DataFrame = field(repr=False)
    metadata: dict[str, str]

    def __post_init__(self) -> None:
        missing = [c for c in PROVENANCE_COLUMNS if c not in self.frame.columns]
        if missing:
            raise ValueError(f"export table without provenance columns: {', '.join(missing)}")

    @property
    def name(self) -> str:
        """A file name stem such as ``profiel-BU0363AA01-2024``."""
        return self.metadata.get("naam", self.kind)


def compare_method(options: CompareOptions) -> str:
    """The method of a comparison in one Dutch sentence (the ``methode`` column)."""
    weighting = "gewogen naar basis" if options.weighted else "ongewogen"
    shrink = "empirical-Bayes-krimp bij kleine basis" if options.shrink else "zonder krimp"
    low, high = options.band_edges
    return (
        f"Vergeleken met {_REFERENCE_NL.get(options.reference, options.reference)}; "
        f"referentiewaarde {weighting} (ddof {options.ddof}); z-score en percentiel, "
        f"{shrink} (minimale basis {options.min_base:g}); banden bij |z| {low:g} en {high:g}; "
        f"thema-z {options.theme_z}"
    )


def urgency_method(options: UrgencyOptions) -> str:
    """The method of an urgency matrix in one Dutch sentence (the ``methode`` column)."""
    return (
        f"Oordeel 1-{options.scale_points}, urgent vanaf {options.urgent_from}; aandeel urgent, "
        f"gemiddelde en r_wg per groep; minder dan {options.min_n} antwoorden niet getoond; "
        "consensus: meetkundig gemiddelde van de (Jeffreys-gladgestreken) aandelen urgent; "
        f"klasse: aandeel >= {options.urgent_share:g}, r_wg >= {options.min_rwg:g}, "
        f"themascore-z <= -{options.figures_urgent_z:g}"
    )


def _year(period: Any) -> int | None:
    text = "" if period is None else str(period)
    return int(text[:4]) if text[:4].isdigit() else None


def _with_provenance(frame: pd.DataFrame, source: pd.Series | str,
                     year: pd.Series | int | None, method: str) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    n = len(out)
    out["bron"] = (source.reset_index(drop=True).astype(str) if isinstance(source, pd.Series)
                   else pd.Series([source] * n, dtype=object))
    years = [_year(p) for p in year] if isinstance(year, pd.Series) else [year] * n
    out["jaar"] = pd.array(years, dtype="Int64")
    out["methode"] = method
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    return value


def _options_json(options: CompareOptions | UrgencyOptions) -> str:
    return json.dumps(options.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def profile_table(profile: Profile) -> ExportTable:
    """One row per figure of the profile: value, reference value, z, percentile, band, ...

    The area (code, name, level, municipality) is repeated on every row so the rows of
    several areas can be stacked.
    """
    rows = [asdict(r) for r in profile.indicators]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["indicator", "source", "period"])
    head = {"area_code": profile.area_code, "area_name": profile.area_name,
            "level": profile.level, "municipality": profile.municipality}
    for k, (name, value) in enumerate(head.items()):
        frame.insert(k, name, value)
    frame = _with_provenance(frame, frame["source"], frame["period"],
                             compare_method(profile.options))
    year = "" if profile.year is None else str(profile.year)
    metadata = {
        "naam": f"profiel-{profile.area_code}" + (f"-{year}" if year else ""),
        "soort": "profiel",
        "gebied": f"{profile.area_code} {profile.area_name}".strip(),
        "bron": "; ".join(sorted({str(s) for s in frame["bron"]})),
        "jaar": year or "laatste per cijfer",
        "methode": compare_method(profile.options),
        "opties": _options_json(profile.options),
        "opmerkingen": "; ".join(profile.notes),
    }
    return ExportTable("profiel", frame, metadata)


def comparison_table(
    comparison: Comparison, *, columns: tuple[str, ...] = RESULT_COLUMNS, name: str = ""
) -> ExportTable:
    """One row per area × indicator × period of :func:`~wijkbeeld.compare.compare_all`, with
    the main columns (:data:`~wijkbeeld.compare.RESULT_COLUMNS` unless given)."""
    results = comparison.results
    unknown = [c for c in columns if c not in results.columns]
    if unknown:
        raise ValueError(f"not a column of the comparison: {', '.join(unknown)}")
    frame = results[list(columns)].copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(object)
    source = results["source"] if "source" in results.columns else "onbekend"
    period = results["period"] if "period" in results.columns else None
    frame = _with_provenance(frame, source, period, compare_method(comparison.options))
    periods = sorted({str(p) for p in results.get("period", pd.Series(dtype=object))})
    metadata = {
        "naam": name or "vergelijking",
        "soort": "vergelijking",
        "bron": "; ".join(sorted({str(s) for s in frame["bron"]})),
        "jaar": ", ".join(periods),
        "methode": compare_method(comparison.options),
        "opties": _options_json(comparison.options),
        "opmerkingen": "; ".join(comparison.figures.notes),
    }
    return ExportTable("vergelijking", frame, metadata)


_CELL_FIELDS: tuple[str, ...] = (
    "n_respondents", "n", "n_dont_know", "withheld", "mean", "n_urgent", "share_urgent",
    "variance", "r_wg", "organisation_types", "n_recognition", "recognition_withheld",
    "recognition", "recognition_yes", "recognition_yes_or_partly", "withheld_reason",
)


def matrix_table(matrix: UrgencyMatrix) -> ExportTable:
    """One row per theme × group that gave answers: the group's measures beside the theme's
    class, consensus and gap. Withheld measures stay empty (they are not in the matrix)."""
    rnd = matrix.round
    rows: list[dict[str, Any]] = []
    for row in matrix.rows:
        measures = row.measures
        for group in GROUPS:
            cell = row.cell(group)
            if cell is None:
                continue
            record: dict[str, Any] = {
                "area_code": matrix.area_code, "round": rnd.key,
                "round_date": rnd.held_on.isoformat(), "theme": row.theme,
                "class": row.classification.key, "class_label": row.classification.label,
                "consensus": None if measures is None else measures.consensus,
                "gap": None if measures is None else measures.gap,
                "group": group, "group_label": GROUP_LABELS.get(group, group),
            }
            record.update({k: _plain(getattr(cell, k)) for k in _CELL_FIELDS})
            rows.append(record)
    frame = pd.DataFrame(rows)
    numeric = ("consensus", "gap", "mean", "share_urgent", "variance", "r_wg", "recognition",
               "recognition_yes", "recognition_yes_or_partly")
    for col in numeric:
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col]).astype(np.float64)
    counts = ("n_urgent", "organisation_types")
    for col in counts:
        if col in frame.columns:
            frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    source = f"wijkbeeld, peiling {rnd.label or rnd.key} ({rnd.held_on.isoformat()})"
    frame = _with_provenance(frame, source, rnd.year, urgency_method(matrix.options))
    metadata = {
        "naam": f"urgentie-{matrix.area_code}-{rnd.key}",
        "soort": "urgentie",
        "gebied": matrix.area_code,
        "bron": source,
        "jaar": str(rnd.year),
        "methode": urgency_method(matrix.options),
        "opties": _options_json(matrix.options),
        "opmerkingen": f"{len(matrix.withheld())} maten niet getoond (te weinig antwoorden)",
    }
    return ExportTable("urgentie", frame, metadata)


def figures_table(table: FigureTable) -> ExportTable:
    """The tidy figures of one imported or downloaded file: one row per area × indicator ×
    period (value, status, the column and row it came from), with source and year."""
    frame = table.frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(object)
    method = (f"ingelezen met {table.reader} uit {table.file} (sha256 {table.sha256[:12]}); "
              f"indeling {table.boundary_year}; ongewijzigde cijfers")
    frame = _with_provenance(frame, table.source, frame["period"], method)
    periods = sorted({str(p) for p in table.frame["period"]})
    metadata = {
        "naam": "cijfers", "soort": "cijfers", "bron": table.source, "jaar": ", ".join(periods),
        "methode": method, "indeling": str(table.boundary_year), "bestand": table.file,
        "opmerkingen": "; ".join(table.warnings),
    }
    return ExportTable("cijfers", frame, metadata)
