from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"

    def ready(self) -> None:
        # A mistyped threshold must stop the service at start-up, not quietly do nothing.
        from alerts.early_warning import thresholds_from

        try:
            thresholds_from(settings.DISENGAGEMENT_THRESHOLDS)
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"DISENGAGEMENT_THRESHOLDS: {error}") from None
