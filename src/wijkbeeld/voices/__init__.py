"""voices: soft data from residents and professionals, made safe and tagged (vertellen).

* :mod:`~wijkbeeld.voices.scrub`: personal data out, typed placeholders in (``[NAAM]``, ...);
  the detectors live in :mod:`wijkbeeld.voices.detectors`.
* :mod:`~wijkbeeld.voices.tagging` with :mod:`~wijkbeeld.voices.lexicon`: theme suggestions
  with a confidence, and tone (zorg / kracht / neutraal), from an editable Dutch lexicon;
  :mod:`~wijkbeeld.voices.evidence` finds its terms (word boundaries, lemmas, compounds).
* :mod:`~wijkbeeld.voices.evaluation_tags`: how well tagging does on a labelled set, against
  the majority class and the tagger before issue 20 (:mod:`~wijkbeeld.voices.legacy_tagging`).
* :mod:`~wijkbeeld.voices.learning`: a theme model per municipality, learned from labelled texts
  (analysts' corrections, a municipality's export read by
  :mod:`~wijkbeeld.voices.municipal_labels`), combined with the lexicon where it is confident.
* :mod:`~wijkbeeld.voices.quotes`: a few representative, diverse quotes per area and theme.
* :mod:`~wijkbeeld.voices.smalln`: the small-number rule for every count of voices.
* :mod:`~wijkbeeld.voices.limits`: the longest text accepted (:data:`MAX_TEXT_CHARS`) and the
  pieces a long text is scrubbed in, so that scrubbing and tagging stay linear in time.

Plain Python, no Django: the web layer stores voices and calls these functions.
"""

from __future__ import annotations

from wijkbeeld.voices.kinds import Kind, Span
from wijkbeeld.voices.lexicon import THEME_KEYS, Lexicon, LexiconError, load_lexicon
from wijkbeeld.voices.limits import MAX_TEXT_CHARS, too_long_message
from wijkbeeld.voices.quotes import Quote, QuoteSelection, VoiceText, select_quotes
from wijkbeeld.voices.scrub import Scrubber, ScrubResult, default_scrubber, scrub, total_counts
from wijkbeeld.voices.smalln import (
    DEFAULT_MINIMUM,
    CountGrid,
    CountTable,
    SmallNumberRule,
    withhold_family,
    withhold_grid,
    withhold_small,
)
from wijkbeeld.voices.tagging import Tagger, TagResult, ThemeSuggestion, Tone, tag

__all__ = [
    "DEFAULT_MINIMUM",
    "MAX_TEXT_CHARS",
    "THEME_KEYS",
    "CountGrid",
    "CountTable",
    "Kind",
    "Lexicon",
    "LexiconError",
    "Quote",
    "QuoteSelection",
    "ScrubResult",
    "Scrubber",
    "SmallNumberRule",
    "Span",
    "TagResult",
    "Tagger",
    "ThemeSuggestion",
    "Tone",
    "VoiceText",
    "default_scrubber",
    "load_lexicon",
    "scrub",
    "select_quotes",
    "tag",
    "too_long_message",
    "total_counts",
    "withhold_family",
    "withhold_grid",
    "withhold_small",
]
