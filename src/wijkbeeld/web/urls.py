"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

from wijkbeeld.web.accounts.language import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's language switch, which also stores the choice on the signed-in user's account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("wijkbeeld.web.api.urls")),
    path("", include("wijkbeeld.web.pages.urls")),
    path("", include("wijkbeeld.web.urgency.urls")),
    path("", include("wijkbeeld.web.voices.urls")),
    path("", include("wijkbeeld.web.agenda.urls")),
    path("", include("wijkbeeld.web.jobs.urls")),
]
