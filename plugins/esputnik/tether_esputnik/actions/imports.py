"""Bulk contacts: POST /v1/contacts (≤ 3,000 a request, asynchronous) and its import status.

§B5.5: the platform answers at once with an ``asyncSessionId`` and, in the same 200, the
contacts it refused (``failedContacts``); the import itself runs in the background and is
followed with GET /v1/importstatus/{asyncSessionId}.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tether.connector import (
    PENDING,
    Action,
    Batch,
    PlatformError,
    Request,
    Result,
    TetherError,
    array,
    boolean,
    enum,
    identifier,
    input_object,
    integer,
    nullable,
    number,
    obj,
    poll_job,
    rest,
    string,
)

from ..quirks import as_list, is_duplicate, refused
from ..schemas import CONTACT_PROPERTIES

MAX_CONTACTS = 3000
"""§B5.5: 1–3,000 contacts per request."""

DEDUPE_ON = ("email", "sms", "email_or_sms", "id", "fieldId", "externalCustomerId")
OPTIONS = ("dedupeOn", "fieldId", "contactFields", "customFieldsIDs", "groupNames", "groupNamesExclude", "restoreDeleted", "eventKeyForNewContacts")
RUNNING = "IN_PROGRESS"

BULK_CONTACT = obj(
    {**CONTACT_PROPERTIES, "id": identifier("The contact's ESputnik id (matched with dedupeOn id).", numeric=True)},
    "A contact: names, channels, address and custom field values.",
    required=("channels",),
    additionalProperties=False,
)


def _canonical(contact: Mapping[str, Any]) -> str:
    return json.dumps(contact, sort_keys=True, separators=(",", ":"), default=str)


def _index_of(failed: Mapping[str, Any], chunk: list[dict[str, Any]], taken: set[int]) -> int | None:
    """Which contact of the request a failedContacts entry is (the contact as sent, plus a message)."""
    sent = {k: v for k, v in failed.items() if k not in ("message", "errorMessage", "errors")}
    wanted = _canonical(sent)
    for i, contact in enumerate(chunk):
        if i not in taken and _canonical(contact) == wanted:
            return i
    return None


def _finished(status: Mapping[str, Any]) -> Any:
    return PENDING if str(status.get("status", "")).upper() == RUNNING else status


def add_update_contacts(inp, ctx):
    contacts = inp["contacts"]
    options = {name: inp[name] for name in OPTIONS if name in inp}
    # §B5.5: dedupeOn says how an existing contact is recognised; with it every request is an
    # upsert, so a retry after a lost answer updates the same contacts instead of adding twins.
    options.setdefault("dedupeOn", "email")
    sent: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for first in range(0, len(contacts), MAX_CONTACTS):
        chunk = contacts[first : first + MAX_CONTACTS]
        try:
            response = yield Request("POST", "/v1/contacts", json={"contacts": chunk, **options}, idempotent=True, accept=(400,))
            if response.status == 400 and not is_duplicate(response):
                raise refused(response)
        except TetherError as exc:
            _explain_partial(exc, sent, first, len(contacts))
            raise
        entry: dict[str, Any] = {"first": first, "contacts": len(chunk), "asyncSessionId": None, "status": RUNNING}
        if response.status == 400:
            # §B3: a repeat of a request whose answer was lost; the first one took effect, but
            # its session id went with the answer, so its end cannot be followed.
            entry.update(status="UNCONFIRMED", duplicate=True)
        else:
            body = response.json(default={}) or {}
            entry["asyncSessionId"] = body.get("asyncSessionId")
            taken: set[int] = set()
            for item in as_list(body.get("failedContacts")):
                index = _index_of(item, chunk, taken) if isinstance(item, Mapping) else None
                if index is not None:
                    taken.add(index)
                failed.append(
                    {
                        "index": None if index is None else first + index,
                        "contact": item,
                        "message": (item.get("message") or item.get("errorMessage")) if isinstance(item, Mapping) else str(item),
                    }
                )
            entry["failed"] = len(as_list(body.get("failedContacts")))
            if not entry["asyncSessionId"]:
                entry["status"] = "FINISHED"  # nothing was left to import
        sent.append(entry)
    if inp.get("wait", True):
        for entry in sent:
            if entry["status"] != RUNNING:
                continue
            session = entry["asyncSessionId"]
            try:
                final = yield from poll_job(
                    lambda session=session: Request("GET", "/v1/importstatus/{id}", path_params={"id": session}),
                    state=lambda r: _finished(r.json(default={}) or {}),
                    timeout=inp.get("timeout", 600),
                    job_id=session,
                    what="the contact import",
                    resume='ask get-import-status with {"asyncSessionId": "<id>"}',
                )
            except TetherError as exc:
                exc.add_context("every request was accepted; the imports may still be running", requests=sent)
                raise
            entry["status"] = str(final.get("status", "FINISHED")).upper()
    return {"status": _overall(sent), "requests": sent, "failedContacts": failed, "accepted": len(contacts) - len(failed)}


def _overall(sent: list[dict[str, Any]]) -> str:
    states = {entry["status"] for entry in sent}
    for state in ("ERROR", RUNNING, "UNCONFIRMED"):
        if state in states:
            return state
    return "FINISHED"


def _explain_partial(exc: TetherError, sent: list[dict[str, Any]], first: int, total: int) -> None:
    if sent:
        exc.add_context(
            f"contacts 1–{first} were accepted in {len(sent)} request(s); contacts {first + 1}–{total} were not sent",
            requests=sent,
        )


REQUEST_STATUS = obj(
    {
        "first": integer("Index (0-based) of this request's first contact in the input."),
        "contacts": integer("How many contacts this request carried."),
        "asyncSessionId": nullable("string", "The import session, for get-import-status."),
        "status": string("IN_PROGRESS, FINISHED, ERROR, or UNCONFIRMED (a repeat refused as duplicate: the first took effect)."),
        "duplicate": boolean("The platform refused a retry of this request as a duplicate; the first one took effect."),
        "failed": integer("How many of its contacts the platform refused."),
    },
    "One request to the platform (3,000 contacts at most).",
)

ADD_UPDATE_CONTACTS = Action(
    key="add-update-contacts",
    name="Add or update contacts (bulk import)",
    description=(
        "Bulk import or sync many contacts at once from a CRM or file: creates new contacts and updates existing ones "
        "(upsert, deduplicated by email, phone, id or external customer id), optionally adding them to segments by "
        "name or removing them from others. Any number of contacts (split into requests of 3,000); the import is "
        "asynchronous and this waits until it is finished unless wait is false. Refused contacts come back per contact."
    ),
    entity="contact",
    input_schema=input_object(
        {
            "contacts": array(BULK_CONTACT, "The contacts to add or update (any number; sent 3,000 per request).", minItems=1),
            "dedupeOn": enum(DEDUPE_ON, "How an existing contact is recognised (default email); externalCustomerId in a contact always wins."),
            "fieldId": identifier("With dedupeOn fieldId: the custom field that identifies a contact.", numeric=True),
            "contactFields": array(
                enum(("firstName", "lastName", "email", "sms", "address", "town", "region", "postcode", "contactKey"), "A standard field."),
                "Which standard fields of existing contacts to update (default: the ones given).",
            ),
            "customFieldsIDs": array(identifier("A custom field id.", numeric=True), "Which custom fields of existing contacts to update."),
            "groupNames": array(string("A segment name."), "Segments (by name) to add the contacts to."),
            "groupNamesExclude": array(string("A segment name."), "Segments (by name) to remove the contacts from."),
            "restoreDeleted": boolean("Restore and update contacts that were deleted (default false: they are skipped)."),
            "eventKeyForNewContacts": string("Generate an event of this type for each new contact (to start a workflow).", pattern="^[A-Za-z0-9]+$"),
            "wait": boolean("Wait until the platform has finished importing (default true); false returns the session ids at once."),
            "timeout": number("Longest wait for the import, in seconds (default 600).", minimum=0),
        },
        ("contacts",),
    ),
    output_schema=obj(
        {
            "status": string("FINISHED when every import ended, else IN_PROGRESS, ERROR or UNCONFIRMED."),
            "accepted": integer("Contacts not refused at once."),
            "requests": array(REQUEST_STATUS, "One entry per request sent."),
            "failedContacts": array(
                obj(
                    {
                        "index": nullable("integer", "Which input contact (0-based), when it could be matched."),
                        "contact": obj({}, "The contact as the platform returned it."),
                        "message": nullable("string", "Why it was refused."),
                    },
                    "A refused contact.",
                ),
                "Contacts the platform refused, each with its reason.",
            ),
        },
        "The import: per request and per refused contact.",
        required=("status", "requests", "failedContacts"),
    ),
    run=add_update_contacts,
    examples=(
        {
            "contacts": [
                {"firstName": "Ada", "channels": [{"type": "email", "value": "ada@example.com"}]},
                {"firstName": "Alan", "channels": [{"type": "email", "value": "alan@example.com"}], "externalCustomerId": "crm-42"},
            ],
            "groupNames": ["Customers"],
        },
        {"contacts": [{"channels": [{"type": "sms", "value": "380501112233"}]}], "dedupeOn": "sms", "wait": False},
    ),
    idempotent=True,
)

# -- get-import-status -------------------------------------------------------------------------

GET_IMPORT_STATUS = Action(
    key="get-import-status",
    name="Get contact import status",
    description=(
        "Check once whether an asynchronous bulk contact import (add-update-contacts with wait false) has finished: "
        "its status (IN_PROGRESS, FINISHED, ERROR) and the imported contacts' ids, by its asyncSessionId."
    ),
    entity="contact import",
    input_schema=input_object({"asyncSessionId": string("The session id add-update-contacts returned.")}, ("asyncSessionId",)),
    output_schema=obj(
        {"status": string("IN_PROGRESS, FINISHED or ERROR."), "asyncSessionId": string("The session id.")},
        "The import session.",
        required=("status",),
    ),
    run=rest("GET", "/v1/importstatus/{asyncSessionId}"),
    examples=({"asyncSessionId": "6f1c2a4e-0000-4000-8000-000000000001"},),
    read_only=True,
    idempotent=True,
)

# -- bulk jobs: add-update-contact records ride in add-update-contacts -------------------------


def _combine(records: list[dict[str, Any]]) -> dict[str, Any]:
    # A record with an id updates that contact (PUT); in a bulk request the same is asked with
    # dedupeOn id, which needs every contact to carry one. Otherwise contacts are matched by
    # email or phone, as POST /v1/contact does (§B5.5).
    with_id = all("id" in r for r in records)
    return {"contacts": list(records), "dedupeOn": "id" if with_id else "email_or_sms"}


def _split(output: Mapping[str, Any], records: list[dict[str, Any]]) -> list[Result]:
    refused_at = {f["index"]: f for f in output.get("failedContacts", []) if f.get("index") is not None}
    results: list[Result] = []
    for i, record in enumerate(records):
        request = next((r for r in output["requests"] if r["first"] <= i < r["first"] + r["contacts"]), {})
        if i in refused_at:
            message = refused_at[i].get("message") or "refused by the platform"
            results.append(Result(error=PlatformError(f"ESputnik (Yespo) refused this contact: {message}", body=refused_at[i])))
            continue
        results.append(
            Result(
                output={
                    "id": record.get("id"),
                    "asyncSessionId": request.get("asyncSessionId"),
                    "status": request.get("status"),
                    "duplicate": bool(request.get("duplicate")),
                }
            )
        )
    return results


CONTACTS_BATCH = Batch(carrier="add-update-contacts", max_records=MAX_CONTACTS, combine=_combine, split=_split)

ACTIONS = (ADD_UPDATE_CONTACTS, GET_IMPORT_STATUS)
