"""Pages to set up a round (issue 6): open it, make personal links, close it. Analysts and admins
only; an analyst tied to a municipality works only on rounds of its areas (403 otherwise).

* ``/peilingen/nieuw/``: key, title, date, a wijk or buurten of one wijk (stored areas of the
  user's municipality), themes of the catalogue; stored by
  :func:`~wijkbeeld.web.urgency.services.open_round` (nothing is stored on any error).
* ``/peilingen/<pk>/``: themes, areas, invitations and responses per group (no tokens: only their
  hashes are stored) and the form "uitnodigingen maken". Its POST makes the links with
  :func:`~wijkbeeld.web.urgency.services.create_invitations` and shows them once, on a response
  that is never cached.
* ``/peilingen/<pk>/sluiten/``: a confirmation page; its POST closes the round
  (:func:`~wijkbeeld.web.urgency.services.close_round`): the links then answer "gesloten".
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.web.accounts.access import (
    ANALYSTS,
    municipality_of,
    require_municipality,
    role_required,
)
from wijkbeeld.web.stakeholders import Group
from wijkbeeld.web.urgency.models import Invitation, Response, Round
from wijkbeeld.web.urgency.services import RoundError, close_round, create_invitations, open_round
from wijkbeeld.web.urgency.setup_forms import (
    InvitationForm,
    RoundForm,
    area_choices,
    initial_areas,
)
from wijkbeeld.web.urgency.views import theme_names

__all__ = ["round_close", "round_detail", "round_new"]


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    """The form "Nieuwe peiling"; a valid POST opens the round and goes to its page."""
    areas = area_choices(municipality_of(request.user))
    data = request.POST if request.method == "POST" else None
    form = RoundForm(areas, list(theme_names().items()), data,
                     initial=initial_areas(areas, request.GET.get("gebied", "")))
    if form.is_valid():
        codes = form.area_codes()
        for code in codes:  # the choices are already scoped; this is the backstop
            require_municipality(request.user, parse_code(code).municipality or "")
        try:
            rnd = open_round(form.cleaned_data["key"], codes, form.cleaned_data["themes"],
                             form.held_date(), title=form.cleaned_data["title"],
                             created_by=request.user)
        except RoundError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Peiling %(key)s is geopend.") % {"key": rnd.key})
            return HttpResponseRedirect(reverse("urgency-round", args=[rnd.pk]))
    status = 400 if form.is_bound else 200
    return render(request, "wijkbeeld/urgency/round_new.html", {"form": form}, status=status)


def _own_round(request: HttpRequest, pk: int) -> Round:
    """The round ``pk`` when the user may work on it (403 for a round of another municipality)."""
    rnd = get_object_or_404(Round, pk=pk)
    for gm in rnd.areas.values_list("municipality", flat=True).distinct():
        require_municipality(request.user, gm)
    return rnd


def _counts(rnd: Round) -> list[dict[str, Any]]:
    """Invitations, links used and responses per group (counts only; no tokens exist)."""
    invited = dict(Invitation.objects.filter(round=rnd).values_list("group")
                   .annotate(n=Count("pk")).values_list("group", "n"))
    used = dict(Invitation.objects.filter(round=rnd, used_at__isnull=False)
                .values_list("group").annotate(n=Count("pk")).values_list("group", "n"))
    answered = dict(Response.objects.filter(round=rnd).values_list("group")
                    .annotate(n=Count("pk")).values_list("group", "n"))
    return [{"key": key, "label": label, "invited": invited.get(key, 0),
             "used": used.get(key, 0), "responses": answered.get(key, 0)}
            for key, label in Group.choices]


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round with its counts and the form "uitnodigingen maken" (POST: the links, once)."""
    rnd = _own_round(request, pk)
    own_areas = list(rnd.areas.order_by("code"))
    area_opts = [(a.code, f"{a.name or a.code} ({a.code})") for a in own_areas]
    if request.method == "POST" and not rnd.is_open:
        messages.error(request, _("Deze peiling is gesloten; er zijn geen links gemaakt."))
        return HttpResponseRedirect(reverse("urgency-round", args=[rnd.pk]))
    form = InvitationForm(area_opts, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            tokens = create_invitations(
                rnd, form.cleaned_data["group"], form.cleaned_data["count"],
                organisation_type=form.cleaned_data["organisation_type"], area=form.target_area())
        except RoundError as exc:
            form.add_error(None, str(exc))
        else:
            links = [request.build_absolute_uri(reverse("urgency-respond", args=[t]))
                     for t in tokens]
            context = {"round": rnd, "links": links, "group": dict(Group.choices)[
                form.cleaned_data["group"]], "organisation": form.cleaned_data[
                "organisation_type"], "area": form.target_area()}
            response = render(request, "wijkbeeld/urgency/round_links.html", context)
            add_never_cache_headers(response)  # the links are shown this once only
            response["Referrer-Policy"] = "same-origin"
            return response
    names = theme_names()
    context = {"round": rnd, "areas": own_areas, "form": form, "counts": _counts(rnd),
               "themes": [(t, names.get(t, t)) for t in rnd.themes]}
    status = 400 if form.is_bound else 200
    return render(request, "wijkbeeld/urgency/round_detail.html", context, status=status)


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm closing a round (GET); close it (POST) and go back to its page."""
    rnd = _own_round(request, pk)
    if request.method == "POST":
        close_round(rnd)
        messages.success(request, _("Peiling %(key)s is gesloten; de links nemen geen antwoorden "
                                    "meer aan.") % {"key": rnd.key})
        return HttpResponseRedirect(reverse("urgency-round", args=[rnd.pk]))
    return render(request, "wijkbeeld/urgency/round_close.html", {"round": rnd})
