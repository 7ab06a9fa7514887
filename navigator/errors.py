"""Errors that services raise and every interface turns into a clear message."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "field_error", "validation_message"]


def field_error(field: str, message: str) -> ValidationError:
    """A refusal that names the field, so forms and the API can show it beside that field."""
    return ValidationError({field: [message]})


def validation_message(error: ValidationError) -> str:
    """One line naming each refused field, for commands and logs."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
