"""URLs of the voices pages (Dutch paths)."""

from django.urls import path

from wijkbeeld.web.voices import views

urlpatterns = [
    path("stemmen/", views.voice_list, name="voices-list"),
    path("stemmen/nieuw/<str:code>/", views.record, name="voices-record"),
    path("stemmen/gebied/<str:code>/", views.area_voices, name="voices-area"),
    path("stemmen/<int:pk>/", views.voice_detail, name="voices-detail"),
    path("stemmen/<int:pk>/themas/", views.confirm_themes, name="voices-confirm"),
]
