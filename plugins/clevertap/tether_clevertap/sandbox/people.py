"""Uploads and one-profile endpoints: /1/upload, /1/profile.json, delete, demerge, subscribe,
disassociate (§A5.1–A5.3, §A5.5, §A5.9, §A5.15)."""

from . import records
from .buffer import Buffered
from .base import SANDBOX, body, col, delete_profile, find_profile, link, listed, new_profile, public_profile, save, unlink
from .queries import day_of

MAX_RECORDS = 1000  # §A5.1, §A5.2: per request


def _entries(req):
    """The records of an upload, subscribe or disassociate body: ``{"d": [...]}``, never empty."""
    return listed(req, "d", "Payload must be an object with a non-empty list d")
PLATFORM_OF = {"apns": "iOS", "fcm": "Android", "gcm": "Android", "hms": "Android"}


@SANDBOX.route("POST", "/1/upload")
def upload(req, ctx):
    items = _entries(req)
    if len(items) > MAX_RECORDS:
        raise SANDBOX.fail(400, f"Maximum {MAX_RECORDS} records allowed per request")  # [INF] wording
    processed, unprocessed = 0, []
    buffered = Buffered(ctx)  # each document written once, at the end (see buffer.py): same state
    _prefetch(buffered, items)
    for number, record in enumerate(items, start=1):
        try:
            records.check(record)
            apply_record(buffered, record)
        except records.Rejected as no:
            # §A5.2 [V-rec]: HTTP 200, the record echoed, its 1-based number in the message.
            unprocessed.append({"status": "fail", "code": no.code, "error": no.error_text(number), "record": record})
            continue
        processed += 1
    buffered.flush()
    status = "success" if not unprocessed else ("partial" if processed else "fail")
    return {"status": status, "processed": processed, "unprocessed": unprocessed}


def _prefetch(ctx, items):
    """Read the profiles the records name (by identity, FBID, GPID, objectId) in a few statements
    rather than one or two per record: the look-ups _resolve makes, answered from memory."""
    records = [r for r in items if isinstance(r, dict)]
    keys = [f"{key}:{r[key]}" for r in records for key in ("identity", "FBID", "GPID") if r.get(key) not in (None, "")]
    ctx.prefetch(f"{ctx.workspace}/ids", keys)
    ids = col(ctx, "ids")
    known = [ref["objectId"] for ref in map(ids.get, keys) if ref]
    ctx.prefetch(f"{ctx.workspace}/profiles", known + [str(r["objectId"]) for r in records if r.get("objectId")])


def apply_record(ctx, record):
    """Store one record that passed records.check (the seed feeds its data through here too)."""
    if record["type"] == "token":
        profile = find_profile(ctx, "objectId", record["objectId"])
        if profile is None:  # §A5.3: tokens attach to profiles that exist [INF code]
            raise records.Rejected(530, "objectId is not valid")
        token = record["tokenData"]
        kind = str(token["type"])
        info = {"platform": PLATFORM_OF.get(kind, "Web"), "push_token": token["id"], "token_type": kind, "objectId": profile["objectId"]}
        profile["platformInfo"] = [p for p in profile["platformInfo"] if p.get("push_token") != token["id"]] + [info]
        save(ctx, profile)
        return
    profile = _resolve(ctx, record)
    now = int(ctx.now())
    ts = record.get("ts") or now
    if record["type"] == "event":
        name = record["evtName"]
        summary = profile["events"].get(name) or {"count": 0, "first_seen": ts, "last_seen": ts}
        summary = {"count": summary["count"] + 1, "first_seen": min(summary["first_seen"], ts), "last_seen": max(summary["last_seen"], ts)}
        profile["events"][name] = summary
        save(ctx, profile)
        n = ctx.next_id(f"{ctx.workspace}/event")
        col(ctx, "events").put(f"{n:012d}", {"n": n, "objectId": profile["objectId"], "evtName": name, "ts": ts, "day": day_of(ts), "evtData": record.get("evtData") or {}, "received": now})
        return
    data = dict(record["profileData"])
    profile["profileData"].update(data)
    for key, field in (("Email", "email"), ("Phone", "phone")):
        if key in data and data[key] != profile.get(field):
            if profile.get(field):
                unlink(ctx, field, profile[field])
            profile[field] = data[key]
            link(ctx, field, data[key], profile["objectId"])
    if "Name" in data:
        profile["name"] = data["Name"]
    save(ctx, profile)


def _resolve(ctx, record):
    """The profile a record names, created when new (§A5.1: an unknown identity makes a profile).
    The caller saves it once, with the record applied (one write per record, not three).

    A record naming an existing objectId and a new identity adds the identity to that profile
    (how several identities come to share a profile) [INF].
    """
    identity = record.get("identity")
    identity = None if identity in (None, "") else str(identity)
    profile = find_profile(ctx, "objectId", record["objectId"]) if record.get("objectId") else None
    unlinked = False  # the identity was looked up and names no profile
    if profile is None and identity is not None:
        profile = find_profile(ctx, "identity", identity)
        unlinked = profile is None
    for key in ("FBID", "GPID"):
        if profile is None and record.get(key) not in (None, ""):
            profile = find_profile(ctx, key, str(record[key]))
    if profile is None:
        profile = new_profile(ctx, str(record["objectId"]) if record.get("objectId") else None)
    if identity is not None and identity not in profile["identities"] and (unlinked or find_profile(ctx, "identity", identity) is None):
        profile["identities"].append(identity)
        link(ctx, "identity", identity, profile["objectId"])
    for key in ("FBID", "GPID"):
        if record.get(key) and not profile.get(key):
            profile[key] = str(record[key])
            link(ctx, key, str(record[key]), profile["objectId"])
    return profile


@SANDBOX.route("GET", "/1/profile.json")
def get_profile(req, ctx):
    """§A5.5: one of identity, email, objectId; HTTP 404 when there is none [3P], text [INF]."""
    query = req.query
    for param, key in (("identity", "identity"), ("email", "email"), ("objectId", "objectId")):
        if query.get(param):
            profile = find_profile(ctx, key, query[param])
            if profile is None:
                raise SANDBOX.fail(404, "Profile not found")
            return {"status": "success", "record": public_profile(profile)}
    raise SANDBOX.fail(400, "One of identity, email or objectId is mandatory")


def _values(data, key):
    value = data.get(key)
    values = value if isinstance(value, list) else [value]
    if not values or any(not isinstance(v, str) or not v for v in values):
        raise SANDBOX.fail(400, f"{key} must be a string or a list of strings")
    if len(values) > 100:  # §A5.9
        raise SANDBOX.fail(400, f"At most 100 values of {key} per request")
    return values


@SANDBOX.route("POST", "/1/delete/profiles.json")
def delete_profiles(req, ctx):
    """§A5.9: identity or guid, one or a list of up to 100; unknown ones are no error [INF]."""
    data = body(req)
    if not isinstance(data, dict) or not ({"identity", "guid"} & set(data)):
        raise SANDBOX.fail(400, "identity or guid is mandatory")
    for key, lookup in (("identity", "identity"), ("guid", "objectId")):
        if key in data:
            for value in _values(data, key):
                profile = find_profile(ctx, lookup, value)
                if profile is not None:
                    for event in col(ctx, "events").find(lambda e, oid=profile["objectId"]: e["objectId"] == oid):
                        col(ctx, "events").delete(f"{event['n']:012d}")
                    delete_profile(ctx, profile)
    return {"status": "success"}


@SANDBOX.route("POST", "/1/demerge/profiles.json")
def demerge(req, ctx):
    """§A5.15: each identity listed that shares a profile with others gets a profile of its own
    (new CleverTap ID, no data carried over [INF])."""
    data = body(req)
    if not isinstance(data, dict):
        raise SANDBOX.fail(400, "identities is mandatory")
    for identity in _values(data, "identities"):
        profile = find_profile(ctx, "identity", identity)
        if profile is None or len(profile["identities"]) < 2:
            continue
        profile["identities"].remove(identity)
        save(ctx, profile)
        alone = new_profile(ctx)
        alone["identities"] = [identity]
        save(ctx, alone)
        link(ctx, "identity", identity, alone["objectId"])
    return {"status": "success"}


SUBSCRIPTION_FLAG = {"email": "MSG-email", "phone": "MSG-sms", "whatsapp": "MSG-whatsapp"}


def _answer(processed, unprocessed):
    out = {"status": "success" if not unprocessed else "partial", "processed": processed}
    if unprocessed:
        out["unprocessed"] = unprocessed
    return out


@SANDBOX.route("POST", "/1/subscribe")
def subscribe(req, ctx):
    """§A5.15 [V-src]: sets the channel's MSG-* flag of the profiles with that email or number."""
    processed, unprocessed = 0, []
    for number, entry in enumerate(_entries(req), start=1):
        kind = entry.get("type") if isinstance(entry, dict) else None
        status = entry.get("status") if isinstance(entry, dict) else None
        value = entry.get("value") if isinstance(entry, dict) else None
        if kind not in SUBSCRIPTION_FLAG or status not in ("Unsubscribe", "Resubscribe") or not isinstance(value, str) or not value:
            unprocessed.append({"status": "fail", "error": f"Invalid entry. Skipped record number : {number}", "record": entry})
            continue
        if kind != "email" and not records.PHONE.match(value):
            unprocessed.append({"status": "fail", "error": f"Phone number is not valid. Skipped record number : {number}", "record": entry})
            continue
        col(ctx, "subscriptions").put(f"{kind}:{value}", {"type": kind, "value": value, "status": status})
        profile = find_profile(ctx, "email" if kind == "email" else "phone", value)
        if profile is not None:
            profile["profileData"][SUBSCRIPTION_FLAG[kind]] = status == "Resubscribe"
            save(ctx, profile)
        processed += 1
    return _answer(processed, unprocessed)


@SANDBOX.route("POST", "/1/disassociate")
def disassociate(req, ctx):
    """§A5.15 [V-src]: the number is removed from the profile that has it."""
    processed, unprocessed = 0, []
    for number, entry in enumerate(_entries(req), start=1):
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or entry.get("type") != "phone" or not isinstance(value, str) or not records.PHONE.match(value):
            unprocessed.append({"status": "fail", "error": f"Phone number is not valid. Skipped record number : {number}", "record": entry})
            continue
        profile = find_profile(ctx, "phone", value)
        if profile is not None:
            profile["phone"] = None
            profile["profileData"].pop("Phone", None)
            unlink(ctx, "phone", value)
            save(ctx, profile)
        processed += 1
    return _answer(processed, unprocessed)
