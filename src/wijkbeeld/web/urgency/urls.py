"""URLs of the rounds app (Dutch paths): the respondent form, the urgency dashboard and timeline,
and the set-up pages of a round (open, invite, close)."""

from django.urls import path

from wijkbeeld.web.urgency import respondent, setup_views, views

urlpatterns = [
    path("peiling/<str:token>/", respondent.respond, name="urgency-respond"),
    path("peilingen/nieuw/", setup_views.round_new, name="urgency-round-new"),
    path("peilingen/<int:pk>/", setup_views.round_detail, name="urgency-round"),
    path("peilingen/<int:pk>/sluiten/", setup_views.round_close, name="urgency-round-close"),
    path("urgentie/", views.round_list, name="urgency-rounds"),
    path("urgentie/<str:code>/", views.dashboard, name="urgency-dashboard"),
    path("urgentie/<str:code>/tijdlijn/", views.area_timeline, name="urgency-timeline"),
]
