"""Re-encrypt every encrypted value, history included, under the newest key."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from navigator.encryption import (
    EncryptedFieldMixin,
    RewriteCount,
    rewrite_stored_values,
    rotate,
    under_newest_key,
)


def encrypted_columns() -> list[tuple[str, str, list[str]]]:
    """(table, primary key column, encrypted columns) of every model, history tables included."""
    found = []
    for model in apps.get_models():
        columns = [
            f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)
        ]
        if columns and not model._meta.proxy:
            found.append((model._meta.db_table, model._meta.pk.column, columns))
    return sorted(found)


def rotate_unless_current(token: str) -> str | None:
    return None if under_newest_key(token) else rotate(token)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field, in every table and its history, under the first "
        "key of FIELD_ENCRYPTION_KEYS. Safe to run while Navigator is in use and to run again; "
        "afterwards the older keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        total = RewriteCount()
        for table, pk, columns in encrypted_columns():
            count = rewrite_stored_values(
                connection,
                table=table,
                pk=pk,
                columns=columns,
                rewrite=rotate_unless_current,
                batch_size=batch_size,
            )
            self.stdout.write(
                f"{table}: {count.rewritten} re-encrypted, {count.unchanged} already under the "
                f"newest key"
                + (f", {count.undecryptable} NOT DECRYPTABLE" if count.undecryptable else "")
            )
            total.rewritten += count.rewritten
            total.unchanged += count.unchanged
            total.undecryptable += count.undecryptable
        if total.undecryptable:
            raise CommandError(
                f"{total.undecryptable} values could not be decrypted with any key in "
                "FIELD_ENCRYPTION_KEYS, and were left as they are. Put back the key they were "
                "encrypted with (after the newest) and run this again; keep every old key "
                "until it reports none."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {total.rewritten} values re-encrypted, {total.unchanged} already current. "
                "Only the first key of FIELD_ENCRYPTION_KEYS is needed now."
            )
        )
