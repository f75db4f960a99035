from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "wijkbeeld.web.areas"
    label = "areas"
    verbose_name = "Gebieden"
