"""Template filters for dates in UK words and for the form pattern."""

from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone

from explainers.choices import LANGUAGE_TAGS
from explainers.choosing import language_key
from pages import words

register = template.Library()


@register.filter
def uk_date(value: date | datetime | None) -> str:
    """ "13 November 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = words.local(value).date()
    return words.full_date(value)


@register.filter
def uk_moment(value: datetime | None) -> str:
    """ "Friday 13 November 2026, 14:05"."""
    return words.full_moment(value) if value is not None else ""


@register.filter
def day(value: date | None) -> str:
    """ "today", "tomorrow", "Friday 13 November"."""
    return words.day_words(value, today=timezone.localdate()) if value is not None else ""


@register.filter
def when(value: datetime | None) -> str:
    """ "today at 14:05", "Friday 13 November at 09:00"."""
    return words.when_words(value, now=timezone.now()) if value is not None else ""


@register.filter
def iso(value: datetime | None) -> str:
    """For a <time datetime="..."> attribute."""
    return value.isoformat() if value is not None else ""


@register.filter
def error_anchor(field: Any) -> str:
    """The id an error summary links to: the field, or the first option of a group."""
    if getattr(field.field.widget, "input_type", "") in ("radio", "checkbox") and getattr(
        field.field, "choices", None
    ):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def input_type(field: Any) -> str:
    return getattr(field.field.widget, "input_type", "") or ""


@register.filter
def duration(value: timedelta | None) -> str:
    """ "30 minutes", "1 hour", "2 hours"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


@register.filter
def role_words(role: str) -> str:
    """A point of contact's role mid-sentence: "police", "NGO caseworker"."""
    return words.poc_role_words(str(role))


@register.filter
def language_tag(language: str) -> str:
    """The BCP 47 tag of a language as recorded ("Romanian" -> "ro"); "" when unknown."""
    return LANGUAGE_TAGS.get(language_key(language), "")
