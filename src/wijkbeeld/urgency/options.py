"""One frozen options object for every urgency choice, plus the fixed vocabularies.

Every threshold of the urgency measures, the class rules and the persistence alerts lives here,
with its documented default (DESIGN.md §6, ``docs/urgency.md``). The options travel with every
result, so a class or an alert can always be traced back to the thresholds that produced it.

>>> UrgencyOptions().sigma2_eu
2.0
>>> UrgencyOptions(min_n=10).to_dict()["min_n"]
10
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

__all__ = [
    "ALERT_LABELS",
    "BOTTOM_UP",
    "CLASS_LABELS",
    "GROUPS",
    "GROUP_LABELS",
    "RECOGNITION_ANSWERS",
    "TRIGGER_STATUSES",
    "UrgencyOptions",
]

#: The stakeholder groups, in the order of every table (DESIGN.md §3).
GROUPS: tuple[str, ...] = ("residents", "professionals", "policy")
#: The groups whose urgency comes "from below"; only these can be backed by voices.
BOTTOM_UP: tuple[str, ...] = ("residents", "professionals")
GROUP_LABELS: dict[str, str] = {
    "residents": "bewoners",
    "professionals": "professionals",
    "policy": "beleid",
}
RECOGNITION_ANSWERS: tuple[str, ...] = ("ja", "deels", "nee")
TRIGGER_STATUSES: tuple[str, ...] = ("actief", "vervaagd", "opgelost")

#: Class keys and their Dutch labels, in the order of the decision table.
CLASS_LABELS: dict[str, str] = {
    "gedeeld": "gedeelde urgentie",
    "van_bovenaf": "van bovenaf",
    "gevoeld_niet_gemeten": "gevoeld, niet gemeten",
    "verdeeld": "verdeeld",
    "geen": "geen urgentie",
    "onvoldoende": "onvoldoende gegevens",
}

#: Alert keys and their Dutch labels.
ALERT_LABELS: dict[str, str] = {
    "urgentie_neemt_af": "urgentie neemt af terwijl de cijfers niet verbeteren",
    "aanleiding_vervaagd": "aanleiding vervaagd, opgave blijft",
    "nieuwe_urgentie": "nieuwe urgentie",
    "cijfers_verbeteren": "cijfers verbeteren",
}


@dataclass(frozen=True)
class UrgencyOptions:
    """Every choice of the urgency measures, classes and alerts, with the documented defaults.

    Ratings
        ``scale_points`` (A): the number of answer options (1..A); the uniform null variance of
        r_wg is σ²_EU = (A² − 1) / 12. ``urgent_from``: a rating at or above this counts as
        "urgent" (4 or 5 on the five-point scale).
    Privacy
        ``min_n``: a measure computed from fewer than this many answers is withheld (value None,
        flag ``withheld``) everywhere; voices with fewer than ``min_n`` records likewise.
    Groups and consensus
        ``required_groups``: the groups that must be reported (present and not withheld) for a
        consensus score, a gap and the class *gedeelde urgentie*.
        ``partly_weight``: the weight of "deels" in the recognition score (ja = 1, nee = 0).
    Classes
        ``urgent_share``: a group finds a theme urgent when at least this share of its ratings
        is urgent. ``min_rwg``: the within-group agreement each group needs for *gedeeld*.
        ``figures_urgent_z``: the figures call a theme urgent when its compare theme score
        (polarity-signed, positive = favourable) is at or below minus this value.
        ``voice_urgent_mean``: voices of a group call a theme urgent when their mean urgency
        (1..5) is at least this.
    Persistence
        ``fade_drop``: a fall of a group's share urgent of at least this much between two rounds
        is a fading urgency. ``improve_delta``: a rise of the theme score of at least this much
        (in z units) means the figures improved.
    Asking before showing
        ``shift_signal``: when a group's mean rating after seeing the picture differs from its
        blind mean by at least this many points, the picture changes the urgency ("het beeld
        verandert de urgentie"): it persuades, or tells the group something new.
    """

    scale_points: int = 5
    urgent_from: int = 4
    min_n: int = 5
    required_groups: tuple[str, ...] = GROUPS
    partly_weight: float = 0.5
    urgent_share: float = 0.5
    min_rwg: float = 0.5
    figures_urgent_z: float = 0.5
    voice_urgent_mean: float = 3.5
    fade_drop: float = 0.15
    improve_delta: float = 0.25
    shift_signal: float = 0.5

    def __post_init__(self) -> None:
        if self.scale_points < 2:
            raise ValueError("scale_points must be at least 2")
        if not 1 < self.urgent_from <= self.scale_points:
            raise ValueError("urgent_from must lie in 2..scale_points")
        if self.min_n < 1:
            raise ValueError("min_n must be at least 1")
        required = tuple(self.required_groups)
        unknown = [g for g in required if g not in GROUPS]
        if unknown or not required or len(set(required)) != len(required):
            raise ValueError(f"required_groups must be distinct groups from {GROUPS}")
        object.__setattr__(self, "required_groups", tuple(g for g in GROUPS if g in required))
        if not 0 <= self.partly_weight <= 1:
            raise ValueError("partly_weight must lie between 0 and 1")
        if not 0 < self.urgent_share <= 1:
            raise ValueError("urgent_share must lie in (0, 1]")
        if not 0 <= self.min_rwg <= 1:
            raise ValueError("min_rwg must lie between 0 and 1")
        if self.figures_urgent_z < 0:
            raise ValueError("figures_urgent_z must not be negative")
        if not 1 <= self.voice_urgent_mean <= self.scale_points:
            raise ValueError("voice_urgent_mean must lie on the rating scale")
        if not 0 < self.fade_drop <= 1:
            raise ValueError("fade_drop must lie in (0, 1]")
        if self.improve_delta <= 0:
            raise ValueError("improve_delta must be positive")
        if self.shift_signal <= 0:
            raise ValueError("shift_signal must be positive")

    @property
    def sigma2_eu(self) -> float:
        """σ²_EU = (A² − 1) / 12: the variance of ratings spread uniformly over the A options."""
        return (self.scale_points**2 - 1) / 12

    def to_dict(self) -> dict[str, Any]:
        """The options as plain JSON-ready data (kept in every exported result)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out
