"""Reporting-webhook signatures (§A5.8): HMAC-SHA256 over "v0:<timestamp>:<raw body>", hex."""

import hashlib
import hmac

import pytest
from tether import AuthError, TetherError
from tether_customerio.signatures import WebhookSignatureError, sign_webhook, verify_webhook_request, verify_webhook_signature

KEY = "whsec-test-signing-key"
STAMP = 1_613_063_089
BODY = b'{"event_id":"01E4C4CT6YDC7Y5M7FE1GWWPQJ","object_type":"email","timestamp":1613063089,"metric":"sent","data":{"customer_id":"42"}}'


def reference_signature(key: bytes, timestamp: str, body: bytes) -> str:
    """Computed here from §A5.8's definition, independently of the module under test."""
    return hmac.new(key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()


EXPECTED = reference_signature(KEY.encode(), str(STAMP), BODY)


def test_sign_matches_the_reference_definition():
    assert sign_webhook(KEY, STAMP, BODY) == EXPECTED
    assert sign_webhook(KEY.encode(), str(STAMP), BODY.decode()) == EXPECTED  # str/bytes alike
    assert len(EXPECTED) == 64 and int(EXPECTED, 16) >= 0


def test_a_fixed_known_vector():
    # HMAC-SHA256(key="secret", msg="v0:1:{}"), computed once with the standard library and pinned here.
    pinned = "72947d217adec3a1867ba95783f65b308b2419ed224a5751b0b81e0b9a8c6851"
    assert sign_webhook("secret", 1, "{}") == pinned
    verify_webhook_signature("secret", "1", b"{}", pinned, tolerance=None)


def test_valid_signature_passes_with_or_without_prefix():
    verify_webhook_signature(KEY, STAMP, BODY, EXPECTED, now=STAMP + 10)
    verify_webhook_signature(KEY, str(STAMP), BODY, "v0=" + EXPECTED, now=STAMP)
    verify_webhook_signature(KEY, STAMP, BODY, EXPECTED.upper(), now=lambda: STAMP - 5)


@pytest.mark.parametrize(
    "body, key, stamp",
    [
        (BODY.replace(b'"sent"', b'"opened"'), KEY, STAMP),  # tampered body
        (BODY + b" ", KEY, STAMP),  # one extra byte
        (BODY, "another-key", STAMP),  # wrong key
        (BODY, KEY, STAMP + 1),  # timestamp not the signed one
    ],
)
def test_any_change_breaks_the_signature(body, key, stamp):
    with pytest.raises(WebhookSignatureError) as info:
        verify_webhook_signature(key, stamp, body, EXPECTED, now=STAMP)
    assert "does not match" in info.value.message


def test_stale_timestamps_are_refused_unless_tolerance_is_off():
    with pytest.raises(WebhookSignatureError) as info:
        verify_webhook_signature(KEY, STAMP, BODY, EXPECTED, now=STAMP + 301)
    assert "stale" in info.value.message and "301" in info.value.message
    with pytest.raises(WebhookSignatureError):
        verify_webhook_signature(KEY, STAMP, BODY, EXPECTED, now=STAMP - 3600)  # from the future
    verify_webhook_signature(KEY, STAMP, BODY, EXPECTED, now=STAMP + 3600, tolerance=None)
    verify_webhook_signature(KEY, STAMP, BODY, EXPECTED, now=STAMP + 3600, tolerance=7200)


def test_missing_or_malformed_values_say_what_is_wrong():
    cases = [
        (dict(timestamp=None, signature=EXPECTED), "X-CIO-Timestamp"),
        (dict(timestamp="", signature=EXPECTED), "X-CIO-Timestamp"),
        (dict(timestamp=STAMP, signature=None), "X-CIO-Signature"),
        (dict(timestamp="yesterday", signature=EXPECTED), "not a unix timestamp"),
    ]
    for kwargs, needle in cases:
        with pytest.raises(WebhookSignatureError) as info:
            verify_webhook_signature(KEY, kwargs["timestamp"], BODY, kwargs["signature"], now=STAMP)
        assert needle in info.value.message and "\n" not in info.value.message
    with pytest.raises(WebhookSignatureError) as info:
        verify_webhook_signature("", STAMP, BODY, EXPECTED, now=STAMP)
    assert "signing key" in info.value.message


def test_verify_request_reads_headers_in_any_case():
    verify_webhook_request(KEY, {"x-cio-timestamp": str(STAMP), "X-CIO-SIGNATURE": EXPECTED}, BODY, now=STAMP)
    verify_webhook_request(KEY, {"X-CIO-Timestamp": str(STAMP), "X-Cio-Signature": "v0=" + EXPECTED}, BODY, now=STAMP)
    with pytest.raises(WebhookSignatureError) as info:
        verify_webhook_request(KEY, {"X-CIO-Timestamp": str(STAMP)}, BODY, now=STAMP)
    assert "X-CIO-Signature" in info.value.message


def test_the_error_is_a_tether_auth_error_and_importable_from_the_package():
    import tether_customerio

    assert issubclass(WebhookSignatureError, AuthError) and issubclass(WebhookSignatureError, TetherError)
    assert tether_customerio.verify_webhook_signature is verify_webhook_signature
    assert tether_customerio.sign_webhook is sign_webhook
    assert tether_customerio.WebhookSignatureError is WebhookSignatureError
    assert WebhookSignatureError("x").to_dict()["type"] == "webhook_signature_error"
