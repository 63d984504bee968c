"""CleverTap's sandbox: every endpoint the connector's actions use, on each region's host.

Importing this package registers the routes (one module per API family) on ``SANDBOX``.
"""

from . import campaigns, counts, exports, people, segments  # noqa: F401  (routes register on import)
from .base import SANDBOX

__all__ = ["SANDBOX"]
