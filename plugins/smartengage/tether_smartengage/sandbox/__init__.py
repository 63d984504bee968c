"""SmartEngage's sandbox: the documented reads and the third-party writes, per brand avatar.

Reference: shared/research/customerio-smartengage.md, Part B; NOTES.md §3 lists each
behaviour with its source. [INF] marks what no source shows and was chosen here.

Two accounts, each with its own API key (B2: keys belong to an account; avatars belong to
the account that made them): the generated key opens an account with two brand avatars; a
second key, derived from it and kept in the ``accounts`` collection, opens an account with
one. A key sees only its own account's avatars.
"""

from . import routes  # noqa: F401  (registers the routes on SANDBOX)
from .base import SANDBOX

__all__ = ["SANDBOX"]
