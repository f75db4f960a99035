from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "wijkbeeld.web.pages"
    label = "pages"
    verbose_name = "Pagina's"
