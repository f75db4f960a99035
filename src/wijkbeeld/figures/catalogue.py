"""The indicator catalogue: what each imported column means.

The catalogue is bundled data (``catalogue/*.toml``): themes, and per source the indicators with
their Dutch and English names, theme, unit, polarity and base, plus every column name under which
the figure appears in the wild (renamed CSV headers, numbered OData names such as
``AantalInwoners_5``, StatLine export labels such as ``Aantal inwoners (aantal)``).

>>> cat = load_catalogue()
>>> cat.lookup("AantalInwoners_5").key
'inwoners'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "THEME_KEYS",
    "AllZeroPeriod",
    "Catalogue",
    "CatalogueError",
    "Indicator",
    "Polarity",
    "Theme",
    "Unit",
    "load_catalogue",
    "no_headline_keys",
]


class Polarity(StrEnum):
    """Which direction of an indicator is unfavourable for the area."""

    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"
    NEUTRAL = "neutral"


class Unit(StrEnum):
    """Units the validator knows how to check."""

    COUNT = "count"  # people, dwellings: never negative
    PERCENT = "percent"  # 0..100
    FRACTION = "fraction"  # 0..1 (the Den Haag series store shares)
    EUR = "eur"
    EUR_1000 = "eur_1000"
    KM = "km"
    NUMBER = "number"  # averages, scores; may be negative
    YEARS = "years"
    DENSITY = "per_km2"
    CLASS = "class"  # ordinal codes such as stedelijkheid 1..5


class AllZeroPeriod(StrEnum):
    """What the importer does with a column that is exactly 0 for every area in one period.

    ``warn`` (the default) keeps the zeros and warns: a real all-zero column can exist. ``missing``
    stores those cells as not available (status ``missing``, no value) and warns: for sources
    that write 0.0 where a figure was not available, such as the ELAN wijkprofielen.
    """

    WARN = "warn"
    MISSING = "missing"


THEME_KEYS: tuple[str, ...] = (
    "veiligheid",
    "armoede_schulden",
    "werk_inkomen",
    "gezondheid_zorg",
    "jeugd_onderwijs",
    "wonen",
    "openbare_ruimte",
    "sociale_samenhang",
    "energie_duurzaamheid",
)


class CatalogueError(ValueError):
    """The catalogue data itself is inconsistent (duplicate alias, unknown theme, ...)."""


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme such as ``veiligheid``, with its names in both languages."""

    key: str
    name_nl: str
    name_en: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Indicator:
    """A measured quantity. ``base`` names the indicator that is its denominator (for weighting)."""

    key: str
    name_nl: str
    name_en: str
    unit: Unit
    polarity: Polarity
    source: str
    theme: str | None = None
    base: str | None = None
    context_only: bool = False
    description: str = ""
    aliases: tuple[str, ...] = field(default=())
    #: False for figures that may be shown (in the table, in scores and signals) but never lead
    #: a page or summary, since they stigmatise an area when they do: detention history,
    #: extreme BMI, addiction (issue 19). Origin and ethnicity are context only anyway.
    headline: bool = True

    def variant(self, suffix: str, label: str) -> Indicator:
        """The same indicator for a sub-population, e.g. RIVM 65+: key ``eenzaam_65plus``."""
        return replace(
            self,
            key=f"{self.key}_{suffix}",
            name_nl=f"{self.name_nl} ({label})",
            name_en=f"{self.name_en} ({label})",
            base=f"{self.base}_{suffix}" if self.base else None,
            aliases=(),
        )


_ODATA_SUFFIX = re.compile(r"_[0-9]+$")


def _normal(column: str) -> str:
    return " ".join(column.strip().split()).casefold()


@dataclass(frozen=True)
class Catalogue:
    """Themes and indicators, with a lookup from any known column name to its indicator."""

    themes: dict[str, Theme]
    indicators: dict[str, Indicator]
    sources: dict[str, str]
    #: Per source *name* (what :attr:`Indicator.source` holds) the ``[source] all_zero_period``
    #: option; a source not listed uses :attr:`AllZeroPeriod.WARN`.
    all_zero_period: dict[str, AllZeroPeriod] = field(default_factory=dict)
    _by_alias: dict[str, str] = field(repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        for ind in self.indicators.values():
            for name in (ind.key, *ind.aliases):
                known = self._by_alias.get(_normal(name))
                if known is not None and known != ind.key:
                    raise CatalogueError(
                        f"column name {name!r} maps to both {known!r} and {ind.key!r}"
                    )
                self._by_alias[_normal(name)] = ind.key
            if ind.theme is not None and ind.theme not in self.themes:
                raise CatalogueError(f"indicator {ind.key!r} has unknown theme {ind.theme!r}")
        for ind in self.indicators.values():
            if ind.base is not None and ind.base not in self.indicators:
                raise CatalogueError(f"indicator {ind.key!r} has unknown base {ind.base!r}")

    def lookup(self, column: str) -> Indicator | None:
        """The indicator a column holds, matched on key or alias (case and spacing ignored)."""
        key = self._by_alias.get(_normal(column))
        if key is None:
            # OData numbers its columns per table and year (AantalInwoners_5, _6, ...); the
            # catalogue lists the stem so every year's table maps to the same indicator.
            stem = _ODATA_SUFFIX.sub("", column.strip())
            if stem != column.strip():
                key = self._by_alias.get(_normal(stem))
        return None if key is None else self.indicators[key]

    def zero_policy(self, indicator: Indicator) -> AllZeroPeriod:
        """What to do with an all-zero period of ``indicator``'s column (its source's option)."""
        return self.all_zero_period.get(indicator.source, AllZeroPeriod.WARN)

    def __getitem__(self, key: str) -> Indicator:
        return self.indicators[key]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def with_indicators(self, extra: Iterable[Indicator]) -> Catalogue:
        """A catalogue extended with more indicators (from a user mapping file, say)."""
        merged = dict(self.indicators)
        for ind in extra:
            merged[ind.key] = ind
        return Catalogue(themes=self.themes, indicators=merged, sources=dict(self.sources),
                         all_zero_period=dict(self.all_zero_period))


def _parse_indicator(raw: dict[str, object], source: str, where: str) -> Indicator:
    try:
        aliases = raw.get("aliases", [])
        assert isinstance(aliases, list)
        theme = raw.get("theme") or None
        base = raw.get("base") or None
        return Indicator(
            key=str(raw["key"]),
            name_nl=str(raw["name_nl"]),
            name_en=str(raw.get("name_en", raw["name_nl"])),
            unit=Unit(str(raw["unit"])),
            polarity=Polarity(str(raw.get("polarity", "neutral"))),
            source=str(raw.get("source", source)),
            theme=None if theme is None else str(theme),
            base=None if base is None else str(base),
            context_only=bool(raw.get("context_only", False)),
            headline=bool(raw.get("headline", True)),
            description=str(raw.get("description", "")),
            aliases=tuple(str(a) for a in aliases),
        )
    except (KeyError, ValueError, AssertionError) as exc:
        raise CatalogueError(f"{where}: bad indicator {raw.get('key')!r}: {exc}") from exc


def load_catalogue(extra_files: Iterable[Path] = ()) -> Catalogue:
    """Load the bundled catalogue, plus any extra TOML files in the same format."""
    files: list[tuple[str, bytes]] = []
    folder = resources.files("wijkbeeld.figures").joinpath("catalogue")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            files.append((entry.name, entry.read_bytes()))
    for path in extra_files:
        files.append((str(path), Path(path).read_bytes()))

    themes: dict[str, Theme] = {}
    indicators: dict[str, Indicator] = {}
    sources: dict[str, str] = {}
    all_zero: dict[str, AllZeroPeriod] = {}
    for name, data in files:
        doc = tomllib.loads(data.decode("utf-8"))
        for t in doc.get("theme", []):
            themes[t["key"]] = Theme(t["key"], t["name_nl"], t["name_en"], t.get("description", ""))
        src = doc.get("source", {})
        source_name = str(src.get("name", ""))
        if src.get("key"):
            sources[str(src["key"])] = source_name
        if "all_zero_period" in src:
            try:
                all_zero[source_name] = AllZeroPeriod(str(src["all_zero_period"]))
            except ValueError as exc:
                choices = ", ".join(repr(p.value) for p in AllZeroPeriod)
                raise CatalogueError(
                    f"{name}: [source] all_zero_period {src['all_zero_period']!r} is not one "
                    f"of {choices}"
                ) from exc
        for raw in doc.get("indicator", []):
            ind = _parse_indicator(raw, source_name, name)
            if ind.key in indicators:
                raise CatalogueError(f"{name}: indicator {ind.key!r} defined twice")
            indicators[ind.key] = ind
    return Catalogue(themes=themes, indicators=indicators, sources=sources,
                     all_zero_period=all_zero)


@cache
def no_headline_keys() -> frozenset[str]:
    """Keys of the bundled indicators that may never lead a page or summary
    (:attr:`Indicator.headline` False). Figures read back from a database carry no flag, so the
    places that choose headlines ask the bundled catalogue by key."""
    return frozenset(k for k, i in load_catalogue().indicators.items() if not i.headline)
