from django.apps import AppConfig


class TpsConfig(AppConfig):
    name = "rawan.web.tps"
    label = "tps"
