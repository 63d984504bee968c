"""Jotter's connector: one API, a bearer key, cursor pagination."""

from tether.connector import Api, AuthSpec, Connector, RateLimit


def error_message(status, body):
    # Jotter answers errors as {"error": {"code": …, "message": …}}.
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("message")
    return None


CONNECTOR = Connector(
    key="example",
    name="Jotter (example)",
    description="A tiny notes service that shows how a tether connector is built: copy this package to start your own.",
    domains=("jotter.example",),
    apis=(
        Api(
            key="default",
            name="Jotter API",
            base_url="https://api.jotter.example/v1",
            auth=AuthSpec("bearer", {"token": "api_key"}),
            rate_limits={"default": RateLimit(20, 1.0)},
            verify=("list-notes", {"limit": 1}),
        ),
    ),
    credentials={
        "type": "object",
        "description": "Create a key under Settings → API in Jotter.",
        "properties": {"api_key": {"type": "string", "title": "API key", "description": "Starts with jk_", "writeOnly": True}},
        "required": ["api_key"],
        "additionalProperties": False,
    },
    actions="tether_example.actions:ACTIONS",
    sandbox="tether_example.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
)
