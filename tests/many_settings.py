"""A connector with many settings and credential fields, and a worker that updates one of
each: concurrent read-modify-write of one connection, process against process.

Run as ``python -m many_settings HOME CONNECTION_ID N LOOPBACK_URL``: worker N sets
``baseUrl.aN`` and, for N < 20, credential ``fN``, verifying against the loopback server.
"""

from __future__ import annotations

import sys

from connector_plugins import plugins_with
from tether._models import Action, Api, AuthSpec, Connector

SETTINGS = 30
CREDENTIALS = 20
OPEN = {"type": "object"}


def _ping(inp, ctx):
    from tether._wire import Request

    yield Request("GET", "/ping")
    return {}


AUTH = AuthSpec("header", {"headers": {"X-Key": "key"}})
PING = Action("ping", "Ping", "Check the key.", "key", OPEN, OPEN, _ping, read_only=True, idempotent=True)

CONNECTOR = Connector(
    key="many",
    name="Many",
    description="A platform with many APIs (so many baseUrl settings) and optional credential fields.",
    apis=(
        Api("default", "https://api.many.example", AUTH, verify=("ping", {})),
        *(Api(f"a{n}", f"https://a{n}.many.example", AUTH) for n in range(SETTINGS)),
    ),
    credentials={
        "type": "object",
        "properties": {
            "key": {"type": "string", "writeOnly": True},
            **{f"f{n}": {"type": "string", "writeOnly": True} for n in range(CREDENTIALS)},
        },
    },
    actions=lambda: (PING,),
)


def client(home: str):
    from tether._client import Client
    from tether.testing import fast_retry

    return Client(home=home, plugins=plugins_with(CONNECTOR), retry=fast_retry(), secrets_backend="file")


def main(home: str, connection_id: str, n: int, url: str) -> None:
    credentials = {f"f{n}": f"value-{n}"} if n < CREDENTIALS else None
    with client(home) as c:
        c.update_connection(connection_id, credentials=credentials, settings={f"baseUrl.a{n}": f"{url}/p{n}"})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
