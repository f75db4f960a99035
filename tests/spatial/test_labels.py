"""Hotspot class labels: polarity decides the words, in Dutch and in English."""

from __future__ import annotations

from wijkbeeld.spatial.labels import CLUSTER_CODES, cluster_label, cluster_labels


def test_polarity_decides_what_high_high_means_in_both_languages() -> None:
    assert cluster_label("HH", "higher_is_worse") == "concentratie van opgaven"
    assert cluster_label("HH", "higher_is_better") == "concentratie van kracht"
    assert cluster_label("HH", "higher_is_worse", "en") == "concentration of challenges"
    assert cluster_label("LL", "higher_is_worse", "en") == "concentration of strength"
    assert cluster_label("LH", "neutral", "en") == "outlier (low-high)"


def test_every_code_has_a_distinct_label_in_each_language() -> None:
    for polarity in ("higher_is_worse", "higher_is_better", "neutral"):
        for language in ("nl", "en"):
            labels = cluster_labels(polarity, language)  # type: ignore[arg-type]
            assert list(labels) == list(CLUSTER_CODES)
            assert len(set(labels.values())) == len(CLUSTER_CODES)
        english = set(cluster_labels(polarity, "en").values())  # type: ignore[arg-type]
        assert not english & set(cluster_labels(polarity).values())  # type: ignore[arg-type]
