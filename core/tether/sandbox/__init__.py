"""The sandbox runtime: faithful, stateful emulations of platform APIs.

Connector authors import :class:`Sandbox`, :class:`Reply`, :class:`Abort` and :data:`PUBLIC`
from here; the rest (runtime, transports, server) is used by tether itself.
"""

from .app import PUBLIC, Abort, Context, Reply, Sandbox, SandboxRequest
from .faults import FaultPlan

__all__ = ["PUBLIC", "Abort", "Context", "FaultPlan", "Reply", "Sandbox", "SandboxRequest"]
