"""Results of a round that is still open change only in steps.

If a page shows the share urgent over every answer so far, two refreshes around one new answer
give that answer away (3 of 6 urgent, then 4 of 7: the new one said urgent). While a round is
open, its results are computed over the first ``open_round_step × ⌊n / step⌋`` answers in the
order they came in, so they change only after each ``step`` new answers, and then by at least
``step`` answers at once. A closed round counts every answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkbeeld.disclosure.options import DisclosureOptions

__all__ = ["open_round_count", "stepped"]


def open_round_count(n: int, options: DisclosureOptions | None = None) -> int:
    """How many of ``n`` answers an open round counts: ``n`` rounded down to the step."""
    if n < 0:
        raise ValueError(f"negative count {n}")
    step = (options or DisclosureOptions()).open_round_step
    return n - n % step


def stepped[T](answers: Sequence[T], *, is_open: bool,
               options: DisclosureOptions | None = None) -> Sequence[T]:
    """The answers a round counts: all when closed; when open, the first ones in arrival
    order (``answers`` must be in that order), rounded down to the step."""
    if not is_open:
        return answers
    return answers[: open_round_count(len(answers), options)]
