"""compare: how an area stands against its reference set (DESIGN.md §6, docs/compare.md).

Reference sets (same level in the municipality, all of NL, the parent, peers), base-weighted
reference values, z-scores (classic and robust), percentiles, index, PBL bands, reliability and
empirical-Bayes shrinkage; theme scores with coverage, flags, strengths and ranking stability;
peers; trends through crosswalks. Plain pandas/numpy, no web framework.

>>> from wijkbeeld.compare import CompareOptions
>>> CompareOptions().band_edges
(0.5, 1.5)
"""

from wijkbeeld.compare.comparison import RESULT_COLUMNS, Comparison, compare_all
from wijkbeeld.compare.frame import FIGURES_COLUMNS, Figures, FiguresError
from wijkbeeld.compare.options import CompareOptions
from wijkbeeld.compare.peers import Peers, PeerSet, find_peers
from wijkbeeld.compare.periods import compare_by_period
from wijkbeeld.compare.profile import (
    Highlight,
    IndicatorResult,
    Profile,
    ProfileError,
    ThemeResult,
    profile,
)
from wijkbeeld.compare.render import profile_text
from wijkbeeld.compare.shrinkage import shrink_rates
from wijkbeeld.compare.standardise import BAND_LABELS, RELIABILITY_LABELS, neutral_band
from wijkbeeld.compare.standing import ThemeStanding, theme_standing
from wijkbeeld.compare.themes import strengths_and_challenges, theme_scores
from wijkbeeld.compare.trends import Crosswalk, Trend, TrendPoint, trends

__all__ = [
    "BAND_LABELS",
    "FIGURES_COLUMNS",
    "RELIABILITY_LABELS",
    "RESULT_COLUMNS",
    "CompareOptions",
    "Comparison",
    "Crosswalk",
    "Figures",
    "FiguresError",
    "Highlight",
    "IndicatorResult",
    "PeerSet",
    "Peers",
    "Profile",
    "ProfileError",
    "ThemeResult",
    "ThemeStanding",
    "Trend",
    "TrendPoint",
    "compare_all",
    "compare_by_period",
    "find_peers",
    "neutral_band",
    "profile",
    "profile_text",
    "shrink_rates",
    "strengths_and_challenges",
    "theme_scores",
    "theme_standing",
    "trends",
]
