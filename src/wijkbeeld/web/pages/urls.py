"""URLs of the pages. Dutch paths: the interface is Dutch first."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from wijkbeeld.web.accounts.language import LoginView
from wijkbeeld.web.pages import (
    export_views,
    map_views,
    national_map,
    report_views,
    search_views,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", search_views.search, name="search"),
    # Open to everyone, residents with an invitation link included: it only explains words.
    path("begrippen/", TemplateView.as_view(template_name="wijkbeeld/glossary.html"),
         name="glossary"),
    path("gemeente/<str:code>/", views.municipality_detail, name="municipality"),
    path("gebied/<str:code>/<int:year>/", views.area_detail, name="area"),
    path("gebied/<str:code>/<int:year>/rapport.pdf", report_views.area_report,
         {"fmt": "pdf"}, name="area_report_pdf"),
    path("gebied/<str:code>/<int:year>/rapport.html", report_views.area_report,
         {"fmt": "html"}, name="area_report_html"),
    path("gebied/<str:code>/<int:year>/profiel.<str:fmt>", export_views.area_table,
         {"what": "profiel"}, name="area_profile_table"),
    path("gebied/<str:code>/<int:year>/vergelijking.<str:fmt>", export_views.area_table,
         {"what": "vergelijking"}, name="area_comparison_table"),
    path("urgentie/<str:code>/matrix.<str:fmt>", export_views.urgency_table,
         name="urgency_table"),
    path("kaart/", map_views.map_index, name="map_index"),
    # Before kaart/<str:code>/: "nederland" is not a municipality code.
    path("kaart/nederland/", national_map.national_page, name="map_national"),
    path("kaart/nederland/data.json", national_map.national_data, name="map_national_data"),
    path("kaart/<str:code>/", map_views.map_page, name="map"),
    path("kaart/<str:code>/data.json", map_views.map_data, name="map_data"),
    path("kaart/<str:code>/gebieden.<str:fmt>", export_views.map_file, name="map_file"),
    path(
        "inloggen/",
        LoginView.as_view(
            template_name="wijkbeeld/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
]
