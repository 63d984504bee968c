"""A correct embedding of tether, as a tool author would write it: `mypy --strict` must pass
on it (tests/test_public_api.py) and it runs against the example connector's sandbox."""

from __future__ import annotations

import asyncio

from tether import AsyncClient, Client, Connection, RateLimitedError, Response, Result, RetryPolicy, TetherError


def sync_part(home: str) -> list[str]:
    with Client(home=home, retry=RetryPolicy(max_retries=2), timeout=5.0, secrets_backend="file") as client:
        conn: Connection = client.sandbox_connection("example")
        note = client.run("create-note", connection_id=conn.id, input={"title": "typed"})
        result: Result = client.execute("get-note", connection_id=conn.id, input={"id": note["id"]})
        if result.error is not None:
            raise SystemExit(result.error.message)
        titles = [item["title"] for item in client.paginate("list-notes", connection_id=conn.id)]
        reply: Response = client.request(conn.id, "/notes", params={"limit": 1})
        assert reply.status == 200
        try:
            client.run("get-note", connection_id=conn.id, input={"id": "missing"})
        except RateLimitedError as exc:
            print("slow down", exc.status)
        except TetherError as exc:
            print(type(exc).__name__, exc.status)
        return [str(result.output["title"]), *titles]


async def async_part(home: str) -> str:
    async with AsyncClient(home=home, sandbox_faults="", secrets_backend="file") as client:
        conn = await client.sandbox_connection("example")
        note = await client.run("create-note", connection_id=conn.id, input={"title": "awaited"})
        async for item in client.paginate("list-notes", connection_id=conn.id):
            if item["id"] == note["id"]:
                return str(item["title"])
        result = await client.execute("get-note", connection_id=conn.id, input={"id": note["id"]})
        return "" if not result.ok else str(result.output)


def main(home: str) -> tuple[list[str], str]:
    return sync_part(home), asyncio.run(async_part(home))
