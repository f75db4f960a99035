"""How well theme tagging does on a labelled set of texts, against two baselines (issue 20).

A labelled set is a CSV file with a header and at least the columns ``text`` and ``themes``
(theme keys separated by ``;``, the primary theme first; empty: no theme). ``id``, ``split``
(e.g. ``train`` / ``test``) and any other column are optional. ``tests/voices/eval/
tagging_eval.csv`` is the frozen evaluation set, written independently of the lexicon.

Measured for the tagger and for each baseline, on the same texts:

* **first theme right** per primary theme: the share of the texts with that primary theme whose
  first-ranked suggestion is exactly it (no suggestion counts as wrong), and their average over
  the primary themes (macro), so a frequent theme cannot hide a weak one;
* **precision and recall per theme** over all suggestions (a text may have several themes);
* **precision of all suggested themes** (micro) and **themes per text**: suggesting many themes
  would raise recall but lowers this precision, so it cannot buy a good score.

Baselines: ``majority`` always suggests the most frequent primary theme of the training texts
(the ``train`` split when the file has one, else the evaluated texts themselves); ``legacy`` is
the lexicon-only tagger as it was before issue 20 (:mod:`wijkbeeld.voices.legacy_tagging`).

The result is an immutable :class:`TaggingEvaluation`; ``wijkbeeld voices evaluate`` prints it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkbeeld.voices.lexicon import THEME_KEYS

__all__ = [
    "LabelledSetError",
    "LabelledText",
    "MethodFigures",
    "TaggingEvaluation",
    "ThemeFigures",
    "evaluate_tagging",
    "read_labelled",
    "score_suggestions",
]

_REQUIRED = ("text", "themes")


class LabelledSetError(ValueError):
    """A labelled file that cannot be read; the message names the file, row and column."""


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One labelled text: its themes (primary first) and its split ("" when the file has none)."""

    id: str
    text: str
    themes: tuple[str, ...]
    split: str = ""

    @property
    def primary(self) -> str | None:
        """The primary theme, or None for a text labelled with no theme."""
        return self.themes[0] if self.themes else None


@dataclass(frozen=True, slots=True)
class ThemeFigures:
    """One theme: precision and recall over all suggestions, and how often the texts with this
    primary theme got it ranked first. A share is None where it has no denominator."""

    theme: str
    primary_texts: int
    first_right: float | None
    labelled: int
    suggested: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True, slots=True)
class MethodFigures:
    """The figures of one way of suggesting themes (the tagger or a baseline)."""

    name: str
    description: str
    first_theme_macro: float
    first_theme_micro: float
    precision: float
    recall: float
    themes_per_text: float
    per_theme: tuple[ThemeFigures, ...]

    def theme(self, key: str) -> ThemeFigures:
        """The figures of one theme."""
        for figures in self.per_theme:
            if figures.theme == key:
                return figures
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class TaggingEvaluation:
    """The tagger against the baselines on one labelled set (or one split of it)."""

    source: str
    split: str | None
    texts: int
    majority_theme: str
    majority_from: str
    tagger: MethodFigures
    baselines: tuple[MethodFigures, ...]

    def baseline(self, name: str) -> MethodFigures:
        """A baseline by name (``majority`` or ``legacy``)."""
        for figures in self.baselines:
            if figures.name == name:
                return figures
        raise KeyError(name)


# -- reading -----------------------------------------------------------------------------------
def read_labelled(
    path: str | Path, *, theme_keys: Iterable[str] = THEME_KEYS
) -> tuple[LabelledText, ...]:
    """Every text of a labelled CSV file (UTF-8, with or without BOM), in file order.

    Raises :class:`LabelledSetError` naming file, row and column for a missing file or column
    or an unknown theme key; nothing is returned then.
    """
    path = Path(path)
    known = set(theme_keys)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise LabelledSetError(
                    f"{path}: kolom {', '.join(repr(c) for c in missing)} ontbreekt "
                    f"(nodig: text, themes; gevonden: {', '.join(reader.fieldnames or [])})")
            rows = list(reader)
    except OSError as exc:
        raise LabelledSetError(f"{path}: kan het bestand niet lezen: {exc.strerror}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise LabelledSetError(f"{path}: geen leesbare CSV in UTF-8: {exc}") from exc
    out: list[LabelledText] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        themes = tuple(t.strip() for t in (row.get("themes") or "").split(";") if t.strip())
        unknown = [t for t in themes if t not in known]
        if unknown:
            problems.append(f"{path}, rij {number}, kolom 'themes': onbekend thema "
                            f"{', '.join(unknown)}")
        text = row.get("text")
        if text is None:
            problems.append(f"{path}, rij {number}, kolom 'text': ontbreekt")
            continue
        out.append(LabelledText(row.get("id") or str(number), text, themes,
                                (row.get("split") or "").strip()))
    if problems:
        raise LabelledSetError("\n".join(problems))
    return tuple(out)


# -- scoring -----------------------------------------------------------------------------------
def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def score_suggestions(
    name: str,
    description: str,
    texts: Sequence[LabelledText],
    suggestions: Sequence[Sequence[str]],
    theme_keys: Iterable[str] = THEME_KEYS,
) -> MethodFigures:
    """The figures of one method from its suggestions per text (strongest first)."""
    if len(texts) != len(suggestions):
        raise ValueError("one suggestion list per text")
    keys = list(theme_keys)
    tp: Counter[str] = Counter()
    suggested: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    primaries: Counter[str] = Counter()
    first_right: Counter[str] = Counter()
    for item, suggestion in zip(texts, suggestions, strict=True):
        gold = set(item.themes)
        chosen = list(dict.fromkeys(suggestion))
        labelled.update(gold)
        suggested.update(chosen)
        tp.update(t for t in chosen if t in gold)
        if item.primary is not None:
            primaries[item.primary] += 1
            first_right[item.primary] += bool(chosen) and chosen[0] == item.primary
    per_theme = tuple(
        ThemeFigures(
            theme=key, primary_texts=primaries[key],
            first_right=_share(first_right[key], primaries[key]),
            labelled=labelled[key], suggested=suggested[key],
            precision=_share(tp[key], suggested[key]), recall=_share(tp[key], labelled[key]),
        )
        for key in keys
    )
    firsts = [f.first_right for f in per_theme if f.first_right is not None]
    n = len(texts)
    return MethodFigures(
        name=name, description=description,
        first_theme_macro=sum(firsts) / len(firsts) if firsts else 0.0,
        first_theme_micro=(sum(first_right.values()) / sum(primaries.values())
                           if primaries else 0.0),
        precision=(tp.total() / suggested.total()) if suggested else 0.0,
        recall=(tp.total() / labelled.total()) if labelled else 0.0,
        themes_per_text=suggested.total() / n if n else 0.0,
        per_theme=per_theme,
    )


def _majority(texts: Sequence[LabelledText], keys: Sequence[str]) -> str:
    """The most frequent primary theme; a tie goes to the first key in theme order."""
    counts = Counter(t.primary for t in texts if t.primary is not None)
    if not counts:
        return keys[0]
    best = max(counts.values())
    return next(k for k in keys if counts[k] == best)


def evaluate_tagging(
    texts: Sequence[LabelledText],
    *,
    split: str | None = None,
    suggest: Callable[[str], Sequence[str]] | None = None,
    legacy: Callable[[str], Sequence[str]] | None = None,
    source: str = "",
    theme_keys: Sequence[str] = THEME_KEYS,
) -> TaggingEvaluation:
    """The tagger and both baselines on ``texts`` (only those of ``split`` when given).

    ``suggest`` maps a text to its suggested themes, strongest first (default: the default
    :class:`~wijkbeeld.voices.tagging.Tagger`); ``legacy`` the same for the old tagger (default:
    :class:`~wijkbeeld.voices.legacy_tagging.LegacyTagger`). The majority baseline learns its
    theme from the ``train`` split when there is one and it is not the split evaluated.
    """
    if suggest is None:
        from wijkbeeld.voices.tagging import Tagger

        tagger = Tagger()

        def suggest(text: str) -> Sequence[str]:
            return tagger.tag(text).theme_keys
    if legacy is None:
        from wijkbeeld.voices.legacy_tagging import legacy_tagger

        legacy = legacy_tagger().themes
    chosen = [t for t in texts if split is None or t.split == split]
    if not chosen:
        raise LabelledSetError(f"{source or 'de set'}: geen teksten"
                               + (f" in split {split!r}" if split else ""))
    train = [t for t in texts if t.split == "train"]
    if train and split != "train":
        majority, majority_from = _majority(train, theme_keys), "train"
    else:
        majority, majority_from = _majority(chosen, theme_keys), "evaluated"
    ours = score_suggestions("tagger", "lexicon tagger (lemmas, compounds, negation)", chosen,
                             [suggest(t.text) for t in chosen], theme_keys)
    baselines = (
        score_suggestions("majority", f"always {majority}", chosen,
                          [(majority,)] * len(chosen), theme_keys),
        score_suggestions("legacy", "lexicon tagger before issue 20 (substrings)", chosen,
                          [legacy(t.text) for t in chosen], theme_keys),
    )
    return TaggingEvaluation(source, split, len(chosen), majority, majority_from, ours, baselines)
