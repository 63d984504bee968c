"""Small helpers the action modules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tether.errors import TetherError


def pick(inp: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The given keys that the input has (absent ones are not sent at all)."""
    return {k: inp[k] for k in keys if k in inp}


def annotate(exc: TetherError, note: str, **details: Any) -> TetherError:
    """Add what had already happened to a platform error, keeping its type and status.

    Used where one action sends several requests that are not undone on failure, so the
    caller learns exactly which ones took effect.
    """
    exc.message = f"{exc.message}. {note}"
    exc.args = (exc.message,)
    base = exc.details if isinstance(exc.details, dict) else ({} if exc.details is None else {"original": exc.details})
    exc.details = {**base, **details}
    return exc
