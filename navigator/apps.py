from django.apps import AppConfig


class NavigatorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "navigator"

    def ready(self) -> None:
        from navigator import checks  # noqa: F401 - registers the deploy checks
