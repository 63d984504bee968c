"""ESputnik's sandbox: the REST API under /api on esputnik.com, yespo.io and api.yespo.io.

Importing the route modules registers their routes on :data:`SANDBOX`.
"""

from __future__ import annotations

from . import commerce, contacts, imports, messaging, segments, templates  # noqa: F401  (route registration)
from .base import SANDBOX

__all__ = ["SANDBOX"]
