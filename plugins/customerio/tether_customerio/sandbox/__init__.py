"""Customer.io's sandbox: the Track and App APIs of a US and an EU workspace.

Importing this package registers every route; each module emulates one family of endpoints.
"""

from . import activity, broadcasts, campaigns, customers, exports, segments, track, transactional, webhooks
from .base import SANDBOX

ROUTE_MODULES = (track, customers, segments, exports, activity, campaigns, broadcasts, transactional, webhooks)

__all__ = ["SANDBOX", "ROUTE_MODULES"]
