from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "rawan.web.tasks"
    label = "rawan_tasks"
    default_auto_field = "django.db.models.BigAutoField"
