"""The respondent form at ``/peiling/<token>/``: three steps, asking before showing (issue 17).

1. ``?stap=1`` *Uw oordeel*: per theme how urgent it is, and why; **no figure, map or quote is
   in this page** (the blind rating is the urgency measure). Shown until step 1 is stored; after
   that it never comes back (the blind rating is frozen).
2. ``?stap=2`` *Het beeld*: per theme the figures in neutral words, a map in one neutral hue
   ("lager ↔ hoger") and what others said; then "herkent u dit beeld?" and the urgency again.
3. ``?stap=3`` *Uw verhaal*: an optional story about one theme, with a labelled consent
   checkbox. ``?verstuurd=1`` thanks the respondent; a quotable story can be withdrawn there,
   and on the "closed" page after the round has ended (``actie=intrekken``).

No account: the token is the key. Unknown token → a friendly 404; a closed round → 410. The page
is never cached and sends a referrer only to this site, so the token does not leak. The services
are in :mod:`wijkbeeld.web.urgency.steps`; this module only turns requests into those calls.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.web.urgency.forms import GENERAL, BlindForm, PictureForm, StoryForm
from wijkbeeld.web.urgency.models import Answer, Invitation, Response
from wijkbeeld.web.urgency.picture import round_picture
from wijkbeeld.web.urgency.services import (
    AnswerError,
    BlindFrozen,
    InvalidToken,
    RoundClosed,
    StaleSubmission,
    current_revision,
    invitation_for_token,
)
from wijkbeeld.web.urgency.steps import (
    BlindMissing,
    story_state,
    submit_blind,
    submit_picture,
    submit_story,
    withdraw_consent,
)

__all__ = ["respond"]

_TEMPLATES = {1: "wijkbeeld/urgency/respond_blind.html",
              2: "wijkbeeld/urgency/respond_picture.html",
              3: "wijkbeeld/urgency/respond_story.html"}


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    # same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with the
    # form's POST and Django's CSRF check rejects every answer; same-origin still never sends
    # the URL (with its token) to another site.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _go(request: HttpRequest, query: str) -> HttpResponse:
    return _private(HttpResponseRedirect(f"{request.path}?{query}"))


def _quotes(invitation: Invitation, themes: list[str]) -> dict[str, list[Any]]:
    """Up to two quotes per theme ("wat anderen zeiden"), only where the small-number rule
    allows quotes at all; the demo's fictitious voices marked ``example``."""
    from wijkbeeld.web.demo_voices import example_voice_ids
    from wijkbeeld.web.voices.services import quotes

    chosen = {theme: quotes(invitation.area, theme, n=2) for theme in themes}
    shown = {t: [] if c.withheld else list(c.quotes) for t, c in chosen.items()}
    examples = example_voice_ids(q.id for qs in shown.values() for q in qs)
    return {t: [{"text": q.text, "example": q.id in examples} for q in qs]
            for t, qs in shown.items()}


def _closed(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """The round has ended: say so; a quotable story can still be withdrawn."""
    withdrawn = False
    if request.method == "POST" and request.POST.get("actie") == "intrekken":
        withdrawn = withdraw_consent(token)
    state = story_state(invitation)
    context = {"round": invitation.round, "can_withdraw": bool(state and state.consent),
               "withdrawn": withdrawn}
    return _private(render(request, "wijkbeeld/urgency/closed.html", context, status=410))


def _add_problems(form: Any, exc: Exception) -> None:
    """The service's problems (Dutch, for the respondent) in the form's error summary."""
    for problem in getattr(exc, "problems", (str(exc),)):
        form.add_error(None, problem)


def _step(request: HttpRequest, response: Response | None) -> int:
    """The step to show: 1 until the blind step is stored, then 2, or 3 when asked for (and
    for the thanks and the withdrawal notes, which live on step 3)."""
    if response is None:
        return 1
    if request.method == "POST":
        return 3 if request.POST.get("stap") == "3" else 2
    wants_three = (request.GET.get("stap") == "3" or request.GET.get("verstuurd") == "1"
                   or request.GET.get("ingetrokken") == "1")
    return 3 if wants_three else 2


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent form of one invitation (see the module docstring for the steps)."""
    try:
        invitation = invitation_for_token(token)
    except InvalidToken:
        return _private(render(request, "wijkbeeld/urgency/link_unknown.html", status=404))
    rnd = invitation.round
    if not rnd.is_open:
        return _closed(request, invitation, token)
    from wijkbeeld.web.urgency.views import theme_names  # views imports this module

    names = theme_names()
    themes = [(key, names.get(key, key)) for key in rnd.themes]
    response = Response.objects.filter(invitation=invitation).first()
    if request.method == "POST" and request.POST.get("actie") == "intrekken":
        withdraw_consent(token)
        return _go(request, "ingetrokken=1")
    step = _step(request, response)
    if request.method == "POST" and request.POST.get("stap") == "1" and response is not None:
        # a second blind submission (another window, the back button): the first one stands
        return _go(request, "stap=2&vastgelegd=1")
    context: dict[str, Any] = {"round": rnd, "area": invitation.area, "step": step,
                               "steps": (1, 2, 3), "notice": ""}
    status = 200
    if step == 1:
        form: Any = BlindForm(themes, request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                submit_blind(token, form.answers(), round_key=rnd.key)
            except BlindFrozen:
                return _go(request, "stap=2&vastgelegd=1")
            except RoundClosed:
                return _closed(request, invitation, token)
            except AnswerError as exc:
                _add_problems(form, exc)
            else:
                return _go(request, "stap=2")
        context["blocks"] = [{"key": k, "name": n, "rating": form[f"{k}-rating"],
                              "comment": form[f"{k}-comment"]} for k, n in themes]
    elif step == 2:
        assert response is not None
        if request.method == "POST":
            form = PictureForm(themes, request.POST)
        else:
            initial = PictureForm.initial_from(list(Answer.objects.filter(response=response)))
            initial["revision"] = current_revision(invitation)
            form = PictureForm(themes, initial=initial)
        if form.is_bound and form.is_valid():
            try:
                submit_picture(token, form.answers(), revision=form.revision())
            except StaleSubmission:
                data = request.POST.copy()
                data["revision"] = current_revision(invitation)
                form = PictureForm(themes, data)
                form.is_valid()
                form.add_error(None, _("Uw antwoorden zijn intussen al opgeslagen, bijvoorbeeld "
                                       "vanuit een ander venster. Controleer ze en verstuur "
                                       "opnieuw om ze te vervangen."))
                status = 409
            except RoundClosed:
                return _closed(request, invitation, token)
            except (AnswerError, BlindMissing) as exc:
                _add_problems(form, exc)
            else:
                return _go(request, "stap=3")
        pictures = round_picture(invitation.area, list(rnd.themes), rnd.held_on.year, names)
        said = _quotes(invitation, list(rnd.themes))
        context["blocks"] = [
            {"key": k, "name": n, "picture": p, "quotes": said.get(k, []),
             "recognition": form[f"{k}-recognition"], "comment": form[f"{k}-comment"],
             "rating": form[f"{k}-rating"]}
            for (k, n), p in zip(themes, pictures, strict=True)]
        if request.GET.get("vastgelegd") == "1":
            context["notice"] = _("Uw eerste oordeel was al opgeslagen; dat verandert niet meer.")
    else:
        state = story_state(invitation)
        if request.method == "POST":
            form = StoryForm(themes, request.POST)
        else:
            initial = {} if state is None else {
                "story": state.story, "story_theme": state.theme or GENERAL,
                "story_consent": state.consent}
            form = StoryForm(themes, initial=initial)
        if form.is_bound and form.is_valid():
            try:
                submit_story(token, form.text(), consent=form.consent(), theme=form.theme())
            except RoundClosed:
                return _closed(request, invitation, token)
            except (AnswerError, BlindMissing) as exc:
                _add_problems(form, exc)
            else:
                return _go(request, "verstuurd=1")
        context["sent"] = request.GET.get("verstuurd") == "1"
        context["withdrawn"] = request.GET.get("ingetrokken") == "1"
        context["can_withdraw"] = bool(state and state.consent)
    context["form"] = form
    if form.is_bound and form.errors and status == 200:
        status = 400
    return _private(render(request, _TEMPLATES[step], context, status=status))
