"""Raw HTTP against an in-process sandbox, for a connector's own tests.

A connector's tests sometimes need to speak to its sandbox as an official SDK or a
user's ``curl`` would: no tether in between, only the headers the test chooses. This
gives them a plain ``httpx`` client whose requests go straight into the sandbox, without
sockets and without importing tether's internals.
"""

from __future__ import annotations

from typing import Any

import httpx


def sandbox_http(runtime: Any, base_url: str = "", **options: Any) -> httpx.Client:
    """A plain ``httpx.Client`` on ``runtime`` (``client.sandbox_runtime(connector_id)``).

    ``base_url`` is the platform's real host (the sandbox routes by host as the platform
    does; without it, give whole URLs); ``options`` go to ``httpx.Client`` as given (``auth``, ``headers``, ``timeout``)::

        runtime = tether_client.sandbox_runtime("engage")
        with sandbox_http(runtime, "https://api.engage.so", auth=("pk", "sk")) as http:
            assert http.get("/v1/users").status_code == 200
    """
    from .._sandbox.transport import SandboxTransport

    return httpx.Client(transport=SandboxTransport(runtime), base_url=base_url, **options)
