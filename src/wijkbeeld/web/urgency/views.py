"""Pages of the rounds app: the respondent form (no account) and the urgency dashboard.

* ``/peiling/<token>/``: the personal link. Unknown token → a friendly 404; a closed round → 410
  ("deze peiling is gesloten"). Answers are stored through
  :func:`~wijkbeeld.web.urgency.services.submit_response`; sending again replaces them. The page
  is never cached and sends a referrer only to this site, so the token does not leak.
* ``/urgentie/``: the rounds the user may see; ``/urgentie/<code>/``: the matrix of themes ×
  groups of an area (every signed-in role may read; a user tied to a municipality sees only its
  areas). Withheld cells show "te weinig antwoorden (<5)" and no number at all.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.urgency import (
    GROUP_LABELS,
    GROUPS,
    GroupMeasures,
    MatrixRow,
    UrgencyError,
    UrgencyMatrix,
)
from wijkbeeld.web.accounts.access import (
    READERS,
    municipality_of,
    require_municipality,
    role_required,
)
from wijkbeeld.web.urgency.forms import ResponseForm
from wijkbeeld.web.urgency.models import Invitation, Round
from wijkbeeld.web.urgency.reading import area_matrix
from wijkbeeld.web.urgency.services import (
    AnswerError,
    InvalidToken,
    RoundClosed,
    ThemeAnswer,
    invitation_for_token,
    submit_response,
)

__all__ = ["dashboard", "respond", "round_list"]


def theme_names() -> dict[str, str]:
    """Dutch theme names from the catalogue (key → name)."""
    return {k: t.name_nl for k, t in load_catalogue().themes.items()}


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    # same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with the
    # form's POST and Django's CSRF check rejects every answer; same-origin still never sends
    # the URL (with its token) to another site.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _stored(invitation: Invitation) -> tuple[list[ThemeAnswer], str] | None:
    response = getattr(invitation, "response", None)
    if response is None:
        return None
    answers = [ThemeAnswer(a.theme, a.rating, a.recognition or None, a.comment)
               for a in response.answers.all()]
    return answers, response.story


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent form of one invitation."""
    try:
        invitation = invitation_for_token(token)
    except InvalidToken:
        return _private(render(request, "wijkbeeld/urgency/link_unknown.html", status=404))
    rnd = invitation.round
    if not rnd.is_open:
        return _private(render(request, "wijkbeeld/urgency/closed.html", {"round": rnd},
                               status=410))
    names = theme_names()
    themes = [(key, names.get(key, key)) for key in rnd.themes]
    stored = _stored(invitation)
    if request.method == "POST":
        form = ResponseForm(themes, request.POST)
        if form.is_valid():
            try:
                submit_response(token, form.answers(), story=form.story(), round_key=rnd.key)
            except RoundClosed:
                return _private(render(request, "wijkbeeld/urgency/closed.html",
                                       {"round": rnd}, status=410))
            except AnswerError as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                return _private(HttpResponseRedirect(f"{request.path}?verstuurd=1"))
    else:
        initial = ResponseForm.initial_from(*stored) if stored else None
        form = ResponseForm(themes, initial=initial)
    blocks = [{"key": key, "name": name, "rating": form[f"{key}-rating"],
               "recognition": form[f"{key}-recognition"], "comment": form[f"{key}-comment"]}
              for key, name in themes]
    context = {"round": rnd, "area": invitation.area, "form": form, "blocks": blocks,
               "sent": request.GET.get("verstuurd") == "1" and stored is not None,
               "answered_before": stored is not None}
    status = 400 if form.is_bound and form.errors else 200
    return _private(render(request, "wijkbeeld/urgency/respond.html", context, status=status))


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


def _nl(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}".replace(".", ",").replace("-", "−")


def _cell(cell: GroupMeasures | None) -> dict[str, Any]:
    """What a dashboard cell shows; a withheld cell carries no number at all."""
    if cell is None:
        return {"state": "none"}
    if cell.withheld or cell.share_urgent is None:
        return {"state": "withheld"}
    return {
        "state": "shown", "n": cell.n, "share": _pct(cell.share_urgent),
        "mean": _nl(cell.mean, 1), "rwg": _nl(cell.r_wg),
        "recognition": None if cell.recognition_withheld else _pct(cell.recognition),
        "recognition_withheld": cell.recognition_withheld,
    }


def _row(row: MatrixRow, names: dict[str, str]) -> dict[str, Any]:
    m = row.measures
    cls = row.classification
    fig = cls.figures
    return {
        "theme": row.theme, "name": names.get(row.theme, row.theme),
        "class_key": cls.key, "class_label": cls.label,
        "consensus": None if m is None or m.consensus is None else _nl(m.consensus),
        "cells": [(GROUP_LABELS[g], _cell(row.cell(g))) for g in GROUPS],
        "figures": None if fig is None else {"score": _nl(fig.score), "year": fig.year},
        "notes": list(cls.notes),
    }


def _matrix_context(matrix: UrgencyMatrix) -> dict[str, Any]:
    names = theme_names()
    rows = [_row(r, names) for r in matrix.rows]
    return {
        "matrix": matrix, "groups": [GROUP_LABELS[g] for g in GROUPS],
        "rows": rows, "has_notes": any(r["notes"] for r in rows),
        "alerts": [{"theme": names.get(a.theme, a.theme), "label": a.label, "message": a.message}
                   for a in matrix.alerts],
        "min_n": matrix.options.min_n,
    }


@role_required(*READERS)
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds with their areas (only the user's municipality when tied to one)."""
    own = municipality_of(request.user)
    rounds = Round.objects.prefetch_related("areas").order_by("-held_on", "key")
    if own is not None:
        rounds = rounds.filter(areas__municipality=own).distinct()
    return render(request, "wijkbeeld/urgency/rounds.html", {"rounds": rounds})


@role_required(*READERS)
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The urgency matrix of an area in one round (``?ronde=``, default the latest)."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    require_municipality(request.user, parsed.municipality or "")
    try:
        matrix = area_matrix(parsed.code, round_key=request.GET.get("ronde") or None)
    except UrgencyError as exc:
        raise Http404(_("Voor dit gebied zijn nog geen antwoorden.")) from exc
    context = _matrix_context(matrix)
    context["area_code"] = parsed.code
    return render(request, "wijkbeeld/urgency/dashboard.html", context)
