"""The language a user prefers (Dutch or English), stored on the account and applied at login.

Django chooses the page language from the language cookie, else the browser's Accept-Language,
else Dutch (``LANGUAGE_CODE``). Two small views make that choice follow the *person* rather than
the browser: the login view sets the cookie to the account's stored language, and the language
switch in the header (``/i18n/setlang/``, Django's own ``set_language``) also stores the choice
on the account of a signed-in user, so the next login on another computer opens in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from wijkbeeld.web.accounts.redirects import safe_next

__all__ = ["LoginView", "apply_language", "set_language"]


def _known(code: str) -> bool:
    return code in {c for c, _name in settings.LANGUAGES}


def apply_language(response: HttpResponse, code: str) -> HttpResponse:
    """Activate ``code`` and set Django's language cookie on ``response``."""
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class LoginView(auth_views.LoginView):
    """Django's login view that then switches to the account's preferred language, if any."""

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """Django's check, narrowed to same-site paths: ``next=evil`` or ``next=\\evil`` (which
        Django accepts as relative URLs) also land on the default page (issue 18, finding 4)."""
        request = request or self.request
        return safe_next(request, super().get_redirect_url(request)) or ""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        code = str(getattr(form.get_user(), "language", "") or "")
        if _known(code):
            apply_language(response, code)
        return response


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (same form, same cookie), which also stores the choice on the
    signed-in user's account."""
    response = django_set_language(request)
    code = request.POST.get("language", "") if request.method == "POST" else ""
    user = getattr(request, "user", None)
    if _known(code) and user is not None and user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response
