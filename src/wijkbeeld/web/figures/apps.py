from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "wijkbeeld.web.figures"
    label = "figures"
    verbose_name = "Cijfers"

    def ready(self) -> None:
        from wijkbeeld.web.figures.versioning import connect

        connect()
