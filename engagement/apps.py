from django.apps import AppConfig


class EngagementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "engagement"
    verbose_name = "Engagement report"

    def ready(self) -> None:
        from engagement import receivers  # noqa: F401  (connects the receivers)
