"""Every route of every connector's sandbox refuses a missing or a wrong credential, and does
not process the request: the route table itself is walked, not only the routes actions use.
Routes declared PUBLIC (the real endpoint takes no credentials) are the only exception."""

from __future__ import annotations

import re

import httpx
import pytest

from tether._client import Client
from tether._plugins import get_plugins
from tether._registry import Registry

CONNECTORS = sorted(key for key, c in Registry(get_plugins()).connectors().items() if c.sandbox is not None)


def _path(template: str) -> str:
    """The template with dummy values: ``{id}`` → ``x1``, ``{rest:path}`` → ``x1/x2``."""
    return re.sub(r"\{(\w+)(:path)?\}", lambda m: "x1/x2" if m.group(2) else "x1", template)


def _wrong(credentials: dict) -> dict:
    return {name: f"wrong{value}" if isinstance(value, str) else value for name, value in credentials.items()}


@pytest.mark.parametrize("connector_key", CONNECTORS)
def test_every_route_refuses_missing_and_wrong_credentials(connector_key, tmp_path):
    from tether._sandbox.app import PUBLIC  # noqa: F401 (what the exception is called)
    from tether._sandbox.transport import SandboxTransport

    with Client(home=tmp_path, secrets_backend="file") as client:
        connector = client.connector(connector_key)
        runtime = client.sandbox_runtime(connector_key)
        kinds = client.registry.auth_kinds()
        wrong = _wrong(runtime.credentials_for(None))
        routes = [r for r in runtime.sandbox.routes if r.auth is not None]
        assert routes, f"{connector_key}'s sandbox declares no authenticated routes"
        failures = []
        checked = 0
        with httpx.Client(transport=SandboxTransport(runtime)) as http:
            for api in connector.apis:
                host = next(iter(api.hosts()))
                kind = kinds[api.auth.kind]
                variants = {"missing": {}, "wrong": kind.headers(api.auth.params, wrong)}
                for route in routes:
                    if route.api is not None and route.api != api.key:
                        continue
                    url = f"https://{host}{_path(route.template)}"
                    for label, headers in variants.items():
                        before = runtime.last_seq()
                        response = http.request(route.method, url, headers={**headers, "Content-Type": "application/json"}, content=b"{}")
                        entries = runtime.journal(after=before)
                        checked += 1
                        seen = [(e["processed"], e["note"]) for e in entries]
                        if response.status_code < 400 or seen != [(False, "auth refused")]:
                            failures.append(f"{api.key} {route.method} {route.template} ({label}): {response.status_code} {seen}")
        public = [f"{r.method} {r.template}" for r in runtime.sandbox.routes if r.auth is None]
    assert failures == []
    assert checked == 2 * sum(1 for api in connector.apis for r in routes if r.api in (None, api.key))
    print(f"{connector_key}: {checked} refusals checked; PUBLIC routes: {public or 'none'}")
