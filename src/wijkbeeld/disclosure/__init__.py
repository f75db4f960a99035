"""Disclosure control: the one rule every shown aggregate of voices and ratings goes through.

DESIGN.md §6 "Privacy"; the rule and its limits are in docs/security.md ("Kleine aantallen en
afleiden door aftrekken"). This package imports no other wijkbeeld package, so urgency, voices,
agenda and exports can all use it.

* :class:`DisclosureOptions`: threshold (5), minimum pool members (3), open-round step (5);
* :func:`protect` with :class:`Margin`, :func:`grid_margins` and :func:`hierarchy_margin`:
  primary and complementary suppression of counts published with their totals (a table with
  margins, parent vs children), returning :class:`Protected`;
* :func:`check_pool`: whether a pooled figure may be published (:class:`PoolCheck`);
* :func:`open_round_count` / :func:`stepped`: results of an open round change only in steps.
"""

from wijkbeeld.disclosure.options import DEFAULT_THRESHOLD, DisclosureOptions
from wijkbeeld.disclosure.pooled import PoolCheck, check_pool
from wijkbeeld.disclosure.rounds import open_round_count, stepped
from wijkbeeld.disclosure.tables import (
    ALL,
    Margin,
    Protected,
    Reason,
    grid_margins,
    hierarchy_margin,
    protect,
)

__all__ = [
    "ALL",
    "DEFAULT_THRESHOLD",
    "DisclosureOptions",
    "Margin",
    "PoolCheck",
    "Protected",
    "Reason",
    "check_pool",
    "grid_margins",
    "hierarchy_margin",
    "open_round_count",
    "protect",
    "stepped",
]
