"""The three steps in storage, on SQLite and PostgreSQL: the blind rating is the measure and is
frozen once stored; the rating after the picture gives the shift per group; rounds not asked
blind are labelled; a story's consent can be withdrawn through the same link, also after the
round closed. Expected values by hand (see each test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from urgency_web_support import answers, invite, make_round

from wijkbeeld.web.urgency.models import Answer, Response
from wijkbeeld.web.urgency.reading import area_matrix, round_infos
from wijkbeeld.web.urgency.services import (
    AnswerError,
    BlindFrozen,
    close_round,
    submit_response,
)
from wijkbeeld.web.urgency.steps import (
    BlindAnswer,
    BlindMissing,
    PictureAnswer,
    submit_blind,
    submit_picture,
    submit_story,
    withdraw_consent,
)
from wijkbeeld.web.voices.models import Voice

pytestmark = pytest.mark.django_db(databases="__all__")

WIJK = "WK0363AF"
#: group → (blind ratings on veiligheid, ratings after the picture)
RATINGS = {
    "residents": ((2, 3, 4, 5, 5), (4, 4, 4, 5, 5)),
    "professionals": ((4, 4, 4, 4, 5), (4, 4, 4, 4, 5)),
    "policy": ((5, 5, 4, 4), (3, 3, 3, 3)),
}


def answer_round(raw: Path, using: str) -> None:
    rnd = make_round(raw, using=using)
    for group, (blind, after) in RATINGS.items():
        for token, b, a in zip(invite(rnd, group, len(blind), using=using), blind, after,
                               strict=True):
            submit_blind(token, [BlindAnswer("veiligheid", b), BlindAnswer("wonen", 3)],
                         using=using)
            submit_picture(token, [PictureAnswer("veiligheid", a, "ja"),
                                   PictureAnswer("wonen", 3, "deels")], using=using)
    close_round(rnd, using=using)  # closed: every answer counts (open: steps of 5)


def test_blind_rating_is_the_measure_and_the_shift_is_apart(raw: Path, db_alias: str) -> None:
    answer_round(raw, db_alias)
    matrix = area_matrix(WIJK, with_figures=False, using=db_alias)
    assert matrix.round.blind is True
    residents = matrix.cell("veiligheid", "residents")
    assert residents is not None
    # Blind 2, 3, 4, 5, 5: urgent 3 of 5 = 0.6, mean 19 / 5 = 3.8 (after the picture it would
    # be 5 of 5 and 4.4: the published measure is the blind one).
    assert residents.share_urgent == pytest.approx(0.6)
    assert residents.mean == pytest.approx(3.8)
    shift = matrix.shift("veiligheid", "residents")
    assert shift is not None and shift.n == 5
    assert (shift.mean_before, shift.mean_after, shift.mean_shift) == pytest.approx(
        (3.8, 4.4, 0.6))
    assert shift.changes is True
    pro = matrix.shift("veiligheid", "professionals")
    assert pro is not None and pro.mean_shift == pytest.approx(0.0) and pro.changes is False
    policy = matrix.shift("veiligheid", "policy")
    assert policy is not None and policy.withheld and policy.n is None
    data = matrix.to_dict()
    assert data["round"]["blind"] is True
    assert {"group": "policy", "withheld": True, "n": None}.items() <= next(
        s for s in data["picture_shift"] if s["group"] == "policy"
        and s["theme"] == "veiligheid").items()


def test_blind_is_frozen_and_later_steps_need_it(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token, fresh = invite(rnd, "residents", 2, using=db_alias)
    with pytest.raises(BlindMissing):
        submit_picture(fresh, [PictureAnswer("veiligheid", 4), PictureAnswer("wonen", 4)],
                       using=db_alias)
    with pytest.raises(BlindMissing):
        submit_story(fresh, "Een verhaal.", consent=True, using=db_alias)
    with pytest.raises(AnswerError):  # every theme needs a blind answer
        submit_blind(token, [BlindAnswer("veiligheid", 4)], using=db_alias)
    assert not Response.objects.using(db_alias).exists()
    submit_blind(token, [BlindAnswer("veiligheid", 4), BlindAnswer("wonen", None)],
                 using=db_alias)
    before = sorted(Answer.objects.using(db_alias).values_list("theme", "rating"))
    with pytest.raises(BlindFrozen):
        submit_blind(token, [BlindAnswer("veiligheid", 1), BlindAnswer("wonen", 1)],
                     using=db_alias)
    with pytest.raises(BlindFrozen):  # the one-step path cannot overwrite it either
        submit_response(token, answers(1, 1), using=db_alias)
    submit_picture(token, [PictureAnswer("veiligheid", 2, "nee"),
                           PictureAnswer("wonen", 5, "ja")], using=db_alias)
    submit_picture(token, [PictureAnswer("veiligheid", 3, "deels"),
                           PictureAnswer("wonen", None, None)], using=db_alias)
    assert sorted(Answer.objects.using(db_alias).values_list(
        "theme", "rating", "rating_after", "recognition")) == [
        ("veiligheid", 4, 3, "deels"), ("wonen", None, None, "")]
    assert sorted(Answer.objects.using(db_alias).values_list("theme", "rating")) == before


def test_rounds_not_asked_blind_are_labelled(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    for token, rating in zip(invite(rnd, "residents", 2, using=db_alias), (4, 5), strict=True):
        submit_response(token, answers(rating, 3), using=db_alias)  # one step: not blind
    close_round(rnd, using=db_alias)
    assert round_infos(WIJK, using=db_alias)[0].blind is False
    matrix = area_matrix(WIJK, with_figures=False, using=db_alias)
    assert matrix.round.blind is False and matrix.shifts == ()
    from wijkbeeld.urgency import render_matrix

    assert render_matrix(matrix).splitlines()[2].startswith("Niet blind")


def test_consent_withdrawn_through_the_same_link(raw: Path, db_alias: str) -> None:
    rnd = make_round(raw, using=db_alias)
    token = invite(rnd, "residents", using=db_alias)[0]
    submit_blind(token, [BlindAnswer("veiligheid", 4), BlindAnswer("wonen", 2)], using=db_alias)
    submit_story(token, "Bel mij op 06-12345678: het plein is 's avonds onveilig.",
                 consent=True, theme="veiligheid", using=db_alias)
    voice = Voice.objects.using(db_alias).get()
    assert voice.consent is True and "06-12345678" not in voice.text
    # The story belongs to the theme it was written about, whatever the tagger says.
    assert "veiligheid" in set(voice.themes.values_list("theme", flat=True))
    close_round(rnd, using=db_alias)
    assert withdraw_consent(token, using=db_alias) is True
    assert Voice.objects.using(db_alias).get().consent is False
    assert withdraw_consent(token, using=db_alias) is False  # nothing left to withdraw


def test_withdraw_on_the_closed_page(raw: Path) -> None:
    rnd = make_round(raw)
    token = invite(rnd, "residents")[0]
    submit_blind(token, [BlindAnswer("veiligheid", 4), BlindAnswer("wonen", 2)])
    submit_story(token, "Het plein is 's avonds onveilig.", consent=True, theme="veiligheid")
    close_round(rnd)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/peiling/{token}/")
    assert page.status_code == 410
    html = page.content.decode()
    assert "Toestemming intrekken" in html
    import re

    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf is not None
    done = client.post(f"/peiling/{token}/", {"csrfmiddlewaretoken": csrf.group(1),
                                              "actie": "intrekken"})
    assert done.status_code == 410 and "Uw toestemming is ingetrokken" in done.content.decode()
    assert Voice.objects.get().consent is False


def test_an_open_round_shows_its_answers_only_in_steps_of_five(raw: Path, db_alias: str) -> None:
    """Refreshing the dashboard around one new answer never reveals it (issue 18): while the
    round is open the matrix counts the first 5, 10, … answers in arrival order."""
    rnd = make_round(raw, using=db_alias)
    tokens = invite(rnd, "residents", 11, using=db_alias)
    # blind 4, 4, 4, 4, 4, then 1, 1, 1, 1, 1, then 5
    ratings = [4] * 5 + [1] * 5 + [5]

    def answer(i: int) -> None:
        submit_blind(tokens[i], [BlindAnswer("veiligheid", ratings[i]),
                                 BlindAnswer("wonen", 3)], using=db_alias)

    def residents() -> object:
        cell = area_matrix(WIJK, with_figures=False, using=db_alias).cell("veiligheid",
                                                                          "residents")
        assert cell is not None
        return (cell.n, cell.mean)

    for i in range(5):
        answer(i)
    assert residents() == (5, 4.0)
    answer(5)  # a sixth answer (1): nothing changes, so nothing about it can be read off
    assert residents() == (5, 4.0)
    for i in range(6, 10):
        answer(i)
    assert residents() == (10, 2.5)  # (5 x 4 + 5 x 1) / 10
    answer(10)
    assert residents() == (10, 2.5)
    close_round(rnd, using=db_alias)  # closed: all 11, (20 + 5 + 5) / 11
    n, mean = residents()  # type: ignore[misc]
    assert n == 11 and mean == pytest.approx(30 / 11)


def test_participation_of_an_open_round_moves_in_steps_too(raw: Path, db_alias: str) -> None:
    """Issue 18: the agenda's coverage table counted every answer of an open round at once, so
    a refresh after one new answer showed which group it came from (and, beside the stepped
    results, which answers were its). It now leaves out the same answers the results do."""
    from wijkbeeld.web.agenda.reading import area_coverage

    rnd = make_round(raw, using=db_alias)
    residents = invite(rnd, "residents", 6, using=db_alias)
    professionals = invite(rnd, "professionals", 1, using=db_alias)

    def shown() -> dict[str, tuple[str, int | None]]:
        (cov,) = area_coverage(WIJK, [], using=db_alias)
        return {g.group: (g.state, g.n) for g in cov.groups}

    for token in residents[:5]:
        submit_blind(token, [BlindAnswer("veiligheid", 4), BlindAnswer("wonen", 3)],
                     using=db_alias)
    assert shown()["residents"] == ("genoeg", 5)
    submit_blind(professionals[0], [BlindAnswer("veiligheid", 2), BlindAnswer("wonen", 3)],
                 using=db_alias)
    # One professional answered: nothing on the page changes.
    assert shown() == {"residents": ("genoeg", 5), "professionals": ("ontbreekt", None),
                       "policy": ("ontbreekt", None)}
    close_round(rnd, using=db_alias)
    assert shown()["professionals"] == ("te_weinig", None)
