"""Speed and quality of the voices core: scrub and tag 10,000 texts.

Texts: 10,000 Dutch sentences generated from the templates of ``tests/voices/voices_corpus.py``
(notes of residents and professionals with planted names, phone numbers, e-mail addresses, BSNs,
IBANs, addresses, postcodes, licence plates and dates of birth; fixed seed).

Reported:

* start-up, separately: importing the package, building the scrubber (reading deduce's name,
  place and street lists) and the tagger (the lexicon), and the first call of each (simplemma
  loads its Dutch dictionary on first use); and the wall time of ``wijkbeeld scrub`` and
  ``wijkbeeld tag`` on one line in a fresh process;
* texts per second after start-up for scrub, tag, and scrub + tag (target: at least 500);
* scrub quality on the 10,000 texts: leaks per kind (must be 0 for e-mail, phone, BSN, IBAN and
  postcode + house number) and recall of person names;
* names the way real text has them: recall of names, structured identifiers and addresses and
  over-scrubbing on the independent name evaluation set, dev and heldout, beside deduce alone
  (``benchmarks/names_eval.py``; ``--no-deduce`` leaves the slow deduce baseline out);
* tagging quality on the frozen held-out set (``eval/tagging_eval.csv``, test split) against
  the two baselines (:mod:`wijkbeeld.voices.evaluation_tags`); precision, recall and F1 per theme
  and tone accuracy on the older sets (``labelled_themes.csv``, 299 statements, the lexicon
  before issue 20 was tuned on it; ``labelled_themes_fresh.csv``, 50 statements, never used for
  tuning).

    .venv/bin/python benchmarks/voices.py [--texts N] [--no-deduce]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "voices"))

from voices_corpus import NAME, build_corpus, fragments_leaked  # noqa: E402
from voices_tagging_eval import evaluate, labelled  # noqa: E402

ZERO_LEAK = ("EMAIL", "TELEFOON", "BSN", "IBAN", "POSTCODE_NR")


def _cli_seconds(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", command],
        input=b"Jan Jansen belt over de overlast, 06-12345678.\n",
        capture_output=True, check=True,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--no-deduce", action="store_true",
                        help="leave the deduce baseline out of the name evaluation")
    args = parser.parse_args()

    corpus = build_corpus(args.texts, seed=20240502)
    texts = [s.text for s in corpus]

    t0 = time.perf_counter()
    from wijkbeeld.voices import Scrubber, Tagger

    t1 = time.perf_counter()
    scrubber = Scrubber(keep=("Zuilen", "Overvecht"))
    scrubber.scrub("Jan Jansen belt 06-12345678.")
    t2 = time.perf_counter()
    tagger = Tagger()
    tagger.tag("Er is overlast van jongeren.")
    t3 = time.perf_counter()
    print("start-up (in process)")
    print(f"  import wijkbeeld.voices            {t1 - t0:6.2f} s")
    print(f"  scrubber built + first text        {t2 - t1:6.2f} s")
    print(f"  tagger built + first text          {t3 - t2:6.2f} s")
    print(f"  total                              {t3 - t0:6.2f} s")
    print("start-up (fresh process, one line)")
    print(f"  wijkbeeld scrub                    {_cli_seconds('scrub'):6.2f} s")
    print(f"  wijkbeeld tag                      {_cli_seconds('tag'):6.2f} s")

    start, cpu = time.perf_counter(), time.process_time()
    scrubbed = [scrubber.scrub(t) for t in texts]
    scrub_s, scrub_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    tags = [tagger.tag(r.text) for r in scrubbed]
    tag_s = time.perf_counter() - start
    n = len(texts)
    print(f"\nthroughput after start-up, {n} texts (mean {sum(map(len, texts)) / n:.0f} chars)")
    print(f"  scrub          {n / scrub_s:8.0f} texts/s  "
          f"({scrub_s:.2f} s wall, {scrub_cpu:.2f} s CPU)")
    print(f"  tag            {n / tag_s:8.0f} texts/s  ({tag_s:.2f} s)")
    both = n / (scrub_s + tag_s)
    verdict = "meets" if both >= 500 else "MISSES"
    print(f"  scrub + tag    {both:8.0f} texts/s  ({verdict} the target of 500 texts/s)")
    print(f"  themes suggested per text: {sum(len(t.themes) for t in tags) / n:.2f}")

    planted: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for sentence, result in zip(corpus, scrubbed, strict=True):
        for item in sentence.planted:
            planted[item.kind] += 1
            if item.text in result.text or fragments_leaked(item, result.text, sentence.literal):
                missed[item.kind] += 1
    print("\nscrub quality on the generated texts (leaked / planted)")
    for kind in sorted(planted):
        flag = "  <- must be 0" if kind in ZERO_LEAK and missed[kind] else ""
        recall = 1 - missed[kind] / planted[kind]
        print(f"  {kind:14} {missed[kind]:5} / {planted[kind]:5}   recall {recall:.3f}{flag}")
    print(f"  person names recall {1 - missed[NAME] / planted[NAME]:.3f} (target >= 0.95)")

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from names_eval import print_names_eval

    names_ok = print_names_eval(deduce=not args.no_deduce)

    from wijkbeeld.voices.evaluation_tags import evaluate_tagging, read_labelled

    frozen = ROOT / "tests" / "voices" / "eval" / "tagging_eval.csv"
    result = evaluate_tagging(read_labelled(frozen), split="test",
                              suggest=lambda text: tagger.tag(text).theme_keys)
    print(f"\ntheme tagging, frozen held-out set, test split: {result.texts} texts")
    print(f"  {'method':10} first theme (macro)  precision  recall  themes/text")
    for m in (result.tagger, *result.baselines):
        print(f"  {m.name:10} {m.first_theme_macro:19.3f} {m.precision:10.3f} {m.recall:7.3f} "
              f"{m.themes_per_text:12.2f}")
    for title, name in (("development set (old lexicon tuned on it)", "labelled_themes.csv"),
                        ("fresh set (never tuned on)", "labelled_themes_fresh.csv")):
        scores = evaluate(tagger, labelled(name))
        print(f"\ntheme tagging, {title}: {scores.rows} statements")
        print(f"  {'theme':22} precision  recall     F1")
        for key, (p, r, f) in scores.per_theme.items():
            print(f"  {key:22} {p:9.2f} {r:7.2f} {f:6.2f}")
        print(f"  macro F1 {scores.macro_f1:.3f}; tone accuracy {scores.tone_accuracy:.3f}")
    leaks = sum(missed[k] for k in ZERO_LEAK)
    return 0 if leaks == 0 and both >= 500 and names_ok else 1


if __name__ == "__main__":
    sys.exit(main())
