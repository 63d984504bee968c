"""Small helpers the action modules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def pick(inp: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys that the input has (absent ones are not sent at all)."""
    return {k: inp[k] for k in keys if k in inp}


TRACK_OK = {"ok": True}
"""What a Track action returns for Customer.io's empty-object success (§A3)."""
