"""The sandbox runtime: faithful, stateful emulations of platform APIs.

Connector authors reach all of this through :mod:`tether.connector`; the runtime,
transports and server are used by tether itself.
"""

from .app import PUBLIC, Abort, Context, Reply, Sandbox, SandboxContext, SandboxRequest
from .faults import FaultPlan

__all__ = ["PUBLIC", "Abort", "Context", "FaultPlan", "Reply", "Sandbox", "SandboxContext", "SandboxRequest"]
