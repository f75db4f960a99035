"""The pages' unit words come from the core formatter: a share is "%", never "aandeel (0–1)"."""

from __future__ import annotations

from django.utils import translation

from wijkbeeld.web.pages.formatting import unit_label


def test_unit_words_follow_the_language() -> None:
    with translation.override("nl"):
        assert unit_label("fraction") == "%"
        assert unit_label("years") == "jaar"
        assert unit_label("per_km2") == "per km²"
    with translation.override("en"):
        assert unit_label("fraction") == "%"
        assert unit_label("years") == "years"
        assert unit_label("count") == "number"
