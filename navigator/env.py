"""Strict readers for settings taken from the environment.

A typo in production configuration must stop the service at start-up, not
quietly fall back to a default: every reader raises ImproperlyConfigured on a
value it does not understand.
"""

import json
import os
import re
from typing import Any

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default: dict[str, Any]) -> dict[str, Any]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object")
    return parsed


def env_fernet_keys(name: str, default: list[str]) -> list[str]:
    """Comma-separated Fernet keys, newest first. A bad key is named by its position only."""
    keys = env_list(name, default)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"Key {position} of {name} is not a Fernet key (44 characters of url-safe "
                "base64; make one with: python -m navigator.keys)"
            ) from None
    return keys


_RATE = re.compile(r"^[1-9][0-9]*/(second|minute|hour|day)$")


def env_rate(name: str, default: str) -> str:
    """A request rate such as ``600/minute`` (per second, minute, hour or day)."""
    value = os.environ.get(name) or default
    if not _RATE.match(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate like 600/minute (per second, minute, hour or day)"
        )
    return value
