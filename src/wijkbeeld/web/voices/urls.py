"""URLs of the voices pages (Dutch paths)."""

from django.urls import path

from wijkbeeld.web.voices import intake, trigger_views, views

urlpatterns = [
    path("stemmen/", views.voice_list, name="voices-list"),
    path("stemmen/gesprek/", intake.intake, name="voices-intake"),
    path("stemmen/gesprek/<int:pk>/", intake.intake_saved, name="voices-intake-saved"),
    path("stemmen/beoordelen/", views.review, name="voices-review"),
    path("stemmen/nieuw/<str:code>/", views.record, name="voices-record"),
    path("stemmen/gebied/<str:code>/", views.area_voices, name="voices-area"),
    path("stemmen/<int:pk>/", views.voice_detail, name="voices-detail"),
    path("stemmen/<int:pk>/themas/", views.confirm_themes, name="voices-confirm"),
    path("gebied/<str:code>/<int:year>/aanleidingen/nieuw/", trigger_views.trigger_add,
         name="trigger-add"),
    path("aanleidingen/<int:pk>/wijzigen/", trigger_views.trigger_edit, name="trigger-edit"),
    path("aanleidingen/<int:pk>/afsluiten/", trigger_views.trigger_close, name="trigger-close"),
]
