"""Encryption at rest for the fields that could get a person hurt if a copy of the
database leaked: where a victim lives, how to reach them safely, and what
navigators write about them.

The fields are django-fernet-encrypted-fields' field classes on cryptography's
Fernet (AES-128-CBC with an HMAC-SHA256 tag, a fresh IV for every value), changed
where the library's choices do not suit data like ours:

- **Keys come from ``FIELD_ENCRYPTION_KEYS``**, newest first, not from
  ``SECRET_KEY``. The library derives its key from ``SECRET_KEY`` (PBKDF2 with a
  ``SALT_KEY``), so replacing a leaked session key would mean re-encrypting every
  record, and reading the records meanwhile would mean keeping the leaked key in
  ``SECRET_KEY_FALLBACKS``, where it still signs sessions. Here the two are apart.
- **A value no key decrypts is an error**, never shown as it is. The library hands
  the ciphertext back as if it were the value, and the next save encrypts it again.
- **Empty stays empty.** The library stores an empty value as NULL, which breaks
  NOT NULL columns and the check constraints that ask "is a reason given?".
  (So whether a field is empty is visible in the database, as it was before.)
- **Decrypted once, when a row is read.** The library also decrypts in
  ``to_python`` and, while cleaning a form, marks the field (shared by every
  thread) so as not to; here form input is plain text and nothing is marked.
- **Only "is it empty?" lookups.** A search inside ciphertext finds nothing, quietly;
  any other lookup on these fields raises at once instead.

Ciphertext still shows roughly how long a value is and when it was encrypted.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import transaction
from django.db.models import Lookup
from django.db.models.lookups import Exact, IsNull
from encrypted_fields import fields as library


class DecryptionError(Exception):
    """A stored value that no key in FIELD_ENCRYPTION_KEYS decrypts (a retired key missing?)."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # The keys were checked when the settings were read (navigator.env.env_fernet_keys).
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """Encrypts with the newest key and decrypts with any of them."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def newest_key_only() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeEncodeError):
        # The value itself stays out of the message: it may be plain text.
        raise DecryptionError(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS"
        ) from None


def under_newest_key(token: str) -> bool:
    try:
        newest_key_only().decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """``token`` encrypted again under the newest key (its timestamp kept)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError(
            "A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS"
        ) from None


class EmptyOnlyExact(Exact):
    """``field=""`` (the check constraints ask it); equality with a value cannot work."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "" and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with ''."
            )
        return super().get_prep_lookup()


class EncryptedFieldMixin(library.EncryptedFieldMixin):
    """Replaces the library's key handling, decryption and lookups (see the module docstring)."""

    @property  # type: ignore[override]
    def keys(self) -> list[bytes]:
        return [key.encode() for key in settings.FIELD_ENCRYPTION_KEYS]

    @property  # type: ignore[override]
    def f(self) -> MultiFernet:
        return fernet()

    def get_prep_value(self, value: Any) -> Any:
        # The plain field's preparation (skipping the library's), then encryption.
        value = super(library.EncryptedFieldMixin, self).get_prep_value(value)  # type: ignore[misc]
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        return super(library.EncryptedFieldMixin, self).to_python(value)  # type: ignore[misc]

    def clean(self, value: Any, model_instance: Any) -> Any:
        return super(library.EncryptedFieldMixin, self).clean(value, model_instance)  # type: ignore[misc]

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None  # lower(), trim() and the like would only see ciphertext


class EncryptedCharField(EncryptedFieldMixin, library.EncryptedCharField):
    pass


class EncryptedTextField(EncryptedFieldMixin, library.EncryptedTextField):
    pass


class EncryptedEmailField(EncryptedFieldMixin, library.EncryptedEmailField):
    pass


# Rewriting what is stored: the data migrations that first encrypted these columns, and
# the re-encryption under the newest key (manage.py reencrypt). Raw SQL, so that neither
# a save nor a history row is involved: re-encrypting is not a change to the record.


@dataclass
class RewriteCount:
    rewritten: int = 0
    unchanged: int = 0
    undecryptable: int = 0


def rewrite_stored_values(
    connection: Any,
    *,
    table: str,
    pk: str,
    columns: Sequence[str],
    rewrite: Callable[[str], str | None],
    batch_size: int = 1000,
) -> RewriteCount:
    """Pass every non-empty value of ``columns`` through ``rewrite`` and store what it returns.

    ``rewrite`` returns the new value, or None to leave it. Rows are read in primary key
    order, a batch per transaction; each write is conditional on the value being what was
    read, so a person's change made meanwhile is never overwritten. A value ``rewrite``
    cannot decrypt is counted and left as it is.
    """
    quote = connection.ops.quote_name
    selected = ", ".join(quote(c) for c in columns)
    count = RewriteCount()
    last = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            where = f"WHERE {quote(pk)} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {quote(pk)}, {selected} FROM {quote(table)} "  # noqa: S608 - names from the models
                f"{where}ORDER BY {quote(pk)} LIMIT %s",
                [*([last] if last is not None else []), batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return count
            last = rows[-1][0]
            updates: dict[str, list[tuple[str, Any, str]]] = {c: [] for c in columns}
            for row in rows:
                for column, value in zip(columns, row[1:], strict=True):
                    if not value:
                        continue
                    try:
                        new = rewrite(value)
                    except DecryptionError:
                        count.undecryptable += 1
                        continue
                    if new is None:
                        count.unchanged += 1
                    else:
                        updates[column].append((new, row[0], value))
            for column, params in updates.items():
                if params:
                    cursor.executemany(
                        f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608 - names from the models
                        f"WHERE {quote(pk)} = %s AND {quote(column)} = %s",
                        params,
                    )
                    count.rewritten += len(params)


def encrypt_plain_values(apps: Any, schema_editor: Any, fields: dict[str, Sequence[str]]) -> None:
    """For a data migration: encrypt the values stored in plain text before these fields were
    encrypted. ``fields`` maps "app_label.ModelName" to field names."""
    _rewrite_for_migration(apps, schema_editor, fields, encrypt)


def decrypt_to_plain_values(
    apps: Any, schema_editor: Any, fields: dict[str, Sequence[str]]
) -> None:
    """The reverse of ``encrypt_plain_values``."""
    _rewrite_for_migration(apps, schema_editor, fields, decrypt)


def _rewrite_for_migration(
    apps: Any,
    schema_editor: Any,
    fields: dict[str, Sequence[str]],
    rewrite: Callable[[str], str],
) -> None:
    for label, names in fields.items():
        model = apps.get_model(label)
        count = rewrite_stored_values(
            schema_editor.connection,
            table=model._meta.db_table,
            pk=model._meta.pk.column,
            columns=[model._meta.get_field(name).column for name in names],
            rewrite=rewrite,
        )
        if count.undecryptable:
            raise DecryptionError(
                f"{count.undecryptable} values in {label} could not be decrypted with any key "
                "in FIELD_ENCRYPTION_KEYS"
            )
