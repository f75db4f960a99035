"""A municipality's own labelled texts (e.g. meldingen with their category) as theme labels.

Two files:

* **the export**: CSV (``,`` or ``;``, UTF-8 with or without BOM, else Windows-1252) with a
  header, one text per row, a text column and a category column. The columns are found by
  name (text: ``text``, ``tekst``, ``omschrijving``, ``melding``, ``toelichting``; category:
  ``category``, ``categorie``, ``hoofdcategorie``, ``subcategorie``, ``soort``) or named in the
  mapping file.
* **the mapping** from category to theme keys: CSV with the columns ``category`` and ``theme``
  (``categorie`` / ``thema`` also do; several themes separated by ``;``), or TOML::

      [columns]              # optional
      text = "omschrijving"
      category = "hoofdcategorie"

      [categories]
      "Afval" = "openbare_ruimte"
      "Overlast jongeren" = "veiligheid"
      "Parkeren" = ["openbare_ruimte"]
      "Overig" = ""          # rows of this category are skipped

Every category of the export needs a line in the mapping (an empty theme skips it on purpose),
so nothing is silently dropped or mislabelled. Errors name the file, row and column; nothing is
returned then. The texts are returned as they are: scrub them before a model learns from them.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from wijkbeeld.voices.evaluation_tags import LabelledSetError, LabelledText
from wijkbeeld.voices.lexicon import THEME_KEYS

__all__ = ["CategoryMapping", "read_category_mapping", "read_municipal_export"]

_TEXT_NAMES = ("text", "tekst", "omschrijving", "melding", "toelichting", "beschrijving")
_CATEGORY_NAMES = ("category", "categorie", "hoofdcategorie", "subcategorie", "soort")


@dataclass(frozen=True, slots=True)
class CategoryMapping:
    """Category → theme keys (empty: skip the rows), and optional column names."""

    categories: Mapping[str, tuple[str, ...]]
    text_column: str | None = None
    category_column: str | None = None


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelledSetError(f"{path}: kan het bestand niet lezen: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = _read_text(path)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [{(k or "").strip(): (v or "") for k, v in row.items() if isinstance(v, str)}
                for row in reader]
    except csv.Error as exc:
        raise LabelledSetError(f"{path}: geen leesbare CSV: {exc}") from exc
    header = [(h or "").strip() for h in reader.fieldnames or []]
    if not header:
        raise LabelledSetError(f"{path}: het bestand is leeg of heeft geen kopregel")
    return header, rows


def _themes(value: str | list[object], where: str, known: set[str]) -> tuple[str, ...]:
    parts = value if isinstance(value, list) else str(value).split(";")
    themes = tuple(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))
    unknown = [t for t in themes if t not in known]
    if unknown:
        raise LabelledSetError(f"{where}: onbekend thema {', '.join(unknown)} "
                               f"(bekend: {', '.join(sorted(known))})")
    return themes


def read_category_mapping(path: str | Path, *,
                          theme_keys: Iterable[str] = THEME_KEYS) -> CategoryMapping:
    """The category → theme mapping of a CSV or TOML file (see the module docstring)."""
    path = Path(path)
    known = set(theme_keys)
    categories: dict[str, tuple[str, ...]] = {}
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(_read_text(path))
        except tomllib.TOMLDecodeError as exc:
            raise LabelledSetError(f"{path}: geen geldige TOML: {exc}") from exc
        table = data.get("categories")
        if not isinstance(table, dict) or not table:
            raise LabelledSetError(f"{path}: de tabel [categories] ontbreekt of is leeg")
        for category, value in table.items():
            if not isinstance(value, (str, list)):
                raise LabelledSetError(f"{path}, [categories] {category!r}: geef een thema "
                                       "of een lijst van thema's")
            categories[category.strip()] = _themes(
                value, f"{path}, [categories] {category!r}", known)
        columns = data.get("columns", {})
        if not isinstance(columns, dict):
            raise LabelledSetError(f"{path}: [columns] moet een tabel zijn")
        return CategoryMapping(categories, columns.get("text"), columns.get("category"))
    header, rows = _rows(path)
    cat_col = next((c for c in header if c.lower() in ("category", "categorie")), None)
    theme_col = next((c for c in header if c.lower() in ("theme", "thema", "themes")), None)
    if cat_col is None or theme_col is None:
        raise LabelledSetError(f"{path}: kolom 'category' en kolom 'theme' zijn nodig "
                               f"(gevonden: {', '.join(header)})")
    for number, row in enumerate(rows, start=2):
        category = row.get(cat_col, "").strip()
        if not category:
            raise LabelledSetError(f"{path}, rij {number}, kolom {cat_col!r}: leeg")
        if category in categories:
            raise LabelledSetError(f"{path}, rij {number}, kolom {cat_col!r}: categorie "
                                   f"{category!r} staat er twee keer in")
        categories[category] = _themes(row.get(theme_col, ""),
                                       f"{path}, rij {number}, kolom {theme_col!r}", known)
    if not categories:
        raise LabelledSetError(f"{path}: geen categorieën")
    return CategoryMapping(categories)


def _column(path: Path, header: list[str], chosen: str | None, names: tuple[str, ...],
            what: str) -> str:
    if chosen:
        if chosen not in header:
            raise LabelledSetError(f"{path}: kolom {chosen!r} ({what}, uit de mapping) "
                                   f"ontbreekt (gevonden: {', '.join(header)})")
        return chosen
    found = next((h for h in header if h.lower() in names), None)
    if found is None:
        raise LabelledSetError(f"{path}: geen kolom voor de {what} (verwacht een van "
                               f"{', '.join(names)}; gevonden: {', '.join(header)})")
    return found


def read_municipal_export(path: str | Path, mapping: CategoryMapping
                          ) -> tuple[LabelledText, ...]:
    """The labelled texts of an export, themes from ``mapping`` (rows of a category mapped to
    no theme, and rows with an empty text, are left out). Every unmapped category is an error
    naming the file, its first row and the column."""
    path = Path(path)
    header, rows = _rows(path)
    text_col = _column(path, header, mapping.text_column, _TEXT_NAMES, "tekst")
    cat_col = _column(path, header, mapping.category_column, _CATEGORY_NAMES, "categorie")
    problems: dict[str, str] = {}
    out: list[LabelledText] = []
    for number, row in enumerate(rows, start=2):
        category = row.get(cat_col, "").strip()
        text = row.get(text_col, "").strip()
        if category not in mapping.categories:
            problems.setdefault(category, f"{path}, rij {number}, kolom {cat_col!r}: categorie "
                                          f"{category!r} staat niet in de mapping")
            continue
        themes = mapping.categories[category]
        if themes and text:
            out.append(LabelledText(f"{path.name}:{number}", text, themes))
    if problems:
        raise LabelledSetError("\n".join(problems.values()))
    if not out:
        raise LabelledSetError(f"{path}: geen teksten met een thema")
    return tuple(out)
