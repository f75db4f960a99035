"""Progress of an agenda item: every measure it follows, from baseline towards target.

An agenda item (buurtagenda, DESIGN.md §1 step 5) names how progress will show: **indicators**
(a figure of the catalogue, e.g. ``elan_bijstand``) and **round questions** (the answers of one
stakeholder group on the item's theme in the urgency rounds: the share rating it urgent, the mean
rating or the recognition rate). Each :class:`Target` has a baseline (value and when: a year or
a round key) and a target value; the direction follows from the two (target below baseline:
lower is progress).

:func:`progress` places the latest measurement on the way from baseline to target:
``fraction = (latest − baseline) / (target − baseline)``; 1 is the target reached, 0 no change,
negative a move away from it. Status, with ``stall_band`` (default 0.25):

* ``bereikt``: fraction ≥ 1; ``vooruit``: fraction ≥ stall_band;
* ``stagneert``: −stall_band < fraction < stall_band; ``achteruit``: fraction ≤ −stall_band;
* ``geen_meting``: nothing measured after the baseline; ``te_weinig``: the latest round
  measure rests on fewer than ``min_n`` answers (withheld; no number is shown).

>>> t = Target("indicator", "elan_bijstand", baseline=0.08, baseline_at="2019", target=0.07)
>>> progress(t, [Measurement("2021", 0.075)]).status
'vooruit'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wijkbeeld.urgency.options import GROUPS

__all__ = [
    "PROGRESS_LABELS",
    "PROGRESS_STATUSES",
    "ROUND_METRICS",
    "STALLED",
    "TARGET_KINDS",
    "Measurement",
    "Progress",
    "Target",
    "progress",
]

TARGET_KINDS: tuple[str, ...] = ("indicator", "round")
#: What a round question measures for one group on the item's theme.
ROUND_METRICS: dict[str, str] = {
    "share_urgent": "aandeel dat het thema urgent vindt",
    "mean": "gemiddeld oordeel (1-5)",
    "recognition": "herkent het beeld",
}
PROGRESS_STATUSES: tuple[str, ...] = (
    "bereikt", "vooruit", "stagneert", "achteruit", "geen_meting", "te_weinig")
PROGRESS_LABELS: dict[str, str] = {
    "bereikt": "doel bereikt",
    "vooruit": "op weg naar het doel",
    "stagneert": "stagneert",
    "achteruit": "beweegt van het doel af",
    "geen_meting": "nog geen nieuwe meting",
    "te_weinig": "te weinig antwoorden",
}
#: Statuses that count as "does not move towards the target" in the stall check.
STALLED: frozenset[str] = frozenset({"stagneert", "achteruit"})
_EPS = 1e-9


@dataclass(frozen=True)
class Target:
    """One measure of an agenda item: baseline (value, when) and target value.

    ``kind`` ``indicator``: ``key`` is an indicator key, ``baseline_at`` a year ("2019").
    ``kind`` ``round``: ``key`` is the theme, ``group`` a stakeholder group, ``metric`` one of
    :data:`ROUND_METRICS`, ``baseline_at`` the round key the baseline comes from.
    """

    kind: str
    key: str
    baseline: float
    baseline_at: str
    target: float
    group: str = ""
    metric: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"soort {self.kind!r} onbekend (kies uit {', '.join(TARGET_KINDS)})")
        if not self.key.strip():
            raise ValueError("sleutel ontbreekt")
        if not str(self.baseline_at).strip():
            raise ValueError(f"{self.key}: moment van de nulmeting ontbreekt")
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"{self.key}: {name} {value!r} is geen getal")
            object.__setattr__(self, name, float(value))
        if self.kind == "round":
            if self.group not in GROUPS:
                raise ValueError(f"{self.key}: groep {self.group!r} onbekend "
                                 f"(kies uit {', '.join(GROUPS)})")
            if self.metric not in ROUND_METRICS:
                raise ValueError(f"{self.key}: maat {self.metric!r} onbekend "
                                 f"(kies uit {', '.join(ROUND_METRICS)})")
            lo, hi = (1.0, 5.0) if self.metric == "mean" else (0.0, 1.0)
            for name in ("baseline", "target"):
                if not lo <= getattr(self, name) <= hi:
                    raise ValueError(f"{self.key}: {name} moet tussen {lo:g} en {hi:g} liggen")
        elif self.group or self.metric:
            raise ValueError(f"{self.key}: groep en maat horen alleen bij een peilingvraag")
        object.__setattr__(self, "baseline_at", str(self.baseline_at).strip())

    @property
    def lower_is_progress(self) -> bool:
        return self.target < self.baseline

    @property
    def ident(self) -> str:
        """A stable name within an item: ``indicator:KEY`` or ``round:THEME:GROUP:METRIC``."""
        if self.kind == "indicator":
            return f"indicator:{self.key}"
        return f"round:{self.key}:{self.group}:{self.metric}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "key": self.key, "baseline": self.baseline,
                               "baseline_at": self.baseline_at, "target": self.target}
        if self.kind == "round":
            out.update(group=self.group, metric=self.metric)
        if self.label:
            out["label"] = self.label
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        """A target from its stored form (``ValueError`` naming the field when it is broken)."""
        missing = [k for k in ("kind", "key", "baseline", "baseline_at", "target")
                   if k not in data]
        if missing:
            raise ValueError(f"doel mist {', '.join(missing)}")
        return cls(str(data["kind"]), str(data["key"]), data["baseline"],
                   str(data["baseline_at"]), data["target"], str(data.get("group", "")),
                   str(data.get("metric", "")), str(data.get("label", "")))


@dataclass(frozen=True)
class Measurement:
    """One measurement after (or at) the baseline: ``at`` a year or round key, ``order`` sorts
    (a year, or the round's date as ``YYYYMMDD``); ``value`` None = withheld (too few answers)."""

    at: str
    value: float | None
    order: int = 0
    n: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "value": self.value, "order": self.order, "n": self.n}


@dataclass(frozen=True)
class Progress:
    """Where one target stands: the measurements after its baseline, the latest, the fraction
    of the way to the target and the status (see the module docstring)."""

    target: Target
    measurements: tuple[Measurement, ...]
    latest: Measurement | None
    fraction: float | None
    status: str
    stall_band: float

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.status]

    @property
    def stalled(self) -> bool:
        return self.status in STALLED

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target.to_dict(), "ident": self.target.ident,
                "measurements": [m.to_dict() for m in self.measurements],
                "latest": None if self.latest is None else self.latest.to_dict(),
                "fraction": self.fraction, "status": self.status, "label": self.label,
                "stall_band": self.stall_band}


def progress(target: Target, measurements: Sequence[Measurement], *,
             stall_band: float = 0.25) -> Progress:
    """The progress of ``target`` given the measurements taken after its baseline.

    Measurements at the baseline moment itself are ignored (they are the baseline)."""
    if not 0 < stall_band < 1:
        raise ValueError("stall_band must lie in (0, 1)")
    later = tuple(sorted((m for m in measurements if m.at != target.baseline_at),
                         key=lambda m: (m.order, m.at)))
    latest = later[-1] if later else None
    if latest is None:
        return Progress(target, later, None, None, "geen_meting", stall_band)
    if latest.value is None:
        return Progress(target, later, latest, None, "te_weinig", stall_band)
    gap = target.target - target.baseline
    if abs(gap) < _EPS:
        # Target "hold the line": any move counts by its size relative to the baseline.
        fraction = 1.0 if abs(latest.value - target.baseline) < _EPS else -1.0
    else:
        fraction = (latest.value - target.baseline) / gap
    if fraction >= 1 - _EPS:
        status = "bereikt"
    elif fraction >= stall_band - _EPS:
        status = "vooruit"
    elif fraction > -stall_band + _EPS:
        status = "stagneert"
    else:
        status = "achteruit"
    return Progress(target, later, latest, fraction, status, stall_band)
