"""``compare_all``: every area × indicator × period compared at once, as tidy frames.

This is the vectorised core: reference groups, statistics, z-scores, percentiles, bands,
reliability, shrinkage, theme scores and strengths for all areas in a few array passes, so a
national set (15,000 areas × 40 indicators) takes seconds. A profile of one area is a slice of
it (:func:`wijkbeeld.compare.profile.profile`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from wijkbeeld.compare.frame import Figures
from wijkbeeld.compare.measures import prepare
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.compare.peers import Peers, find_peers
from wijkbeeld.compare.reference import group_membership, peer_membership
from wijkbeeld.compare.standardise import standardise
from wijkbeeld.compare.themes import strengths_and_challenges, theme_scores

__all__ = ["RESULT_COLUMNS", "Comparison", "compare_all"]

#: The main columns of :attr:`Comparison.results` (more are kept; see docs/compare.md).
RESULT_COLUMNS: tuple[str, ...] = (
    "area_code", "area_name", "level", "municipality", "parent_code", "indicator",
    "source_column", "source", "period", "theme", "polarity", "context_only", "unit", "measure",
    "raw_value", "base", "base_value", "value", "value_shrunk", "value_compared",
    "reference_kind", "reference_group", "reference_source", "ref_n", "ref_n_weighted",
    "ref_mean", "ref_sd", "ref_median", "ref_mad", "reference_value", "difference", "z",
    "robust_z", "percentile", "index", "signed_z", "unfavourable_percentile", "band",
    "band_label", "reliability", "reliability_reason",
)


@dataclass(frozen=True)
class Comparison:
    """The comparison of every area with its reference set, and the inputs that produced it.

    ``results``: one row per (area, indicator, period) (:data:`RESULT_COLUMNS` and more);
    ``themes``: one row per (period, area, theme) (``slice`` holds the period); ``highlights``:
    strengths and challenges per (period, area); ``peers``: the peer sets when the reference
    kind is ``peers``. ``options`` and ``figures`` are the inputs, kept for traceability.
    """

    figures: Figures
    options: CompareOptions
    results: pd.DataFrame = field(repr=False)
    themes: pd.DataFrame = field(repr=False)
    highlights: pd.DataFrame = field(repr=False)
    peers: Peers | None = field(default=None, repr=False)

    def area_results(self, area: str) -> pd.DataFrame:
        """The result rows of one area (all indicators and periods)."""
        return self.results[self.results["area_code"] == area.strip().upper()]


def compare_all(
    figures: Figures, options: CompareOptions | None = None, *, themes: bool = True
) -> Comparison:
    """Compare every area with its reference set (see :class:`CompareOptions`).

    With ``themes=False`` theme scores and strengths are skipped (for a quick table of z-scores).
    """
    options = options or CompareOptions()
    prepared = prepare(figures, options)
    peers: Peers | None = None
    if options.reference == "peers":
        peers = find_peers(prepared, options)
        membership = peer_membership(prepared, peers.table[["area_code", "period", "peer_code"]])
    else:
        membership = group_membership(prepared, options.reference)
    results, _ = standardise(prepared, membership, options)
    results["slice"] = results["period"]
    if themes:
        theme_frame = theme_scores(results, options)
        highlights = strengths_and_challenges(results, options)
    else:
        theme_frame = pd.DataFrame()
        highlights = pd.DataFrame()
    return Comparison(
        figures=figures, options=options, results=results, themes=theme_frame,
        highlights=highlights, peers=peers,
    )
