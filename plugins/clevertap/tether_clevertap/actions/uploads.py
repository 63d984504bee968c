"""Uploads to ``POST /1/upload``: events, user profiles and device tokens (§A5.1–A5.3).

One action run may carry any number of records: they go out in requests of at most 1,000
(tokens: 100, §A5.3), one after another, and the answers are merged back onto the caller's
records. Three outcomes per record, never hidden behind a success:

- processed;
- ``unprocessed``: CleverTap skipped it, with its code and message (§A5.2: the message names the
  1-based "Skipped record number" within its request, which maps it back to the caller's index);
- ``unknown``: the request carrying it was sent but its answer was lost. CleverTap does not
  de-duplicate events (§A6), so such a request is never sent again: the caller decides.
"""

import re

from tether.connector import (
    Action,
    AuthError,
    Batch,
    NetworkError,
    PlatformError,
    Request,
    Result,
    array,
    input_object,
    integer,
    obj,
    string,
)

from .common import body_of

_RECORD_NUMBER = re.compile(r"Skipped record number\s*:\s*(\d+)")

IDENTITY = {
    "identity": string("Your own user id (the profile's Identity)."),
    "objectId": string("The CleverTap ID of the profile (a GUID)."),
    "FBID": string("Facebook id of the user."),
    "GPID": string("Google Plus id of the user."),
}
ONE_IDENTITY = {"anyOf": [{"required": [key]} for key in IDENTITY]}
TS = integer("When it happened, in Unix epoch SECONDS (not milliseconds); defaults to now.", minimum=1, maximum=9_999_999_999)
PROPERTIES_NOTE = "Dates as \"$D_<epoch seconds>\"; values up to 512 bytes."

EVENT = obj(
    {
        **IDENTITY,
        "evtName": string("Event name, e.g. Charged (case-sensitive, at most 120 characters).", maxLength=120),
        "evtData": obj({}, f"Event properties, e.g. {{\"Amount\": 30}}. {PROPERTIES_NOTE}"),
        "ts": TS,
        "type": {"const": "event", "description": "Optional; always event."},
    },
    "One event: who did what, when.",
    required=("evtName",),
    additionalProperties=False,
    **ONE_IDENTITY,
)
PROFILE = obj(
    {
        **IDENTITY,
        "profileData": obj(
            {},
            "Profile properties. Standard keys (case-sensitive): Name, Email, Phone (E.164 with +), Gender (M/F), "
            "Employed (Y/N), Education (School/College/Graduate), Married (Y/N), Age, DOB, MSG-email, MSG-push, "
            f"MSG-sms, MSG-whatsapp (subscription booleans); any other key is a custom property. {PROPERTIES_NOTE}",
        ),
        "ts": TS,
        "type": {"const": "profile", "description": "Optional; always profile."},
    },
    "One profile to create or update (a new identity creates a profile).",
    required=("profileData",),
    additionalProperties=False,
    **ONE_IDENTITY,
)
TOKEN = obj(
    {
        "objectId": string("The CleverTap ID of the profile (identity is not accepted for tokens)."),
        "tokenData": obj(
            {
                "id": string("The push token."),
                "type": string("Token kind: apns, fcm, gcm, or a browser (chrome, firefox, safari …)."),
                "keys": obj({"p256dh": string("Web push key."), "auth": string("Web push auth secret.")}, "Web push keys (browser tokens only)."),
            },
            "The token.",
            required=("id", "type"),
        ),
        "type": {"const": "token", "description": "Optional; always token."},
    },
    "One device token for an existing profile.",
    required=("objectId", "tokenData"),
    additionalProperties=False,
)

OUTCOME = obj(
    {
        "status": {
            "enum": ["success", "partial", "fail", "unknown"],
            "description": "success: every record processed; partial: some were not (see unprocessed, "
            "unknown); fail: none was; unknown: none is known to be processed and some may have been.",
        },
        "processed": integer("Records CleverTap accepted."),
        "unprocessed": array(
            obj(
                {
                    "index": {"type": ["integer", "null"], "description": "Position of the record in your input (0-based)."},
                    "code": {"type": ["integer", "null"], "description": "CleverTap's error code, e.g. 515 invalid email."},
                    "error": string("CleverTap's message.", min_length=None),
                    "record": {"description": "The record as CleverTap echoed it."},
                },
                "A record CleverTap skipped (or a request it refused as a whole).",
            ),
            "Records not processed, with the reason.",
        ),
        "unknown": array(
            obj(
                {"index": integer("Position of the record in your input (0-based)."), "error": string("What happened.", min_length=None)},
                "A record whose request was sent but whose answer was lost.",
            ),
            "Records of unknown fate: CleverTap may or may not have them, and does not de-duplicate, so they "
            "were not re-sent. Check before sending them again.",
        ),
        "requests": integer("Requests sent."),
    },
    "What happened to each record.",
    required=("status", "processed", "unprocessed", "unknown", "requests"),
)


def _upload_run(kind, per_request):
    def run(inp, ctx):
        records = inp["records"]
        size = min(inp.get("batch_size", per_request), per_request)
        processed, unprocessed, unknown, requests = 0, [], [], 0
        for start in range(0, len(records), size):
            chunk = records[start : start + size]
            requests += 1
            request = Request("POST", "/1/upload", json={"d": [{**r, "type": kind} for r in chunk]}, rate_family="upload")
            try:
                response = yield request
            except AuthError:
                raise
            except (NetworkError, PlatformError) as exc:
                # exc.processed is the core's one table of outcomes: None for an answer lost
                # after sending or a 5xx that proves nothing (never re-sent, §A6); False for a
                # request refused (4xx, 429 or 503 after retries) or that never arrived.
                if exc.processed is None:
                    why = "answer lost" if isinstance(exc, NetworkError) else "may have been processed"
                    unknown += [{"index": start + i, "error": f"{why}: {exc}"} for i in range(len(chunk))]
                else:
                    unprocessed += [{"index": start + i, "code": exc.status, "error": str(exc), "record": r} for i, r in enumerate(chunk)]
                continue
            body = response.json(default=None)
            if not isinstance(body, dict) or "processed" not in body:
                body_of(response)  # raises with CleverTap's message when it is an error envelope
                raise PlatformError("CleverTap's upload answer has no 'processed' count", status=response.status, body=body)
            processed += int(body.get("processed") or 0)
            for entry in body.get("unprocessed") or []:
                unprocessed.append(_skipped(entry, start, chunk))
        return {"status": _status(len(records), processed, unknown), "processed": processed, "unprocessed": unprocessed, "unknown": unknown, "requests": requests}

    return run


def _skipped(entry, start, chunk):
    """An ``unprocessed`` entry mapped back to the caller's index (§A5.2)."""
    error = str(entry.get("error", ""))
    index = None
    found = _RECORD_NUMBER.search(error)
    if found and 1 <= int(found.group(1)) <= len(chunk):
        index = start + int(found.group(1)) - 1
    return {"index": index, "code": entry.get("code"), "error": error, "record": entry.get("record")}


def _status(total, processed, unknown):
    if processed >= total:
        return "success"
    if processed == 0:
        return "unknown" if unknown else "fail"
    return "partial"


# -- bulk jobs: many one-record inputs carried by one upload (issue "bulk jobs") ------------------


def _combine(inputs):
    return {"records": [record for inp in inputs for record in inp["records"]]}


def _split(output, inputs):
    """One Result per input, from the merged upload answer."""
    failed = {u["index"]: u for u in output["unprocessed"] if u.get("index") is not None}
    unnamed = [u for u in output["unprocessed"] if u.get("index") is None]
    lost = {u["index"]: u for u in output["unknown"]}
    if not failed and not lost and not output["unprocessed"]:  # the usual answer: every record processed
        return [Result(output={"status": "success", "processed": len(inp["records"]), "unprocessed": [], "unknown": [], "requests": 1}) for inp in inputs]
    results, position = [], 0
    for inp in inputs:
        indices = range(position, position + len(inp["records"]))
        position += len(inp["records"])
        if any(i in lost for i in indices):
            results.append(Result(error=NetworkError(lost[next(i for i in indices if i in lost)]["error"], processed=None)))
        elif any(i in failed for i in indices):
            bad = failed[next(i for i in indices if i in failed)]
            results.append(Result(error=PlatformError(f"CleverTap skipped the record: {bad['error']}", status=200, body=bad)))
        elif unnamed:
            # CleverTap skipped records without saying which (§A5.1–A5.2: "Skipped record number : N" ends its
            # message, when it is there): any record not accounted for may be one of them.
            results.append(Result(error=PlatformError(
                f"CleverTap skipped {len(unnamed)} record(s) of this upload without naming them ({unnamed[0]['error']}); "
                "this record may be one of them", status=200, body=unnamed, processed=None,
            )))
        else:
            results.append(Result(output={"status": "success", "processed": len(indices), "unprocessed": [], "unknown": [], "requests": 1}))
    return results


def _upload_action(key, name, kind, record, per_request, description, example):
    return Action(
        key=key,
        name=name,
        description=description,
        entity={"event": "event", "profile": "profile", "token": "device token"}[kind],
        input_schema=input_object(
            {
                "records": array(record, f"The records, any number: sent {per_request} per request.", minItems=1),
                "batch_size": integer(f"Records per request (1–{per_request}, default {per_request}).", minimum=1, maximum=per_request),
            },
            ("records",),
        ),
        output_schema=OUTCOME,
        run=_upload_run(kind, per_request),
        examples=(example,),
        batch=Batch(carrier=key, max_records=per_request, combine=_combine, split=_split),
    )


ACTIONS = (
    _upload_action(
        "upload-events",
        "Upload events",
        "event",
        EVENT,
        1000,
        "Track (record, log, send in) what users did: purchases, sign-ups, page or product views, app "
        "activity, for one user or backfilling history in bulk: any number of events, 1,000 per request, with "
        "per-record results. CleverTap does not de-duplicate events; an uploaded event can start a journey.",
        {"records": [{"identity": "user-1", "evtName": "Charged", "evtData": {"Amount": 30, "Currency": "USD"}, "ts": 1767225600}]},
    ),
    _upload_action(
        "upload-user-profiles",
        "Upload user profiles (create or update)",
        "profile",
        PROFILE,
        1000,
        "Create or update user profiles: set customer attributes such as name, email, phone or any custom "
        "property (plan, tier), for one user or importing many contacts from a CRM; 1,000 per request, "
        "per-record results with CleverTap's validation codes.",
        {"records": [{"identity": "user-1", "profileData": {"Name": "Ada", "Email": "ada@example.com", "Phone": "+14155551234"}}]},
    ),
    _upload_action(
        "upload-device-tokens",
        "Upload device tokens",
        "token",
        TOKEN,
        100,
        "Register push device tokens and browser web push subscriptions (APNs for iOS, FCM/GCM for Android, "
        "Chrome or Firefox web push with its keys) on existing user profiles by their CleverTap ID, so those "
        "devices can receive push notifications; 100 per request (§A5.3).",
        {"records": [{"objectId": "0f6a2a2b4c4d4e4f8a9b1c2d3e4f5a6b", "tokenData": {"id": "fcm-token-1", "type": "fcm"}}]},
    ),
)
