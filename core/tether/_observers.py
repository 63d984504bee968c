"""Execution hooks cost nothing unless a plugin has work to do.

The engine calls an execution hook (and, for the HTTP hooks, prepares the masked copy of each
request that they are shown) only when :func:`busy` says some plugin implementing it is
active. A plugin says it has nothing to do with a module (or object) level ``tether_idle()``
returning true, e.g. an audit log whose file is not configured; it is asked on every call,
so it must be cheap (read a variable, not a file).
"""

from __future__ import annotations

from typing import Any


def busy(hook: Any) -> bool:
    """True if some plugin implementing ``hook`` (a pluggy hook caller) is not idle."""
    for impl in hook.get_hookimpls():
        idle = getattr(impl.plugin, "tether_idle", None)
        if idle is None or not idle():
            return True
    return False
