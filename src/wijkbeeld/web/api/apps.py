from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wijkbeeld.web.api"
    label = "api"
    verbose_name = "API"
