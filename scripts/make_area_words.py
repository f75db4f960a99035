#!/usr/bin/env python3
"""Derive ``src/wijkbeeld/voices/detectors/area_words.txt``: words of Dutch wijk and buurt names.

The scrubber keeps area names, but a capitalised word that is in no dictionary is otherwise taken
for a person name in mid-sentence ("De Rotterdamse Tarwewijk en Feijenoord ..."). This script
collects the words of every wijk and buurt name of the CBS indelingen of 2014 (10,802 buurten,
2,738 wijken) and 2016 (2,982 wijken) and keeps those the scrubber would not already know:
not a Dutch word (simplemma), not a place or street in deduce's lists, and never a first name
or surname of deduce's lists (those stay names: a buurt called after a person must not make the
person's name safe). The output is sorted and reproducible.

Sources (``WIJKBEELD_RAW_DATA``, default ``../shared/data/raw``; see its ``SOURCES.md``): CBS
gebiedsindelingen (CC BY 4.0), as ``cbs-topojson-2014-2015/{Buurt,Wijk}_2014_layer_q1e3.json``
and ``cbs-wijken-2016-nl/wijk_2016_6.geojson``.

    .venv/bin/python scripts/make_area_words.py
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

__all__ = ["area_words", "main"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW = Path(os.environ.get("WIJKBEELD_RAW_DATA", ROOT.parent / "shared" / "data" / "raw"))
TARGET = ROOT / "src" / "wijkbeeld" / "voices" / "detectors" / "area_words.txt"
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
HEADER = (
    "# Words of Dutch wijk and buurt names (CBS gebiedsindelingen 2014 and 2016, CC BY 4.0)\n"
    "# that are no Dutch word, no place or street of deduce's lists, and no first name or\n"
    "# surname. Made by scripts/make_area_words.py; do not edit by hand.\n"
)


def _names(raw: Path) -> set[str]:
    names: set[str] = set()
    for layer in ("Buurt_2014_layer_q1e3.json", "Wijk_2014_layer_q1e3.json"):
        data = json.loads((raw / "cbs-topojson-2014-2015" / layer).read_text(encoding="utf-8"))
        names |= {g["properties"]["statnaam"] for g in data["objects"]["layer"]["geometries"]}
    data = json.loads((raw / "cbs-wijken-2016-nl" / "wijk_2016_6.geojson").read_text("utf-8"))
    names |= {f["properties"]["WKN"] for f in data["features"]}
    return {n for n in names if n}


def area_words(raw: Path) -> list[str]:
    """The sorted, case-folded words of the area names under ``raw`` (see the docstring)."""
    sys.path.insert(0, str(ROOT / "src"))
    from wijkbeeld.voices.detectors.name_words import is_dutch_word
    from wijkbeeld.voices.detectors.wordlists import word_lists

    lists = word_lists()
    persons = {n.casefold() for n in lists.first_names | lists.surnames | lists.interfix_surnames}
    known = lists.places_lower | lists.streets_lower | lists.municipalities_lower
    whole = {w.casefold() for name in _names(raw) for w in _WORD.findall(name)}
    words = whole | {part for w in whole for part in re.split(r"['’-]", w) if part}
    return sorted(
        w for w in words
        if len(w) > 2 and w not in persons and w not in known and not is_dutch_word(w)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    words = area_words(args.raw)
    args.out.write_text(HEADER + "".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
