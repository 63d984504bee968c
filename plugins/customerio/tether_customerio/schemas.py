"""JSON Schemas shared by Customer.io's actions.

Input schemas are closed (a typo is refused before anything is sent); output schemas stay
open because Customer.io adds fields. Every property carries a description (the kit checks).
"""

from __future__ import annotations

from typing import Any

from tether.connector import array, boolean, identifier, integer, nullable, obj, string


def integer_id(description: str) -> dict[str, Any]:
    """App API object ids are integers (§A5 "Conventions")."""
    return integer(description, minimum=1)


# -- people -------------------------------------------------------------------------------------

# §A3 "Path {identifier}": a person's id or email (as the workspace is set up), or cio_<cio_id>.
# §A3 "Payload limits": person ids are at most 150 bytes.
IDENTIFIER = identifier(
    "The person: their id, their email address, or cio_<cio_id> (Customer.io's own id, with the cio_ prefix).", max_length=150
)

ID_TYPE = string(
    "What the given identifier is: id (default), email or cio_id.",
    min_length=None,
    enum=["id", "email", "cio_id"],
)

# §A5.6, §A4: exactly one of id, email, cio_id.
IDENTIFIERS = obj(
    {
        "id": identifier("The person's id in your system.", max_length=150),
        "email": string("The person's email address.", min_length=3),
        "cio_id": string("Customer.io's own id of the person."),
    },
    "Exactly one way to name the person: {\"id\": …}, {\"email\": …} or {\"cio_id\": …}.",
    additionalProperties=False,
    minProperties=1,
    maxProperties=1,
)

IDENTIFIERS_OUT = obj(
    {
        "id": nullable("string", "The person's id in your system."),
        "email": nullable("string", "The person's email address."),
        "cio_id": nullable("string", "Customer.io's own id of the person."),
    },
    "The person's identifiers.",
)

# -- audience filters (§A5.2): recursive and/or/not over segments and attributes -----------------

# A filter nests filters, so its definition lives in "$defs" at the root of the input schema
# that uses it (a "#/..." reference resolves against the root): spread FILTER_DEFS into that
# schema and describe the property with filter_property.
FILTER_DEFS: dict[str, Any] = {
    "$defs": {
        "filter": {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "and": array({"$ref": "#/$defs/filter"}, "All of these.", minItems=1),
                "or": array({"$ref": "#/$defs/filter"}, "Any of these.", minItems=1),
                "not": {"$ref": "#/$defs/filter", "description": "Not this one."},
                "segment": {
                    "type": "object",
                    "description": "Members of a segment.",
                    "properties": {"id": integer("The segment id.")},
                    "required": ["id"],
                    "additionalProperties": False,
                },
                "attribute": {
                    "type": "object",
                    "description": "A condition on one attribute.",
                    "properties": {
                        "field": string("The attribute name."),
                        "operator": string("eq (equals value) or exists.", min_length=None, enum=["eq", "exists"]),
                        "value": {"type": ["string", "number", "boolean"], "description": "The value to compare with (for eq)."},
                    },
                    "required": ["field", "operator"],
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        }
    },
}


def filter_property(description: str) -> dict[str, Any]:
    """An audience-filter property; its schema must also carry ``**FILTER_DEFS``."""
    return {
        "type": "object",
        "$ref": "#/$defs/filter",
        "description": description
        + ' A filter is {"and": [...]}, {"or": [...]}, {"not": {...}}, {"segment": {"id": 7}} or '
        '{"attribute": {"field": "plan", "operator": "eq", "value": "pro"}} (operator eq or exists).',
    }


# -- App API pagination (§A5 "Conventions": start/limit in, next out) -----------------------------


def page_input(default: int, maximum: int, noun: str) -> dict[str, Any]:
    return {
        "limit": integer(
            f"How many {noun} per page, 1–{maximum} (Customer.io's default is {default}).",
            minimum=1,
            maximum=maximum,
        ),
        "start": string("The next token from the previous page, to get the page after it."),
        "all": boolean("Follow the next tokens through every page and return every item (streamed by the CLI)."),
    }


NEXT = string("Pass as start to get the next page; empty or absent on the last page.", min_length=None)

# The change stamps every App API object that can be edited carries (campaigns, broadcasts, …, §A5.4).
DEDUPLICATE_ID = string("id:unix of its last change.", min_length=None)
CREATED = integer("When it was created (unix).")
UPDATED = integer("When it last changed (unix).")

# -- reporting webhooks -------------------------------------------------------------------------

# §A5.8: the customer_* events and per-channel delivery metrics. The per-channel sets are those of
# the spec's enum as listed by a third-party integration ([3P] PostHog's Customer.io source); the
# reference gives their union (drafted … undeliverable). in_app_* is not in the reference's list.
CHANNEL_METRICS = {
    "email": ("drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced", "dropped",
              "deferred", "spammed", "failed", "unsubscribed", "undeliverable"),
    "push": ("drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced", "dropped", "failed", "undeliverable"),
    "slack": ("drafted", "attempted", "sent", "clicked", "converted", "failed"),
    "sms": ("drafted", "attempted", "sent", "delivered", "clicked", "converted", "bounced", "failed", "undeliverable"),
    "webhook": ("drafted", "attempted", "sent", "clicked", "converted", "failed", "undeliverable"),
}  # fmt: skip
REPORTING_EVENTS = ("customer_subscribed", "customer_unsubscribed", "customer_subscription_preferences_changed") + tuple(
    f"{channel}_{metric}" for channel, metrics in CHANNEL_METRICS.items() for metric in metrics
)


# -- Track API results (§A3: every success is 200 with an empty object) ---------------------------

TRACK_OK = obj(
    {"ok": boolean("Always true: the request was accepted.", const=True)},
    "Customer.io accepted the request (the Track API answers an empty object).",
    required=["ok"],
)

DELETED = obj(
    {"deleted": boolean("Always true: the object is gone.", const=True)},
    "The object was deleted.",
    required=["deleted"],
)

METRIC_SERIES = {
    "type": "object",
    "description": "Metric name → counts per period, oldest first.",
    "additionalProperties": {"type": "array", "items": {"type": "integer"}},
}
