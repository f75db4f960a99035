"""``compare_country``: every stored area compared year by year on worker processes gives the
same rows as comparing the imported file in one go.

The Den Haag wijk series (2009-2022) is imported for real into PostgreSQL (committed: the worker
processes connect on their own) and compared on two ``forkserver`` workers; every year's results
and theme scores must equal ``compare_all`` over the file's figures, and one z-score is checked by
hand from the raw CSV. With SQLite in memory no worker could reach the database: it runs in this
process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from denhaag_support import FILE, denhaag_z


def _plain(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.astype({c: str for c in frame.columns if frame[c].dtype == "category"})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_years_on_two_workers_equal_the_file_compared_at_once(raw: Path) -> None:
    from django.conf import settings

    from wijkbeeld.compare import CompareOptions, Figures, compare_all
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.national import compare_country, stored_years
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.workers import usable_workers

    if "postgres" not in settings.DATABASES:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL not configured under CI")
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    catalogue = load_catalogue()
    table = read_figures(raw / FILE, catalogue=catalogue)
    sync_catalogue(catalogue, using="postgres")
    store_table(table, who="test", using="postgres")

    assert usable_workers(2, "postgres") == 2
    assert usable_workers(2, "default") == 1  # SQLite in memory: the workers could not see it
    years = stored_years("district", using="postgres")
    assert years == [str(y) for y in range(2009, 2023)]

    options = CompareOptions(reference="municipality")
    parts = list(compare_country("district", options, workers=2, using="postgres"))
    assert [str(p.figures.frame["period"].iloc[0]) for p in parts] == years

    whole = compare_all(Figures.from_tables([table], catalogue), options)
    keys = {"results": ["area_code", "indicator", "period"],
            "themes": ["slice", "area_code", "theme"]}
    for name, key in keys.items():
        got = _plain(pd.concat([getattr(p, name) for p in parts], ignore_index=True), key)
        want = _plain(getattr(whole, name), key)
        # The stored figures carry the database's names and statuses; the numbers must agree.
        numeric = [c for c in want.columns if c in got.columns
                   and pd.api.types.is_float_dtype(want[c])]
        assert len(got) == len(want) > 0
        assert list(got[key].itertuples(index=False)) == list(want[key].itertuples(index=False))
        pd.testing.assert_frame_equal(got[numeric], want[numeric], check_dtype=False, obj=name)

    results = pd.concat([p.results for p in parts], ignore_index=True)
    column = "%_0to20"
    row = results[(results["area_code"] == "WK051834") & (results["period"] == "2016")
                  & (results["source_column"] == column)]
    assert row["z"].tolist() == pytest.approx([denhaag_z(raw, "WK051834", "2016", column)],
                                              rel=1e-9)
