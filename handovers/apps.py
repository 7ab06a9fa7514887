from django.apps import AppConfig


class HandoversConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "handovers"
