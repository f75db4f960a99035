"""Names the way real text has them (issue 20, item 2): the scrubber on the independent name
evaluation set, beside deduce alone.

Set: ``tests/voices/eval/names_eval.jsonl``, 394 sentences written by hand by someone who never
saw the scrubber (``tests/voices/eval/README.md``); ``dev`` (264) was used for tuning,
``heldout`` (130) was not. Scored with :mod:`wijkbeeld.voices.evaluation_names`: a name counts
as caught only when all its tokens are gone; over-scrubbing is the share of ordinary tokens
(outside every listed span) removed.

Scrubbers compared on each split:

* ``wijkbeeld``: the scrubber as shipped (deduce's person annotators, vetted, plus the list,
  capitalisation and context rules, structured detectors, addresses);
* ``wijkbeeld zonder deduce``: the same with ``persons=False``;
* ``deduce (alles)``: the ``deduce`` package's whole default pipeline, as an outside reference
  (it also removes places, streets, institutions, dates and titles; its first run on a fresh
  install builds its lookup structures, one to two minutes, cached under
  ``~/.cache/wijkbeeld/deduce``). ``--no-deduce`` leaves it out.

    .venv/bin/python benchmarks/names_eval.py [--no-deduce] [--split dev|heldout|both]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wijkbeeld.voices import Scrubber
from wijkbeeld.voices.evaluation_names import (
    ScrubScores,
    deduce_reference,
    read_rows,
    score_scrubbing,
)

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "voices" / "eval" / "names_eval.jsonl"
GOAL_NAMES = 0.95
GOAL_OVER = 0.02

__all__ = ["main", "print_names_eval"]


def _line(label: str, scores: ScrubScores) -> str:
    o = scores.overall
    return (f"  {label:24} names {o.names.hits:3}/{o.names.total:3} {o.name_recall:6.3f}  "
            f"structured {o.structured.hits:2}/{o.structured.total:2} {o.structured_recall:6.3f}  "
            f"addresses {o.addresses.hits:2}/{o.addresses.total:2} {o.address_recall:6.3f}  "
            f"over-scrubbing {o.over_scrubbing:6.2%}  keep {o.keep_survived.rate:6.3f}")


def print_names_eval(splits: tuple[str, ...] = ("dev", "heldout"), deduce: bool = True) -> bool:
    """Print the figures per split and scrubber; True when the shipped scrubber meets the goals
    (names >= 95 %, no structured leak, over-scrubbing <= 2 %) on every split shown."""
    ours, bare = Scrubber(), Scrubber(persons=False)
    scrubbers: dict[str, Callable[[str], str]] = {
        "wijkbeeld": lambda t: ours.scrub(t).text,
        "wijkbeeld zonder deduce": lambda t: bare.scrub(t).text,
    }
    if deduce:
        start = time.perf_counter()
        scrubbers["deduce (alles)"] = deduce_reference()
        print(f"deduce's whole pipeline built in {time.perf_counter() - start:.1f} s")
    ok = True
    for split in splits:
        rows = read_rows(EVAL, split)
        print(f"\nnames evaluation set, split {split}: {len(rows)} sentences")
        shipped = None
        for label, run in scrubbers.items():
            scores = score_scrubbing(rows, run)
            shipped = shipped or scores
            print(_line(label, scores))
        assert shipped is not None
        print(f"  per kind (wijkbeeld): {'kind':14} names   over-scrubbing")
        for kind, k in shipped.per_kind.items():
            names = f"{k.names.hits}/{k.names.total}" if k.names.total else "-"
            print(f"  {'':22}{kind:14} {names:7} {k.over_scrubbing:6.2%}")
        ok = ok and (shipped.name_recall >= GOAL_NAMES and shipped.structured_recall == 1.0
                     and shipped.over_scrubbing <= GOAL_OVER)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-deduce", action="store_true", help="leave deduce alone out")
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    args = parser.parse_args()
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    ok = print_names_eval(splits, deduce=not args.no_deduce)
    verdict = "meets" if ok else "MISSES"
    print(f"\n{verdict} the goals: names >= {GOAL_NAMES:.0%}, no structured leak, "
          f"over-scrubbing <= {GOAL_OVER:.0%}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
