"""Reading what CleverTap posts to a webhook you set up in its dashboard.

CleverTap has no REST API to register or list webhooks (§A5.16): they are configured under
Settings → Engage → Channels → Webhooks and used as a campaign or journey channel. What it sends
is a JSON object (§A5.16, transcribed from the vendor's page by a third party, not verified here):

    {"targetId": <campaign id>, "key_values": {...},
     "profiles": [{"Email": …, "Identity": …, "ObjectId": …, "ProfileData": {…},
                   "Event_properties": {…}, "Push_token": …}, …]}

``profiles`` is a list for batched ("broadcast") sends and a single object otherwise. The payload
carries no signature: check the request some other way (a secret path or header you configure).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Profile keys as CleverTap spells them, and the names this helper gives them.
_PROFILE_KEYS = {
    "Identity": "identity",
    "Email": "email",
    "ObjectId": "object_id",
    "Phone": "phone",
    "Name": "name",
    "ProfileData": "profile_data",
    "Event_properties": "event_properties",
    "Push_token": "push_token",
}


class WebhookPayloadError(ValueError):
    """The body is not a CleverTap webhook payload."""


def parse_webhook_payload(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """A CleverTap webhook body (raw bytes, text or already parsed) in one predictable shape:

    ``{"target_id": int | None, "key_values": {...}, "profiles": [{...}, ...]}`` where each profile
    has ``identity``, ``email``, ``object_id``, ``phone``, ``name``, ``profile_data``,
    ``event_properties`` and ``push_token`` (None or ``{}`` when absent) and ``raw``, the profile
    as sent. Raises :class:`WebhookPayloadError` naming what is wrong.
    """
    data = _load(body)
    profiles = data.get("profiles", [])
    if isinstance(profiles, Mapping):  # one profile per call (§A5.16)
        profiles = [profiles]
    if not isinstance(profiles, list) or not all(isinstance(p, Mapping) for p in profiles):
        raise WebhookPayloadError("'profiles' must be an object or a list of objects")
    key_values = data.get("key_values") or {}
    if not isinstance(key_values, Mapping):
        raise WebhookPayloadError("'key_values' must be an object")
    return {
        "target_id": _target_id(data.get("targetId")),
        "key_values": dict(key_values),
        "profiles": [_profile(p) for p in profiles],
    }


def _load(body: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookPayloadError("the body is not UTF-8 text") from None
    try:
        data = json.loads(body)
    except ValueError:
        raise WebhookPayloadError("the body is not JSON") from None
    if not isinstance(data, Mapping):
        raise WebhookPayloadError("the body must be a JSON object")
    return data


def _target_id(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WebhookPayloadError(f"'targetId' must be a campaign id, not {value!r}") from None


def _profile(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {name: None for name in _PROFILE_KEYS.values()}
    for key, name in _PROFILE_KEYS.items():
        if key in raw:
            out[name] = raw[key]
    for name in ("profile_data", "event_properties"):
        if out[name] is None:
            out[name] = {}
    out["raw"] = dict(raw)
    return out
