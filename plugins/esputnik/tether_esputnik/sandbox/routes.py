"""Registering an ESputnik route: under /api, with and without a trailing slash (§B1, §B8).

Every route passes the rate table for its family (§B6) and lets due background work run first
(imports, deliveries: :mod:`.work`); contact and order writes also refuse an identical repeat
within the window (§B3, "Duplicated request").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tether.connector import Abort

from . import work
from .base import RATES, SANDBOX, refuse_repeat


def api_route(method: str, path: str, *, family: str = "default", refuse_repeats: bool = False) -> Callable[[Any], Any]:
    def register(handler: Any) -> Any:
        def serve(req: Any, ctx: Any) -> Any:
            if not RATES.admit(ctx, family):
                raise Abort(SANDBOX.rate_limited())
            work.sweep(ctx)
            if refuse_repeats:
                refuse_repeat(ctx, req)
            return handler(req, ctx)

        serve.__name__ = handler.__name__
        SANDBOX.route(method, f"/api{path}", f"/api{path}/")(serve)
        return handler

    return register
