"""Every ESputnik action: the seed skill's sixteen first, then the rest of the documented surface."""

from __future__ import annotations

from . import activity, commerce, contacts, imports, messages, segments, templates

_ALL = {a.key: a for module in (activity, commerce, contacts, imports, messages, segments, templates) for a in module.ACTIONS}

ORDER = (
    # the seed skill (seeds/002), in its order
    "get-contacts-activity", "get-workflows", "get-account-info", "add-orders", "get-segment-contacts", "get-segments",
    "generate-event", "send-prepared-message", "get-message-status", "send-sms", "send-email", "subscribe-contact",
    "delete-contact", "search-contacts", "get-contact", "add-update-contact",
    # the rest of the documented surface (issue 14)
    "get-contact-fields", "add-update-contacts", "get-import-status", "attach-contacts-to-segment",
    "detach-contacts-from-segment", "search-email-templates", "get-email-template", "create-email-template",
    "delete-email-template",
)

ACTIONS = tuple(_ALL[key] for key in ORDER)
