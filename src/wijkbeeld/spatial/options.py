"""One frozen options object for every choice the spatial package makes.

Every result (:class:`~wijkbeeld.spatial.hotspots.HotspotResult`,
:class:`~wijkbeeld.spatial.graph.AreaGraph`, :class:`~wijkbeeld.spatial.classify.Classification`)
keeps the options that produced it, so a map or a hotspot can always be traced back to its seed,
number of permutations, graph policy and significance rule. Defaults follow DESIGN.md §6.

Defaults and why
    ``permutations`` 999 and ``seed`` 12345: the PySAL convention (esda's own examples use seed
    12345); 999 permutations give pseudo p-values in steps of 1/1000 with 0.001 as the smallest.
    ``alternative`` ``"two-sided"``: esda's recommended alternative for conditional randomisation
    (its legacy ``"directed"`` rule halves the p-value and is "uniformly too small", esda warns).
    ``alpha`` 0.05 with ``fdr`` off; with ``fdr`` on the cut-off comes from ``esda.fdr``
    (Benjamini-Hochberg) and an area is significant when its p is strictly below that cut-off.
    ``island_policy`` ``"attach"``: an island or a separate group of areas (a separate
    component of the Queen graph, e.g. Weesp within Amsterdam) is linked to its nearest area by
    centroid distance in RD New, so every area is tested; ``"exclude"`` keeps only the largest
    component and marks the others "niet getoetst".
    ``polarity`` ``"higher_is_worse"``: hoog-hoog is a "concentratie van opgaven". For an
    indicator where higher is better (a theme score, income) pass ``"higher_is_better"`` and
    hoog-hoog becomes "concentratie van kracht"; ``"neutral"`` speaks of high and low values.
    ``min_areas`` 10: with fewer areas left to test, permutation inference is meaningless and
    every area is "niet getoetst".
    ``n_jobs`` 1: esda's conditional randomisation is deterministic for a given seed with one
    worker; the serial path is also what the benchmark measures.

>>> SpatialOptions().to_dict()["seed"]
12345
>>> SpatialOptions(fdr=True).significance_rule
'p < FDR-grens (alpha 0,05)'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = [
    "ALTERNATIVES",
    "CLASSIFICATION_SCHEMES",
    "DEFAULT_PERMUTATIONS",
    "DEFAULT_SEED",
    "ISLAND_POLICIES",
    "POLARITIES",
    "Alternative",
    "IslandPolicy",
    "Polarity",
    "Scheme",
    "SpatialOptions",
]

Alternative = Literal["two-sided", "directed", "folded", "greater", "lesser"]
IslandPolicy = Literal["attach", "exclude"]
Polarity = Literal["higher_is_worse", "higher_is_better", "neutral"]
Scheme = Literal["quantiles", "natural_breaks", "equal_interval", "bands"]

ALTERNATIVES: tuple[str, ...] = ("two-sided", "directed", "folded", "greater", "lesser")
ISLAND_POLICIES: tuple[str, ...] = ("attach", "exclude")
POLARITIES: tuple[str, ...] = ("higher_is_worse", "higher_is_better", "neutral")
CLASSIFICATION_SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks", "equal_interval", "bands")

DEFAULT_SEED = 12345
DEFAULT_PERMUTATIONS = 999


@dataclass(frozen=True)
class SpatialOptions:
    """Every choice of the graph, the hotspot tests, the classification and the static maps.

    Graph
        ``island_policy`` (``attach`` | ``exclude``), ``strict_contiguity`` (libpysal's
        slower topological test instead of shared vertices; for boundaries that are not a clean
        coverage), ``projected_crs`` (where centroids and distances are measured: RD New).
    Hotspots
        ``permutations``, ``seed``, ``alternative``, ``alpha``, ``fdr``, ``polarity``,
        ``min_areas``, ``n_jobs``.
    Classification and maps
        ``scheme`` (``quantiles`` | ``natural_breaks`` (Fisher-Jenks, exact and
        deterministic) | ``equal_interval`` | ``bands``), ``k`` classes requested, ``dpi``,
        ``figsize`` in inches.
    """

    # graph
    island_policy: IslandPolicy = "attach"
    strict_contiguity: bool = False
    projected_crs: str = "EPSG:28992"
    # hotspots
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED
    alternative: Alternative = "two-sided"
    alpha: float = 0.05
    fdr: bool = False
    polarity: Polarity = "higher_is_worse"
    min_areas: int = 10
    n_jobs: int = 1
    # classification and maps
    scheme: Scheme = "quantiles"
    k: int = 5
    dpi: int = 150
    figsize: tuple[float, float] = (8.0, 8.0)

    def __post_init__(self) -> None:
        if self.island_policy not in ISLAND_POLICIES:
            raise ValueError(f"island_policy must be one of {ISLAND_POLICIES}")
        if self.alternative not in ALTERNATIVES:
            raise ValueError(f"alternative must be one of {ALTERNATIVES}")
        if self.polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {POLARITIES}")
        if self.scheme not in CLASSIFICATION_SCHEMES:
            raise ValueError(f"scheme must be one of {CLASSIFICATION_SCHEMES}")
        if self.permutations < 1:
            raise ValueError("permutations must be at least 1")
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must lie strictly between 0 and 1")
        if self.min_areas < 3:
            raise ValueError("min_areas must be at least 3")
        if self.k < 1:
            raise ValueError("k must be at least 1")
        if self.dpi < 10:
            raise ValueError("dpi must be at least 10")

    @property
    def significance_rule(self) -> str:
        """The rule in words, for legends and reports."""
        alpha = f"{self.alpha:g}".replace(".", ",")
        if self.fdr:
            return f"p < FDR-grens (alpha {alpha})"
        return f"p ≤ {alpha}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (tuples become lists)."""
        out = asdict(self)
        out["figsize"] = list(self.figsize)
        return out
