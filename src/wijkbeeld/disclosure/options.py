"""The parameters of the disclosure rule, in one small frozen object.

DESIGN.md §6 "Privacy": no aggregate of voices or ratings for fewer than ``threshold``
respondents, anywhere. The same object carries the two rules that stop differencing that are
not about one cell: the minimum number of members of a pooled figure, and the step in which the
results of a round that is still open may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_THRESHOLD", "DisclosureOptions"]

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class DisclosureOptions:
    """``threshold``: the least number of records behind a published figure (default 5);
    ``min_pool_members``: the least number of members of a pooled figure (default 3), so that
    the pool minus one's own part never gives one other member; ``open_round_step``: answers of
    a round that is still open count in steps of this size (default 5), so a refresh after one
    new answer shows nothing new; ``zero_is_safe``: a count of 0 may be shown (default False:
    "fewer than 5" includes 0)."""

    threshold: int = DEFAULT_THRESHOLD
    min_pool_members: int = 3
    open_round_step: int = 5
    zero_is_safe: bool = False

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.min_pool_members < 1:
            raise ValueError("min_pool_members must be at least 1")
        if self.open_round_step < 1:
            raise ValueError("open_round_step must be at least 1")

    def allows(self, count: int) -> bool:
        """True when a count of ``count`` records may be shown on its own."""
        if count < 0:
            raise ValueError(f"negative count {count}")
        return count >= self.threshold or (count == 0 and self.zero_is_safe)

    @property
    def marker(self) -> str:
        """How every withheld figure is shown: ``<5``, never with its count."""
        return f"<{self.threshold}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters (the rule travels with every result that used it)."""
        return {"threshold": self.threshold, "min_pool_members": self.min_pool_members,
                "open_round_step": self.open_round_step, "zero_is_safe": self.zero_is_safe}
