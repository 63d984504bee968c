"""Customer.io's sandbox: the Track and App APIs of a US and an EU workspace.

Importing this package registers every route; each module emulates one family of endpoints.
Route modules import the shared ones (base: the Sandbox, auth and error shapes; model: people,
deliveries, segments; queries, people) and never each other; seed.py is loaded by name.
"""

from . import activity, broadcasts, campaigns, customers, exports, segments, track, track_v2, transactional, webhooks
from .base import SANDBOX

ROUTE_MODULES = (track, track_v2, customers, segments, exports, activity, campaigns, broadcasts, transactional, webhooks)

__all__ = ["SANDBOX", "ROUTE_MODULES"]
