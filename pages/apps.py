from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The web pages: sign-in, Today, the case page and its forms. It sits on top of every
    other app and nothing below imports it."""

    name = "pages"

    def ready(self) -> None:
        from pages import receivers  # noqa: F401 - connects the sign-in receivers
