"""Progress of an agenda item: every measure it follows, from baseline towards target.

An agenda item (buurtagenda, DESIGN.md §1 step 5) names how progress will show: **indicators**
(a figure of the catalogue, e.g. ``elan_bijstand``) and **round questions** (the answers of one
stakeholder group on the item's theme in the urgency rounds: the share rating it urgent, the mean
rating or the recognition rate). Each :class:`Target` has a baseline (value and when: a year or
a round key) and a target value. The direction of progress is the indicator's polarity when it
is known (``higher_is_better``), else it follows from the two (target below baseline: lower is
progress), so a move the unfavourable way is never called progress.

:func:`progress` places the latest measurement on the way from baseline to target:
``fraction = direction · (latest − baseline) / |target − baseline|``; 1 is the target reached,
0 no change, negative a move the wrong way, above 1 past the target. People see
:attr:`Progress.share_done`, the part of the way done, capped to 0–100 % (a move the wrong way
shows no percentage; past the target the label says so). A target that lies on the
unfavourable side of its baseline (it contradicts the polarity) is judged by the polarity and is
never ``bereikt``. Status, with ``stall_band`` (default 0.25):

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
    "CONFLICT_NOTE",
    "PAST_TARGET_LABEL",
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
#: Label of ``bereikt`` when the latest value went past the target in the right direction.
PAST_TARGET_LABEL = "doel bereikt, verder dan het doel"
#: Note when the target lies on the unfavourable side of the baseline.
CONFLICT_NOTE = ("het doel ligt de ongunstige kant op; beoordeeld naar de gunstige richting "
                 "van de indicator")
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
    note: str = ""

    @property
    def past_target(self) -> bool:
        """The target is reached and the latest value lies beyond it (the right way)."""
        return self.status == "bereikt" and self.fraction is not None and self.fraction > 1 + _EPS

    @property
    def share_done(self) -> float | None:
        """The part of the way done, 0–1, for people: capped at 1 past the target and None for
        a move the wrong way or when nothing is measured (never "179 %" or "-40 %")."""
        if self.fraction is None or self.fraction < 0:
            return None
        return min(self.fraction, 1.0)

    @property
    def label(self) -> str:
        return PAST_TARGET_LABEL if self.past_target else PROGRESS_LABELS[self.status]

    @property
    def stalled(self) -> bool:
        return self.status in STALLED

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target.to_dict(), "ident": self.target.ident,
                "measurements": [m.to_dict() for m in self.measurements],
                "latest": None if self.latest is None else self.latest.to_dict(),
                "fraction": self.fraction, "share_done": self.share_done,
                "status": self.status, "label": self.label, "stall_band": self.stall_band,
                "note": self.note}


def _direction(target: Target, higher_is_better: bool | None) -> tuple[float, bool]:
    """The favourable direction (+1 up, −1 down, 0 none: hold the line) and whether the target
    contradicts it."""
    gap = target.target - target.baseline
    own = 0.0 if abs(gap) < _EPS else (1.0 if gap > 0 else -1.0)
    if higher_is_better is None:
        return own, False
    polar = 1.0 if higher_is_better else -1.0
    return polar, own == -polar


def progress(target: Target, measurements: Sequence[Measurement], *,
             stall_band: float = 0.25, higher_is_better: bool | None = None) -> Progress:
    """The progress of ``target`` given the measurements taken after its baseline.

    ``higher_is_better``: the indicator's polarity (None: neutral or unknown; the direction then
    follows from baseline and target). Measurements at the baseline moment itself are ignored
    (they are the baseline)."""
    if not 0 < stall_band < 1:
        raise ValueError("stall_band must lie in (0, 1)")
    later = tuple(sorted((m for m in measurements if m.at != target.baseline_at),
                         key=lambda m: (m.order, m.at)))
    latest = later[-1] if later else None
    direction, conflict = _direction(target, higher_is_better)
    note = CONFLICT_NOTE if conflict else ""
    if latest is None:
        return Progress(target, later, None, None, "geen_meting", stall_band, note)
    if latest.value is None:
        return Progress(target, later, latest, None, "te_weinig", stall_band, note)
    move = latest.value - target.baseline
    way = abs(target.target - target.baseline)
    if way < _EPS:
        # Target "hold the line": staying put (or, with a polarity, any favourable move) holds it.
        held = abs(move) < _EPS or direction * move > 0
        fraction = 1.0 if held else -1.0
    else:
        fraction = direction * move / way
    if fraction >= 1 - _EPS and not conflict:
        status = "bereikt"
    elif fraction >= stall_band - _EPS:
        status = "vooruit"
    elif fraction > -stall_band + _EPS:
        status = "stagneert"
    else:
        status = "achteruit"
    return Progress(target, later, latest, fraction, status, stall_band, note)
