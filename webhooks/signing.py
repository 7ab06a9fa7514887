"""What a webhook says, and how it is signed: the Standard Webhooks specification.

The body is thin: which notice, of what kind, about which case (its pseudonymous
reference), its times, and a link to fetch it through the API, so every read of a
victim's data is made with a key and recorded. Never a victim's details, and not
the notice's subject line either.

Three headers: ``webhook-id`` (the delivery's, the same on every retry),
``webhook-timestamp`` (the attempt's, in whole seconds since the epoch) and
``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``
with the endpoint's secret, made by the ``standardwebhooks`` package. During a
rotation's overlap the signature with the previous secret follows, after a space.
"""

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix every secret has, not a secret
SECRET_BYTES = 32


def new_secret() -> str:
    """A signing secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def payload(
    *,
    notice_id: int,
    kind: str,
    case_reference: str,
    created_at: datetime,
    happens_at: datetime | None,
    url: str,
) -> dict[str, Any]:
    """The Standard Webhooks envelope: ``type``, ``timestamp`` (when the notice was
    written) and ``data``."""
    return {
        "type": f"notice.{kind}",
        "timestamp": _iso(created_at),
        "data": {
            "id": notice_id,
            "kind": kind,
            "case": case_reference,
            "created_at": _iso(created_at),
            "happens_at": _iso(happens_at) if happens_at else None,
            "url": url,
        },
    }


def body(envelope: dict[str, Any]) -> str:
    """The envelope as sent: compact JSON (the same text on every attempt)."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def headers(
    *, message_id: str, at: datetime, text: str, secrets_in_use: Sequence[str]
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with each secret in use (newest first)."""
    at = at.astimezone(UTC)  # the package reads the moment as UTC whatever its zone
    signatures = [Webhook(secret).sign(message_id, at, text) for secret in secrets_in_use]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
    }


def _iso(moment: datetime) -> str:
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
