"""The feed's renderer writes the very bytes DRF's renderer writes, only faster."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from navigator.api.renderers import FastJSONRenderer

LONDON = ZoneInfo("Europe/London")
# Hypothesis takes naive bounds, and gives moments in the time zone asked for.
moments = st.datetimes(
    min_value=datetime(1900, 1, 2),  # noqa: DTZ001
    max_value=datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=st.just(UTC),
).map(lambda moment: moment.astimezone(LONDON))
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text() | moments
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_the_same_bytes_as_drf_for_whatever_the_api_writes(data: object) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "line\u2028and paragraph\u2029separators", "n": 1},
        {"when": datetime(2026, 1, 10, 9, 30, 15, 123456, tzinfo=UTC).astimezone(LONDON)},
        {"when": datetime(2026, 7, 10, 9, 30, 15, tzinfo=UTC).astimezone(LONDON)},
        {"detail": gettext_lazy("Not found.")},
        {"amount": Decimal("1.50")},
        {"big": 2**70},
        None,
    ],
)
def test_the_same_bytes_as_drf_in_the_cases_orjson_would_write_otherwise(data: object) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_indent_asked_for_is_given_as_drf_gives_it() -> None:
    data = {"results": [1, 2]}
    media_type = "application/json; indent=4"
    assert FastJSONRenderer().render(data, media_type) == JSONRenderer().render(data, media_type)
