"""One options object for every comparison choice (reference set, spread, bands, themes, peers).

Like GeoPandas' single options object: one frozen value that travels with every result, so a
number can always be traced back to the choices that produced it (``Profile.options``,
``Comparison.options``). Defaults follow DESIGN.md §6 and ``docs/compare.md``.

>>> CompareOptions().reference
'municipality'
>>> CompareOptions(reference="nl", ddof=1).to_dict()["ddof"]
1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "DEFAULT_PEER_INDICATORS",
    "REFERENCE_KINDS",
    "CompareOptions",
    "ReferenceKind",
]

ReferenceKind = Literal["municipality", "nl", "parent", "peers"]
REFERENCE_KINDS: tuple[str, ...] = ("municipality", "nl", "parent", "peers")

#: Context indicators that describe what kind of place an area is (not how it is doing): density,
#: household size, age structure and tenure. Keys absent from the data are skipped and reported.
DEFAULT_PEER_INDICATORS: tuple[str, ...] = (
    "bevolkingsdichtheid",
    "huishoudensgrootte",
    "leeftijd_0_15",
    "leeftijd_15_25",
    "leeftijd_25_45",
    "leeftijd_45_65",
    "leeftijd_65_plus",
    "koopwoningen_pct",
)


@dataclass(frozen=True)
class CompareOptions:
    """Every choice the comparison makes, with the documented defaults.

    Reference set
        ``reference``: ``municipality`` (areas of the same level in the same municipality),
        ``nl`` (all areas of that level present), ``parent`` (the parent area's own published
        value, with the spread of its children) or ``peers`` (the ``peer_k`` most similar areas).
        ``weighted``: the reference value is the base-weighted mean where the indicator has a
        base (the real city percentage); otherwise the plain mean.
        ``ddof``: 0 = population SD (divide by n), 1 = sample SD (divide by n - 1).
    Reliability and shrinkage
        ``min_base``: an area whose base (e.g. inwoners) is below this is flagged; for a rate it
        is shrunk toward the reference (empirical Bayes) when ``shrink`` is on.
        ``counts_as_shares``: a count with a base (inwoners 0-15 of inwoners) is compared as a
        percentage of its base.
    Bands and flags
        ``band_edges``: |z| below the first edge is "rond het gemiddelde"; up to the second
        "(on)gunstiger"; beyond it "veel (on)gunstiger".
        ``flag_percentile``: an indicator at or beyond this unfavourable percentile is flagged
        in its theme (the SVI 90th-percentile rule). ``strength_z``: a polarity-signed z at or
        above this is a strength, at or below minus this a challenge.
    Themes
        ``theme_z``: ``classic`` or ``robust`` z in theme scores. ``weights``: indicator key →
        weight (default 1). ``min_theme_coverage``: below this share of available indicators
        the theme score is withheld (coverage is always shown). ``stability_draws``,
        ``stability_spread`` and ``seed``: Monte Carlo weight perturbation, each weight times a
        uniform factor in [1 - spread, 1 + spread].
    Peers
        ``peer_k``, ``peer_indicators`` (context indicators), ``peer_scope``
        (``nl`` or ``municipality``: where peers may come from).
    """

    reference: ReferenceKind = "municipality"
    weighted: bool = True
    ddof: int = 0
    min_base: float = 100.0
    shrink: bool = True
    counts_as_shares: bool = True
    band_edges: tuple[float, float] = (0.5, 1.5)
    flag_percentile: float = 0.9
    strength_z: float = 1.0
    theme_z: Literal["classic", "robust"] = "classic"
    weights: Mapping[str, float] = field(default_factory=dict)
    min_theme_coverage: float = 0.5
    stability_draws: int = 200
    stability_spread: float = 0.5
    seed: int = 20240501
    peer_k: int = 10
    peer_indicators: tuple[str, ...] = DEFAULT_PEER_INDICATORS
    peer_scope: Literal["nl", "municipality"] = "nl"

    def __post_init__(self) -> None:
        if self.reference not in REFERENCE_KINDS:
            raise ValueError(f"reference must be one of {REFERENCE_KINDS}, not {self.reference!r}")
        if self.ddof not in (0, 1):
            raise ValueError("ddof must be 0 (population SD) or 1 (sample SD)")
        low, high = self.band_edges
        if not 0 < low < high:
            raise ValueError("band_edges must be two increasing positive numbers")
        if not 0.5 <= self.flag_percentile <= 1:
            raise ValueError("flag_percentile must lie between 0.5 and 1")
        if self.theme_z not in ("classic", "robust"):
            raise ValueError("theme_z must be 'classic' or 'robust'")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("indicator weights must not be negative")
        if not 0 <= self.min_theme_coverage <= 1:
            raise ValueError("min_theme_coverage must lie between 0 and 1")
        if self.stability_draws < 0 or not 0 <= self.stability_spread < 1:
            raise ValueError("stability_draws >= 0 and 0 <= stability_spread < 1")
        if self.peer_k < 1:
            raise ValueError("peer_k must be at least 1")
        if self.peer_scope not in ("nl", "municipality"):
            raise ValueError("peer_scope must be 'nl' or 'municipality'")
        # Freeze the weights: a read-only copy, so the options cannot change after use.
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        object.__setattr__(self, "peer_indicators", tuple(self.peer_indicators))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # The frozen weights are a mapping proxy, which pickle refuses: rebuild from plain data.
        return (_from_fields, (self.to_dict(),))

    def weight(self, indicator: str) -> float:
        """The theme weight of an indicator (1.0 unless configured)."""
        return float(self.weights.get(indicator, 1.0))

    def to_dict(self) -> dict[str, Any]:
        """The options as plain JSON-ready data (kept in every exported result)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


def _from_fields(values: dict[str, Any]) -> CompareOptions:
    kept = {f.name for f in fields(CompareOptions)}
    plain: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                             for k, v in values.items() if k in kept}
    return CompareOptions(**plain)
