"""Issue 19, "no stigmatising headline": figures such as a detention history, extreme BMI or an
addiction may be in the area's table, its scores and its signals, but never lead its page as a
strength or a challenge. Checked on every Den Haag wijk of the real ELAN file, where these
figures would otherwise lead: the check that they would is part of the test, so it cannot pass
by having nothing to filter."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from wijkbeeld.compare import Comparison, Figures, compare_all, profile
from wijkbeeld.compare.themes import strengths_and_challenges
from wijkbeeld.figures.catalogue import load_catalogue, no_headline_keys
from wijkbeeld.figures.readers import read_figures

# Written out by hand from the catalogue's own words (detention, BMI above 45, addiction).
FLAGGED = {"elan_gedetineerd", "elan_bmi_boven_45", "elan_alcoholverslaving",
           "elan_alcoholverslaving_3jaar", "elan_alcoholverslaving_5jaar",
           "elan_medicatieverslaving", "elan_medicatieverslaving_3jaar",
           "elan_medicatieverslaving_5jaar"}


@cache
def _comparison(raw: Path) -> Comparison:
    table = read_figures(raw / "haaglanden-wijken-zorg" / "df_count_ver_3.csv")
    return compare_all(Figures.from_tables([table]))


def test_the_catalogue_flags_the_stigmatising_figures() -> None:
    assert no_headline_keys() == FLAGGED
    indicators = load_catalogue().indicators
    assert all(not indicators[k].headline for k in FLAGGED)
    # Origin is never a headline either: it is context only, outside every score.
    assert all(i.context_only for k, i in indicators.items() if "herkomst" in k)


def test_no_den_haag_wijk_leads_with_a_flagged_figure(raw: Path) -> None:
    comparison = _comparison(raw)
    results = comparison.results
    wijken = sorted(str(c) for c in results["area_code"].unique() if str(c).startswith("WK0518"))
    assert len(wijken) > 30
    last = max(str(p) for p in results["period"].unique())
    latest = results[results["period"].astype(str) == last]
    unfiltered = strengths_and_challenges(latest.assign(slice="x"), comparison.options)
    would_lead = set(unfiltered["indicator"]) & FLAGGED
    assert would_lead, "without the flag some wijk would lead with a flagged figure"
    for code in wijken:
        p = profile(comparison, code)
        led = {h.indicator for h in (*p.strengths, *p.challenges)}
        assert not led & FLAGGED, (code, led & FLAGGED)
        # ... while the flagged figures stay in the table.
        assert {i.indicator for i in p.indicators} & FLAGGED
