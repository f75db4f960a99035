"""Primary and complementary suppression of counts that are published together with totals.

A table family is a set of named counts (cells) and a set of :class:`Margin` relations
``total = sum(members)``. Totals are cells too (a wijk count is the total of its buurt counts and
a cell of the wijk's own table), so one call protects a whole family at once, and every page
that shows a part of it takes that part from the same result.

The rule (docs/security.md, "Kleine aantallen en afleiden door aftrekken"):

1. **primary**: a cell under the threshold is withheld (0 too, unless ``zero_is_safe``);
2. **complementary**: a reader works out every count that is the one unknown of a relation
   (``total − shown members``, or a total from its members), and again with what that gives,
   until nothing more follows. No withheld cell (other than a 0, which identifies nobody), and
   no unpublished remainder with 1 to threshold − 1 behind it, may be worked out that way: then
   one shown count it rests on is withheld (the smallest member first). And in every relation
   whose total is known, unknown members that include such a count must sum to at least the
   threshold (so each stays a range at least that wide): otherwise the smallest shown member is
   withheld, or the total (when ``keep`` says it matters less, or no member is left). This
   repeats until nothing is given away.

An *unpublished* cell is a remainder that is never shown but follows from a relation: a wijk
count is the sum of its buurt counts **plus** the voices attached to the wijk itself; that rest
(parent minus children) is an unpublished member of the parent's margin.

Then the exact check (:mod:`wijkbeeld.disclosure.exact`): a reader who solves every published
relation at once, in whole numbers, must still find each count to protect a range of at least the
threshold; otherwise one more shown count near it is withheld, and substitution runs again.
Substitution first keeps the choices readable (the smallest member of the relation that gives a
cell away); the exact check closes what combinations of relations leave. docs/security.md has
the rule, its cost and its limits.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wijkbeeld.disclosure.options import DisclosureOptions

__all__ = ["ALL", "Margin", "Protected", "Reason", "grid_margins", "hierarchy_margin", "protect"]

Reason = Literal["", "small", "complementary"]

#: Up to this many withheld counts and remainders, the exact check solves the system a reader
#: faces; above it, that of a reader who also knows every withheld 0 (safe, and fast).
EXACT_LIMIT = 600

#: The key part that stands for "all rows" or "all columns" in :func:`grid_margins`.
ALL = "*"


@dataclass(frozen=True, slots=True)
class Margin[K: Hashable]:
    """A published relation: the count ``total`` is the sum of the counts ``members``."""

    total: K
    members: tuple[K, ...]


@dataclass(frozen=True)
class Protected[K: Hashable]:
    """The counts of a family after the rule: ``values[key]`` is the count, or ``None`` when
    withheld (no number is kept for a withheld cell). ``reasons`` says why per withheld key
    (``small`` or ``complementary``); it is for the analyst and tests, never for a page, since
    it tells which withheld cells are the small ones. Unpublished remainders are not in it."""

    values: Mapping[K, int | None]
    reasons: Mapping[K, Reason]
    margins: tuple[Margin[K], ...]
    options: DisclosureOptions

    def value(self, key: K) -> int | None:
        """The shown count of ``key`` (``None`` when withheld)."""
        return self.values[key]

    def shown(self, key: K) -> bool:
        """True when the count of ``key`` may be published."""
        return self.values[key] is not None

    @property
    def withheld(self) -> frozenset[K]:
        """Every withheld key."""
        return frozenset(k for k, v in self.values.items() if v is None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the rule and, per key (as text), the count or ``None``; no reasons."""
        return {"options": self.options.to_dict(),
                "values": {str(k): v for k, v in self.values.items()}}


def _check(counts: Mapping[Any, int]) -> None:
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"count for {key!r} must be a non-negative integer, got {value!r}")


def protect[K: Hashable](
    counts: Mapping[K, int],
    margins: Sequence[Margin[K]] = (),
    options: DisclosureOptions | None = None,
    *,
    unpublished: Collection[K] = (),
    keep: Mapping[K, int] | None = None,
) -> Protected[K]:
    """Withhold every cell under the threshold, then enough other cells (or totals) that no
    withheld small cell can be worked out, or narrowed below the threshold, from what is shown
    (module docstring).

    ``counts`` holds every cell, totals and unpublished remainders included; ``margins`` the
    relations between them (each is checked: the members must add up to the total). ``keep``
    says how much showing a count matters (default 1 each): to widen a relation, its total is
    withheld instead of its smallest shown member when the total matters less (e.g. a grand
    total before a cell); on a tie the member goes.
    """
    options = options or DisclosureOptions()
    _check(counts)
    hidden = frozenset(unpublished)
    for m in margins:
        missing = [k for k in (m.total, *m.members) if k not in counts]
        if missing:
            raise KeyError(f"margin {m.total!r}: no count for {missing!r}")
        if counts[m.total] != sum(counts[k] for k in m.members):
            raise ValueError(f"margin {m.total!r}: members do not add up to the total")
    solver = _Solver(counts, tuple(margins), hidden, options, keep or {})
    while solver.step():
        pass
    while solver.exact_step():
        while solver.step():
            pass
    values = {k: (v if solver.shown(k) else None) for k, v in counts.items() if k not in hidden}
    kept: dict[K, Reason] = {k: r for k, r in solver.reasons.items() if r and k not in hidden}
    return Protected(values, kept, tuple(margins), options)


class _Solver[K: Hashable]:
    """The suppression loop of :func:`protect`: what a reader can work out from the shown
    counts (every relation with one unknown left gives it), and what to withhold next."""

    def __init__(self, counts: Mapping[K, int], margins: tuple[Margin[K], ...],
                 hidden: frozenset[K], options: DisclosureOptions,
                 keep: Mapping[K, int]) -> None:
        self.counts = counts
        self.keep = keep
        self.margins = margins
        self.hidden = hidden
        self.options = options
        self.order = {k: i for i, k in enumerate(counts)}
        self.reasons: dict[K, Reason] = {
            k: ("" if k in hidden or options.allows(v) else "small") for k, v in counts.items()}
        self.by_key: dict[K, list[int]] = {}
        self.wide: set[K] = set()  # small keys the exact check found wide enough
        for i, m in enumerate(margins):
            for k in (m.total, *m.members):
                self.by_key.setdefault(k, []).append(i)

    def shown(self, key: K) -> bool:
        return key not in self.hidden and not self.reasons[key]

    def sensitive(self, key: K) -> bool:
        """A withheld cell (small, or withheld to hide one), or an unpublished remainder with
        somebody (but too few) behind it: what must stay a range at least the threshold wide.
        A count of 0 identifies nobody: withheld as "<5" (unless ``zero_is_safe``) but not
        protected against being worked out (else one group's 6 voices and the others' zeros
        would hide every sparse table)."""
        if self.counts[key] == 0:
            return False
        if key in self.hidden:
            return self.counts[key] < self.options.threshold
        return bool(self.reasons[key])

    def derive(self) -> dict[K, int]:
        """Unshown key -> index of the relation that gives it away (one unknown left)."""
        derived: dict[K, int] = {}
        known = {k for k in self.counts if self.shown(k)}
        queue = list(range(len(self.margins)))
        while queue:
            i = queue.pop()
            m = self.margins[i]
            unknown = [k for k in (m.total, *m.members) if k not in known]
            if len(unknown) == 1:
                key = unknown[0]
                known.add(key)
                derived[key] = i
                queue.extend(self.by_key[key])
        return derived

    def withhold(self, key: K) -> None:
        self.reasons[key] = "complementary"

    def smallest_shown(self, keys: Sequence[K]) -> K | None:
        """The shown key that matters least (``keep``), the smallest count first."""
        visible = [k for k in keys if self.shown(k)]
        if not visible:
            return None
        return min(visible, key=lambda k: (self.keep.get(k, 1), self.counts[k], self.order[k]))

    def unmask(self, key: K, derived: Mapping[K, int]) -> None:
        """Withhold one shown count the derivation of ``key`` rests on: the smallest shown
        member of the relation that gave it; else, through the derived members it used; else
        its total."""
        seen: set[K] = set()
        while key not in seen:
            seen.add(key)
            m = self.margins[derived[key]]
            members = [k for k in m.members if k != key]
            target = self.smallest_shown(members)
            if target is not None:
                self.withhold(target)
                return
            via = [k for k in members if k in derived and k not in seen]
            if via:
                key = via[0]
                continue
            if m.total != key and self.shown(m.total):
                self.withhold(m.total)
                return
            key = m.total
        raise AssertionError("no shown count to withhold")  # pragma: no cover

    def narrow(self, m: Margin[K], known: Collection[K]) -> bool:
        """True when the unknown members of ``m`` (total known) include a count to protect
        and are fewer than two or sum to less than the threshold."""
        unknown = [k for k in m.members if not self.shown(k) and k not in known]
        if not any(self.sensitive(k) for k in unknown):
            return False
        return len(unknown) < 2 or sum(self.counts[k] for k in unknown) < self.options.threshold

    def fix(self, m: Margin[K], derived: Mapping[K, int]) -> None:
        """Widen ``m``: withhold its smallest shown member, or its total when that matters less
        (``keep``) or no member is left."""
        target = self.smallest_shown(m.members)
        if target is not None and self.shown(m.total) \
                and self.keep.get(m.total, 1) < self.keep.get(target, 1):
            target = m.total
        if target is not None:
            self.withhold(target)
        elif self.shown(m.total):
            self.withhold(m.total)
        else:
            self.unmask(m.total, derived)

    def step(self) -> bool:
        """Withhold what the current state gives away; False when nothing does.

        First each relation with a shown total on its own (as a reader with one subtraction
        would); then chains: what follows from counts that follow."""
        changed = False
        for m in self.margins:
            while self.shown(m.total) and self.narrow(m, ()):
                self.fix(m, {})
                changed = True
        if changed:
            return True
        derived = self.derive()
        exposed = [k for k in derived if self.sensitive(k)]
        if exposed:
            self.unmask(min(exposed, key=self.order.__getitem__), derived)
            return True
        for m in self.margins:
            if m.total in derived and self.narrow(m, derived):
                self.fix(m, derived)
                return True
        return False


    def exact_step(self) -> bool:
        """Withhold more when a reader who solves all published relations at once
        (:mod:`wijkbeeld.disclosure.exact`) narrows a count to protect below the threshold:
        per such key, the smallest shown count in one of its relations (else in a relation of
        the unknowns those hold). False when every such count keeps a range wide enough."""
        from wijkbeeld.disclosure.exact import narrowed

        known = {k: v for k, v in self.counts.items() if self.shown(k)}
        if len(self.counts) - len(known) > EXACT_LIMIT:
            # Too many unknowns to solve on every page: check against a reader who also knows
            # every withheld 0 instead. That reader can only work out more, so it is on the safe
            # side (it withholds more), and its system is small: most cells of a sparse table
            # are 0.
            known = {k: v for k, v in self.counts.items() if self.shown(k) or v == 0}
        unknown = {k: v for k, v in self.counts.items() if k not in known}
        # The small groups themselves (1 to threshold - 1, withheld or an unpublished rest);
        # a withheld count of 5 or more is a group that may be shown. A key once found wide
        # enough stays so: withholding more only widens what a reader can work out.
        small = [k for k in unknown if 0 < self.counts[k] < self.options.threshold
                 and k not in self.wide]
        if not small:
            return False
        found = narrowed(known, unknown, self.margins, small, self.options.threshold)
        self.wide.update(k for k in small if k not in found)
        targets: set[K] = set()
        for key in sorted(found, key=self.order.__getitem__):
            near = [k for i in self.by_key.get(key, []) for m in (self.margins[i],)
                    for k in (m.total, *m.members)]
            if any(k in targets for k in near):
                continue  # one withheld count per relation per round; check again after
            target = self.smallest_shown(near)
            if target is None:
                wider = [k for u in near if u in unknown for i in self.by_key.get(u, [])
                         for k in (self.margins[i].total, *self.margins[i].members)]
                target = self.smallest_shown(wider) or self.smallest_shown(list(known))
            if target is not None:
                targets.add(target)
        for target in targets:
            self.withhold(target)
        return bool(targets)


def hierarchy_margin[K: Hashable](
    parent: K, children: Sequence[K], rest: K,
) -> Margin[K]:
    """The relation of a parent count to its children: ``parent = children + rest``, where
    ``rest`` (what belongs to the parent itself, e.g. voices attached to the wijk) is an
    unpublished remainder: pass it in ``unpublished`` and its count in ``counts``."""
    return Margin(parent, (*children, rest))


def grid_margins[K: Hashable](
    rows: Sequence[str], columns: Sequence[str], key: Callable[[str, str], K],
) -> list[Margin[K]]:
    """The margins of a two-way table with row totals, column totals and a grand total:
    ``key(row, column)`` names a cell, ``key(row, ALL)`` a row total, ``key(ALL, column)`` a
    column total and ``key(ALL, ALL)`` the grand total (all must be in the counts)."""
    out = [Margin(key(r, ALL), tuple(key(r, c) for c in columns)) for r in rows]
    out += [Margin(key(ALL, c), tuple(key(r, c) for r in rows)) for c in columns]
    out.append(Margin(key(ALL, ALL), tuple(key(r, ALL) for r in rows)))
    out.append(Margin(key(ALL, ALL), tuple(key(ALL, c) for c in columns)))
    return out
