"""Print a new key for FIELD_ENCRYPTION_KEYS: python -m navigator.keys

A module rather than a manage.py command, so that it runs before the settings can
(with DEBUG off they refuse to load until FIELD_ENCRYPTION_KEYS is set).
"""

from cryptography.fernet import Fernet


def new_key() -> str:
    return Fernet.generate_key().decode()


if __name__ == "__main__":
    print(new_key())
