"""Cached comparisons are keyed by the data version: a stale result is never served.

Two "app servers" are two :class:`LruCache` objects sharing Django's database cache (as two
gunicorn workers or two machines do). One computes a comparison; the other finds it in the shared
cache; then an import of a changed file, a deleted batch and an admin edit each change the data,
and both servers must answer from the new data. Expected values come from the CSV files this test
writes (plain ``csv`` parsing), never from wijkbeeld's readers. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webpages_support import KWB_2024, KWB_DIR, wipe

BUURT = "BU0363AA03"
COLUMN = "Pct_Low_Income_Households"
INDICATOR = "huishoudens_laag_inkomen_pct"


def _write(raw: Path, folder: Path, changed: str | None) -> Path:
    """The first 40 lines of the KWB 2024 file (Amsterdam, its first wijken and buurten), with
    ``COLUMN`` of ``BUURT`` set to ``changed``; same file name, so the same period."""
    folder.mkdir()
    with (raw / KWB_DIR / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[:40]
    if changed is not None:
        col = rows[0].index(COLUMN)
        for row in rows[1:]:
            if row[2].strip() == BUURT:
                row[col] = changed
    path = folder / KWB_2024
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


def _expected(path: Path) -> float:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["Area_Code"].strip() == BUURT:
                return float(row[COLUMN].replace(",", "."))
    raise AssertionError(BUURT)


def _value(comparison: Any) -> float:
    rows = comparison.results
    rows = rows[(rows["area_code"] == BUURT) & (rows["indicator"] == INDICATOR)]
    if rows.empty:
        return math.nan
    assert len(rows) == 1
    return float(rows["raw_value"].iloc[0])


@pytest.fixture
def clean(db_alias: str) -> Iterator[str]:
    from wijkbeeld.web.pages.profile_cache import clear_caches

    wipe(db_alias)
    clear_caches()
    yield db_alias
    wipe(db_alias)
    clear_caches()


@pytest.mark.django_db(databases="__all__", transaction=False)
def test_no_stale_result_after_import_delete_or_edit(
    clean: str, raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.models import ImportBatch, Indicator
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.pages import profile_cache
    from wijkbeeld.web.pages.profile_cache import ComparisonKey, LruCache, import_stamp

    using = clean
    computed: list[Any] = []
    real = profile_cache._compute

    def counting(key: Any) -> Any:
        computed.append(key)
        return real(key)

    monkeypatch.setattr(profile_cache, "_compute", counting)
    # Two app servers: each its own local cache, one shared database cache between them.
    servers = [LruCache(8, shared="comparison"), LruCache(8, shared="comparison")]

    def ask(server: LruCache) -> float:
        stamp = import_stamp(using)  # read per request, before any figures
        key = ComparisonKey(using, "GM0363", ("neighbourhood",), None, "municipality", stamp)
        return _value(server.get((key,), lambda: profile_cache._compute(key), stamp))

    catalogue = load_catalogue()
    sync_catalogue(catalogue, using=using)
    first = _write(raw, tmp_path / "a", None)
    store_table(read_figures(first, catalogue=catalogue), who="test", using=using)
    old = _expected(first)

    assert ask(servers[0]) == old
    assert len(computed) == 1
    assert ask(servers[1]) == old  # found in the shared cache, not computed again
    assert len(computed) == 1 and servers[1].shared_hits == 1
    assert ask(servers[0]) == old and servers[0].hits == 1  # local hit

    # A changed file: the latest import wins, on both servers, with nothing stale in between.
    new_text = "77,5" if old != 77.5 else "12,5"
    second = _write(raw, tmp_path / "b", new_text)
    store_table(read_figures(second, catalogue=catalogue), who="test", using=using)
    new = _expected(second)
    assert new != old
    assert ask(servers[1]) == new
    assert ask(servers[0]) == new
    assert len(computed) == 2

    # Deleting the newer batch removes its figures (the older ones were replaced at import):
    # the buurt has no figure for the indicator any more, and no server serves the cached one.
    ImportBatch.objects.using(using).filter(file_name=str(second)).delete()
    assert math.isnan(ask(servers[0]))
    assert math.isnan(ask(servers[1]))
    assert len(computed) == 3

    # Import the first file again, then change a polarity by hand (as in the admin): the data
    # version moves with the edit, so the next comparison uses the new polarity.
    ImportBatch.objects.using(using).all().delete()
    store_table(read_figures(first, catalogue=catalogue), who="test", using=using)
    assert ask(servers[0]) == old
    before = import_stamp(using)
    indicator = Indicator.objects.using(using).get(key=INDICATOR)
    assert indicator.polarity == "higher_is_worse"
    indicator.polarity = "higher_is_better"
    indicator.save(using=using)
    assert import_stamp(using) != before
    computed.clear()
    stamp = import_stamp(using)
    key = ComparisonKey(using, "GM0363", ("neighbourhood",), None, "municipality", stamp)
    for server in servers:
        result = server.get((key,), lambda: profile_cache._compute(key), stamp)
        rows = result.results[result.results["indicator"] == INDICATOR]
        assert set(rows["polarity"].astype(str)) == {"higher_is_better"}
    assert len(computed) == 1  # one server computed it, the other read it from the shared cache


@pytest.mark.django_db(databases="__all__")
def test_stamp_is_one_query_and_counts_edits(clean: str, django_assert_num_queries: Any) -> None:
    from wijkbeeld.web.figures.models import Theme
    from wijkbeeld.web.figures.versioning import bump_data_version
    from wijkbeeld.web.pages.profile_cache import import_stamp

    using = clean
    first = import_stamp(using)
    with django_assert_num_queries(1, using=using):
        import_stamp(using)
    Theme.objects.using(using).create(key="t", name_nl="t", name_en="t")
    bump_data_version(using)
    # No batches yet: nothing to compare, so the stamp may stay; it never goes back.
    assert import_stamp(using).edits >= first.edits
