"""Engage's connector: one API at api.engage.so/v1, HTTP Basic with the public and private keys.

Reference: engage.md (shared research notes on Engage's HTTP API); sections cited inline.
"""

from tether.connector import Api, AuthSpec, Connector


def error_message(status, body):
    # engage.md §1 "Error body": every error is {"error": "More details about error"}.
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    return None


CONNECTOR = Connector(
    key="engage",
    name="Engage",
    description=(
        "Engage (engage.so): customer messaging by email, push, in-app and SMS. Manage users (customers and accounts), "
        "their attributes and events, lists and subscriptions, account memberships and roles, and batch imports."
    ),
    domains=("engage.so",),
    apis=(
        Api(
            key="default",
            name="Engage API",
            # engage.md §1: v1 is the only version; the unversioned root also works, but /v1 is documented.
            base_url="https://api.engage.so/v1",
            # engage.md §1 "Auth": username = public key, password = private key (secret).
            auth=AuthSpec("basic", {"username": "public_key", "password": "private_key"}),
            # No rate limit is documented (engage.md §5), so none is paced; 429/503 are still retried.
            # The check must need both keys: GET /lists also works with the public key alone
            # (engage.md §3, "U"), so it would not prove the private key; GET /users needs both.
            verify=("list-users", {"limit": 1}),
        ),
    ),
    credentials={
        "type": "object",
        "description": (
            "Your Engage API keys: in the Engage dashboard open Settings → Account → API keys "
            "(some workspaces show them under Settings → Organization). Copy the public API key and the private API secret."
        ),
        "properties": {
            "public_key": {
                "type": "string",
                "title": "Public API key",
                "minLength": 1,
                # Not writeOnly: it ships inside mobile apps (engage.md §1, Flutter and iOS SDKs).
                "description": "The API key (public). It also ships inside mobile apps, so it is not treated as a secret.",
            },
            "private_key": {
                "type": "string",
                "title": "Private API secret",
                "minLength": 1,
                "writeOnly": True,
                "description": "The API secret (private key). Keep it on servers only.",
            },
        },
        "required": ["public_key", "private_key"],
        "additionalProperties": False,
    },
    actions="tether_engage.actions:ACTIONS",
    sandbox="tether_engage.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
    docs_url="https://docs.engage.so/en-us/a/62bbdd015bfea4dca4834041-api-overview",
)
