from django.apps import AppConfig


class EntryConfig(AppConfig):
    name = "rawan.web.entry"
    label = "entry"
