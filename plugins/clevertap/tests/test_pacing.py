"""§A6: the caps the core enforces come from the connector — 15 uploads and 3 other requests in
flight per account, campaign creation at most 3 per second — and each action's requests name
the family they count against."""

from __future__ import annotations

from tether.connector import RunContext

from tether_clevertap.connector import API


def first_request(ct, key, inp):
    action = ct.client.registry.actions("clevertap")[key]
    return next(action.run(dict(inp), RunContext("clevertap", key)))


def test_the_published_limits_are_declared():
    assert API.concurrency == {"upload": 15, "default": 3, "campaign-create": 3}
    assert API.rate_limits["campaign-create"].requests == 3 and API.rate_limits["campaign-create"].per == 1.0


def test_each_family_counts_against_its_own_cap(ct):
    families = {
        key: first_request(ct, key, inp).rate_family
        for key, inp in (
            ("upload-events", {"records": [{"identity": "a", "evtName": "x"}]}),
            ("upload-user-profiles", {"records": [{"identity": "a", "profileData": {}}]}),
            ("upload-device-tokens", {"records": [{"objectId": "a", "tokenData": {"id": "t", "type": "fcm"}}]}),
            ("create-campaign", {"name": "n", "segment": "all", "content": {"body": "b"}}),
            ("get-events", {"event_name": "x", "from": 20240101, "to": 20240101}),
            ("get-event-count", {"event_name": "x", "from": 20240101, "to": 20240101}),
            ("get-campaigns", {"from": 20240101, "to": 20240101}),
        )
    }
    assert families == {
        "upload-events": "upload", "upload-user-profiles": "upload", "upload-device-tokens": "upload",
        "create-campaign": "campaign-create",
        "get-events": "default", "get-event-count": "default", "get-campaigns": "default",
    }
