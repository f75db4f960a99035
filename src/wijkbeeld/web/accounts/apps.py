from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wijkbeeld.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
