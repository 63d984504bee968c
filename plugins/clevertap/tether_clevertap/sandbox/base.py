"""The sandbox object, CleverTap's envelope, auth, and the workspace's people.

One workspace per region (§A1: an account lives in one region and the others do not know it),
each with its own generated account id and passcode. Every reply is CleverTap's envelope
(§A3): ``{"status": "fail", "error": …, "code": …}`` for errors.

People are stored as ``profiles`` (id = CleverTap ID, the objectId) with small index
collections (``ids``: "identity:<v>", "FBID:<v>", "GPID:<v>", "email:<v>", "phone:<v>" →
objectId) so that a lookup never scans the workspace.
"""

import hashlib

from tether.connector import Reply, same_secret

from .limits import CappedSandbox


def error(status, message, code=None):
    """CleverTap's error body (§A3, §A2 [V-rec])."""
    return Reply(status, {"status": "fail", "error": message, "code": code if code is not None else status})


def _check_account(req, ctx):
    """§A2 [V-rec]: an unknown account id answers 401 "Account ID is not valid" — which is what an
    account of another region gets (§A1, §A9). A known account with a wrong passcode: 401 too [INF]."""
    if not same_secret(req.header("X-CleverTap-Account-Id"), ctx.credentials.get("account_id")):
        return error(401, "Account ID is not valid")
    if not same_secret(req.header("X-CleverTap-Passcode"), ctx.credentials.get("passcode")):
        return error(401, "Invalid Passcode")
    return None


def _too_many():
    # §A6: the 429 of CleverTap carries no Retry-After.
    return error(429, "Too many concurrent requests")


SANDBOX = CappedSandbox(
    "clevertap",
    credentials=lambda token: {"account_id": f"TEST-{token(3).upper()}-{token(3).upper()}", "passcode": token(16)},
    auth=_check_account,
    seed="tether_clevertap.sandbox.seed:seed",
    error=error,
    rate_limited=_too_many,
    too_many=_too_many,
    regional=True,
)


def body(req):
    """The request's JSON body (CleverTap answers 400 to anything else [INF])."""
    return req.json(on_error=error(400, "Invalid JSON payload"), default=None)


def listed(req, key, message, *, bare=False):
    """The non-empty list under ``key`` of the JSON body (or the body itself when ``bare`` and it
    is a list); anything else is a 400 with ``message``."""
    data = body(req)
    items = data.get(key) if isinstance(data, dict) else (data if bare else None)
    if not isinstance(items, list) or not items:
        raise SANDBOX.fail(400, message)
    return items


# -- workspace state ----------------------------------------------------------------------------


def col(ctx, name):
    """A collection of the request's workspace (its region's account)."""
    return ctx.collection(f"{ctx.workspace}/{name}")


DEFAULT_SETTINGS = {
    "export_pending_polls": 0,  # code-2 "still in progress" answers per new export (§A5.4)
    "count_pending_polls": 1,  # partial answers before a count is ready (§A3)
    "cursor_ttl_seconds": 3600,  # [INF]
    "campaign_run_seconds": 2,  # how long a campaign "sends" before it completes [INF]
}


def setting(ctx, name):
    stored = col(ctx, "settings").get("behaviour") or {}
    return stored.get(name, DEFAULT_SETTINGS[name])


def new_object_id(ctx):
    """A CleverTap ID: 32 hex digits (§A5.3 "CleverTap GUID"; the format is [INF]).

    The first 8 count up and the rest are a hash, so new profiles are appended to the state's
    index by id: fully random ids land all over it, and a bulk upload of 100,000 new users then
    rewrites a page of the index per user (the sandbox got slower as it grew, 35 → 58 µs a record).
    """
    n = ctx.next_id(f"{ctx.workspace}/objectId")
    return f"{n:08x}" + hashlib.sha256(f"{ctx.workspace}:{n}".encode()).hexdigest()[:24]


def find_profile(ctx, key, value):
    """The profile whose ``key`` (identity, FBID, GPID, email, phone, objectId) is ``value``."""
    if value is None or value == "":
        return None
    if key == "objectId":
        return col(ctx, "profiles").get(str(value))
    ref = col(ctx, "ids").get(f"{key}:{value}")
    return col(ctx, "profiles").get(ref["objectId"]) if ref else None


def link(ctx, key, value, object_id):
    col(ctx, "ids").put(f"{key}:{value}", {"objectId": object_id})


def unlink(ctx, key, value):
    col(ctx, "ids").delete(f"{key}:{value}")


def save(ctx, profile):
    col(ctx, "profiles").put(profile["objectId"], profile)
    return profile


def new_profile(ctx, object_id=None):
    return {
        "objectId": object_id or new_object_id(ctx),
        "identities": [],
        "email": None,
        "phone": None,
        "name": None,
        "profileData": {},
        "events": {},
        "platformInfo": [],
        "segments": [],
        "created": int(ctx.now()),
    }


def public_profile(profile):
    """A profile as profile.json and the exports show it (§A5.5 [3P] field names)."""
    identities = profile.get("identities") or []
    return {
        "identity": identities[0] if identities else None,
        "objectId": profile["objectId"],
        "all_identities": list(identities),
        "email": profile.get("email"),
        "name": profile.get("name"),
        "phone": profile.get("phone"),
        "profileData": dict(profile.get("profileData") or {}),
        "events": dict(profile.get("events") or {}),
        "platformInfo": list(profile.get("platformInfo") or []),
    }


def delete_profile(ctx, profile):
    for identity in profile.get("identities") or []:
        unlink(ctx, "identity", identity)
    for key in ("FBID", "GPID"):
        if profile.get(key):
            unlink(ctx, key, profile[key])
    for key in ("email", "phone"):
        if profile.get(key):
            unlink(ctx, key, profile[key])
    col(ctx, "profiles").delete(profile["objectId"])
