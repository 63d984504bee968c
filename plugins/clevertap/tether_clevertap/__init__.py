"""The tether plugin for CleverTap.

Imported whenever tether starts, so it only declares the hook; the connector, its actions and
its sandbox load when a command needs them. :func:`parse_webhook_payload` reads what CleverTap
posts to a webhook configured in its dashboard (there is no API to manage those webhooks).
"""

from tether.connector import hookimpl


@hookimpl
def register_connectors(register):
    from .connector import CONNECTOR

    register(CONNECTOR)


def __getattr__(name):
    # Lazy, so that start-up does not import the helpers.
    if name in ("parse_webhook_payload", "WebhookPayloadError"):
        from . import webhooks

        return getattr(webhooks, name)
    if name == "upload_stream":
        from .streaming import upload_stream

        return upload_stream
    raise AttributeError(f"module 'tether_clevertap' has no attribute {name!r}")
