"""CleverTap's concurrency caps in the sandbox: 15 requests in flight to /1/upload, 3 to each
other API; one more answers 429 ``{"status":"fail","error":"Too many concurrent requests",
"code":429}`` without a Retry-After (§A6, §A8).

Why a subclass: the kit's runtime runs handlers one at a time under its lock, so "in flight"
can only be seen before that lock — and the only sandbox code the runtime calls there is
:meth:`Sandbox.resolve`. A request is counted from the moment its route is resolved until its
auth check refuses it or its handler returns (both under the lock). Requests are counted per
account (the ``X-CleverTap-Account-Id`` header as sent, so that each regional workspace has its
own caps, as each real account does) and per endpoint path.
"""

import threading
from collections import Counter

import attrs

from tether.connector import Sandbox

UPLOAD_PATH = "/1/upload"
UPLOAD_CAP = 15  # §A6 [V-doc]
OTHER_CAP = 3  # §A6 [3P transcription of the official table]


def cap_of(path):
    return UPLOAD_CAP if path == UPLOAD_PATH else OTHER_CAP


class CappedSandbox(Sandbox):
    """A :class:`Sandbox` that refuses requests over CleverTap's concurrency caps."""

    def __init__(self, *args, too_many, **kwargs):
        super().__init__(*args, **kwargs)
        self._too_many = too_many
        self._in_flight = Counter()
        self._guard = threading.Lock()

    def in_flight(self, account, path):
        with self._guard:
            return self._in_flight[account, path]

    def resolve(self, req, api):
        route, params, exists = super().resolve(req, api)
        if route is None:
            return route, params, exists
        key = (req.header("X-CleverTap-Account-Id", ""), req.path)
        with self._guard:
            over = self._in_flight[key] >= cap_of(req.path)
            if not over:
                self._in_flight[key] += 1
        if over:
            return attrs.evolve(route, auth=None, handler=lambda req, ctx: self._too_many()), params, exists
        return attrs.evolve(route, auth=self._counted_auth(route.auth, key), handler=self._counted(route.handler, key)), params, exists

    def _done(self, key):
        with self._guard:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key]  # one entry per account seen would otherwise stay for good

    def _counted_auth(self, check, key):
        if check is None:
            return None

        def counted(req, ctx):
            try:
                refusal = check(req, ctx)
            except BaseException:  # an Abort: the handler will not run to free the slot
                self._done(key)
                raise
            if refusal is not None:
                self._done(key)
            return refusal

        return counted

    def _counted(self, handler, key):
        def counted(req, ctx):
            try:
                return handler(req, ctx)
            finally:
                self._done(key)

        return counted
