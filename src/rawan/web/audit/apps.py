from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rawan.web.audit"
    label = "audit"

    def ready(self):
        from ..lengths import connect

        connect()
