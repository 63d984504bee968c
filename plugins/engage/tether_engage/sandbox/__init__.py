"""Engage's sandbox: the endpoints the connector uses, with Engage's auth, errors and pages.

Importing the route modules registers their routes on :data:`SANDBOX`.
"""

from . import accounts, batch, lists, users  # noqa: F401  (registers the routes)
from .base import SANDBOX

__all__ = ["SANDBOX"]
