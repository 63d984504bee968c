"""The reporting-webhook helper (§A5.16): CleverTap's payload in one predictable shape."""

from __future__ import annotations

import json

import pytest

from tether_clevertap import WebhookPayloadError, parse_webhook_payload


def test_a_batch_payload_lists_every_profile():
    body = json.dumps({
        "targetId": "1457432766",
        "key_values": {"coupon": "SPRING"},
        "profiles": [
            {"Identity": "u-1", "Email": "a@example.com", "ObjectId": "abc", "ProfileData": {"tier": "gold"}, "Push_token": "tok"},
            {"Identity": "u-2", "Event_properties": {"Amount": 3}},
        ],
    }).encode()
    out = parse_webhook_payload(body)
    assert out["target_id"] == 1457432766 and out["key_values"] == {"coupon": "SPRING"}
    assert [p["identity"] for p in out["profiles"]] == ["u-1", "u-2"]
    first, second = out["profiles"]
    assert first["email"] == "a@example.com" and first["object_id"] == "abc" and first["profile_data"] == {"tier": "gold"}
    assert first["push_token"] == "tok" and first["event_properties"] == {}
    assert second["event_properties"] == {"Amount": 3} and second["raw"] == {"Identity": "u-2", "Event_properties": {"Amount": 3}}


def test_a_single_profile_payload_becomes_a_list():
    out = parse_webhook_payload({"targetId": 7, "profiles": {"Identity": "solo"}})
    assert [p["identity"] for p in out["profiles"]] == ["solo"] and out["key_values"] == {}


@pytest.mark.parametrize("body, problem", [
    (b"not json", "not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    ("[1, 2]", "JSON object"),
    ({"profiles": "x"}, "'profiles'"),
    ({"targetId": "abc"}, "'targetId'"),
])
def test_what_is_not_a_payload_is_named(body, problem):
    with pytest.raises(WebhookPayloadError, match=problem):
        parse_webhook_payload(body)
