"""How Customer.io's actions read answers that carry nothing to return."""

from __future__ import annotations

from typing import Any


def track_ok(response: Any, inp: Any) -> dict[str, bool]:
    """A Track success: Customer.io answers an empty object (§A3), the output says it was accepted."""
    return {"ok": True}


def deleted(response: Any, inp: Any) -> dict[str, bool]:
    """A delete that answers with no body (§A5.3, §A5.4: 204; §A5.8: 200 empty)."""
    return {"deleted": True}
