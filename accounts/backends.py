from typing import Any

from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    """Django's sign-in by username and password, never for an organisation's API account
    (it has no usable password; this holds even if someone sets one by mistake)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not getattr(
            user, "is_service_account", False
        )
