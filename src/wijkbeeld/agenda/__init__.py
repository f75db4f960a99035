"""agenda: from a shared picture to a neighbourhood agenda, followed for years (issue 11,
DESIGN.md §1 step 5, ``docs/agenda.md``).

Plain data in, small frozen results out; no web framework (the stored agendas, parties and
actions live in ``wijkbeeld.web.agenda``):

* :func:`progress`: an agenda item's indicator or round-question :class:`Target` (baseline and
  target) against later :class:`Measurement` s;
* :func:`coverage`: which stakeholder groups and party types took part in which round;
* :func:`stall_alert`: indicators stall while round urgency fades → the persistence alert
  ``urgentie_neemt_af`` of :mod:`wijkbeeld.urgency.persistence`;
* :func:`compare_network`: theme scores, urgency classes and progress across municipalities,
  under the small-number rule.

>>> PARTY_TYPES[0]
'corporatie'
"""

from wijkbeeld.agenda.coverage import (
    PARTY_TYPE_LABELS,
    PARTY_TYPES,
    GroupCoverage,
    RoundCoverage,
    RoundParticipation,
    coverage,
    round_coverage,
)
from wijkbeeld.agenda.network import AreaEntry, NetworkCell, NetworkComparison, compare_network
from wijkbeeld.agenda.progress import (
    PROGRESS_LABELS,
    PROGRESS_STATUSES,
    ROUND_METRICS,
    STALLED,
    TARGET_KINDS,
    Measurement,
    Progress,
    Target,
    progress,
)
from wijkbeeld.agenda.stall import faded_groups, stall_alert, stalled_indicators

__all__ = [
    "PARTY_TYPES",
    "PARTY_TYPE_LABELS",
    "PROGRESS_LABELS",
    "PROGRESS_STATUSES",
    "ROUND_METRICS",
    "STALLED",
    "TARGET_KINDS",
    "AreaEntry",
    "GroupCoverage",
    "Measurement",
    "NetworkCell",
    "NetworkComparison",
    "Progress",
    "RoundCoverage",
    "RoundParticipation",
    "Target",
    "compare_network",
    "coverage",
    "faded_groups",
    "progress",
    "round_coverage",
    "stall_alert",
    "stalled_indicators",
]
