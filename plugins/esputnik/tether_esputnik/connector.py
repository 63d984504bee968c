"""ESputnik's connector: one REST API served on three hosts, the API key as the Basic password.

Reference: clevertap-esputnik.md Part B (shared research notes), cited as §B1… inline.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Api, AuthSpec, Connector, RateLimit, secret

# §B1: the same API (same account, same key) answers on the historical host and on the two
# Yespo hosts, all under /api. They are the connector's regions, chosen by the `host` setting
# (`host=yespo.io`), so the sandbox recognises each of them too.
HOSTS = {
    "esputnik.com": "https://esputnik.com/api",
    "yespo.io": "https://yespo.io/api",
    "api.yespo.io": "https://api.yespo.io/api",
}

DUPLICATED = "Duplicated request"
"""§B3: the text of the platform's refusal of a repeated identical request (the first one took effect)."""


def error_message(status: int, body: Any) -> str | None:
    """The platform's message: errors come as plain text or as JSON with ``message`` (§B3, §B6)."""
    if isinstance(body, str):
        return body.strip()[:500] or None
    if isinstance(body, dict):
        for key in ("message", "error"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()
    return None


API = Api(
    key="default",
    name="ESputnik REST API",
    base_url=HOSTS,
    # §B2: Basic auth, any user name, the API key as the password; the official Shopify app
    # sends the user name "user", so tether does too and the user types one secret.
    auth=AuthSpec("basic", {"username_value": "user", "password": "api_key"}),
    # §B6, the official rate table: methods not listed share 200 requests per second.
    rate_limits={
        "default": RateLimit(200, 1.0),
        "contacts-search": RateLimit(50, 1.0),  # GET /v1/contacts
        "events": RateLimit(350, 1.0),  # POST /v1/event, /v2/event
        "message-history": RateLimit(10, 1.0),  # GET /v2/contacts/messages
        "email-message": RateLimit(10, 1.0),  # GET /v1/messages/email/{id}
    },
    # §B5.1: both official plugins check a key with account info (200 valid, 401 not).
    verify=("get-account-info", {}),
)

CONNECTOR = Connector(
    key="esputnik",
    name="ESputnik (Yespo)",
    description=(
        "ESputnik, now Yespo: an omnichannel marketing automation platform (email, SMS, Viber, web and mobile push). "
        "Manage contacts and their custom fields, search and bulk-import contacts, static segments (groups), "
        "generate events that start automation workflows, send orders, send email and SMS or prepared template "
        "messages and check their delivery status, read contact activity, and manage email templates."
    ),
    domains=("esputnik.com", "yespo.io"),
    regions=tuple(HOSTS),
    region_setting="host",
    apis=(API,),
    credentials={
        "type": "object",
        "description": (
            "In ESputnik / Yespo open Settings → API keys and create a key (full access, or the scopes your "
            "actions need: contacts, events, messages). The key is sent as the password of HTTP Basic auth. "
            "Set host=yespo.io or host=api.yespo.io to use a Yespo host instead of esputnik.com."
        ),
        "properties": {
            "api_key": secret("API key", "An ESputnik / Yespo API key."),
        },
        "required": ["api_key"],
        "additionalProperties": False,
    },
    actions="tether_esputnik.actions:ACTIONS",
    sandbox="tether_esputnik.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
    docs_url="https://docs.yespo.io/reference",
)
