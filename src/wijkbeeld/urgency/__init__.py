"""urgency: shared urgency per area × theme × round (DESIGN.md §1 steps 4-5, §6; docs/urgency.md).

Plain data in, small frozen results out; no web framework. The pipeline:

* :func:`validate_responses` / :func:`read_responses_csv`: the answers of a round, checked cell
  by cell (errors name row and column);
* :func:`measure`: per group n, mean, share urgent, r_wg and recognition; across groups the
  consensus (geometric mean of Jeffreys-smoothed shares) and the gap; small numbers withheld;
* :func:`classify`: triangulation with the figures (compare theme score) and the voices into
  *gedeelde urgentie*, *van bovenaf*, *gevoeld, niet gemeten*, *verdeeld*, *geen urgentie*;
* :func:`timeline` / :func:`timelines`: rounds and figure years per theme, with the alerts;
* :func:`picture_shifts`: per group the change of urgency after the picture (blind first);
* :func:`urgency_matrix`: themes × groups for one area and round (``.to_dict()`` for JSON),
  :func:`render_matrix` for text.

>>> UrgencyOptions().min_n
5
"""

from wijkbeeld.urgency.classes import (
    FIGURE_COLUMNS,
    VOICE_COLUMNS,
    Classification,
    FigureSignal,
    GroupSignal,
    VoiceSignal,
    classify,
    figure_scores_from_themes,
    figures_at,
    validate_figure_scores,
    validate_voices,
    voices_for,
)
from wijkbeeld.urgency.matrix import MatrixRow, UrgencyError, UrgencyMatrix, urgency_matrix
from wijkbeeld.urgency.measures import (
    GroupMeasures,
    Measures,
    RecognitionRates,
    ThemeMeasures,
    consensus_score,
    jeffreys_share,
    measure,
    recognition_rates,
    rwg,
    sample_variance,
)
from wijkbeeld.urgency.options import (
    ALERT_LABELS,
    BOTTOM_UP,
    CLASS_LABELS,
    GROUP_LABELS,
    GROUPS,
    RECOGNITION_ANSWERS,
    TRIGGER_STATUSES,
    UrgencyOptions,
)
from wijkbeeld.urgency.persistence import (
    Alert,
    FigureChange,
    FigurePoint,
    GroupChange,
    RoundPoint,
    Timeline,
    Trigger,
    order_rounds,
    timeline,
    timelines,
)
from wijkbeeld.urgency.render import render_matrix
from wijkbeeld.urgency.responses import (
    RESPONSE_COLUMNS,
    Responses,
    RoundInfo,
    read_responses_csv,
    validate_responses,
)
from wijkbeeld.urgency.shift import SHIFT_COLUMNS, PictureShift, picture_shifts

__all__ = [
    "ALERT_LABELS",
    "BOTTOM_UP",
    "CLASS_LABELS",
    "FIGURE_COLUMNS",
    "GROUPS",
    "GROUP_LABELS",
    "RECOGNITION_ANSWERS",
    "RESPONSE_COLUMNS",
    "SHIFT_COLUMNS",
    "TRIGGER_STATUSES",
    "VOICE_COLUMNS",
    "Alert",
    "Classification",
    "FigureChange",
    "FigurePoint",
    "FigureSignal",
    "GroupChange",
    "GroupMeasures",
    "GroupSignal",
    "MatrixRow",
    "Measures",
    "PictureShift",
    "RecognitionRates",
    "Responses",
    "RoundInfo",
    "RoundPoint",
    "ThemeMeasures",
    "Timeline",
    "Trigger",
    "UrgencyError",
    "UrgencyMatrix",
    "UrgencyOptions",
    "VoiceSignal",
    "classify",
    "consensus_score",
    "figure_scores_from_themes",
    "figures_at",
    "jeffreys_share",
    "measure",
    "order_rounds",
    "picture_shifts",
    "read_responses_csv",
    "recognition_rates",
    "render_matrix",
    "rwg",
    "sample_variance",
    "timeline",
    "timelines",
    "urgency_matrix",
    "validate_figure_scores",
    "validate_responses",
    "validate_voices",
    "voices_for",
]
