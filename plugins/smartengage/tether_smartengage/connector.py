"""SmartEngage's connector: one host, a Bearer API key, everything scoped by brand avatar.

Reference: shared/research/customerio-smartengage.md, Part B (B2: host and auth; B4: errors).
"""

from tether.connector import Api, AuthSpec, Connector, secret


def error_message(status, body):
    # B4: the error format is not documented. The sandbox answers {"error": "…"} [INF], as
    # PostHog's tests model it; any other body is shown as it came.
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    return None


CONNECTOR = Connector(
    key="smartengage",
    name="SmartEngage",
    description=(
        "SmartEngage (smartengage.com): Messenger, email and web-push marketing organised around brand avatars. "
        "List brand avatars; list, add and update subscribers (contacts); create tags and tag or untag subscribers, "
        "one or many at a time; create custom fields and set their values; enrol subscribers in sequences or take them out."
    ),
    domains=("smartengage.com",),
    apis=(
        Api(
            key="default",
            name="SmartEngage API",
            # B2: single region, no version segment.
            base_url="https://api.smartengage.com",
            auth=AuthSpec("bearer", {"token": "api_key"}),
            # B4: no rate limit is documented, so nothing is paced; 429/503 are still retried.
            # The check is the docs' own first call and the one PostHog makes (B3).
            verify=("list-avatars", {}),
        ),
    ),
    credentials={
        "type": "object",
        "description": "Your SmartEngage API key, from the SmartEngage dashboard.",
        "properties": {
            "api_key": secret("API key", "The API key (it starts with se_), sent as Authorization: Bearer."),
        },
        "required": ["api_key"],
        "additionalProperties": False,
    },
    settings={
        "avatar_id": {
            "type": "string",
            "minLength": 1,
            "description": "The brand avatar used when an action's input gives no avatar_id (list-avatars shows the ids).",
        },
    },
    actions="tether_smartengage.actions:ACTIONS",
    sandbox="tether_smartengage.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
    docs_url="https://smartengage.com/docs/",
)
