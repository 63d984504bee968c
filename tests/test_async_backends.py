"""The async client on any anyio backend, across successive event loops, without blocking the
loop: a retried call under trio and asyncio through the in-process sandbox, one client used
by two `asyncio.run` calls over real HTTP, and a first call whose set-up runs off the loop."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings

import anyio
import pytest

from tether import AsyncClient
from tether.testing import fast_retry


@pytest.mark.parametrize("backend", ["trio", "asyncio"])
def test_a_retried_call_through_the_in_process_sandbox(tmp_path, backend):
    client = AsyncClient(home=tmp_path / "home", retry=fast_retry(), secrets_backend="file", sandbox_faults="503=1x")

    async def main() -> tuple[list[str], list[str], list[tuple[int, str]]]:
        async with client:
            conn = await client.sandbox_connection("example")
            page = await client.run("list-notes", connection_id=conn.id, input={"limit": 2})
            every = [n["title"] async for n in client.paginate("list-notes", connection_id=conn.id, input={"limit": 1})]
            journal = client.sandbox_runtime("example").journal()
        return [n["title"] for n in page["data"]], every, [(e["status"], e["path"]) for e in journal]

    first, every, journal = anyio.run(main, backend=backend)
    assert first == ["Welcome", "Shopping"] and every == ["Welcome", "Shopping", "Ideas"]
    assert journal[:2] == [(503, "/v1/notes"), (200, "/v1/notes")]  # the fault, then its retry


def _writer(client, served):
    async def write(title: str) -> str:
        made = client.connections("example")
        conn = made[0] if made else await client.connect("example", credentials=served["credentials"], settings={"baseUrl": served["url"]})
        note = await client.run("create-note", connection_id=conn.id, input={"title": title})
        return str((await client.run("get-note", connection_id=conn.id, input={"id": note["id"]}))["title"])

    return write


def test_one_client_across_two_asyncio_runs(served_sandbox, tether_home):
    served = served_sandbox("example")
    client = AsyncClient(home=tether_home, retry=fast_retry(), secrets_backend="file")
    write = _writer(client, served)
    assert asyncio.run(write("first loop")) == "first loop"
    # The first loop's pooled keep-alive connection is bound to that (closed) loop: not reused.
    assert asyncio.run(write("second loop")) == "second loop"
    asyncio.run(client.aclose())
    with warnings.catch_warnings():  # the ended loops' sockets, never closed in their loop, go now
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def test_closing_in_each_loop_leaves_no_socket_open(served_sandbox, tether_home):
    served = served_sandbox("example")
    client = AsyncClient(home=tether_home, retry=fast_retry(), secrets_backend="file")
    write = _writer(client, served)
    gc.collect()

    async def session(title: str) -> str:
        async with client:  # closes this loop's connections; the client stays usable
            return await write(title)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert asyncio.run(session("first loop")) == "first loop"
        assert asyncio.run(session("second loop")) == "second loop"
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_the_first_call_sets_up_off_the_event_loop(tmp_path, monkeypatch):
    from tether._secret_store import Secrets
    from tether._store import ConnectionStore

    from tether import Client

    with Client(home=tmp_path / "home", secrets_backend="file") as setup:  # an earlier session made it
        conn = setup.sandbox_connection("example")
    client = AsyncClient(home=tmp_path / "home", retry=fast_retry(), secrets_backend="file")
    on_loop: list[str] = []
    loop_thread: list[threading.Thread] = []

    def watch(cls: type, name: str) -> None:
        real = getattr(cls, name)

        def spy(self, *args, **kwargs):
            if loop_thread and threading.current_thread() is loop_thread[0]:
                on_loop.append(f"{cls.__name__}.{name}")
            return real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, spy)

    watch(ConnectionStore, "get")
    watch(ConnectionStore, "version")
    watch(ConnectionStore, "list")
    watch(Secrets, "get")
    watch(Secrets, "put_new")
    from tether._sandbox.inprocess import AsyncInProcessCarrier
    from tether._sandbox.runtime import Runtime

    watch(Runtime, "__init__")
    watch(AsyncInProcessCarrier, "__init__")

    async def main() -> tuple[str, list[str], list[str]]:
        loop_thread.append(threading.current_thread())
        note = await client.run("create-note", connection_id=conn.id, input={"title": "t"})
        first = on_loop[:]
        await client.run("get-note", connection_id=conn.id, input={"id": note["id"]})
        await client.aclose()
        return str(note["title"]), first, on_loop

    title, first, later = asyncio.run(main())
    assert title == "t"
    assert first == []  # the store, the secrets, the sandbox and its carrier were read or made off the loop
    # The spies see the loop thread: a warm call asks the store there whether anything changed.
    assert "ConnectionStore.version" in later
