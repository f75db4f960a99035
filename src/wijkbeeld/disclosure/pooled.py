"""Pooled figures: one figure over several members (areas, municipalities), published only when
no member can be recovered from it.

A pooled share over members A, B and C, with A's own share known to A (or shown elsewhere),
gives B + C; with only A and B it gives B exactly. So a pooled figure is published only when

* it has at least ``min_pool_members`` members (default 3), counting members with records;
* every member has at least ``threshold`` records (a small member is withheld on its own page,
  and the pool minus the other members' shown figures would give it back);
* removing any one member still leaves the others at least ``threshold`` records (implied by
  the two rules above for the defaults; kept explicit for other settings).

Otherwise the whole pooled figure is withheld, its count included.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from wijkbeeld.disclosure.options import DisclosureOptions

__all__ = ["PoolCheck", "check_pool"]


@dataclass(frozen=True, slots=True)
class PoolCheck:
    """Whether a pooled figure may be published: ``members`` with records, the ``total``
    (``None`` when withheld) and, when withheld, why (Dutch, for the page)."""

    published: bool
    members: int
    total: int | None
    reason: str
    options: DisclosureOptions

    def value[T](self, value: T) -> T | None:
        """``value`` (the pooled figure) when published, else ``None``."""
        return value if self.published else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; a withheld pool has no total."""
        return {"published": self.published, "members": self.members if self.published else None,
                "total": self.total, "reason": self.reason}


def check_pool[M: Hashable](
    members: Mapping[M, int], options: DisclosureOptions | None = None,
) -> PoolCheck:
    """Check a pool of ``members`` (member -> records) under the rule (module docstring);
    members with 0 records are not members."""
    options = options or DisclosureOptions()
    counts = {m: n for m, n in members.items() if n > 0}
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in members.values()):
        raise ValueError("member counts must be non-negative integers")
    total = sum(counts.values())
    reason = ""
    if len(counts) < options.min_pool_members:
        reason = f"minder dan {options.min_pool_members} deelnemers: niet getoond"
    elif any(n < options.threshold for n in counts.values()):
        reason = f"een deelnemer heeft minder dan {options.threshold} antwoorden: niet getoond"
    elif any(total - n < options.threshold for n in counts.values()):
        reason = "zonder één deelnemer te weinig antwoorden: niet getoond"
    published = not reason
    return PoolCheck(published, len(counts), total if published else None, reason, options)
