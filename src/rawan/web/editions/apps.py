from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "rawan.web.editions"
    label = "editions"
