"""Urgency measures per area × theme × round: per group, and across the groups.

Per group (``residents``, ``professionals``, ``policy``), from the ratings 1..A (A = 5; "weet
niet" is left out) and the recognition answers:

* ``n`` ratings, ``mean``, ``share_urgent`` = k / n with k the ratings ≥ 4;
* ``r_wg`` = 1 − s² / σ²_EU (James, Demaree & Wolf 1984) with s² the sample variance (ddof 1)
  and σ²_EU = (A² − 1) / 12 = 2 the variance of uniformly spread answers. With fewer than two
  ratings there is no variance: r_wg is None. When s² > σ²_EU (the group splits into two camps)
  r_wg would be negative; it is set to 0 and ``r_wg_clipped`` says so;
* recognition: ``recognition_yes`` = share "ja", ``recognition_yes_or_partly`` = share "ja" or
  "deels", and the headline ``recognition`` = (k_ja + w·k_deels) / n with w = 0.5, which is
  exactly the mean of the two shares (both are kept).

Across the groups:

* ``consensus`` = geometric mean over the groups of the Jeffreys-smoothed share urgent
  p̃ = (k + 0.5) / (n + 1): high only when *every* group finds the theme urgent; one group that
  does not pulls it down (a pooled average would hide that group).
* ``gap`` = highest minus lowest group share urgent.

**Small numbers**: a measure computed from fewer than ``min_n`` answers is withheld: its value is
None, ``withheld`` is set, and the raw number is not kept anywhere in the result: a withheld
cell has no ``n``, ``n_respondents`` or ``n_dont_know``, and withheld recognition no
``n_recognition`` (issue 18: "<5 (n=3)" told what "<5" hides; :mod:`wijkbeeld.disclosure`).
A withheld (or
absent) *required* group makes the consensus and the gap None, with the group named in
``missing_groups``; a withheld group never enters them silently.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wijkbeeld.disclosure import DisclosureOptions
from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS, RECOGNITION_ANSWERS, UrgencyOptions
from wijkbeeld.urgency.responses import Responses

__all__ = [
    "GroupMeasures",
    "Measures",
    "RecognitionRates",
    "ThemeMeasures",
    "consensus_score",
    "jeffreys_share",
    "measure",
    "recognition_rates",
    "rwg",
    "sample_variance",
]


def sample_variance(ratings: Sequence[float]) -> float | None:
    """s² with ddof 1 (divide by n − 1); None for fewer than two ratings."""
    n = len(ratings)
    if n < 2:
        return None
    mean = math.fsum(ratings) / n
    return math.fsum((x - mean) ** 2 for x in ratings) / (n - 1)


def rwg(ratings: Sequence[float], scale_points: int = 5) -> float | None:
    """r_wg = 1 − s² / σ²_EU, clipped to [0, 1]; None for fewer than two ratings."""
    s2 = sample_variance(ratings)
    if s2 is None:
        return None
    return max(0.0, 1.0 - s2 / ((scale_points**2 - 1) / 12))


def jeffreys_share(k: int, n: int) -> float:
    """(k + 0.5) / (n + 1): the posterior mean of a share under the Jeffreys prior Beta(½, ½);
    never 0 or 1, so one group with no urgent rating does not make the product exactly 0."""
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    return (k + 0.5) / (n + 1)


def consensus_score(counts: Iterable[tuple[int, int]]) -> float:
    """Geometric mean of the Jeffreys-smoothed shares of (k urgent, n rated) per group.

    Computed as exp(mean(log p̃)) with an exactly rounded sum (``math.fsum``), so the result is
    bit-for-bit the same whatever the order of the groups."""
    logs = [math.log(jeffreys_share(k, n)) for k, n in counts]
    if not logs:
        raise ValueError("consensus needs at least one group")
    return math.exp(math.fsum(logs) / len(logs))


@dataclass(frozen=True)
class RecognitionRates:
    """Recognition answers of one group: n answered (ja/deels/nee) and the three rates."""

    n: int
    yes: float | None
    yes_or_partly: float | None
    score: float | None


def recognition_rates(
    answers: Iterable[str | None], partly_weight: float = 0.5
) -> RecognitionRates:
    """Share "ja", share "ja" or "deels", and the score (ja = 1, deels = w, nee = 0) over the
    answers given (None, or anything else, = not answered: left out)."""
    given = [a for a in answers if a in RECOGNITION_ANSWERS]
    n = len(given)
    if n == 0:
        return RecognitionRates(0, None, None, None)
    yes = sum(a == "ja" for a in given)
    partly = sum(a == "deels" for a in given)
    return RecognitionRates(n, yes / n, (yes + partly) / n, (yes + partly_weight * partly) / n)


def _reason(min_n: int) -> str:
    return f"minder dan {min_n} antwoorden: niet getoond"


@dataclass(frozen=True)
class GroupMeasures:
    """The measures of one group for one area × theme × round.

    ``n_respondents`` counts the group's answers on the theme, ``n`` the ratings 1..5 among them
    (the n of mean, share and r_wg), ``n_dont_know`` the "weet niet" answers and
    ``n_recognition`` the recognition answers. Withheld values are None (never stored), the
    counts of a withheld measure included."""

    round: str
    area_code: str
    theme: str
    group: str
    n_respondents: int | None
    n: int | None
    n_dont_know: int | None
    withheld: bool
    mean: float | None
    n_urgent: int | None
    share_urgent: float | None
    variance: float | None
    r_wg: float | None
    r_wg_clipped: bool | None
    organisation_types: int | None
    n_recognition: int | None
    recognition_withheld: bool
    recognition: float | None
    recognition_yes: float | None
    recognition_yes_or_partly: float | None
    withheld_reason: str

    @property
    def reported(self) -> bool:
        """True when the rating measures may be shown (enough ratings)."""
        return not self.withheld

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; a withheld cell carries only its flags and the reason (counts None)."""
        return {
            "group": self.group, "label": GROUP_LABELS[self.group],
            "n_respondents": self.n_respondents, "n": self.n, "n_dont_know": self.n_dont_know,
            "withheld": self.withheld, "mean": self.mean, "n_urgent": self.n_urgent,
            "share_urgent": self.share_urgent, "variance": self.variance, "r_wg": self.r_wg,
            "r_wg_clipped": self.r_wg_clipped, "organisation_types": self.organisation_types,
            "recognition": {
                "n": self.n_recognition, "withheld": self.recognition_withheld,
                "score": self.recognition, "yes": self.recognition_yes,
                "yes_or_partly": self.recognition_yes_or_partly,
            },
            "withheld_reason": self.withheld_reason,
        }


def group_measures(
    round_key: str, area_code: str, theme: str, group: str, all_ratings: Sequence[float],
    recognition: Sequence[str | None], organisations: Sequence[str], options: UrgencyOptions,
) -> GroupMeasures:
    """The measures of one group from its answers (rating NaN = "weet niet")."""
    ratings = [float(r) for r in all_ratings if not math.isnan(r)]
    n = len(ratings)
    rec = recognition_rates(recognition, options.partly_weight)
    rule = DisclosureOptions(threshold=options.min_n, zero_is_safe=False)
    withheld = not rule.allows(n)
    rec_withheld = not rule.allows(rec.n)
    values: dict[str, Any] = dict.fromkeys(
        ("mean", "n_urgent", "share_urgent", "variance", "r_wg", "r_wg_clipped",
         "organisation_types"))
    if not withheld:
        k = sum(r >= options.urgent_from for r in ratings)
        s2 = sample_variance(ratings)
        raw_rwg = None if s2 is None else 1.0 - s2 / options.sigma2_eu
        orgs = {o for o in organisations if o}
        values.update(
            mean=math.fsum(ratings) / n, n_urgent=k, share_urgent=k / n, variance=s2,
            r_wg=None if raw_rwg is None else max(0.0, raw_rwg),
            r_wg_clipped=None if raw_rwg is None else raw_rwg < 0,
            organisation_types=len(orgs),
        )
    reasons = []
    if withheld:
        reasons.append(f"oordeel: {_reason(options.min_n)}")
    if rec_withheld:
        reasons.append(f"herkenning: {_reason(options.min_n)}")
    return GroupMeasures(
        round=round_key, area_code=area_code, theme=theme, group=group,
        n_respondents=None if withheld else len(all_ratings), n=None if withheld else n,
        n_dont_know=None if withheld else len(all_ratings) - n, withheld=withheld,
        n_recognition=None if rec_withheld else rec.n, recognition_withheld=rec_withheld,
        recognition=None if rec_withheld else rec.score,
        recognition_yes=None if rec_withheld else rec.yes,
        recognition_yes_or_partly=None if rec_withheld else rec.yes_or_partly,
        withheld_reason="; ".join(reasons), **values,
    )


@dataclass(frozen=True)
class ThemeMeasures:
    """One area × theme × round: the group measures and the across-group consensus and gap.

    ``consensus_groups``: the reported groups in the consensus (all reported groups, a superset
    of the required ones); ``missing_groups``: required groups absent or withheld (then
    consensus and gap are None); ``withheld_groups``: every group with too few ratings."""

    round: str
    area_code: str
    theme: str
    groups: tuple[GroupMeasures, ...]
    consensus: float | None
    consensus_groups: tuple[str, ...]
    missing_groups: tuple[str, ...]
    withheld_groups: tuple[str, ...]
    gap: float | None
    gap_highest: str | None
    gap_lowest: str | None
    reason: str
    options: UrgencyOptions

    def group(self, name: str) -> GroupMeasures | None:
        """The measures of one group, None when it gave no answers on the theme."""
        for g in self.groups:
            if g.group == name:
                return g
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: cells per group (withheld cells without numbers), consensus and gap."""
        n = {g.group: g.n for g in self.groups if g.group in self.consensus_groups}
        return {
            "round": self.round, "area_code": self.area_code, "theme": self.theme,
            "groups": {g.group: g.to_dict() for g in self.groups},
            "consensus": {
                "value": self.consensus, "groups": list(self.consensus_groups), "n": n,
                "missing_groups": list(self.missing_groups),
                "withheld_groups": list(self.withheld_groups), "reason": self.reason,
            },
            "gap": {"value": self.gap, "highest": self.gap_highest, "lowest": self.gap_lowest,
                    "n": dict(n)},
        }


def theme_measures(
    round_key: str, area_code: str, theme: str, groups: Sequence[GroupMeasures],
    options: UrgencyOptions,
) -> ThemeMeasures:
    """Consensus and gap over the reported groups, or None when a required group is missing."""
    ordered = tuple(sorted(groups, key=lambda g: GROUPS.index(g.group)))
    reported = [g for g in ordered if g.reported]
    names = {g.group for g in reported}
    missing = tuple(g for g in options.required_groups if g not in names)
    withheld = tuple(g.group for g in ordered if g.withheld)
    consensus = gap = None
    high = low = None
    reason = ""
    if missing:
        labels = ", ".join(GROUP_LABELS[g] for g in missing)
        reason = f"niet berekend: geen of te weinig antwoorden van {labels}"
    else:
        consensus = consensus_score((g.n_urgent or 0, g.n or 0) for g in reported)
        shares = [(g.share_urgent or 0.0, g.group) for g in reported]
        top = max(shares, key=lambda s: s[0])
        bottom = min(shares, key=lambda s: s[0])
        gap, high, low = top[0] - bottom[0], top[1], bottom[1]
    return ThemeMeasures(
        round=round_key, area_code=area_code, theme=theme, groups=ordered,
        consensus=consensus, consensus_groups=() if missing else tuple(g.group for g in reported),
        missing_groups=missing, withheld_groups=withheld, gap=gap, gap_highest=high,
        gap_lowest=low, reason=reason, options=options,
    )


@dataclass(frozen=True)
class Measures:
    """Every area × theme × round of a set of responses, with the options used."""

    themes: tuple[ThemeMeasures, ...]
    options: UrgencyOptions
    _index: dict[tuple[str, str, str], ThemeMeasures] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(t.round, t.area_code, t.theme): t
                                            for t in self.themes})

    def get(self, round_key: str, area_code: str, theme: str) -> ThemeMeasures | None:
        """The measures of one cell, None when nobody answered on it."""
        return self._index.get((round_key, area_code, theme))

    def for_area(self, area_code: str) -> tuple[ThemeMeasures, ...]:
        """Every round and theme of one area."""
        code = area_code.strip().upper()
        return tuple(t for t in self.themes if t.area_code == code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready list of every cell, with the options."""
        return {"options": self.options.to_dict(), "themes": [t.to_dict() for t in self.themes]}


def measure(responses: Responses, options: UrgencyOptions | None = None) -> Measures:
    """The measures of every area × theme × round × group in ``responses``."""
    options = options or UrgencyOptions()
    frame = responses.frame
    if frame.empty:
        return Measures((), options)
    # One sort, then plain list slices per group: no pandas sub-frame per cell.
    ordered = frame.sort_values(["round", "area_code", "theme", "group"], kind="stable")
    keys = list(zip(ordered["round"].tolist(), ordered["area_code"].tolist(),
                    ordered["theme"].tolist(), ordered["group"].tolist(), strict=True))
    ratings = ordered["rating"].tolist()
    recognition = ordered["recognition"].tolist()
    organisations = ordered["organisation_type"].tolist()
    starts = [0, *(i for i in range(1, len(keys)) if keys[i] != keys[i - 1]), len(keys)]
    themes: list[ThemeMeasures] = []
    pending: list[GroupMeasures] = []
    for a, b in itertools.pairwise(starts):
        round_key, area, theme, group = (str(k) for k in keys[a])
        pending.append(group_measures(round_key, area, theme, group, ratings[a:b],
                                      recognition[a:b], organisations[a:b], options))
        if b == len(keys) or keys[b][:3] != keys[a][:3]:
            themes.append(theme_measures(round_key, area, theme, pending, options))
            pending = []
    return Measures(tuple(themes), options)
