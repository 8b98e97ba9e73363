from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rawan.web.accounts"
    label = "accounts"
