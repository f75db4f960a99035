"""The configurable Dutch lexicon behind theme and tone tagging.

The defaults live in ``voices/lexicons/themes.toml`` and ``voices/lexicons/tone.toml``. A
municipality edits them by writing its own TOML file in the same format and passing it to
:func:`load_lexicon`: a table ``[themes.KEY]`` extends that theme's lists (or adds a new theme),
``replace = true`` replaces them, ``remove = [...]`` drops terms; ``[tone.zorg]``,
``[tone.kracht]`` and ``[tone.negation]`` work the same way. Term lists:

``strong`` (weight 2), ``words`` (weight 1) and ``weak`` (0.5)
    whole words, compared with each word of the text, its lemma and its regular forms
    ("woning": "woningen"), and with the last part (the head) of a compound ("overlast":
    "jongerenoverlast"); an entry with a space in it is a phrase with that weight;
``parts`` (weight 1)
    word beginnings ("sollicit": "sollicitatiebrief"). Since issue 20 a part is only found at
    the start of a word, never inside one ("ziek" is not in "muziek"); compounds are found by
    their head instead (:mod:`wijkbeeld.voices.evidence`);
``phrases`` (weight 1.5)
    word sequences matched as written ("geen geld").
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_FILES",
    "PART_WEIGHT",
    "PHRASE_WEIGHT",
    "STRONG_WEIGHT",
    "THEME_KEYS",
    "WEAK_WEIGHT",
    "WORD_WEIGHT",
    "Lexicon",
    "LexiconError",
    "TermSet",
    "Theme",
    "load_lexicon",
]

#: The default theme keys (DESIGN.md §3).
THEME_KEYS: tuple[str, ...] = (
    "veiligheid", "armoede_schulden", "werk_inkomen", "gezondheid_zorg", "jeugd_onderwijs",
    "wonen", "openbare_ruimte", "sociale_samenhang", "energie_duurzaamheid",
)
DEFAULT_FILES: tuple[str, ...] = ("themes.toml", "tone.toml")
WORD_WEIGHT, WEAK_WEIGHT, PART_WEIGHT, PHRASE_WEIGHT = 1.0, 0.5, 1.0, 1.5
#: Weight of the words that name a theme's own problems ("schulden", "inbraak", "schimmel"):
#: they outweigh the setting a text mentions on the way ("flat", "school", "straat").
STRONG_WEIGHT = 2.0
_LISTS = ("strong", "words", "weak", "parts", "phrases")
_KEYS = {*_LISTS, "label", "replace", "remove", "window"}


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the table."""

    def __init__(self, file: str, where: str, message: str) -> None:
        super().__init__(f"{file}: [{where}]: {message}")
        self.file, self.where, self.message = file, where, message


@dataclass(frozen=True, slots=True)
class TermSet:
    """Terms with their weights: single words (matched on word or lemma), word parts, phrases."""

    words: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    parts: tuple[str, ...] = ()
    phrases: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def size(self) -> int:
        """Number of terms."""
        return len(self.words) + len(self.parts) + len(self.phrases)


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the lexicon: key (e.g. ``veiligheid``), label, and its terms."""

    key: str
    label: str
    terms: TermSet


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Themes and tone terms, and the files they were read from (defaults first)."""

    themes: Mapping[str, Theme]
    zorg: TermSet
    kracht: TermSet
    negations: frozenset[str]
    negation_window: int
    sources: tuple[str, ...]

    @property
    def theme_keys(self) -> tuple[str, ...]:
        """The theme keys in file order."""
        return tuple(self.themes)


# -- reading -----------------------------------------------------------------------------------
def _strings(file: str, where: str, name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(file, where, f"'{name}' must be a list of strings")
    out = [v.strip().lower() for v in value]
    if any(not v for v in out):
        raise LexiconError(file, where, f"'{name}' holds an empty term")
    return out


@dataclass
class _Draft:
    """Mutable term lists while files are merged: term -> weight."""

    label: str = ""
    words: dict[str, float] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, float] = field(default_factory=dict)

    def apply(self, file: str, where: str, table: Mapping[str, Any]) -> None:
        unknown = set(table) - _KEYS
        if unknown:
            raise LexiconError(file, where, f"unknown key(s) {', '.join(sorted(unknown))}")
        if table.get("replace", False) is True:
            self.words, self.parts, self.phrases = {}, {}, {}
        if "label" in table:
            if not isinstance(table["label"], str):
                raise LexiconError(file, where, "'label' must be a string")
            self.label = table["label"]
        for name, weight in (("strong", STRONG_WEIGHT), ("words", WORD_WEIGHT),
                             ("weak", WEAK_WEIGHT)):
            for term in _strings(file, where, name, table.get(name, [])):
                target = self.phrases if " " in term else self.words
                target[term] = max(weight, target.get(term, 0.0))
        for term in _strings(file, where, "parts", table.get("parts", [])):
            if len(term) < 3:
                raise LexiconError(file, where, f"part '{term}' is shorter than 3 letters")
            self.parts[term] = PART_WEIGHT
        for term in _strings(file, where, "phrases", table.get("phrases", [])):
            self.phrases[term] = PHRASE_WEIGHT
        for term in _strings(file, where, "remove", table.get("remove", [])):
            for lst in (self.words, self.parts, self.phrases):
                lst.pop(term, None)

    def freeze(self) -> TermSet:
        return TermSet(
            MappingProxyType(dict(self.words)),
            tuple(sorted(self.parts, key=lambda p: (-len(p), p))),
            MappingProxyType(dict(self.phrases)),
        )


def _read(source: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(source, "-", f"not valid TOML: {exc}") from exc


def _bundled_texts(names: Iterable[str]) -> list[tuple[str, str]]:
    folder = resources.files("wijkbeeld.voices") / "lexicons"
    return [(f"lexicons/{name}", (folder / name).read_text(encoding="utf-8")) for name in names]


def load_lexicon(
    overrides: Iterable[str | Path] = (),
    *,
    defaults: bool = True,
    bundled: Iterable[str] = DEFAULT_FILES,
) -> Lexicon:
    """The default lexicon, then each override file merged in order.

    ``defaults=False`` starts from nothing, so the files must define everything. ``bundled``
    names the files under ``voices/lexicons/`` that make the defaults (the frozen lexicon of
    the baseline tagger is ``themes_legacy.toml``).
    """
    texts = _bundled_texts(bundled) if defaults else []
    for path in overrides:
        p = Path(path)
        try:
            texts.append((str(p), p.read_text(encoding="utf-8")))
        except OSError as exc:
            raise LexiconError(str(p), "-", f"cannot read: {exc.strerror}") from exc
    themes: dict[str, _Draft] = {}
    tone = {"zorg": _Draft(), "kracht": _Draft(), "negation": _Draft()}
    window = 3
    for source, text in texts:
        data = _read(source, text)
        unknown = set(data) - {"themes", "tone"}
        if unknown:
            raise LexiconError(source, ", ".join(sorted(unknown)), "unknown table")
        for key, table in data.get("themes", {}).items():
            if not isinstance(table, dict):
                raise LexiconError(source, f"themes.{key}", "must be a table")
            if not key.isidentifier() or key != key.lower():
                raise LexiconError(source, f"themes.{key}", "theme key must be lower_case")
            themes.setdefault(key, _Draft(label=key)).apply(source, f"themes.{key}", table)
        for key, table in data.get("tone", {}).items():
            if key not in tone or not isinstance(table, dict):
                raise LexiconError(source, f"tone.{key}", "expected tone.zorg, tone.kracht or "
                                   "tone.negation tables")
            tone[key].apply(source, f"tone.{key}", table)
            if "window" in table:
                if not isinstance(table["window"], int) or not 1 <= table["window"] <= 10:
                    raise LexiconError(source, f"tone.{key}", "'window' must be 1..10")
                window = table["window"]
    if not themes:
        raise LexiconError(texts[-1][0] if texts else "-", "themes", "no themes defined")
    return Lexicon(
        themes=MappingProxyType(
            {k: Theme(k, d.label, d.freeze()) for k, d in themes.items() if d.freeze().size}
        ),
        zorg=tone["zorg"].freeze(),
        kracht=tone["kracht"].freeze(),
        negations=frozenset(tone["negation"].words),
        negation_window=window,
        sources=tuple(s for s, _ in texts),
    )

