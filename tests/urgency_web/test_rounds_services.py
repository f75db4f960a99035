"""Rounds storage and services on SQLite and PostgreSQL: hashed tokens, one response per token,
resubmission replaces, closed round and other-round tokens rejected with the database unchanged,
free text scrubbed, and the frame handed to the core checked by hand."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError, connections, transaction
from urgency_web_support import THEMES, answers, invite, make_round, store_wijk

from wijkbeeld.urgency import measure, validate_responses
from wijkbeeld.web.urgency.models import Answer, Invitation, Response, Round
from wijkbeeld.web.urgency.reading import responses_frame, round_infos
from wijkbeeld.web.urgency.services import (
    AnswerError,
    InvalidToken,
    RoundClosed,
    RoundError,
    ThemeAnswer,
    WrongRound,
    close_round,
    create_invitations,
    open_round,
    submit_response,
)

pytestmark = pytest.mark.django_db(databases="__all__")


def snapshot(using: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    responses = list(Response.objects.using(using).order_by("id").values_list(
        "id", "invitation_id", "story", "updated_at"))
    stored = list(Answer.objects.using(using).order_by("id").values_list(
        "id", "response_id", "theme", "rating", "recognition", "comment"))
    return responses, stored


def test_token_is_stored_only_as_its_sha256(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    tokens = invite(rnd, "professionals", 3, using=db_alias)
    assert len(set(tokens)) == 3 and all(len(t) == 43 for t in tokens)
    hashes = set(Invitation.objects.using(db_alias).values_list("token_hash", flat=True))
    assert hashes == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    # No column of any row of the invitation table holds a plain token.
    table = Invitation._meta.db_table
    with connections[db_alias].cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        cells = [str(c) for row in cursor.fetchall() for c in row]
    assert not any(t in c for t in tokens for c in cells)


def test_submit_then_resubmit_replaces_the_answers(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, using=db_alias)[0]
    first = submit_response(token, answers(5, 2, "ja"), using=db_alias)
    assert not first.replaced
    inv = Invitation.objects.using(db_alias).get()
    assert inv.used_at is not None
    used = inv.used_at
    second = submit_response(token, answers(None, 4, "nee"), story="Het is hier rustig.",
                             using=db_alias)
    assert second.replaced and second.response_id == first.response_id
    assert Response.objects.using(db_alias).count() == 1
    stored = sorted(Answer.objects.using(db_alias).values_list("theme", "rating", "recognition"))
    assert stored == [("veiligheid", None, "nee"), ("wonen", 4, "nee")]
    inv.refresh_from_db(using=db_alias)
    assert inv.used_at == used  # the first use is kept
    response = Response.objects.using(db_alias).get()
    assert (response.group, response.area.code, response.story) == (
        "residents", "WK0363AF", "Het is hier rustig.")


def test_closed_round_accepts_nothing(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token, later = invite(rnd, count=2, using=db_alias)
    submit_response(token, answers(4, 4), using=db_alias)
    close_round(rnd, using=db_alias)
    assert rnd.status == "closed" and rnd.closed_at is not None
    before = snapshot(db_alias)
    for t in (token, later):
        with pytest.raises(RoundClosed):
            submit_response(t, answers(1, 1), using=db_alias)
    assert snapshot(db_alias) == before
    assert Invitation.objects.using(db_alias).filter(used_at__isnull=False).count() == 1
    with pytest.raises(RoundClosed):
        create_invitations(rnd, "policy", using=db_alias)


def test_token_of_one_round_cannot_be_used_for_another(raw: Path, db_alias: str) -> None:
    round_a = make_round(raw, "2024-voorjaar", using=db_alias)
    round_b = open_round("2024-najaar", ["WK0363AF"], THEMES, date(2024, 10, 1), using=db_alias)
    token_a = invite(round_a, using=db_alias)[0]
    with pytest.raises(WrongRound):
        submit_response(token_a, answers(3, 3), round_key=round_b.key, using=db_alias)
    assert snapshot(db_alias) == ([], [])
    assert Invitation.objects.using(db_alias).get().used_at is None
    done = submit_response(token_a, answers(3, 3), round_key=round_a.key, using=db_alias)
    assert done.round_key == "2024-voorjaar"
    assert not Response.objects.using(db_alias).filter(round=round_b).exists()


def test_unknown_and_malformed_tokens(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, using=db_alias)[0]
    other = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (other, "", "x" * 43 + "'; --", hashlib.sha256(token.encode()).hexdigest()):
        with pytest.raises(InvalidToken):
            submit_response(bad, answers(3, 3), using=db_alias)
    assert snapshot(db_alias) == ([], [])


@pytest.mark.parametrize("given, problem", [
    ([ThemeAnswer("veiligheid", 4)], "thema 'wonen' is niet beantwoord"),
    ([ThemeAnswer("veiligheid", 6), ThemeAnswer("wonen", 1)], "oordeel 6 is geen 1 t/m 5"),
    ([ThemeAnswer("veiligheid", 0), ThemeAnswer("wonen", 1)], "oordeel 0 is geen 1 t/m 5"),
    ([ThemeAnswer("veiligheid", True), ThemeAnswer("wonen", 1)], "oordeel True"),  # type: ignore[arg-type]
    ([ThemeAnswer("veiligheid", 3, "misschien"), ThemeAnswer("wonen", 1)], "herkenning"),
    ([*answers(3, 3), ThemeAnswer("armoede_schulden", 2)], "hoort niet bij deze peiling"),
    ([*answers(3, 3), ThemeAnswer("wonen", 2)], "twee keer beantwoord"),
])
def test_invalid_answers_store_nothing(
    raw: Path, db_alias: str, given: list[ThemeAnswer], problem: str
) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, using=db_alias)[0]
    with pytest.raises(AnswerError) as info:
        submit_response(token, given, using=db_alias)
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert snapshot(db_alias) == ([], [])
    assert Invitation.objects.using(db_alias).get().used_at is None


def test_free_text_is_scrubbed_before_storage(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, using=db_alias)[0]
    comment = "Bel Jan de Vries op 06-12345678 over de overlast."
    story = "Mail mij: j.devries@example.nl, ik woon op Kanaalstraat 12, 3531 CD."
    done = submit_response(token, answers(4, 3, comment=comment), story=story, using=db_alias)
    stored = Answer.objects.using(db_alias).get(theme="veiligheid").comment
    response = Response.objects.using(db_alias).get()
    for secret in ("06-12345678", "Jan de Vries", "j.devries@example.nl", "Kanaalstraat 12",
                   "3531 CD"):
        assert secret not in stored and secret not in response.story
    assert "[TELEFOON]" in stored and "overlast" in stored
    assert "[EMAIL]" in response.story
    assert done.scrub_counts["TELEFOON"] == 1 and done.scrub_counts["EMAIL"] == 1


def test_database_allows_one_response_per_invitation(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, using=db_alias)[0]
    submit_response(token, answers(2, 2), using=db_alias)
    first = Response.objects.using(db_alias).get()
    with pytest.raises(IntegrityError), transaction.atomic(using=db_alias):
        Response.objects.using(db_alias).create(
            round=rnd, invitation=first.invitation, area=first.area, group="residents",
            respondent="another-id")
    with pytest.raises(IntegrityError), transaction.atomic(using=db_alias):
        Answer.objects.using(db_alias).create(response=first, theme="wonen", rating=9)


def test_open_round_rules(raw: Path, db_alias: str) -> None:
    store_wijk(raw, "WK0363AF", db_alias)
    store_wijk(raw, "WK0363AA", db_alias)
    for areas, themes, key in [
        (["WK0363AF", "WK0363AA"], THEMES, "twee-wijken"),
        (["GM0363"], THEMES, "gemeente"),
        (["WK0363ZZ"], THEMES, "onbekend"),
        (["WK0363AF"], ["veiligheid", "klimaat"], "thema"),
        (["WK0363AF"], [], "leeg"),
        (["WK0363AF"], THEMES, "spatie in sleutel"),
    ]:
        with pytest.raises(RoundError):
            open_round(key, areas, themes, date(2024, 1, 1), using=db_alias)
    assert not Round.objects.using(db_alias).exists()
    rnd = open_round("r1", ["wk0363af"], ["wonen", "veiligheid"], date(2024, 1, 1),
                     using=db_alias)
    assert rnd.themes == ["veiligheid", "wonen"]  # catalogue order
    with pytest.raises(RoundError):
        open_round("r1", ["WK0363AF"], THEMES, date(2024, 1, 1), using=db_alias)


def test_responses_frame_feeds_the_core(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    resident_ratings = [(4, 5), (5, 2), (2, None), (4, 4), (5, 1), (1, 3)]
    for token, (v, w) in zip(invite(rnd, "residents", 6, using=db_alias), resident_ratings,
                             strict=True):
        submit_response(token, answers(v, w, "deels" if v == 4 else "ja"), using=db_alias)
    for token in create_invitations(rnd, "professionals", 2, organisation_type="Welzijn",
                                    using=db_alias):
        submit_response(token, answers(5, 5, None), using=db_alias)
    frame = responses_frame(rnd, using=db_alias)
    assert len(frame) == 16
    assert set(frame["respondent"]) == {f"inv-{pk}" for pk in
                                        Invitation.objects.using(db_alias).values_list("id",
                                                                                       flat=True)}
    measures = measure(validate_responses(frame))
    cell = measures.get("2024-voorjaar", "WK0363AF", "veiligheid").group("residents")
    assert cell is not None
    # By hand: 4, 5, 2, 4, 5, 1 → mean 21/6 = 3.5; urgent (≥ 4): 4 of 6.
    assert cell.n == 6 and cell.mean == pytest.approx(3.5) and cell.n_urgent == 4
    # Recognition: ja ×4, deels ×2 → (4 + 0.5 · 2) / 6.
    assert cell.recognition == pytest.approx(5 / 6)
    wonen = measures.get("2024-voorjaar", "WK0363AF", "wonen").group("residents")
    assert wonen is not None and (wonen.n, wonen.n_dont_know) == (5, 1)
    prof = measures.get("2024-voorjaar", "WK0363AF", "veiligheid").group("professionals")
    assert prof is not None and prof.withheld and prof.mean is None  # 2 < 5
    assert set(frame.loc[frame["group"] == "professionals", "organisation_type"]) == {"welzijn"}
    assert [r.key for r in round_infos("WK0363AF", using=db_alias)] == ["2024-voorjaar"]
