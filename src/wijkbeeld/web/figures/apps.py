from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "wijkbeeld.web.figures"
    label = "figures"
    verbose_name = "Cijfers"
