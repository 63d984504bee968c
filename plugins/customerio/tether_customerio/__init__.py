"""The tether plugin for Customer.io: Track and App APIs, US and EU data centres.

Imported whenever tether starts, so it only declares the hook; the connector, its actions
and its sandbox load when a command needs them. ``verify_webhook_request`` and
``verify_webhook_signature`` (reporting webhooks) are importable from here without loading
anything else.
"""

from __future__ import annotations

from typing import Any

from tether.connector import hookimpl


@hookimpl
def register_connectors(register):
    from .connector import CONNECTOR

    register(CONNECTOR)


def __getattr__(name: str) -> Any:
    if name in ("verify_webhook_signature", "verify_webhook_request", "sign_webhook", "WebhookSignatureError"):
        from . import signatures

        return getattr(signatures, name)
    raise AttributeError(name)
