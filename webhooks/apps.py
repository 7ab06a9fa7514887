from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self) -> None:
        # A notice written anywhere asks the dispatcher to look soon (after commit, and
        # harmless if the broker is down): partners knows nothing of webhooks.
        from partners.outbox import notices_recorded
        from webhooks.dispatch import nudge_dispatcher

        notices_recorded.connect(nudge_dispatcher, dispatch_uid="webhooks.nudge")
