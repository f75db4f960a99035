"""Worst-case texts for the voices core: time to scrub and to tag each one (issue 20, item 1).

Inputs (``tests/voices/worst_case_inputs.py``, 100 kB each by default, fixed seed): one letter
repeated, digits, ``a@`` repeated, mixed Unicode (scripts, combining marks, emoji, right-to-left
text), one long URL, and a realistic text of notes with names repeated. Before the linear-time
work, ``wijkbeeld scrub`` on 100 kB of one letter ran for minutes and ``wijkbeeld tag`` on 100 kB
of digits took 228 s.

Reported per input: the time to scrub and to tag it after start-up (the best of ``--repeat``
runs; goal: under 1 s each), and a plain baseline over the same text, ``str.split()`` plus one
``re.sub`` of a simple pattern, to show what one linear pass of Python costs on it. The exit
status is 1 when any time misses the goal.

    .venv/bin/python benchmarks/text_worst_case.py [--size 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "voices"))

from worst_case_inputs import INPUTS, SIZE  # noqa: E402

GOAL_S = 1.0
_SIMPLE = re.compile(r"\d+")


def _best(call: Callable[[str], object], text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call(text)
        times.append(time.perf_counter() - start)
    return min(times)


def _baseline(text: str) -> object:
    """One linear pass of plain Python: split on whitespace, one simple substitution."""
    return len(text.split()), _SIMPLE.sub("#", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=SIZE, help="characters per input")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; best is shown")
    args = parser.parse_args()
    if args.size < 1 or args.repeat < 1:
        parser.error("--size and --repeat must be positive")

    start = time.perf_counter()
    from wijkbeeld.voices import Scrubber, Tagger

    scrubber = Scrubber(keep=("Zuilen", "Overvecht"))
    scrubber.scrub("Jan Jansen belt 06-12345678.")
    tagger = Tagger()
    tagger.tag("Er is overlast van jongeren.")
    print(f"start-up (import, word lists, lexicon, lemma dictionary): "
          f"{time.perf_counter() - start:.2f} s")
    print(f"\n{args.size:,} characters per input, best of {args.repeat}; goal < {GOAL_S:.0f} s")
    print(f"  {'input':16} {'chars':>8} {'scrub s':>8} {'tag s':>8} {'baseline s':>11}")
    worst = 0.0
    for name, make in INPUTS.items():
        text = make(args.size)
        scrub_s = _best(scrubber.scrub, text, args.repeat)
        tag_s = _best(tagger.tag, text, args.repeat)
        base_s = _best(_baseline, text, args.repeat)
        worst = max(worst, scrub_s, tag_s)
        flag = "" if max(scrub_s, tag_s) < GOAL_S else "  <- over the goal"
        print(f"  {name:16} {len(text):8,} {scrub_s:8.3f} {tag_s:8.3f} {base_s:11.4f}{flag}")
    verdict = "meets" if worst < GOAL_S else "MISSES"
    print(f"\nslowest: {worst:.3f} s ({verdict} the goal of {GOAL_S:.0f} s per text)")
    return 0 if worst < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
