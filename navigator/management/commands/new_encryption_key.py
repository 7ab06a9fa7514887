"""Print a new key for FIELD_ENCRYPTION_KEYS."""

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Print a new random key for FIELD_ENCRYPTION_KEYS. Put it first in the list, keep the "
        "old keys after it, then run: python manage.py reencrypt (see docs/operations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(Fernet.generate_key().decode())
