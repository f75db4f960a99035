"""The shift after the picture (:func:`wijkbeeld.urgency.picture_shifts`), by hand.

Residents rated blind 2, 3, 4, 5, 5 and after the picture 4, 4, 4, 5, 5: mean before 19 / 5 = 3.8,
after 22 / 5 = 4.4, shift +0.6 ≥ 0.5 → "het beeld verandert de urgentie"; urgent (4 or 5) before
3 of 5 = 0.6, after 5 of 5 = 1.0. A sixth resident answered "weet niet" after the picture: that
pair is left out. Professionals 4, 4, 4, 4, 5 → the same after: shift 0, no signal. Policy has
four pairs: withheld, with no number at all (not even n).
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from wijkbeeld.urgency import SHIFT_COLUMNS, UrgencyOptions, picture_shifts


def frame() -> pd.DataFrame:
    rows = []
    data = {
        "residents": ([2, 3, 4, 5, 5, 3], [4, 4, 4, 5, 5, math.nan]),
        "professionals": ([4, 4, 4, 4, 5], [4, 4, 4, 4, 5]),
        "policy": ([5, 5, 4, 4], [3, 3, 3, 3]),
    }
    for group, (before, after) in data.items():
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            rows.append(("r1", "WK051834", "veiligheid", group, f"{group}-{i}", b, a))
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def test_shift_per_group_by_hand() -> None:
    shifts = {s.group: s for s in picture_shifts(frame())}
    res = shifts["residents"]
    assert (res.n, res.withheld) == (5, False)
    assert res.mean_before == pytest.approx(3.8) and res.mean_after == pytest.approx(4.4)
    assert res.mean_shift == pytest.approx(0.6) and res.changes is True
    assert res.share_urgent_before == pytest.approx(0.6)
    assert res.share_urgent_after == pytest.approx(1.0)
    pro = shifts["professionals"]
    assert pro.mean_shift == pytest.approx(0.0) and pro.changes is False
    assert pro.mean_before == pytest.approx(4.2)
    pol = shifts["policy"]
    assert pol.withheld is True
    assert (pol.n, pol.mean_before, pol.mean_after, pol.mean_shift, pol.changes) == (
        None, None, None, None, None)
    text = json.dumps(pol.to_dict())
    assert '"n": null' in text and "4.5" not in text and "3.0" not in text


def test_threshold_and_order_and_missing_columns() -> None:
    # Exactly the threshold counts as a change (0.5 from float sums).
    f = frame()
    strict = UrgencyOptions(shift_signal=0.7)
    assert {s.group: s.changes for s in picture_shifts(f, strict)}["residents"] is False
    assert [s.group for s in picture_shifts(f)] == ["residents", "professionals", "policy"]
    with pytest.raises(ValueError, match="rating_after"):
        picture_shifts(f.drop(columns=["rating_after"]))
    with pytest.raises(ValueError):
        UrgencyOptions(shift_signal=0)
