"""What tether costs per call over raw httpx sending the very same requests.

Run: uv run python bench/overhead.py [--rounds 20] [--gets 1000] [--updates 500] [--gather 50]

The Engage sandbox is served on loopback (``tether sandbox serve engage``, another process) and
one process here drives, side by side:

- sync ``Client.run("get-user")`` ``--gets`` times: wall time and this process's CPU time
  (the server runs elsewhere, so that is the client's CPU); goal ≤ 1.15×;
- sync ``Client.run("update-user")`` ``--updates`` times (a PUT with a JSON body); goal ≤ 1.15×;
- ``AsyncClient.run("get-user")`` in an ``asyncio.gather`` of ``--gather``; goal ≤ 1.10×.

Raw httpx sends exactly what tether sent (the first tether request of each kind is captured
from tether's own httpx client: same URL, headers and body) through one ``httpx.Client`` /
``httpx.AsyncClient``. The calls are split into ``--rounds`` paired rounds: in each, tether's
share and raw httpx's share run back to back (which goes first alternates), and the printed
ratio is the median of the rounds' ratios, so load from other processes on this machine hits
both sides alike. The figures are for comparing, not absolute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

GOALS = {"get": 1.15, "update": 1.15, "gather": 1.10}


def captured(http: Any, call: Callable[[], Any]) -> Any:
    """Run ``call`` once and return the request tether's httpx client sent for it."""
    seen: list[Any] = []
    transport = http._transport  # tether hands its requests to the client's transport
    original = transport.handle_request

    def spy(request: Any) -> Any:
        seen.append(request)
        return original(request)

    transport.handle_request = spy
    try:
        call()
    finally:
        del transport.handle_request
    (request,) = seen
    return request


PER_CALL: dict[str, tuple[float, float, float, float]] = {}
"""Median µs per call (tether wall, raw wall, tether CPU, raw CPU) by what was measured."""


def paired(rounds: int, tether: Callable[[], None], raw: Callable[[], None], clock: Callable[[], float], label: str = "", calls: int = 1) -> tuple[list[float], list[float]]:
    """Per-round ratios tether/raw measured with ``clock`` (wall) and ``time.process_time`` (CPU)."""
    walls, cpus = [], []
    per: list[tuple[float, float, float, float]] = []
    for i in range(rounds):
        figures = {}
        for side, fn in ((("tether", tether), ("raw", raw)) if i % 2 == 0 else (("raw", raw), ("tether", tether))):
            w, c = clock(), time.process_time()
            fn()
            figures[side] = (clock() - w, time.process_time() - c)
        walls.append(figures["tether"][0] / figures["raw"][0])
        cpus.append(figures["tether"][1] / max(figures["raw"][1], 1e-9))
        per.append((figures["tether"][0], figures["raw"][0], figures["tether"][1], figures["raw"][1]))
    PER_CALL[label] = tuple(statistics.median(p[i] for p in per) / calls * 1e6 for i in range(4))  # type: ignore[assignment]
    return walls, cpus


def verdict(ratio: float, goal: float) -> str:
    return "meets" if ratio <= goal else "misses"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="Paired rounds each count is split into (default 20).")
    parser.add_argument("--gets", type=int, default=1000, help="Sync get-user calls per side (default 1000).")
    parser.add_argument("--updates", type=int, default=500, help="Sync update-user calls per side (default 500).")
    parser.add_argument("--gather", type=int, default=50, help="Async get-user calls gathered at once (default 50); one gather per round.")
    args = parser.parse_args()

    import httpx
    from tether import Client

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TETHER_HOME": home, "TETHER_SECRETS_BACKEND": "file"}
        server = subprocess.Popen([sys.executable, "-m", "tether", "sandbox", "serve", "engage", "--json"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            served = json.loads(server.stdout.readline())  # type: ignore[union-attr]
            with Client(home=home, secrets_backend="file") as client:
                conn = client.connect("engage", credentials=served["credentials"], settings={"baseUrl": served["url"]}, verify=False)
                cid = conn.id
                client.run("create-user", connection_id=cid, input={"uid": "bench-1", "email": "bench@example.com", "first_name": "Bench"})
                get = {"uid": "bench-1"}
                update = {"uid": "bench-1", "first_name": "Ada", "meta": {"plan": "pro", "seats": 3}}

                def tether_get() -> Any:
                    return client.run("get-user", connection_id=cid, input=get)

                def tether_update() -> Any:
                    return client.run("update-user", connection_id=cid, input=update)

                tether_get()  # the network carrier (and its httpx client) exists from here on
                http = client._http[None].http
                get_req = captured(http, tether_get)
                update_req = captured(http, tether_update)

                with httpx.Client() as raw_http:

                    def raw_send(req: Any) -> Any:
                        response = raw_http.request(req.method, req.url, headers=req.headers, content=req.content)
                        response.raise_for_status()
                        return response.json()

                    assert raw_send(get_req) == tether_get(), "raw httpx and tether do not read the same user"

                    def side_by_side(label: str, call: Callable[[], Any], req: Any, count: int) -> tuple[list[float], list[float]]:
                        """``count`` tether calls against raw httpx sending ``req``, split into paired rounds."""
                        per = max(1, count // args.rounds)

                        def tether_share() -> None:
                            for _ in range(per):
                                call()

                        def raw_share() -> None:
                            for _ in range(per):
                                raw_send(req)

                        return paired(args.rounds, tether_share, raw_share, time.perf_counter, label, per)

                    get_wall, get_cpu = side_by_side("get", tether_get, get_req, args.gets)
                    upd_wall, upd_cpu = side_by_side("update", tether_update, update_req, args.updates)

            gather_wall = asyncio.run(gather_rounds(home, cid, get, get_req, args.rounds, args.gather))
        finally:
            server.terminate()
            server.wait(timeout=10)

    med = statistics.median
    rows = [
        (f"sync run('get-user') x{args.gets}, wall", med(get_wall), GOALS["get"]),
        (f"sync run('get-user') x{args.gets}, client CPU", med(get_cpu), GOALS["get"]),
        (f"sync run('update-user') x{args.updates}, wall", med(upd_wall), GOALS["update"]),
        (f"async gather of {args.gather} get-user, wall", med(gather_wall), GOALS["gather"]),
    ]
    print(f"tether / raw httpx, same requests, Engage sandbox served on loopback; medians of {args.rounds} paired rounds "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for label, ratio, goal in rows:
        print(f"  {label:<44} {ratio:5.2f}x  (goal <= {goal:.2f}x: {verdict(ratio, goal)})")
    for label, (tw, rw, tc, rc) in PER_CALL.items():
        print(f"  per {label} call (medians): tether {tw:.0f} us wall, {tc:.0f} us CPU; raw httpx {rw:.0f} us wall, {rc:.0f} us CPU")


async def gather_rounds(home: str, cid: str, get: dict[str, Any], get_req: Any, rounds: int, n: int) -> list[float]:
    import httpx
    from tether import AsyncClient

    async with AsyncClient(home=home, secrets_backend="file") as client, httpx.AsyncClient() as raw_http:

        async def raw_one() -> Any:
            response = await raw_http.request(get_req.method, get_req.url, headers=get_req.headers, content=get_req.content)
            response.raise_for_status()
            return response.json()

        async def tether_all() -> None:
            await asyncio.gather(*(client.run("get-user", connection_id=cid, input=get) for _ in range(n)))

        async def raw_all() -> None:
            await asyncio.gather(*(raw_one() for _ in range(n)))

        await tether_all()  # warm: the first call of a loop sets the client up
        await raw_all()
        ratios = []
        for i in range(rounds):
            figures = {}
            for side, fn in ((("tether", tether_all), ("raw", raw_all)) if i % 2 == 0 else (("raw", raw_all), ("tether", tether_all))):
                started = time.perf_counter()
                await fn()
                figures[side] = time.perf_counter() - started
            ratios.append(figures["tether"] / figures["raw"])
        return ratios


if __name__ == "__main__":
    main()
