"""Theme tagging that learns: a model per municipality, trained on labelled texts (issue 20).

**Labels.** A label is a text with the themes a person gave it
(:class:`~wijkbeeld.voices.evaluation_tags.LabelledText`): an analyst's correction in the app,
or a row of a municipality's own labelled export (:mod:`wijkbeeld.voices.municipal_labels`).
A text with two themes counts as two (text, theme) examples.

**Model.** TF-IDF of word 1-2-grams and of character 3-5-grams inside words (``char_wb``, so
"hondenpoep" and "poep" share features), then a logistic regression (classes balanced). With
enough labels (:data:`CALIBRATE_MIN_LABELS`, every theme at least :data:`CALIBRATE_MIN_PER_THEME`)
the probabilities are calibrated (sigmoid, 3-fold, ``C`` 10); with fewer the plain regression
gives them, with a weaker penalty (``C_small`` 30) so that a few corrections already count.
With fewer than :data:`MIN_LABELS` examples or one theme only there is nothing to learn:
:func:`train` raises :class:`NotEnoughLabels` and the lexicon alone keeps tagging.

**Combining.** :func:`combine` keeps the lexicon's suggestions unless the model is confident:
when its most probable theme reaches ``threshold`` (:data:`DEFAULT_THRESHOLD`) that theme comes
first (made by the model), and the lexicon's other themes stay only where the model gives them
at least :data:`KEEP_FLOOR`. Every theme says what made it: ``"lexicon"`` or the model version.

**Privacy.** The model's vocabulary holds fragments of the texts it learned from: train only on
scrubbed texts, and keep one model per municipality (the web layer does both).

:class:`TrainedModel` is immutable and carries its version (a hash of labels, parameters and
seed), so a stored tag can say which model made it. :func:`dumps` / :func:`loads` turn it into
bytes and back (pickle: load only bytes this code wrote and the store kept safe).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wijkbeeld.voices.evaluation_tags import LabelledText, MethodFigures, score_suggestions
from wijkbeeld.voices.lexicon import THEME_KEYS
from wijkbeeld.voices.tagging import MAX_THEMES, Tagger, TagResult

__all__ = [
    "CALIBRATE_MIN_LABELS",
    "CALIBRATE_MIN_PER_THEME",
    "DEFAULT_PARAMS",
    "DEFAULT_THRESHOLD",
    "KEEP_FLOOR",
    "LEXICON",
    "MIN_LABELS",
    "CombinedTheme",
    "CrossValidation",
    "NotEnoughLabels",
    "TrainedModel",
    "combine",
    "cross_validate",
    "dumps",
    "evaluate_holdout",
    "loads",
    "train",
]

#: What made a tag when no model did.
LEXICON = "lexicon"
#: The model overrides or adds a theme only at or above this probability.
DEFAULT_THRESHOLD = 0.6
#: With a confident model, a lexicon theme stays only if the model gives it at least this.
KEEP_FLOOR = 0.15
#: Fewer (text, theme) examples than this: no model, the lexicon alone tags.
MIN_LABELS = 4
#: Calibrate the probabilities only from this many examples, ...
CALIBRATE_MIN_LABELS = 100
#: ... and when every theme has at least this many.
CALIBRATE_MIN_PER_THEME = 8
#: The parameters of the model (part of its version).
DEFAULT_PARAMS: Mapping[str, Any] = {
    "word_ngrams": (1, 2), "char_ngrams": (3, 5), "C": 10.0, "C_small": 30.0,
    "class_weight": "balanced",
    "sublinear_tf": True, "calibration": "sigmoid", "calibration_folds": 3,
}


class NotEnoughLabels(ValueError):
    """Too few labels (or one theme only) to learn from; the message is Dutch, for the user."""


@dataclass(frozen=True)
class TrainedModel:
    """A trained theme model: what it learned from and how, and the estimator itself."""

    version: str
    n_labels: int
    n_texts: int
    classes: tuple[str, ...]
    params: Mapping[str, Any]
    seed: int
    calibrated: bool
    estimator: Any = field(repr=False, compare=False)

    def predict(self, text: str) -> dict[str, float]:
        """The probability of every theme the model knows, most probable first."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """:meth:`predict` for each text."""
        if not texts:
            return []
        rows = self.estimator.predict_proba(list(texts))
        out = []
        for row in rows:
            pairs = sorted(zip(self.classes, (float(p) for p in row), strict=True),
                           key=lambda kv: -kv[1])
            out.append(dict(pairs))
        return out


@dataclass(frozen=True, slots=True)
class CombinedTheme:
    """A theme of the combined suggestion, its confidence and what made it."""

    theme: str
    confidence: float
    made_by: str


# -- training ----------------------------------------------------------------------------------
def _examples(labels: Sequence[LabelledText]) -> tuple[list[str], list[str]]:
    """One (text, theme) example per theme of each text; empty texts and themes left out."""
    texts: list[str] = []
    themes: list[str] = []
    for item in labels:
        if not item.text.strip():
            continue
        for theme in dict.fromkeys(item.themes):
            texts.append(item.text)
            themes.append(theme)
    return texts, themes


def _version(texts: Sequence[str], themes: Sequence[str], params: Mapping[str, Any],
             seed: int) -> str:
    digest = hashlib.sha256()
    for text, theme in sorted(zip(texts, themes, strict=True)):
        digest.update(f"{theme}\x1f{text}\x1e".encode())
    digest.update(json.dumps(dict(params), sort_keys=True, default=str).encode())
    digest.update(f"seed={seed}".encode())
    return "m" + digest.hexdigest()[:15]


def _pipeline(params: Mapping[str, Any], seed: int, calibrate: bool) -> Any:
    from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.pipeline import FeatureUnion, make_pipeline  # type: ignore[import-untyped]

    features = FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=tuple(params["word_ngrams"]),
                                 lowercase=True, sublinear_tf=params["sublinear_tf"])),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(params["char_ngrams"]),
                                 lowercase=True, sublinear_tf=params["sublinear_tf"])),
    ])
    # few labels: a weaker penalty, so that a correction and its paraphrase are learned
    regression = LogisticRegression(C=params["C" if calibrate else "C_small"],
                                    class_weight=params["class_weight"],
                                    max_iter=2000, random_state=seed)
    if calibrate:
        from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

        folds = StratifiedKFold(n_splits=params["calibration_folds"], shuffle=True,
                                random_state=seed)
        return make_pipeline(features, CalibratedClassifierCV(
            regression, method=params["calibration"], cv=folds))
    return make_pipeline(features, regression)


def train(labels: Sequence[LabelledText], *, params: Mapping[str, Any] | None = None,
          seed: int = 0) -> TrainedModel:
    """A model trained on ``labels`` (deterministic for the same labels, params and seed).

    Raises :class:`NotEnoughLabels` with fewer than :data:`MIN_LABELS` examples or one theme.
    """
    chosen = {**DEFAULT_PARAMS, **(params or {})}
    texts, themes = _examples(labels)
    counts = Counter(themes)
    if len(texts) < MIN_LABELS or len(counts) < 2:
        raise NotEnoughLabels(
            f"te weinig labels om van te leren: {len(texts)} voorbeeld(en) over "
            f"{len(counts)} thema('s); nodig zijn er minstens {MIN_LABELS} over 2 thema's. "
            "Het lexicon blijft de thema's voorstellen.")
    calibrate = (len(texts) >= CALIBRATE_MIN_LABELS
                 and min(counts.values()) >= CALIBRATE_MIN_PER_THEME)
    estimator = _pipeline(chosen, seed, calibrate)
    estimator.fit(texts, themes)
    for _, step in estimator.steps[0][1].transformer_list:
        if hasattr(step, "stop_words_"):  # terms left out; not needed, may hold text
            step.stop_words_ = None
    classes = tuple(str(c) for c in estimator.classes_)
    return TrainedModel(
        version=_version(texts, themes, chosen, seed), n_labels=len(texts),
        n_texts=len({t for t in texts}), classes=classes, params=chosen, seed=seed,
        calibrated=calibrate, estimator=estimator)


# -- combining ---------------------------------------------------------------------------------
def combine(lexicon: TagResult, probabilities: Mapping[str, float] | None, *,
            model_version: str = "", threshold: float = DEFAULT_THRESHOLD,
            keep_floor: float = KEEP_FLOOR,
            max_themes: int = MAX_THEMES) -> tuple[CombinedTheme, ...]:
    """The lexicon's themes, overridden by the model where it is confident (see module doc).

    ``probabilities`` come from :meth:`TrainedModel.predict` (None or empty: lexicon only).
    """
    from_lexicon = tuple(CombinedTheme(s.theme, s.confidence, LEXICON) for s in lexicon.themes)
    if not probabilities:
        return from_lexicon
    top, p = max(probabilities.items(), key=lambda kv: kv[1])
    if p < threshold:
        return from_lexicon
    out = [CombinedTheme(top, round(p, 3), model_version or "model")]
    for theme in from_lexicon:
        if theme.theme != top and probabilities.get(theme.theme, 0.0) >= keep_floor:
            out.append(theme)
    return tuple(out[:max_themes])


# -- serialisation -----------------------------------------------------------------------------
def dumps(model: TrainedModel) -> bytes:
    """The model as bytes, for storage."""
    return pickle.dumps(model, protocol=5)


def loads(data: bytes) -> TrainedModel:
    """A model from :func:`dumps` (only bytes this code wrote: pickle runs code on load)."""
    model = pickle.loads(data)  # bytes written by dumps(), kept (and signed) by the store
    if not isinstance(model, TrainedModel):
        raise TypeError("not a wijkbeeld theme model")
    return model


# -- evaluation --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CrossValidation:
    """The learned model, its combination with the lexicon and two baselines on the same texts:
    each text is tested by a model that never saw it."""

    source: str
    texts: int
    folds: int
    seed: int
    threshold: float
    model: MethodFigures
    combined: MethodFigures
    lexicon: MethodFigures
    majority: MethodFigures

    @property
    def methods(self) -> tuple[MethodFigures, ...]:
        """All four, the combination first."""
        return (self.combined, self.model, self.lexicon, self.majority)


def _majority(texts: Sequence[LabelledText]) -> str:
    counts = Counter(t.primary for t in texts if t.primary is not None)
    best = max(counts.values(), default=0)
    return next((k for k in THEME_KEYS if best and counts[k] == best), THEME_KEYS[0])


def _folds_of(texts: Sequence[LabelledText],
              splits: Sequence[tuple[Sequence[int], Sequence[int]]], *, source: str, seed: int,
              threshold: float, tagger: Tagger, params: Mapping[str, Any] | None,
              theme_keys: Sequence[str]) -> CrossValidation:
    order: list[int] = []
    model_s: dict[int, tuple[str, ...]] = {}
    combined_s: dict[int, tuple[str, ...]] = {}
    majority_s: dict[int, tuple[str, ...]] = {}
    for train_idx, test_idx in splits:
        fold_train = [texts[i] for i in train_idx]
        model = train(fold_train, params=params, seed=seed)
        majority = _majority(fold_train)
        tested = [texts[i] for i in test_idx]
        for i, item, probs in zip(test_idx, tested,
                                  model.predict_many([t.text for t in tested]), strict=True):
            order.append(i)
            model_s[i] = (next(iter(probs)),)
            combined_s[i] = tuple(c.theme for c in combine(
                tagger.tag(item.text), probs, model_version=model.version, threshold=threshold))
            majority_s[i] = (majority,)
    evaluated = [texts[i] for i in order]

    def score(name: str, description: str, chosen: Mapping[int, tuple[str, ...]]
              ) -> MethodFigures:
        return score_suggestions(name, description, evaluated, [chosen[i] for i in order],
                                 theme_keys)

    return CrossValidation(
        source=source, texts=len(order), folds=len(splits), seed=seed, threshold=threshold,
        combined=score("combined", f"lexicon + model (model from p ≥ {threshold})", combined_s),
        model=score("model", "learned model alone (most probable theme)", model_s),
        lexicon=score("lexicon", "lexicon tagger alone", {
            i: tagger.tag(texts[i].text).theme_keys for i in order}),
        majority=score("majority", "always the most frequent theme of the training texts",
                       majority_s),
    )


def cross_validate(texts: Sequence[LabelledText], *, folds: int = 5, seed: int = 0,
                   threshold: float = DEFAULT_THRESHOLD, tagger: Tagger | None = None,
                   params: Mapping[str, Any] | None = None, source: str = "",
                   theme_keys: Sequence[str] = THEME_KEYS) -> CrossValidation:
    """Stratified ``folds``-fold cross-validation (by primary theme) of the learned model, the
    combination with the lexicon, the lexicon alone and the majority theme of each training fold.

    Texts without a theme are left out. Fewer texts of a theme than ``folds`` lowers the number
    of folds (at least 2); fewer than that raises :class:`NotEnoughLabels`.
    """
    from sklearn.model_selection import StratifiedKFold

    usable = [t for t in texts if t.primary is not None and t.text.strip()]
    counts = Counter(t.primary for t in usable)
    k = min(folds, min(counts.values(), default=0))
    if k < 2 or len(counts) < 2:
        raise NotEnoughLabels(
            f"te weinig labels voor kruisvalidatie: elk thema heeft er minstens 2 nodig "
            f"({', '.join(f'{t} {n}' for t, n in sorted(counts.items(), key=str)) or 'geen'})")
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    splits = [(list(a), list(b)) for a, b in
              splitter.split(usable, [t.primary for t in usable])]
    return _folds_of(usable, splits, source=source, seed=seed, threshold=threshold,
                     tagger=tagger or Tagger(), params=params, theme_keys=theme_keys)


def evaluate_holdout(train_texts: Sequence[LabelledText], test_texts: Sequence[LabelledText],
                     *, seed: int = 0, threshold: float = DEFAULT_THRESHOLD,
                     tagger: Tagger | None = None, params: Mapping[str, Any] | None = None,
                     source: str = "", theme_keys: Sequence[str] = THEME_KEYS
                     ) -> CrossValidation:
    """As :func:`cross_validate` with one fold: trained on ``train_texts``, tested on
    ``test_texts`` (e.g. the ``train`` and ``test`` splits of a frozen set)."""
    usable = [t for t in (*train_texts, *test_texts) if t.primary is not None]
    n_train = sum(1 for t in train_texts if t.primary is not None)
    split = (list(range(n_train)), list(range(n_train, len(usable))))
    return _folds_of(usable, [split], source=source, seed=seed, threshold=threshold,
                     tagger=tagger or Tagger(), params=params, theme_keys=theme_keys)
