"""Empirical-Bayes shrinkage of small-area rates toward their reference (Marshall's global EB).

A percentage measured on 40 residents jumps around by chance; the same percentage on 4,000 does
not. Marshall's global empirical-Bayes estimator (Marshall 1991, *Applied Statistics* 40:283-294;
the estimator behind PySAL's ``Empirical_Bayes``), in its binomial form for proportions, pulls each
area's rate toward the reference rate, the more so the smaller its base:

* ``m``  = Σ x_i / Σ n_i, the base-weighted reference rate (proportion 0..1);
* ``s²`` = Σ n_i (p_i - m)² / Σ n_i, the base-weighted variance of the rates;
* ``n̄``  = Σ n_i / k, the mean base of the k areas;
* ``A``  = max(0, s² - m (1 - m) / n̄), the between-area variance left after chance;
* ``C_i`` = A / (A + m (1 - m) / n_i), the weight of the area's own rate (0..1);
* shrunk ``p̂_i`` = m + C_i (p_i - m).

A base of 0 gives ``C = 0`` (the reference rate). When there is no chance variation at all
(``m`` is 0 or 1) nothing is shrunk (``C = 1``). Raw and shrunk values are both kept.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["eb_weight", "shrink_rates"]

FloatArray = npt.NDArray[np.float64]


def eb_weight(base: FloatArray, m: FloatArray, s2: FloatArray, mean_base: FloatArray) -> FloatArray:
    """``C_i``: how much of an area's own rate the EB estimate keeps (all inputs per area;
    ``m``, ``s2`` and ``mean_base`` are those of the area's reference group, rates in 0..1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = m * (1.0 - m)
        a = np.maximum(0.0, s2 - chance / mean_base)
        noise = np.where(base > 0, chance / base, np.inf)
        c = a / (a + noise)
        c = np.where(chance == 0, 1.0, c)
        c = np.where((a == 0) & (chance > 0), 0.0, c)
    return np.where(np.isfinite(m) & np.isfinite(s2) & np.isfinite(mean_base), c, np.nan)


def shrink_rates(
    value: FloatArray,
    base: FloatArray,
    scale: FloatArray,
    ref_mean: FloatArray,
    ref_var: FloatArray,
    ref_mean_base: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """(shrunk value, C) for rates given in their own unit (``scale`` 100 for percent, 1 for a
    fraction); ``ref_mean``/``ref_var`` are the group's base-weighted mean and variance in that
    same unit. NaN where the value, the base or the group statistics are missing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = value / scale
        m = ref_mean / scale
        s2 = ref_var / (scale * scale)
        c = eb_weight(base, m, s2, ref_mean_base)
        shrunk = (m + c * (p - m)) * scale
    ok = np.isfinite(value) & np.isfinite(base) & (base >= 0)
    return np.where(ok, shrunk, np.nan), np.where(ok, c, np.nan)
