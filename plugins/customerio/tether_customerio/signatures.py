"""Checking that a reporting-webhook request really comes from Customer.io (§A5.8).

Customer.io signs each request it posts with the webhook's signing key:
``X-CIO-Signature = hex(HMAC-SHA256(key, "v0:" + X-CIO-Timestamp + ":" + raw body))``.
Verify against the raw bytes as received, before parsing the JSON.

    from tether_customerio import verify_webhook_request
    verify_webhook_request(signing_key, request.headers, request.body)  # raises WebhookSignatureError

Imports nothing beyond the standard library and tether.connector (which loads only its errors
here), so a web app can use it alone.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import Union

from tether.connector import AuthError

__all__ = ["WebhookSignatureError", "sign_webhook", "verify_webhook_request", "verify_webhook_signature"]

TIMESTAMP_HEADER = "X-CIO-Timestamp"
SIGNATURE_HEADER = "X-CIO-Signature"
DEFAULT_TOLERANCE = 300  # seconds a signed request stays acceptable (replay protection)

Text = Union[str, bytes]


class WebhookSignatureError(AuthError):
    """A reporting-webhook request whose signature is missing, stale or wrong: do not trust it."""

    type = "webhook_signature_error"

    def __init__(self, message: str):
        super().__init__(message, status=None)


def _bytes(value: Text | int, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).encode("utf-8")
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def sign_webhook(signing_key: Text, timestamp: str | int, body: Text) -> str:
    """The X-CIO-Signature value for ``body`` sent at ``timestamp`` (hex HMAC-SHA256, §A5.8)."""
    message = b"v0:" + _bytes(timestamp, "timestamp").strip() + b":" + _bytes(body, "body")
    return hmac.new(_bytes(signing_key, "signing_key"), message, hashlib.sha256).hexdigest()


def verify_webhook_signature(
    signing_key: Text,
    timestamp: str | int | None,
    body: Text,
    signature: str | None,
    *,
    tolerance: int | None = DEFAULT_TOLERANCE,
    now: float | Callable[[], float] | None = None,
) -> None:
    """Raise :class:`WebhookSignatureError` unless ``signature`` signs ``body`` at ``timestamp``.

    ``timestamp`` and ``signature`` are the X-CIO-Timestamp and X-CIO-Signature header values;
    ``body`` the raw request body. A ``v0=`` prefix on the signature is accepted (as
    async-customerio's validator does). ``tolerance`` (seconds; None to skip) refuses a
    timestamp that far from ``now`` (a number or a clock; default the current time), which
    stops replays of an old request.
    """
    if not signing_key:
        raise WebhookSignatureError("no webhook signing key given: copy it from the reporting webhook's settings in Customer.io")
    if timestamp is None or str(timestamp).strip() == "":
        raise WebhookSignatureError(f"the request has no {TIMESTAMP_HEADER} header")
    if signature is None or not str(signature).strip():
        raise WebhookSignatureError(f"the request has no {SIGNATURE_HEADER} header")
    stamp = str(timestamp).strip()
    try:
        sent_at = int(stamp)
    except ValueError:
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is not a unix timestamp: {stamp[:40]!r}") from None
    if tolerance is not None:
        current = now() if callable(now) else (time.time() if now is None else now)
        if abs(current - sent_at) > tolerance:
            raise WebhookSignatureError(
                f"{TIMESTAMP_HEADER} is {int(abs(current - sent_at))} s away from now (more than {tolerance} s): a stale or replayed request"
            )
    given = str(signature).strip()
    if given.startswith("v0="):
        given = given[3:]
    expected = sign_webhook(signing_key, stamp, body)
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not match the body: the request is not from Customer.io or was altered")


def verify_webhook_request(
    signing_key: Text,
    headers: Mapping[str, str],
    body: Text,
    *,
    tolerance: int | None = DEFAULT_TOLERANCE,
    now: float | Callable[[], float] | None = None,
) -> None:
    """:func:`verify_webhook_signature` with the two headers read from ``headers`` (any letter case)."""
    lowered = {str(k).lower(): v for k, v in headers.items()}
    verify_webhook_signature(
        signing_key,
        lowered.get(TIMESTAMP_HEADER.lower()),
        body,
        lowered.get(SIGNATURE_HEADER.lower()),
        tolerance=tolerance,
        now=now,
    )
