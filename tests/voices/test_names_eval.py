"""Names the way real text has them (issue 20, item 2), measured on the independent evaluation
set ``tests/voices/eval/names_eval.jsonl`` (394 hand-written sentences; how it was made:
``tests/voices/eval/README.md``).

The rules were tuned on the ``dev`` split only. The ``heldout`` split was scored once, after
tuning: names 90 of 97 (0.928), structured 13 of 14 (a lower-case postcode with a space leaked),
over-scrubbing 0.00 %. Four general faults behind those misses were then fixed (a first name that
is also a word before a surname, "JAN DE VRIES"; a shop name that is a first name, "dirk"; a
hyphenated surname with a place in it; a lower-case postcode after the word "postcode"), so the
held-out figures below (names 94 of 97, structured 14 of 14) are no longer clean held-out
figures: docs/voices.md gives both. The thresholds guard against regressions:

* names: a name counts as caught only when every one of its tokens is gone;
* structured identifiers (phone, e-mail, BSN, IBAN, postcode, licence plate): no leak at all;
* over-scrubbing: at most 2 % of the ordinary tokens (outside every listed span) removed.

The first tests check the scoring itself on small rows written here.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wijkbeeld.voices import Scrubber
from wijkbeeld.voices.evaluation_names import (
    EvalRow,
    ScrubScores,
    read_rows,
    score_scrubbing,
)

EVAL = Path(__file__).parent / "eval" / "names_eval.jsonl"
#: Measured now: heldout 0.969 (94 of 97; 0.928 when first scored), dev 0.990 (191 of 193);
#: the thresholds leave room for one name (heldout) or two (dev).
HELDOUT_NAME_RECALL = 0.95
DEV_NAME_RECALL = 0.98
MAX_OVER_SCRUBBING = 0.02


def _row(
    text: str,
    kind: str = "k",
    names: tuple[str, ...] = (),
    structured: tuple[str, ...] = (),
    addresses: tuple[str, ...] = (),
    keep: tuple[str, ...] = (),
) -> EvalRow:
    return EvalRow("t", text, names, structured, addresses, keep, "dev", kind)


def test_a_name_is_caught_only_when_all_its_tokens_are_gone() -> None:
    row = _row("Gesprek met Van den Heuvel-Smit over de tuin.",
               names=("Van den Heuvel-Smit",), keep=("tuin",))
    partly = score_scrubbing([row], lambda t: t.replace("Van den Heuvel", "[NAAM]"))
    assert partly.name_recall == 0.0  # "Smit" survived
    whole = score_scrubbing([row], lambda t: t.replace("Van den Heuvel-Smit", "[NAAM]"))
    assert whole.name_recall == 1.0 and whole.over_scrubbing == 0.0
    assert whole.overall.keep_survived.rate == 1.0


def test_over_scrubbing_counts_ordinary_tokens_and_lost_keep_words() -> None:
    row = _row("Brand in de flat, Fatima belde.", names=("Fatima",), keep=("Brand",))
    scores = score_scrubbing([row], lambda t: "[NAAM] in de flat, [NAAM] belde.")
    assert scores.name_recall == 1.0
    assert scores.overall.ordinary_removed.hits == 1  # "Brand"
    assert scores.over_scrubbing == pytest.approx(1 / 5)  # Brand in de flat belde
    assert scores.overall.keep_survived.rate == 0.0
    assert {(m.field, m.text) for m in scores.misses} == {("ordinary", "Brand"),
                                                          ("keep", "Brand")}


def test_structured_spans_addresses_and_kinds_are_scored_apart() -> None:
    rows = [
        _row("Bel 06-12345678 of kom naar Kerkstr 12.", structured=("06-12345678",),
             addresses=("Kerkstr 12",), kind="structured"),
        _row("Henk en Piet kwamen.", names=("Henk", "Piet"), kind="name_plain"),
    ]
    scores = score_scrubbing(rows, lambda t: t.replace("06-12345678", "[TELEFOON]")
                             .replace("Henk", "[NAAM]"))
    assert scores.structured_recall == 1.0 and scores.address_recall == 0.0
    assert scores.per_kind["name_plain"].name_recall == 0.5
    assert scores.per_kind["structured"].rows == 1
    assert isinstance(scores, ScrubScores)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scores.overall = scores.overall  # type: ignore[misc]
    with pytest.raises(TypeError):
        scores.per_kind["x"] = scores.overall  # type: ignore[index]


def test_the_set_is_split_and_read_by_split() -> None:
    everything = read_rows(EVAL)
    dev, heldout = read_rows(EVAL, "dev"), read_rows(EVAL, "heldout")
    assert len(everything) == len(dev) + len(heldout) >= 300
    assert {r.split for r in dev} == {"dev"} and {r.split for r in heldout} == {"heldout"}


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber()


@pytest.mark.parametrize(("split", "threshold"),
                         [("heldout", HELDOUT_NAME_RECALL), ("dev", DEV_NAME_RECALL)])
def test_name_recall_structured_leaks_and_over_scrubbing(
    scrubber: Scrubber, split: str, threshold: float
) -> None:
    scores = score_scrubbing(read_rows(EVAL, split), lambda t: scrubber.scrub(t).text)
    leaked = [m for m in scores.misses if m.field == "structured"]
    print(f"\n{split}: names {scores.overall.names.hits}/{scores.overall.names.total} "
          f"= {scores.name_recall:.3f}, structured {scores.structured_recall:.3f}, "
          f"addresses {scores.address_recall:.3f}, over-scrubbing {scores.over_scrubbing:.4f}")
    assert scores.name_recall >= threshold
    assert leaked == [] and scores.structured_recall == 1.0
    assert scores.over_scrubbing <= MAX_OVER_SCRUBBING
