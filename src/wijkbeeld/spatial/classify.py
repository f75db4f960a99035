"""Classes for choropleth maps: quantiles, natural breaks, equal interval (mapclassify) and the
comparison bands, with missing values guarded and the real number of classes reported.

Why "the real number of classes": mapclassify may form fewer classes than asked. ``Quantiles``
drops tied quantile edges but keeps ``k`` as asked (the example below forms 3 bins while its
``.k`` still says 5); ``FisherJenks`` refuses more classes than distinct values; ``EqualInterval``
refuses a constant variable. :class:`Classification` therefore reports ``k`` = the number of
bins actually formed, and legends are built from those bins only (classes with no area, which
equal intervals can give, stay in the legend with count 0).

Natural breaks are Fisher-Jenks (the exact optimum, deterministic). mapclassify computes it in pure
Python when numba is absent, which costs O(k n²): about 2 s for 600 values. For more than
:data:`EXACT_NATURAL_BREAKS` values the breaks are computed on a sample of that many values
(``FisherJenksSampled``, with the minimum and maximum always in it), drawn with the options' seed
so the same data give the same classes; ``method`` says which was used.

Missing values (NaN, None) are never classified: their class is ``<NA>`` and they are counted in
``n_missing``; maps draw them as "geen gegevens".

The bands scheme takes the band codes of :mod:`wijkbeeld.compare` (``very_unfavourable`` …
``very_favourable``, or ``much_lower`` … ``much_higher`` for a neutral indicator) and keeps all
five bands in a fixed order, so maps of different indicators share one legend.

>>> import pandas as pd
>>> c = classify(pd.Series([1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, None]), "quantiles", k=5)
>>> c.k, c.k_requested, c.counts, c.n_missing
(3, 5, (5, 2, 7), 1)
>>> c.labels
('1', '1 – 2', '2 – 3')
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wijkbeeld.compare import BAND_LABELS
from wijkbeeld.spatial.options import Scheme, SpatialOptions

__all__ = [
    "BAND_ORDER",
    "EXACT_NATURAL_BREAKS",
    "NEUTRAL_BAND_ORDER",
    "Classification",
    "classify",
    "classify_bands",
    "format_number",
]

#: Above this many values natural breaks are computed on a seeded sample of this size.
EXACT_NATURAL_BREAKS = 600

BAND_ORDER: tuple[str, ...] = (
    "very_unfavourable", "unfavourable", "around_average", "favourable", "very_favourable",
)
NEUTRAL_BAND_ORDER: tuple[str, ...] = (
    "much_lower", "lower", "around_average", "higher", "much_higher",
)


@dataclass(frozen=True, eq=False)
class Classification:
    """Classes of one variable over a set of areas.

    ``classes`` (index: the areas) holds the class number 0..k-1, ``<NA>`` for a missing value.
    ``bins`` are the upper bounds of the classes and ``lower`` the minimum (numeric schemes);
    ``codes`` are the band codes (bands scheme). ``labels`` and ``counts`` have one entry per
    class actually formed (``k``); ``k_requested`` is what was asked.
    """

    scheme: Scheme
    method: str
    k_requested: int
    k: int
    bins: tuple[float, ...]
    lower: float
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    classes: pd.Series
    n_missing: int
    options: SpatialOptions

    def legend(self) -> list[tuple[str, int]]:
        """(label, number of areas) per class, lowest first."""
        return list(zip(self.labels, self.counts, strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "method": self.method,
            "k_requested": self.k_requested,
            "k": self.k,
            "bins": list(self.bins),
            "lower": None if math.isnan(self.lower) else self.lower,
            "codes": list(self.codes),
            "legend": [{"label": label, "count": n} for label, n in self.legend()],
            "n_missing": self.n_missing,
        }


def classify(
    values: pd.Series,
    scheme: Scheme | None = None,
    k: int | None = None,
    options: SpatialOptions | None = None,
) -> Classification:
    """Classify numeric ``values`` (index: areas) with ``scheme`` into at most ``k`` classes.

    ``scheme`` and ``k`` default to the options'. For the ``bands`` scheme pass band codes to
    :func:`classify_bands` instead.
    """
    opts = options or SpatialOptions()
    chosen: Scheme = scheme or opts.scheme
    wanted = k or opts.k
    if chosen == "bands":
        return classify_bands(values, opts)
    numbers = pd.to_numeric(values, errors="raise").astype("float64")
    if np.isinf(numbers.to_numpy()).any():
        raise ValueError("values contain infinity; only finite numbers or missing can be mapped")
    present = numbers.notna().to_numpy()
    y = numbers.to_numpy()[present]
    classes = pd.Series(pd.array([pd.NA] * len(numbers), dtype="Int64"), index=numbers.index)
    if y.size == 0:
        return Classification(chosen, "none", wanted, 0, (), math.nan, (), (), (), classes,
                              int((~present).sum()), opts)
    method, bins = _bins(y, chosen, wanted, opts.seed)
    found = np.searchsorted(bins, y, side="left")
    found = np.minimum(found, len(bins) - 1)
    classes[present] = found
    counts = tuple(int(c) for c in np.bincount(found, minlength=len(bins)))
    lower = float(y.min())
    labels = _range_labels(y, lower, bins)
    return Classification(chosen, method, wanted, len(bins), tuple(float(b) for b in bins), lower,
                          (), labels, counts, classes, int((~present).sum()), opts)


def _bins(y: np.ndarray, scheme: Scheme, k: int, seed: int) -> tuple[str, np.ndarray]:
    """Upper bounds of the classes actually formed, increasing, last = max(y)."""
    import mapclassify  # imported here: it takes seconds (it loads pyplot)

    distinct = np.unique(y)
    if distinct.size == 1:
        return "single value", np.array([float(distinct[0])])
    k_used = min(k, int(distinct.size))  # Fisher-Jenks refuses more classes than values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values", "numba not installed"
        if scheme == "quantiles":
            result: Any = mapclassify.Quantiles(y, k=k)
            method = "Quantiles"
        elif scheme == "equal_interval":
            result = mapclassify.EqualInterval(y, k=k)
            method = "EqualInterval"
        elif y.size <= EXACT_NATURAL_BREAKS:
            result = mapclassify.FisherJenks(y, k=k_used)
            method = "FisherJenks"
        else:
            result = _sampled_fisher_jenks(y, k_used, seed)
            method = f"FisherJenksSampled({EXACT_NATURAL_BREAKS}, seed {seed})"
    bins = np.unique(np.asarray(result.bins, dtype=np.float64))
    bins[-1] = max(bins[-1], float(y.max()))
    return method, bins


def _sampled_fisher_jenks(y: np.ndarray, k: int, seed: int) -> Any:
    import mapclassify

    state = np.random.get_state()
    np.random.seed(seed)
    try:
        return mapclassify.FisherJenksSampled(y, k=k, pct=EXACT_NATURAL_BREAKS / y.size)
    finally:
        np.random.set_state(state)


def classify_bands(codes: pd.Series, options: SpatialOptions | None = None) -> Classification:
    """Classes from the comparison's band codes (``""``, NaN or None = no band: missing)."""
    opts = options or SpatialOptions()
    text = codes.astype("object").where(codes.notna(), "")
    text = text.map(lambda c: str(c) if c is not None else "")
    present = (text != "").to_numpy()
    used = set(text[present])
    neutral = bool(used & {"much_lower", "lower", "higher", "much_higher"})
    polar = bool(used & {"very_unfavourable", "unfavourable", "favourable", "very_favourable"})
    if neutral and polar:
        raise ValueError("band codes mix a neutral and a polar indicator; map them apart")
    order = NEUTRAL_BAND_ORDER if neutral else BAND_ORDER
    unknown = sorted(used - set(order))
    if unknown:
        raise ValueError(f"unknown band codes: {', '.join(unknown)}")
    position = {c: k for k, c in enumerate(order)}
    classes = pd.Series(pd.array([pd.NA] * len(text), dtype="Int64"), index=codes.index)
    found = np.array([position[c] for c in text[present]], dtype=np.int64)
    classes[present] = found
    counts = tuple(int(c) for c in np.bincount(found, minlength=len(order)))
    labels = tuple(BAND_LABELS[c] for c in order)
    return Classification("bands", "compare bands", len(order), len(order), (), math.nan, order,
                          labels, counts, classes, int((~present).sum()), opts)


def format_number(value: float, decimals: int) -> str:
    """Dutch notation: decimal comma, no thousands separator (``1234,5``)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _decimals(y: np.ndarray, lower: float, bins: np.ndarray) -> int:
    """Decimals for legend bounds (at most 3): as many as the data carry (KWB percentages: 1),
    and enough to tell the bounds apart."""
    def exact(values: np.ndarray, decimals: int) -> bool:
        return bool(np.all(np.abs(np.round(values, decimals) - values) < 1e-9))

    data = next((d for d in range(4) if exact(y, d)), 3)
    edges = np.concatenate([[lower], bins])
    distinct = len(np.unique(edges))
    apart = next((d for d in range(4) if len(np.unique(np.round(edges, d))) == distinct), 3)
    return max(data, apart)


def _range_labels(y: np.ndarray, lower: float, bins: np.ndarray) -> tuple[str, ...]:
    decimals = _decimals(y, lower, bins)
    labels = []
    start = lower
    for upper in bins:
        a, b = format_number(start, decimals), format_number(float(upper), decimals)
        labels.append(a if a == b else f"{a} – {b}")
        start = float(upper)
    return tuple(labels)
