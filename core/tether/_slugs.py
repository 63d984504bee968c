"""Composio-style action slugs: ``ENGAGE_CREATE_USER`` is another name for ``engage.create-user``.

Agent tool catalogs (Composio's among them) name actions ``CONNECTOR_ACTION`` in upper snake
case; every tether action answers to that name too, wherever an action id is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SLUG = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def slug_of(connector_key: str, action_key: str) -> str:
    return f"{connector_key}_{action_key}".upper().replace("-", "_")


def looks_like_slug(ref: str) -> bool:
    return bool(_SLUG.fullmatch(ref))


def key_from_slug(connector_key: str, ref: str) -> str | None:
    """``("engage", "ENGAGE_CREATE_USER")`` → ``"create-user"``; None if the slug is another connector's."""
    prefix = slug_of(connector_key, "") if connector_key else ""
    if not looks_like_slug(ref) or not ref.startswith(prefix) or len(ref) == len(prefix):
        return None
    return ref[len(prefix):].lower().replace("_", "-")


def split_slug(ref: str, connector_keys: Iterable[str]) -> tuple[str, str] | None:
    """The connector a slug names (the longest matching prefix) and its action key."""
    for connector_key in sorted(connector_keys, key=len, reverse=True):
        key = key_from_slug(connector_key, ref)
        if key is not None:
            return connector_key, key
    return None


def resolve_ref(ref: str, connector_keys: Iterable[str]) -> tuple[str | None, str]:
    """An action reference in any accepted spelling → (connector or None, key).

    A slug stays the key (the registry reads slugs, and suggests slugs for unknown ones)."""
    if looks_like_slug(ref):
        hit = split_slug(ref, connector_keys)
        return (hit[0] if hit else None), ref
    connector, sep, key = ref.rpartition(".")
    return (connector or None, key) if sep else (None, ref)
