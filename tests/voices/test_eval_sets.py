"""The held-out evaluation sets under tests/voices/eval/ are well formed (issue 20).

They were written by hand by writers who never saw the scrubber's or tagger's code or lists
(tests/voices/eval/README.md). This test only checks the files themselves: every listed span
occurs verbatim, ids are unique, each split is present, every theme is a known key; it never
runs the scrubber or the tagger (their scores are measured by ``wijkbeeld voices evaluate`` and
the benchmarks).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from wijkbeeld.voices import THEME_KEYS

EVAL = Path(__file__).parent / "eval"


def _occurrences(span: str, text: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(span) + r"(?!\w)", text))


def test_names_set_lists_only_spans_that_are_in_the_text() -> None:
    rows = [json.loads(line) for line in
            (EVAL / "names_eval.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    for r in rows:
        text = r["text"]
        for field in ("names", "structured", "addresses"):
            for span, count in Counter(r[field]).items():
                assert _occurrences(span, text) >= count, (r["id"], field, span)
        masked = text
        for span in sorted(r["names"] + r["structured"] + r["addresses"], key=len, reverse=True):
            masked = masked.replace(span, "\u2588")
        for word in r["keep"]:
            assert word in masked, (r["id"], word)


def test_tagging_set_uses_known_themes_and_both_splits() -> None:
    with (EVAL / "tagging_eval.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"train", "test"}
    primary = Counter(r["themes"].split(";")[0] for r in rows)
    assert set(primary) == set(THEME_KEYS)
    assert min(primary.values()) >= 35
    for r in rows:
        assert set(r["themes"].split(";")) <= set(THEME_KEYS), r["id"]
