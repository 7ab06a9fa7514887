"""Two-factor sign-in: a code from an authenticator app (TOTP), or a one-time recovery code.

Built on django-otp. A person sets up their app by scanning a QR code (or typing the key),
proves it works with one code, and is then given ten recovery codes, shown once, each
usable once, for the day the phone is lost. Wrong codes slow further tries down (django-otp
throttles each device). An administrator who removes a person's devices in the admin lets
them set up again at their next sign-in.
"""

from typing import Any

from django.db import transaction
from django_otp import user_has_device, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from navigator.errors import ValidationError

RECOVERY_CODE_COUNT = 10
APP_CODE_DIGITS = 6
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_two_factor(user: Any) -> bool:
    """Whether ``user`` has set up two-factor sign-in (and so must give a code)."""
    return bool(user_has_device(user, confirmed=True))


def _normalise(code: str) -> str:
    """People type codes with spaces or dashes, as they are shown."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def start_set_up(*, user: Any) -> TOTPDevice:
    """The app device ``user`` is setting up: the same one until they confirm it."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError({"code": ["Two-factor sign-in is already set up."]})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_set_up(*, user: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with a code it shows; returns the device and new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": ["Start setting up again: the set-up expired."]})
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"code": ["Too many wrong codes. Wait a minute, then try again."]})
    if not device.verify_token(_normalise(code)):
        raise ValidationError(
            {"code": ["That code did not work. Enter the 6 digits the app shows now."]}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    end_other_sessions(user=user)
    return device, _new_recovery_codes(user)


@transaction.atomic
def replace_recovery_codes(*, user: Any) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError({"code": ["Set up two-factor sign-in first."]})
    end_other_sessions(user=user)  # the old codes may be what someone else used
    return _new_recovery_codes(user)


def _new_recovery_codes(user: Any) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def turn_off(*, user: Any) -> None:
    """Remove every device: the person signs in with their password alone from now on."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_other_sessions(user=user)


def end_other_sessions(*, user: Any) -> None:
    """Every session of ``user`` ends at its next request (the caller keeps its own with
    ``update_session_auth_hash``): a second factor changed, so a session that began
    without it, perhaps someone else's, must sign in again."""
    user.sign_in_generation += 1
    user.save(update_fields=["sign_in_generation"])


def verify_code(*, user: Any, code: str) -> Device | None:
    """The device that accepts ``code`` (the app's code, or an unused recovery code), if any.

    Each device throttles wrong codes itself; a recovery code works once.
    """
    token = _normalise(code)
    if not token:
        return None
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True)) + list(
        StaticDevice.objects.filter(user=user, confirmed=True)
    )
    looks_like_app_code = token.isdigit() and len(token) == APP_CODE_DIGITS
    for device in devices:
        # Try each code only where it can belong, so a mistyped recovery code does not
        # slow down the app's codes, nor the other way round.
        if isinstance(device, TOTPDevice) != looks_like_app_code:
            continue
        if verified := verify_token(user, device.persistent_id, token):
            return verified
    return None


def throttled(*, user: Any) -> bool:
    """Whether wrong codes have slowed this person's sign-in down for now."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )
