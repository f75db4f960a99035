"""The urgency matrix as plain Dutch text, for ``wijkbeeld urgency AREA`` without ``--json``.

Dutch number formatting (decimal comma), one line per theme: class, consensus, per group the
share urgent with its n (or "<5" when withheld, without any count), the figures' score and year;
then the alerts and the notes. Withheld numbers are not in the matrix, so they cannot be printed.
"""

from __future__ import annotations

from wijkbeeld.urgency.matrix import MatrixRow, UrgencyMatrix
from wijkbeeld.urgency.measures import GroupMeasures
from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS

__all__ = ["render_matrix"]


def _nl(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",").replace("-", "−")


def _cell(cell: GroupMeasures | None, min_n: int) -> str:
    if cell is None:
        return "–"
    if cell.withheld or cell.share_urgent is None:
        return f"<{min_n}"
    return f"{round(100 * cell.share_urgent)}% (n={cell.n})"


def _recognition(row: MatrixRow) -> str:
    parts = []
    for group in GROUPS:
        cell = row.cell(group)
        if cell is None or cell.recognition is None:
            continue
        parts.append(f"{GROUP_LABELS[group]} {round(100 * cell.recognition)}% "
                     f"(n={cell.n_recognition})")
    return ", ".join(parts)


def render_matrix(matrix: UrgencyMatrix) -> str:
    """The matrix as a text table with alerts and notes (Dutch)."""
    min_n = matrix.options.min_n
    header = ["thema", "klasse", "consensus", *[GROUP_LABELS[g] for g in GROUPS], "cijfers"]
    table = [header]
    for row in matrix.rows:
        m = row.measures
        fig = row.classification.figures
        table.append([
            row.theme,
            row.classification.label,
            "–" if m is None or m.consensus is None else _nl(m.consensus),
            *[_cell(row.cell(g), min_n) for g in GROUPS],
            "–" if fig is None else f"{_nl(fig.score)} ({fig.year})",
        ])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    title = f"Urgentie {matrix.area_code}, ronde {matrix.round.key} " \
            f"({matrix.round.held_on.isoformat()})"
    lines = [title, ""]
    if matrix.round.blind is False:
        lines += ["Niet blind: (een deel van) de oordelen is gegeven zonder eerst apart, zonder "
                  "cijfers, te zijn gevraagd.", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in table]
    lines.append("")
    lines.append(f"Aandeel 'urgent' = oordeel 4 of 5; cijfers = themascore (negatief = "
                 f"ongunstig); <{min_n}: te weinig antwoorden, niet getoond.")
    recog = [(row.theme, _recognition(row)) for row in matrix.rows]
    if any(text for _, text in recog):
        lines += ["", "Herkenning (ja = 1, deels = ½):"]
        lines += [f"  {theme}: {text}" for theme, text in recog if text]
    shifts = [s for s in matrix.shifts if not s.withheld and s.mean_shift is not None]
    if shifts:
        lines += ["", "Na het beeld (gemiddeld oordeel blind → daarna):"]
        for s in shifts:
            assert s.mean_before is not None and s.mean_after is not None
            sign = "+" if s.mean_shift and s.mean_shift > 0 else ""
            note = "; het beeld verandert de urgentie" if s.changes else ""
            lines.append(f"  {s.theme}, {GROUP_LABELS[s.group]}: {_nl(s.mean_before, 1)} → "
                         f"{_nl(s.mean_after, 1)} ({sign}{_nl(s.mean_shift or 0.0, 1)}){note}")
    if matrix.alerts:
        lines += ["", "Signalen:"]
        lines += [f"  {a.theme}: {a.message}" for a in matrix.alerts]
    notes = [(row.theme, n) for row in matrix.rows for n in row.classification.notes]
    if notes:
        lines += ["", "Opmerkingen:"]
        lines += [f"  {theme}: {note}" for theme, note in notes]
    return "\n".join(lines) + "\n"
