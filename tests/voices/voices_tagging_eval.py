"""Precision, recall and F1 per theme and tone accuracy of a tagger on a labelled CSV file
(``text,themes,tone``; themes separated by ``;``). Used by the tests and ``benchmarks/voices.py``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from wijkbeeld.voices import THEME_KEYS, Tagger

__all__ = ["DATA", "Scores", "evaluate", "labelled"]

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Scores:
    per_theme: dict[str, tuple[float, float, float]]  # precision, recall, F1
    macro_f1: float
    tone_accuracy: float
    rows: int


def labelled(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def evaluate(tagger: Tagger, rows: list[dict[str, str]]) -> Scores:
    tp = dict.fromkeys(THEME_KEYS, 0)
    fp = dict.fromkeys(THEME_KEYS, 0)
    fn = dict.fromkeys(THEME_KEYS, 0)
    tone_ok = 0
    for row in rows:
        result = tagger.tag(row["text"])
        predicted = set(result.theme_keys)
        gold = {t for t in row["themes"].split(";") if t}
        for key in THEME_KEYS:
            tp[key] += key in predicted and key in gold
            fp[key] += key in predicted and key not in gold
            fn[key] += key in gold and key not in predicted
        tone_ok += result.tone.value == row["tone"]
    per: dict[str, tuple[float, float, float]] = {}
    for key in THEME_KEYS:
        p = tp[key] / (tp[key] + fp[key]) if tp[key] + fp[key] else 0.0
        r = tp[key] / (tp[key] + fn[key]) if tp[key] + fn[key] else 0.0
        per[key] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    macro = sum(f for _, _, f in per.values()) / len(per)
    return Scores(per, macro, tone_ok / len(rows), len(rows))
