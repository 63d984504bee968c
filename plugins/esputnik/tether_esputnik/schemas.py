"""Schemas shared by ESputnik's actions: the contact (§B5.3), pages (§B3), sends (§B5.11–12)."""

from __future__ import annotations

from tether.connector import all_flag, array, enum, identifier, integer, nullable, obj, string

CHANNEL_TYPES = ("email", "sms", "mobilepush", "webpush", "telegram", "viber")

CHANNEL_IN = obj(
    {
        "type": enum(CHANNEL_TYPES, "The channel: email, sms (a phone number), mobilepush, webpush, telegram or viber."),
        "value": string("The address on that channel: an email address, a phone number, a push token …"),
    },
    "One way to reach the contact.",
    required=("type", "value"),
    additionalProperties=False,
)

ADDRESS_IN = obj(
    {
        "region": string("Region.", min_length=0),
        "town": string("Town or city.", min_length=0),
        "address": string("Street address.", min_length=0),
        "postcode": string("Postal code.", min_length=0),
    },
    "The contact's postal address.",
    additionalProperties=False,
)

FIELD_VALUE_IN = obj(
    {
        "id": identifier("The custom field's id (see get-contact-fields).", numeric=True),
        "value": {"type": ["string", "number", "boolean"], "description": "The field's value."},
    },
    "A custom (additional) field value.",
    required=("id", "value"),
    additionalProperties=False,
)

CONTACT_PROPERTIES = {
    "firstName": string("First name (at most 40 characters).", maxLength=40),
    "lastName": string("Last name (at most 40 characters).", maxLength=40),
    "channels": array(CHANNEL_IN, "The contact's channels: at least one email address or phone number.", minItems=1),
    "address": ADDRESS_IN,
    "fields": array(FIELD_VALUE_IN, "Custom field values, by field id."),
    "externalCustomerId": string("Your own id for the contact (matched before email and phone when deduplicating)."),
    "contactKey": string("The contact key."),
    "languageCode": string("Language code, e.g. en or uk.", maxLength=10),
    "timeZone": string("Time zone, a TZ database name such as Europe/Kyiv."),
}

CONTACT_IN = obj(
    CONTACT_PROPERTIES,
    "A contact: names, channels, address and custom field values.",
    required=("channels",),
    additionalProperties=False,
)

CHANNEL = obj({"type": string("Channel type."), "value": string("Address on that channel.", min_length=0)}, "A channel.")
GROUP = obj(
    {"id": integer("Segment id."), "name": string("Segment name.", min_length=0), "type": string("Static, Dynamic or Combined.")},
    "A segment (group).",
)

CONTACT = obj(
    {
        "id": integer("The contact's id in ESputnik."),
        "firstName": string("First name.", min_length=0),
        "lastName": string("Last name.", min_length=0),
        "channels": array(CHANNEL, "Channels."),
        "address": obj({}, "Postal address."),
        "fields": array(obj({"id": integer("Field id.")}, "A custom field value."), "Custom field values."),
        "addressBookId": integer("The address book the contact belongs to."),
        "externalCustomerId": nullable("string", "Your own id for the contact."),
        "groups": array(GROUP, "Segments the contact belongs to."),
    },
    "A contact as ESputnik returns it.",
)

START_INDEX = integer("Where the page starts, 1-based (the first contact is 1).", minimum=1)
MAX_ROWS = integer("How many items per page (at most 500).", minimum=1, maximum=500)

SEND_RESULT = obj(
    {
        "locator": string("The recipient (email address, phone number or contact id).", min_length=0),
        "status": string("OK when accepted for sending, ERROR otherwise."),
        "requestId": nullable("string", "Id to ask get-message-status about this message."),
        "message": nullable("string", "Why the recipient was refused, when status is ERROR."),
    },
    "What happened to one recipient.",
)

SEND_OUTPUT = obj(
    {"results": array(SEND_RESULT, "One entry per recipient (always a list, even for one recipient).")},
    "Per-recipient results; sending happens asynchronously, within seconds.",
    required=("results",),
)

PAGE_INPUTS = {"startindex": START_INDEX, "maxrows": MAX_ROWS}


def paged(noun: str) -> dict:
    """The paging inputs of a startindex/maxrows list, with its ``all`` flag."""
    return {**PAGE_INPUTS, "all": all_flag(noun)}


def page_of(items_key: str, item: dict, description: str) -> dict:
    return obj(
        {
            items_key: array(item, f"The {items_key} of this page."),
            "totalCount": nullable("integer", "How many match in all (the TotalCount header), when the platform says."),
        },
        description,
        required=(items_key,),
    )


EXTERNAL_REQUEST_ID = string("Your own id for this send, echoed in contact activity rows.", maxLength=100)
TAGS = array(string("A tag."), "Tags to assign to the message.")
