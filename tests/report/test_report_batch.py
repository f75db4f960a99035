"""Batch mode: ``wijkbeeld report --municipality GM --outdir D`` writes one report per area
with a progress bar, and compares the municipality once, not once per area."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import pytest
from report_support import DH_SERIES, KWB_2024, wijkbeeld

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.web.figures.store import store_table, sync_catalogue


def test_batch_of_den_haag_wijken(database: Path) -> None:
    outdir = database.parent / "batch"
    done = wijkbeeld(["report", "--municipality", "gm0518", "--level", "district",
                      "--outdir", str(outdir), "--format", "html", "--limit", "3"], database)
    assert done.returncode == 0, done.stderr
    with DH_SERIES.open(encoding="utf-8", newline="") as fh:
        names = {r["WKC"]: r["Wijknaam"].strip() for r in csv.DictReader(fh)
                 if r["WKC"].startswith("WK0518")}
    expected = sorted(names)[:3]
    assert sorted(p.stem for p in outdir.glob("*.html")) == expected
    for code in expected:
        assert names[code] in (outdir / f"{code}.html").read_text(encoding="utf-8")
    assert "rapporten" in done.stderr and "3/3" in done.stderr  # the tqdm progress bar
    assert done.stdout.startswith(f"3 rapporten in {outdir}")


def test_batch_needs_an_outdir_and_known_areas(database: Path) -> None:
    done = wijkbeeld(["report", "--municipality", "GM0363"], database)
    assert done.returncode == 2 and "--outdir" in done.stderr
    done = wijkbeeld(["report", "--municipality", "GM9999", "--outdir",
                      str(database.parent / "none")], database)
    assert done.returncode == 1 and "GM9999" in done.stderr


@pytest.mark.django_db
def test_one_comparison_per_municipality(monkeypatch: pytest.MonkeyPatch) -> None:
    import wijkbeeld.web.report_maps as report_maps
    from wijkbeeld.web.reports import build_report_data, municipality_context, report_areas

    catalogue = load_catalogue([])
    sync_catalogue(catalogue)
    store_table(read_figures(KWB_2024, catalogue=catalogue), who="test")
    report_maps.CONTEXTS.clear()
    calls: list[Any] = []
    real = report_maps.compare_all

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_maps, "compare_all", counted)
    # (the module, not the function of the same name that wijkbeeld.compare exports)
    profile_module = sys.modules["wijkbeeld.compare.profile"]
    monkeypatch.setattr(profile_module, "compare_all", lambda *a, **k: pytest.fail(
        "a report must not compare the municipality again per area"))
    codes = report_areas("GM0363", "neighbourhood")[:4]
    assert len(codes) == 4
    context = municipality_context("GM0363", "neighbourhood")
    first = [build_report_data(c, with_map=False, context=context) for c in codes]
    again = [build_report_data(c, with_map=False) for c in codes]  # the cached context
    assert len(calls) == 1
    assert [d.area.code for d in first] == codes
    assert [d.profile["indicators"] for d in first] == [d.profile["indicators"] for d in again]
    with pytest.raises(ValueError, match="is not a"):
        build_report_data("WK051801", with_map=False, context=context)
    report_maps.CONTEXTS.clear()
