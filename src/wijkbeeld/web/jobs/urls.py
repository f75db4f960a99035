"""URLs of the jobs app (Dutch paths)."""

from django.urls import path

from wijkbeeld.web.jobs import import_views, views

urlpatterns = [
    path("taken/", views.job_list, name="job-list"),
    path("taken/rapporten/", views.report_batch_start, name="job-report-batch"),
    path("taken/import/", import_views.import_start, name="job-import"),
    path("taken/<int:pk>/resultaat.zip", views.job_download, name="job-download"),
]
