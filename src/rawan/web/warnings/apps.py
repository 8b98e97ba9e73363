from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "rawan.web.warnings"
    label = "warnings"

    def ready(self):
        from . import signals  # noqa: F401  (connects the edition hooks)
