"""URLs of the agenda app (Dutch paths)."""

from django.urls import path

from wijkbeeld.web.agenda import views

urlpatterns = [
    path("agenda/", views.agenda_list, name="agenda-list"),
    path("agenda/gebied/<str:code>/", views.area_agenda, name="agenda-area"),
    path("agenda/gebied/<str:code>/nieuw/", views.agenda_new, name="agenda-new"),
    path("agenda/gebied/<str:code>/partij/", views.party_new, name="agenda-party-new"),
    path("agenda/gebied/<str:code>/tijdlijn/", views.area_timeline, name="agenda-timeline"),
    path("agenda/<int:pk>/punt/", views.item_new, name="agenda-item-new"),
    path("agenda/<int:pk>/vaststellen/", views.agenda_agree, name="agenda-agree"),
    path("agenda/punt/<int:pk>/wijzigen/", views.item_edit, name="agenda-item-edit"),
    path("agenda/punt/<int:pk>/versies/", views.item_history, name="agenda-item-history"),
    path("agenda/punt/<int:pk>/actie/", views.action_new, name="agenda-action-new"),
    path("agenda/actie/<int:pk>/voortgang/", views.action_report, name="agenda-action-report"),
    path("lerend-netwerk/", views.network, name="agenda-network"),
]
