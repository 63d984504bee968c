"""Customer.io's sandbox: the Track and App APIs of a US and an EU workspace.

Importing this package registers every route; each module emulates one family of endpoints.
Route modules import the shared ones (base: the Sandbox, auth and error shapes; model: people,
deliveries, segments; queries and people: what several families parse or do) and never each
other; seed.py is loaded by name when the sandbox is first seeded.
"""

from . import activity, broadcasts, campaigns, customers, exports, segments, track, track_v2, transactional, webhooks  # noqa: F401
from .base import SANDBOX

__all__ = ["SANDBOX"]
