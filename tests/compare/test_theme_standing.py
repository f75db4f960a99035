"""Strengths always shown (issue 19): which themes count as favourable, and which are named as
closest to the average when there are none; scores chosen by hand."""

from __future__ import annotations

import math

from wijkbeeld.compare import ThemeResult, theme_standing


def _theme(key: str, score: float) -> ThemeResult:
    return ThemeResult(theme=key, score=score, n_available=3, n_total=3, coverage=1.0,
                       indicators=(), unavailable=(), flags=(), withheld_reason="", rank=1.0,
                       n_ranked=10.0, quintile=1.0, stability=1.0, stability_draws=0,
                       seed=0)


def test_favourable_themes_best_first_and_nothing_else() -> None:
    got = theme_standing([_theme("wonen", 0.49), _theme("veiligheid", 0.91),
                          _theme("armoede_schulden", 0.5), _theme("jeugd", -1.2)])
    assert [t.theme for t in got.favourable] == ["veiligheid", "armoede_schulden"]
    assert got.closest == ()


def test_without_favourable_themes_the_closest_to_average_never_a_strength() -> None:
    got = theme_standing([_theme("wonen", -0.1), _theme("veiligheid", -1.4),
                          _theme("jeugd", 0.3), _theme("zorg", math.nan)])
    assert got.favourable == ()
    assert [t.theme for t in got.closest] == ["jeugd", "wonen"]
    assert theme_standing([]).closest == ()
