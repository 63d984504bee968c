"""Account, field catalog and contacts one at a time (§B5.1–§B5.7)."""

from __future__ import annotations

from typing import Any

from tether.connector import Reply

from . import model, work
from .base import body, fail, page_reply, page_window, text
from .routes import api_route


@api_route("GET", "/v1/account/info")
def account_info(req: Any, ctx: Any) -> Any:
    # §B5.1: {"userEmail", "organisationName"}; the Shopify app also reads orgId.
    return ctx.collection("account").get("info")


@api_route("GET", "/v1/version")
def version(req: Any, ctx: Any) -> Any:
    return {"version": "20417", "protocolVersion": "1.0"}  # §B5.1 [V-rec]


@api_route("GET", "/v1/balance")
def balance(req: Any, ctx: Any) -> Any:
    # §B5.1 [V-rec]: amounts as strings.
    return {"currentBalance": "0.0", "creditLimit": "0.0", "currency": "UAH", "bonusEmails": "2500", "bonusSmses": "10"}


@api_route("GET", "/v1/addressbooks")
def address_books(req: Any, ctx: Any) -> Any:
    # §B5.2 [V-rec]: ids and flags as strings, fieldGroups as one object when there is one group.
    book = ctx.collection("addressbook").get("main")
    groups = [
        {
            "name": group["name"],
            "fields": [
                {
                    "id": str(f["id"]),
                    "name": f["name"],
                    "description": {
                        "type": f["type"],
                        "required": str(f.get("required", False)).lower(),
                        "readonly": str(f.get("readonly", False)).lower(),
                        **({"allowedValues": {"possibleValues": f["allowedValues"]}} if f.get("allowedValues") else {}),
                    },
                }
                for f in group["fields"]
            ],
        }
        for group in book["fieldGroups"]
    ]
    return {"addressBook": {"addressBookId": str(book["addressBookId"]), "name": book["name"], "fieldGroups": groups[0] if len(groups) == 1 else groups}}


# -- search ---------------------------------------------------------------------------------------


@api_route("GET", "/v1/contacts", family="contacts-search")
def search_contacts(req: Any, ctx: Any) -> Reply:
    # §B5.4: lowercase filter names, 1-based startindex, maxrows ≤ 500, TotalCount header.
    offset, rows = page_window(req)
    query = req.query
    exact = []
    for name, lookup in (("email", model.by_email), ("sms", model.by_phone), ("externalCustomerId", model.by_external_id)):
        if query.get(name):
            found = lookup(ctx, query[name])
            exact.append(found["id"] if found else None)
    names = {k: query[k].strip().lower() for k in ("firstname", "lastname") if query.get(k)}

    def by_name(doc: dict[str, Any]) -> bool:
        return all(str(doc.get("firstName" if k == "firstname" else "lastName") or "").lower() == v for k, v in names.items())

    contacts = ctx.collection("contacts")
    if exact:
        same = exact[0] is not None and all(e == exact[0] for e in exact)
        docs = [d for d in ([model.get(ctx, exact[0])] if same else []) if d and by_name(d)]
        return page_reply([model.render(ctx, d) for d in docs[offset : offset + rows]], len(docs))
    where = by_name if names else None
    live = {"deleted": False}
    page = contacts.slice(offset, rows, where=where, match=live)
    total = contacts.count(live) if where is None else len(contacts.find(lambda d: not d.get("deleted") and by_name(d)))
    return page_reply([model.render(ctx, d) for d in page], total)


# -- one contact ------------------------------------------------------------------------------------


@api_route("GET", "/v1/contact/{id}")
def get_contact(req: Any, ctx: Any) -> Any:
    return model.render(ctx, model.require(ctx, req.path_params["id"]))


def _checked(ctx: Any, contact: Any) -> dict[str, Any]:
    reason = model.problem(contact) or model.check_fields(ctx, contact)
    if reason:
        raise fail(400, reason)
    return contact


@api_route("POST", "/v1/contact", refuse_repeats=True)
def add_contact(req: Any, ctx: Any) -> Any:
    # §B5.5 (current docs): a contact with the same email or phone is updated, else one is
    # created; the id in the body is ignored. §B3: {"id": <number>}.
    data = _checked(ctx, body(req))
    data = {k: v for k, v in data.items() if k != "id"}
    if not data.get("channels"):
        raise fail(400, "contact has no channels")
    contact, _ = model.upsert(ctx, data, dedupe="email_or_sms")
    return {"id": contact["id"]}


@api_route("PUT", "/v1/contact/{id}")
def update_contact(req: Any, ctx: Any) -> Reply:
    # §B5.5 [V-rec]: updates by id, ignores unknown top-level keys, answers in plain text.
    doc = model.require(ctx, req.path_params["id"])
    data = body(req) or {}
    if data.get("channels") or data.get("fields"):
        reason = (model.problem({**data, "id": doc["id"]}) if data.get("channels") else None) or model.check_fields(ctx, data)
        if reason:
            raise fail(400, reason)
    model.update(ctx, doc, {k: v for k, v in data.items() if k != "id"})
    return text(200, f"Contact with id='{doc['id']}' has been updated")


@api_route("DELETE", "/v1/contact/{id}")
def delete_contact(req: Any, ctx: Any) -> Reply:
    doc = model.require(ctx, req.path_params["id"])
    model.remove(ctx, doc)
    return text(200, f"Contact with id='{doc['id']}' has been deleted")  # §B5.7 [V-rec]


@api_route("DELETE", "/v1/contact")
def delete_contact_by_external_id(req: Any, ctx: Any) -> Reply:
    # §B5.7 [V-src official plugins]: ?externalCustomerId=…&erase=true|false.
    external_id = req.query.get("externalCustomerId")
    if not external_id:
        raise fail(400, "externalCustomerId is required")
    doc = model.by_external_id(ctx, external_id)
    if doc is None:
        raise fail(404, f"Contact with externalCustomerId='{external_id}' not found")  # "not found" [V-src]
    model.remove(ctx, doc, erase=req.query.get("erase", "false").lower() == "true")
    return text(200, f"Contact with id='{doc['id']}' has been deleted")


@api_route("POST", "/v1/contact/subscribe")
def subscribe(req: Any, ctx: Any) -> Any:
    # §B5.6: a new contact gets an unconfirmed email (double opt-in); an existing one is
    # updated; segments by name are created when missing; subscribeFromApi[-formType] or
    # subscribeUpdateFromApi[-formType] events carry ContactId and EmailAddress.
    payload = body(req) or {}
    data = _checked(ctx, payload.get("contact") or {})
    existing = model.by_external_id(ctx, data.get("externalCustomerId")) or model.by_email(ctx, model.channel(data, "email")) or model.by_phone(ctx, model.channel(data, "sms"))
    if existing is not None:
        contact = model.update(ctx, existing, {k: v for k, v in data.items() if k != "id"})
        event = "subscribeUpdateFromApi"
    else:
        contact = model.create(ctx, data, confirmed=False)
        event = "subscribeFromApi"
    for name in payload.get("groups") or []:
        model.join(ctx, model.group_named(ctx, name)["id"], contact)
    if payload.get("formType"):
        event += f"-{payload['formType']}"
    email = model.channel(contact, "email") or ""
    work.record_event(ctx, event, email or model.channel(contact, "sms"), [{"name": "ContactId", "value": contact["id"]}, {"name": "EmailAddress", "value": email}])
    return {"id": contact["id"]}
