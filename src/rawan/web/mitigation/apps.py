from django.apps import AppConfig


class MitigationConfig(AppConfig):
    name = "rawan.web.mitigation"
    label = "mitigation"
