"""The theme model of a municipality: train it from the stored corrections (and an optional
labelled export), store it, and use it when voices are tagged (issue 20).

One model per municipality: :func:`corrections_for` reads only the voices about areas of that
municipality (never national voices), :func:`train_municipality` stores the model under that
municipality's code, and :func:`model_for` only ever returns a model stored for the code asked.
An exported text is scrubbed before the model learns from it: the model's vocabulary holds
fragments of its texts. The stored bytes carry an HMAC with the site's secret key; bytes that do
not match are not loaded (pickle runs code on load).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.crypto import salted_hmac

from wijkbeeld.voices.evaluation_tags import LabelledText
from wijkbeeld.voices.learning import (
    CombinedTheme,
    TrainedModel,
    combine,
    dumps,
    loads,
    train,
)
from wijkbeeld.voices.lexicon import THEME_KEYS
from wijkbeeld.voices.municipal_labels import read_category_mapping, read_municipal_export
from wijkbeeld.voices.scrub import Scrubber
from wijkbeeld.voices.tagging import TagResult
from wijkbeeld.web.voices.models import ThemeCorrection, ThemeModel

__all__ = [
    "TrainingRun",
    "corrections_for",
    "model_for",
    "suggest_themes",
    "train_municipality",
]

_log = logging.getLogger(__name__)
_SALT = "wijkbeeld.voices.theme-model"
_CODE = re.compile(r"^GM\d{4}$")
#: Models loaded from the store, by (municipality, version).
_LOADED: dict[tuple[str, str], TrainedModel] = {}


@dataclass(frozen=True, slots=True)
class TrainingRun:
    """A stored model and what it learned from."""

    municipality: str
    version: str
    n_labels: int
    n_corrections: int
    n_imported: int
    classes: tuple[str, ...]
    calibrated: bool
    stored_id: int


def _signature(data: bytes) -> str:
    return salted_hmac(_SALT, data, algorithm="sha256").hexdigest()


def _check_code(municipality: str) -> str:
    code = municipality.strip().upper()
    if not _CODE.match(code):
        raise ValueError(f"onbekende gemeentecode {municipality!r} (verwacht GM en 4 cijfers)")
    return code


def corrections_for(municipality: str, using: str = "default") -> list[LabelledText]:
    """The latest correction of every voice about an area of ``municipality``, as labels
    (the voice's current, scrubbed text; a correction to no theme is left out)."""
    code = _check_code(municipality)
    rows = (ThemeCorrection.objects.using(using)
            .filter(voice__area__municipality=code)
            .select_related("voice")
            .order_by("voice_id", "-created_at", "-id"))
    labels: list[LabelledText] = []
    seen: set[int] = set()
    for row in rows:
        if row.voice_id in seen:
            continue
        seen.add(row.voice_id)
        themes = tuple(t for t in row.themes if t in THEME_KEYS)
        if themes:
            labels.append(LabelledText(f"voice:{row.voice_id}", row.voice.text, themes))
    return labels


def _exported(labels_file: Path, mapping_file: Path) -> list[LabelledText]:
    """The export's texts, scrubbed, with their mapped themes."""
    texts = read_municipal_export(labels_file, read_category_mapping(mapping_file))
    scrubber = Scrubber()
    return [LabelledText(t.id, scrubber.scrub(t.text).text, t.themes) for t in texts]


def train_municipality(municipality: str, *, labels_file: Path | None = None,
                       mapping_file: Path | None = None, who: Any = None, seed: int = 0,
                       using: str = "default") -> TrainingRun:
    """Train and store the model of ``municipality`` from its corrections (and an export).

    Raises :class:`~wijkbeeld.voices.learning.NotEnoughLabels` when there is too little to learn
    from and :class:`~wijkbeeld.voices.evaluation_tags.LabelledSetError` for a bad export; no
    model is stored then.
    """
    code = _check_code(municipality)
    if (labels_file is None) != (mapping_file is None):
        raise ValueError("geef --labels en --mapping samen")
    corrected = corrections_for(code, using)
    imported = _exported(labels_file, mapping_file) if labels_file and mapping_file else []
    model = train([*corrected, *imported], seed=seed)
    data = dumps(model)
    row = ThemeModel.objects.using(using).create(
        municipality=code, version=model.version, data=data, signature=_signature(data),
        n_labels=model.n_labels, n_corrections=len(corrected), n_imported=len(imported),
        classes=list(model.classes), params={k: (list(v) if isinstance(v, tuple) else v)
                                             for k, v in model.params.items()},
        trained_by=who if getattr(who, "pk", None) else None)
    _LOADED[(code, model.version)] = model
    return TrainingRun(code, model.version, model.n_labels, len(corrected), len(imported),
                       model.classes, model.calibrated, row.pk)


def model_for(municipality: str, using: str = "default") -> TrainedModel | None:
    """The newest model stored for ``municipality`` (None: none, or its bytes do not match
    their signature). Never a model of another municipality."""
    if not municipality or not _CODE.match(municipality):
        return None
    newest = (ThemeModel.objects.using(using).filter(municipality=municipality)
              .order_by("-created_at", "-id").values_list("version", flat=True).first())
    if newest is None:
        return None
    key = (municipality, newest)
    if key not in _LOADED:
        row = (ThemeModel.objects.using(using)
               .filter(municipality=municipality, version=newest)
               .order_by("-created_at", "-id").first())
        if row is None:
            return None
        data = bytes(row.data)
        if not hmac.compare_digest(_signature(data), row.signature):
            _log.warning("theme model %s of %s: signature does not match; not used",
                         newest, municipality)
            return None
        _LOADED[key] = loads(data)
    return _LOADED[key]


def suggest_themes(municipality: str, text: str, lexicon: TagResult,
                   using: str = "default") -> Sequence[CombinedTheme]:
    """The themes to store for a (scrubbed) text of ``municipality``: the lexicon's, overridden
    where the municipality's own model is confident."""
    model = model_for(municipality, using)
    if model is None:
        return combine(lexicon, None)
    return combine(lexicon, model.predict(text), model_version=model.version)
