"""The checks ``POST /1/upload`` makes on each record, with CleverTap's codes and messages.

Recorded answers (§A5.2 [V-rec], tradeo/clevertap-ruby cassettes) fix the profile messages and
their shape: ``"Profile data is incorrect. Email is not valid.Skipped record number : 2"`` — the
record number is 1-based within the request, the message's own full stop is followed directly by
"Skipped" (two full stops when the message already ends in one), and the timestamp message is
followed by a space. The checks run in the order the recordings imply (email, then phone, then
the Y/N and education fields, then age). Codes the recordings do not show come from the vendor's
error table as transcribed in §A5.1/§A5.3 ([V-doc] via transcription); their wording is [INF].
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

IDENTITY_KEYS = ("identity", "FBID", "GPID", "objectId")

# §A5.1: at most 100 properties per event by default (the newest page; older pages said 256).
MAX_EVENT_PROPERTIES = 100
# [INF] epoch seconds up to the year 2286; a millisecond timestamp is past it.
MAX_EPOCH_SECONDS = 9_999_999_999
# [INF] CleverTap IDs seen in the wild: 32 hex digits, sometimes with a leading "-" or "__".
OBJECT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# [INF] a plausible address; the recordings reject "$$$$$" and "1234".
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# §A5.2: E.164 with the leading "+"; the recordings reject "223" and "+44+441234".
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
# [INF] names the SDKs raise on their own and the upload API refuses (code 513).
SYSTEM_EVENTS = frozenset({
    "App Launched", "App Installed", "App Uninstalled", "Notification Sent", "Notification Viewed",
    "Notification Clicked", "UTM Visited", "Stayed", "Session Concluded",
})
TOKEN_TYPES = frozenset({"apns", "fcm", "gcm", "chrome", "firefox", "safari", "edge", "opera", "kaios", "hms", "xps", "bps"})


class Rejected(Exception):
    """One record refused: its code and message (without the record number)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def error_text(self, number: int) -> str:
        if self.code == 525:
            return f"{self.message} Skipped record number : {number}"
        return f"{self.message}.Skipped record number : {number}"


def _is_map(value: Any) -> bool:
    # JSON objects are dicts: the ABC's isinstance (several times slower) only for anything else.
    return type(value) is dict or isinstance(value, Mapping)


def check(record: Any) -> None:
    """Raise :class:`Rejected` when ``record`` would be skipped by the platform."""
    if not _is_map(record):
        raise Rejected(524, "Record is neither an event nor a profile")
    kind = record.get("type")
    if kind == "token":
        _check_token(record)
        return
    if kind not in ("event", "profile"):
        raise Rejected(524, "Record is neither an event nor a profile")
    if not any(_present(record.get(key)) for key in IDENTITY_KEYS):
        raise Rejected(523, "Identity is mandatory: one of identity, FBID, GPID or objectId")
    if "objectId" in record and not OBJECT_ID.match(str(record["objectId"])):
        raise Rejected(526, "objectId is not valid")
    _check_ts(record)
    if kind == "event":
        _check_event(record)
    else:
        _check_profile(record)


def _present(value: Any) -> bool:
    return value is not None and str(value) != ""


def _check_ts(record: Mapping[str, Any]) -> None:
    if "ts" not in record:
        return  # §A5.1: defaults to now
    ts = record["ts"]
    # The recordings refuse ts 0; a string or a millisecond value is refused too.
    if isinstance(ts, bool) or not isinstance(ts, int) or not 0 < ts <= MAX_EPOCH_SECONDS:
        raise Rejected(525, "Timestamp should be present in the Unix Epoch format.")


def _check_event(record: Mapping[str, Any]) -> None:
    name = record.get("evtName")
    if not isinstance(name, str) or not name.strip():
        raise Rejected(509, "Event name is mandatory")
    if name in SYSTEM_EVENTS:
        raise Rejected(513, f"{name} is a restricted system event")
    data = record.get("evtData", {})
    if not _is_map(data):
        raise Rejected(512, "Invalid event structure: evtData must be an object")
    if len(data) > MAX_EVENT_PROPERTIES:
        raise Rejected(522, f"Too many properties for an event (at most {MAX_EVENT_PROPERTIES})")


def _check_profile(record: Mapping[str, Any]) -> None:
    data = record.get("profileData")
    if not _is_map(data):
        raise Rejected(512, "Invalid profile structure: profileData must be an object")
    if "Gender" in data and data["Gender"] not in ("M", "F"):
        raise Rejected(514, "Profile data is incorrect. Gender needs to be M/F")
    if "Email" in data and not (isinstance(data["Email"], str) and EMAIL.match(data["Email"])):
        raise Rejected(515, "Profile data is incorrect. Email is not valid")
    if "Phone" in data and not (isinstance(data["Phone"], str) and PHONE.match(data["Phone"])):
        raise Rejected(516, "Profile data is incorrect. Phone number is not valid")
    if "Employed" in data and data["Employed"] not in ("Y", "N"):
        raise Rejected(517, "Profile data is incorrect. Employed needs to be Y/N")
    if "Education" in data and data["Education"] not in ("School", "College", "Graduate"):
        raise Rejected(518, "Profile data is incorrect. Education needs to be School/College/Graduate.")
    if "Married" in data and data["Married"] not in ("Y", "N"):
        raise Rejected(519, "Profile data is incorrect. Married needs to be Y/N")
    if "Age" in data and not _age(data["Age"]):
        raise Rejected(520, "Profile data is incorrect. Age is invalid")


def _age(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not value.isdigit():  # the recordings accept "18" and refuse "aa"
            return False
        value = int(value)
    return isinstance(value, int) and 0 < value < 150


def _check_token(record: Mapping[str, Any]) -> None:
    # §A5.3: a token is attached to a CleverTap ID; identity is not accepted.
    object_id = record.get("objectId")
    if not _present(object_id) or not OBJECT_ID.match(str(object_id)):
        raise Rejected(530, "objectId is not valid")
    data = record.get("tokenData")
    if not _is_map(data):
        raise Rejected(531, "Token data is not valid")
    if not _present(data.get("id")):
        raise Rejected(532, "Token id is mandatory")
    if not _present(data.get("type")):
        raise Rejected(533, "Token type is mandatory")
    if data["type"] not in TOKEN_TYPES:
        raise Rejected(534, f"Token type {data['type']} is not valid")
    if data["type"] == "chrome" and not _is_map(data.get("keys")):
        raise Rejected(535, "Web push tokens need keys (p256dh and auth)")
