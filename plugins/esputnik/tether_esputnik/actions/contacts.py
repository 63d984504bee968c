"""Contacts one at a time: search, get, add or update, subscribe, delete; and the field catalog.

§B5.2–§B5.7. The bulk import lives in :mod:`.imports`.
"""

from __future__ import annotations

from tether.connector import Action, OffsetPages, Request, boolean, identifier, input_object, integer, obj, rest, string

from ..quirks import as_bool, as_list, is_duplicate, json_or_text, listing, refused, with_int_ids
from ..schemas import CONTACT, CONTACT_IN, CONTACT_PROPERTIES, page_of, paged
from .imports import CONTACTS_BATCH

CONTACT_ID = identifier("The contact's numeric id in ESputnik.", numeric=True)

# -- search-contacts ---------------------------------------------------------------------------

SEARCH_FILTERS = {
    "email": string("Find the contact with this email address."),
    "sms": string("Find the contact with this phone number."),
    "firstname": string("First name to match."),
    "lastname": string("Last name to match."),
    "externalCustomerId": string("Your own id for the contact."),
}


# §B5.4: filter names are lowercase on the wire; startindex is 1-based; an empty body means
# nothing matched; the total travels in the TotalCount header.
search_contacts = listing("/v1/contacts", "contacts", (*SEARCH_FILTERS, "startindex", "maxrows"), rate_family="contacts-search")


SEARCH_CONTACTS = Action(
    key="search-contacts",
    name="Search contacts",
    description=(
        "Search and find contacts (people, customers, subscribers): look up contacts by email address, phone number "
        "(sms), first name or last name, or your external customer id, or list every contact when no filter is given. "
        "Returns contact records with ids, channels and segments, 500 at most per page (startindex is 1-based)."
    ),
    entity="contact",
    input_schema=input_object({**SEARCH_FILTERS, **paged("contacts")}),
    output_schema=page_of("contacts", CONTACT, "One page of matching contacts."),
    run=search_contacts,
    examples=({"email": "ada@example.com"}, {"lastname": "Smith", "maxrows": 50}),
    read_only=True,
    idempotent=True,
    pages=OffsetPages(items="contacts", param="startindex", size_param="maxrows", start=1, total="totalCount", max_size=500),
)

# -- get-contact -------------------------------------------------------------------------------

GET_CONTACT = Action(
    key="get-contact",
    name="Get contact",
    description=(
        "Show one contact's full profile by its numeric ESputnik contact id: name, email and phone channels, address, "
        "all its custom field values and the segments it belongs to. To find a contact by email use search-contacts."
    ),
    entity="contact",
    input_schema=input_object({"id": CONTACT_ID}, ("id",)),
    output_schema=CONTACT,
    run=rest("GET", "/v1/contact/{id}", read=lambda r, inp: with_int_ids(r.json())),
    examples=({"id": 100001},),
    read_only=True,
    idempotent=True,
)

# -- add-update-contact ------------------------------------------------------------------------


def add_update_contact(inp, ctx):
    contact = {k: v for k, v in inp.items() if k != "id"}
    if "id" in inp:
        # §B5.5: PUT updates by id (the id in the body is ignored) and answers in plain text.
        response = yield Request("PUT", "/v1/contact/{id}", path_params={"id": inp["id"]}, json=contact)
        return {"id": int(inp["id"]), "created": False, "message": json_or_text(response)}
    # §B5.5: POST adds, or updates the contact that has the same email address or phone
    # number. A repeat may be refused as "Duplicated request" (§B3): the first one took effect.
    response = yield Request("POST", "/v1/contact", json=contact, accept=(400,))
    if response.status == 400:
        if not is_duplicate(response):
            raise refused(response)
        return {"id": None, "duplicate": True, "message": json_or_text(response)}
    return {"id": with_int_ids(response.json()).get("id")}


ADD_UPDATE_CONTACT = Action(
    key="add-update-contact",
    name="Add or update contact",
    description=(
        "Create a new contact, or update an existing one (upsert): without an id, a contact with the same email "
        "address or phone number is updated, otherwise a new one is created; with an id, that contact is changed "
        "(name, channels, address, custom field values). One contact per call; for many use add-update-contacts."
    ),
    entity="contact",
    input_schema=input_object(
        {"id": {**CONTACT_ID, "description": "Update this existing contact (by its ESputnik id) instead of matching by email or phone."}, **CONTACT_PROPERTIES},
        ("channels",),
    ),
    output_schema=obj(
        {
            "id": {"type": ["integer", "null"], "description": "The contact's id (null when the platform refused a repeat)."},
            "created": boolean("False when an existing contact was updated by id."),
            "duplicate": boolean("The platform refused this as a repeat of an identical request; the first one took effect."),
            "message": {"type": ["string", "null"], "description": "The platform's text answer, when it gave one."},
            "asyncSessionId": {"type": ["string", "null"], "description": "In a bulk job: the import session that carried it."},
            "status": {"type": ["string", "null"], "description": "In a bulk job: that import's status."},
        },
        "The contact written.",
    ),
    run=add_update_contact,
    batch=CONTACTS_BATCH,
    examples=(
        {"firstName": "Ada", "lastName": "Lovelace", "channels": [{"type": "email", "value": "ada@example.com"}]},
        {"id": 100001, "firstName": "Grace", "channels": [{"type": "email", "value": "grace@example.com"}, {"type": "sms", "value": "380501234567"}]},
    ),
)

# -- subscribe-contact -------------------------------------------------------------------------

SUBSCRIBE_CONTACT = Action(
    key="subscribe-contact",
    name="Subscribe contact",
    description=(
        "Subscribe (opt in) someone through a website sign-up or newsletter form with double opt-in: they join with an "
        "unconfirmed email address that they confirm from the confirmation email; someone already known is updated. "
        "Optionally add them to segments by name (made if missing) and name the form, which fires the "
        "subscribeFromApi event."
    ),
    entity="contact",
    input_schema=input_object(
        {
            "contact": CONTACT_IN,
            "groups": {"type": "array", "items": string("A segment name."), "description": "Segment names to add the contact to (created when missing)."},
            "formType": string("The form's name; the event becomes subscribeFromApi-<formType>.", maxLength=100),
        },
        ("contact",),
    ),
    output_schema=obj({"id": integer("The contact's id.")}, "The subscribed contact.", required=("id",)),
    run=rest("POST", "/v1/contact/subscribe", body=("contact", "groups", "formType"), read=lambda r, inp: {"id": with_int_ids(r.json())["id"]}),
    examples=({"contact": {"channels": [{"type": "email", "value": "new.reader@example.com"}]}, "groups": ["Subscribers"], "formType": "footer"},),
)

# -- delete-contact ----------------------------------------------------------------------------


def delete_contact(inp, ctx):
    if "id" in inp:
        response = yield Request("DELETE", "/v1/contact/{id}", path_params={"id": inp["id"]})
    else:
        # §B5.7: by external id, as both official plugins do; erase=true forgets the data (GDPR).
        params = {"externalCustomerId": inp["externalCustomerId"], "erase": "true" if inp.get("erase") else "false"}
        response = yield Request("DELETE", "/v1/contact", params=params)
    return {"deleted": True, "message": json_or_text(response)}


DELETE_CONTACT = Action(
    key="delete-contact",
    name="Delete contact",
    description=(
        "Delete a contact from the database by its ESputnik id, or by your external customer id; with erase the "
        "contact's data is erased for good (GDPR right to be forgotten). To only take a contact out of a segment use "
        "detach-contacts-from-segment."
    ),
    entity="contact",
    input_schema=input_object(
        {
            "id": CONTACT_ID,
            "externalCustomerId": string("Delete the contact with this external customer id instead."),
            "erase": boolean("With externalCustomerId: erase the contact's personal data completely (GDPR)."),
        },
        oneOf=[{"required": ["id"]}, {"required": ["externalCustomerId"]}],
    ),
    output_schema=obj({"deleted": boolean("True."), "message": {"type": ["string", "null"], "description": "The platform's answer."}}, "Done."),
    run=delete_contact,
    examples=({"id": 100002}, {"externalCustomerId": "crm-3", "erase": True}),
    destructive=True,
    idempotent=True,
)

# -- get-contact-fields ------------------------------------------------------------------------


def _field(raw):
    description = raw.get("description") or {}
    allowed = (description.get("allowedValues") or {}).get("possibleValues")
    field = {
        "id": with_int_ids(raw)["id"],
        "name": raw.get("name"),
        "type": description.get("type"),
        "required": as_bool(description.get("required", False)),
        "readonly": as_bool(description.get("readonly", False)),
    }
    for key in ("fieldKey",):
        if key in raw:
            field[key] = raw[key]
    if allowed is not None:
        field["allowedValues"] = as_list(allowed)
    return field


def read_address_book(response, inp):
    # §B5.2: fieldGroups may be one object or an array; flags are "true"/"false" strings.
    book = (response.json() or {}).get("addressBook") or {}
    groups = [
        {"name": group.get("name"), "fields": [_field(f) for f in as_list(group.get("fields"))]}
        for group in as_list(book.get("fieldGroups"))
    ]
    return {"addressBookId": with_int_ids(book).get("addressBookId"), "name": book.get("name"), "fieldGroups": groups}


FIELD = obj(
    {
        "id": integer("The field's id, used in contact fields[].id."),
        "name": string("Field name.", min_length=0),
        "type": string("textfield, combobox, checkboxlist, textarea, date, number, datetime or decimal."),
        "required": boolean("Whether a value is required."),
        "readonly": boolean("Whether the field is read-only."),
    },
    "A custom contact field.",
)

GET_CONTACT_FIELDS = Action(
    key="get-contact-fields",
    name="Get contact fields",
    description=(
        "List the custom (additional) contact fields of the account's address book, grouped, with each field's id, "
        "name, type and allowed values (e.g. Birthday, Gender). Use the ids to set field values on contacts."
    ),
    entity="contact field",
    input_schema=input_object({}),
    output_schema=obj(
        {
            "addressBookId": integer("The address book's id."),
            "name": string("The address book's name.", min_length=0),
            "fieldGroups": {"type": "array", "items": obj({"name": string("Group name.", min_length=0), "fields": {"type": "array", "items": FIELD}}, "A group of fields."), "description": "Field groups."},
        },
        "The contact field catalog.",
        required=("fieldGroups",),
    ),
    run=rest("GET", "/v1/addressbooks", read=read_address_book),
    examples=({},),
    read_only=True,
    idempotent=True,
)

ACTIONS = (SEARCH_CONTACTS, GET_CONTACT, ADD_UPDATE_CONTACT, SUBSCRIBE_CONTACT, DELETE_CONTACT, GET_CONTACT_FIELDS)
