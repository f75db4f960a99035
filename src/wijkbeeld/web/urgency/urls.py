"""URLs of the rounds app (Dutch paths): the respondent form, the urgency dashboard and timeline."""

from django.urls import path

from wijkbeeld.web.urgency import views

urlpatterns = [
    path("peiling/<str:token>/", views.respond, name="urgency-respond"),
    path("urgentie/", views.round_list, name="urgency-rounds"),
    path("urgentie/<str:code>/", views.dashboard, name="urgency-dashboard"),
    path("urgentie/<str:code>/tijdlijn/", views.area_timeline, name="urgency-timeline"),
]
