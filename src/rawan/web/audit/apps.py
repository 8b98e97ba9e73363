from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rawan.web.audit"
    label = "audit"
