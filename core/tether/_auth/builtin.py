"""The auth kinds tether ships, registered through the same hook a third party uses."""

from __future__ import annotations

from .. import hookimpl


@hookimpl
def register_auth_kinds(register):
    from . import BasicAuth, BearerAuth, HeaderAuth
    from .oauth2 import OAuth2

    for kind in (BasicAuth(), BearerAuth(), HeaderAuth(), OAuth2()):
        register(kind)
