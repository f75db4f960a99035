"""Voices commands: import, scrubbing and tagging from stdin to stdout, the evaluation of
theme tagging on a labelled file, and training a municipality's theme model."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _voices(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.voices.importing import import_voices

    print(import_voices(args.file, args.mapping).summary())  # DataError: exit 2 in main()
    return 0


def _utf8_stdio() -> None:
    """Voices commands read and write UTF-8, one text per line, whatever the locale says."""
    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def _scrub(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.scrub import Scrubber, total_counts

    scrubber = Scrubber(keep=tuple(args.keep or ()))
    results = []
    _utf8_stdio()
    for raw in sys.stdin:
        result = scrubber.scrub(raw.rstrip("\r\n"))
        print(result.text)
        results.append(result)
    if args.report:
        counts = total_counts(results)
        changed = sum(1 for r in results if r.changed)
        if args.report == "json":
            report = {"texts": len(results), "changed": changed, "counts": counts}
            print(json.dumps(report, ensure_ascii=False), file=sys.stderr)
        else:
            found = ", ".join(f"{k} {v}" for k, v in counts.items()) or "niets"
            print(f"{len(results)} teksten, {changed} gewijzigd; vervangen: {found}",
                  file=sys.stderr)
    return 0


def _tag(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.lexicon import LexiconError, load_lexicon
    from wijkbeeld.voices.tagging import Tagger

    try:
        lexicon = load_lexicon(args.lexicon or [])
    except LexiconError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    tagger = Tagger(lexicon, min_confidence=args.min_confidence)
    _utf8_stdio()
    for raw in sys.stdin:
        print(json.dumps(tagger.tag(raw.rstrip("\r\n")).to_dict(), ensure_ascii=False))
    return 0


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)} %"


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _evaluate(args: argparse.Namespace) -> int:
    # pure core, no database
    if args.learn or args.mapping:
        return _evaluate_learned(args)
    from wijkbeeld.voices.evaluation_tags import (
        LabelledSetError,
        evaluate_tagging,
        read_labelled,
    )
    from wijkbeeld.voices.lexicon import LexiconError, load_lexicon
    from wijkbeeld.voices.tagging import Tagger

    try:
        lexicon = load_lexicon(args.lexicon or [])
        texts = read_labelled(args.file, theme_keys=lexicon.theme_keys)
        tagger = Tagger(lexicon)
        result = evaluate_tagging(
            texts, split=args.split, suggest=lambda text: tagger.tag(text).theme_keys,
            source=str(args.file), theme_keys=lexicon.theme_keys,
        )
    except (LabelledSetError, LexiconError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    _utf8_stdio()
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
        return 0
    names = {"majority": f"altijd {result.majority_theme}", "legacy": "oude lexicon"}
    where = f", split {result.split}" if result.split else ""
    print(f"Thema's voorstellen: {result.texts} teksten uit {args.file}{where}")
    print(f"Vergeleken met: het oude lexicon (vóór issue 20) en altijd het meest voorkomende "
          f"eerste thema ({result.majority_theme}, uit "
          f"{'de train-teksten' if result.majority_from == 'train' else 'deze teksten'}).\n")
    ours = result.tagger
    rows = (
        ("Eerste thema goed", "first_theme_macro", _percent),
        ("Voorgestelde thema's juist", "precision", _percent),
        ("Thema's gevonden", "recall", _percent),
        ("Thema's per tekst", "themes_per_text", _decimal),
    )
    for label, field, show in rows:
        others = ", ".join(f"{names[b.name]} {show(getattr(b, field))}"
                           for b in result.baselines)
        print(f"{label + ':':28}{show(getattr(ours, field)):>6}   ({others})")
    best = {field: max(getattr(b, field) for b in result.baselines)
            for field in ("first_theme_macro", "precision")}
    print(f"\nVerschil met de beste vergelijking: eerste thema "
          f"{round(100 * (ours.first_theme_macro - best['first_theme_macro'])):+d} punten, "
          f"juiste thema's {round(100 * (ours.precision - best['precision'])):+d} punten.\n")
    labels = {f.theme: lexicon.themes[f.theme].label if f.theme in lexicon.themes else f.theme
              for f in ours.per_theme}
    width = max(len(label) for label in labels.values()) + 2
    print(f"{'Per thema':{width}}{'eerste goed':>12}{'juist':>8}{'gevonden':>10}{'teksten':>9}")
    for f in ours.per_theme:
        print(f"{labels[f.theme]:{width}}{_percent(f.first_right):>12}"
              f"{_percent(f.precision):>8}{_percent(f.recall):>10}{f.primary_texts:>9}")
    print("\nEerste thema goed: het eerste voorstel is het hoofdthema van de tekst, gemiddeld "
          "over de thema's.\nVoorgestelde thema's juist: het deel van alle voorstellen dat "
          "klopt.\nThema's gevonden: het deel van alle thema's van de teksten dat is voorgesteld.")
    return 0


def _train(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.voices.evaluation_tags import LabelledSetError
    from wijkbeeld.voices.learning import NotEnoughLabels
    from wijkbeeld.web.voices.learning import train_municipality

    try:
        run = train_municipality(args.gemeente, labels_file=args.labels,
                                 mapping_file=args.mapping, seed=args.seed)
    except (NotEnoughLabels, LabelledSetError, ValueError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    _utf8_stdio()
    print(f"Themamodel {run.version} voor {run.municipality} opgeslagen: {run.n_labels} "
          f"voorbeelden ({run.n_corrections} gecorrigeerde stemmen, {run.n_imported} teksten "
          f"uit het bestand), {len(run.classes)} thema's"
          f"{', gekalibreerd' if run.calibrated else ''}.")
    print("Nieuwe stemmen van deze gemeente krijgen nu ook thema's van dit model als het zeker "
          "genoeg is.")
    return 0


def _print_learned(result: object, source: str) -> None:
    from wijkbeeld.voices.learning import CrossValidation

    assert isinstance(result, CrossValidation)
    how = (f"{result.folds}-voudige kruisvalidatie" if result.folds > 1
           else "getraind op train, getest op test")
    print(f"Lerend model: {result.texts} teksten uit {source} ({how}, seed {result.seed}).")
    print(f"Het model telt mee vanaf een kans van {_percent(result.threshold)}.\n")
    names = {"combined": "lexicon + model", "model": "model alleen",
             "lexicon": "lexicon alleen", "majority": "altijd het meest voorkomende"}
    print(f"{'':30}{'eerste goed':>12}{'juist':>8}{'gevonden':>10}{'per tekst':>11}")
    for m in result.methods:
        print(f"{names[m.name]:30}{_percent(m.first_theme_macro):>12}"
              f"{_percent(m.precision):>8}{_percent(m.recall):>10}"
              f"{_decimal(m.themes_per_text):>11}")
    print(f"\nPer thema (lexicon + model){'':3}{'eerste goed':>12}{'juist':>8}{'gevonden':>10}")
    for f in result.combined.per_theme:
        print(f"{f.theme:30}{_percent(f.first_right):>12}{_percent(f.precision):>8}"
              f"{_percent(f.recall):>10}")


def _evaluate_learned(args: argparse.Namespace) -> int:
    from wijkbeeld.voices.evaluation_tags import LabelledSetError, read_labelled
    from wijkbeeld.voices.learning import NotEnoughLabels, cross_validate, evaluate_holdout
    from wijkbeeld.voices.municipal_labels import read_category_mapping, read_municipal_export

    try:
        if args.mapping:
            texts = read_municipal_export(args.file, read_category_mapping(args.mapping))
        else:
            texts = read_labelled(args.file)
        if args.split:
            train_texts = [t for t in texts if t.split == "train"]
            test_texts = [t for t in texts if t.split == args.split]
            if not train_texts or not test_texts or args.split == "train":
                raise LabelledSetError(f"{args.file}: --learn met --split heeft train-teksten "
                                       f"en teksten in split {args.split!r} nodig")
            result = evaluate_holdout(train_texts, test_texts, seed=args.seed,
                                      source=str(args.file))
        else:
            result = cross_validate(texts, folds=args.folds, seed=args.seed,
                                    source=str(args.file))
    except (LabelledSetError, NotEnoughLabels) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    _utf8_stdio()
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
    else:
        _print_learned(result, str(args.file))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the voices commands to the ``wijkbeeld`` parser."""
    vo = sub.add_parser("voices", help="voices (stemmen): import exports, evaluate tagging")
    vo_sub = vo.add_subparsers(dest="what", required=True)
    vi = vo_sub.add_parser("import", help="voices from a CSV/XLSX export, scrubbed on the way in")
    vi.add_argument("file", type=Path)
    vi.add_argument("--mapping", type=Path, required=True, help="TOML column mapping")
    vi.set_defaults(func=_voices)
    ve = vo_sub.add_parser(
        "evaluate", help="theme tagging on a labelled CSV (text, themes) against two baselines")
    ve.add_argument("--file", type=Path, required=True,
                    help="CSV with columns text and themes (primary first, ';'), optional split")
    ve.add_argument("--split", help="only the texts of this split (e.g. test)")
    ve.add_argument("--lexicon", type=Path, action="append", help="TOML lexicon override file")
    ve.add_argument("--json", action="store_true", help="all figures as JSON")
    ve.add_argument("--learn", action="store_true",
                    help="also the learned model: cross-validated, or with --split trained on "
                         "train and tested on that split")
    ve.add_argument("--mapping", type=Path,
                    help="read --file as a municipal export (text + category) with this "
                         "category-to-theme mapping (CSV or TOML); implies --learn")
    ve.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    ve.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ve.set_defaults(func=_evaluate)
    vt = vo_sub.add_parser(
        "train", help="train the theme model of a municipality from its corrections")
    vt.add_argument("--gemeente", required=True, help="municipality code, e.g. GM0363")
    vt.add_argument("--labels", type=Path, help="the municipality's labelled export (CSV)")
    vt.add_argument("--mapping", type=Path, help="category-to-theme mapping (CSV or TOML)")
    vt.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    vt.set_defaults(func=_train)

    scr = sub.add_parser("scrub", help="remove personal data: one text per line, stdin to stdout")
    scr.add_argument("--keep", nargs="+", metavar="PLACE", help="place names never scrubbed")
    scr.add_argument(
        "--report", nargs="?", const="text", choices=["text", "json"],
        help="print how many of each kind were replaced to stderr (text or json)",
    )
    scr.set_defaults(func=_scrub)
    tg = sub.add_parser("tag", help="suggest themes and tone: one text per line, JSON per line")
    tg.add_argument("--lexicon", type=Path, action="append", help="TOML lexicon override file")
    tg.add_argument("--min-confidence", type=float, default=0.5, help="default 0.5")
    tg.set_defaults(func=_tag)
