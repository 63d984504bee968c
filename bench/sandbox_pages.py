"""Page time of Engage's sandbox against the number of users: is it flat?

Run: uv run python bench/sandbox_pages.py [--sizes 2000,20000] [--runs 30] [--no-walk]

For each size the sandbox (on a temporary TETHER_HOME) holds that many users, written
straight into its state with the sandbox's own model functions (fast; no HTTP). Then it
prints, for ``list-users`` with limit 30:

- ms per page over loopback, served by ``tether sandbox serve engage`` in a subprocess:
  the raw ``GET /v1/users`` (http) and the ``list-users`` action run by a tether client
  (action), on the first page and on a page 90% deep in the collection (its ``next_cursor``
  is the id of the user there, as Engage's cursors are item ids); and the same request
  answered by the in-process sandbox (in-proc: the sandbox's own time, without HTTP);
- the time to walk every page (``list-users`` with all=true through the client);
- the peak memory (tracemalloc) of reading the deep page in-process;

and the ratios between the largest and the smallest size (the issue's goal: ≤ 1.5).
Medians (and minima) over --runs requests, after two warm-up rounds; the rounds alternate
between the sizes so that other load on the machine falls on each alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

LIMIT = 30
HOST = "api.engage.so"


def add_users(runtime: Any, start: int, stop: int) -> list[str]:
    """Users ``start``…``stop - 1`` written in one transaction; their internal ids, in order."""
    from tether.connector import SandboxContext
    from tether._sandbox.state import connect
    from tether_engage.sandbox.model import new_user, save_user

    db = connect(str(runtime.path))
    ctx = SandboxContext(db, runtime.credentials, runtime.default_region, None, time.time)
    ids = []
    db.execute("BEGIN IMMEDIATE")
    for n in range(start, stop):
        user = new_user(ctx, f"bench-{n:06d}")
        user.update(email=f"bench{n}@example.com", first_name="Bench", last_name=f"User {n}", meta={"plan": "pro", "n": n})
        ids.append(save_user(ctx, user)["id"])
    db.execute("COMMIT")
    db.close()
    return ids


def serve(home: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = {**os.environ, "TETHER_HOME": str(home), "TETHER_SECRETS_BACKEND": "file"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tether", "sandbox", "serve", "engage", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if not line:
        raise SystemExit(f"tether sandbox serve engage failed: {proc.stderr.read()}")  # type: ignore[union-attr]
    return proc, json.loads(line)


def in_process(runtime: Any, query: str) -> Any:
    """A call that has the in-process sandbox answer ``GET /v1/users?<query>`` (no HTTP, no client)."""
    import base64

    from tether.connector import SandboxRequest

    creds = runtime.credentials
    token = base64.b64encode(f"{creds['public_key']}:{creds['private_key']}".encode()).decode()
    req = SandboxRequest("GET", HOST, "/v1/users", query, {"Authorization": f"Basic {token}"})
    return lambda: runtime.handle(req)


def peak_kib(runtime: Any, query: str) -> float:
    """Peak memory allocated while the in-process sandbox answers one page."""
    answer = in_process(runtime, query)
    answer()  # warm: imports and caches are not the page's cost
    tracemalloc.start()
    tracemalloc.reset_peak()
    outcome = answer()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert outcome.reply is not None and outcome.reply.status == 200, outcome.reply
    return peak / 1024


class Sandbox:
    """One served Engage sandbox holding ``size`` users, and the ways to read its pages."""

    def __init__(self, size: int, home: Path):
        from tether import Client

        self.size, self.home = size, home
        self.client = Client(home)
        self.runtime = self.client.sandbox_runtime("engage")  # creates and seeds the state
        started = time.perf_counter()
        self.ids = add_users(self.runtime, 0, size - len(self.runtime.collection("users")))
        self.write_s = time.perf_counter() - started
        self.proc, served = serve(home)
        self.conn = self.client.connect("engage", credentials=served["credentials"], settings={"baseUrl": served["url"]})
        import httpx

        creds = served["credentials"]
        self.http = httpx.Client(base_url=served["url"], auth=(creds["public_key"], creds["private_key"]))
        self.at = int(len(self.ids) * 0.9)
        self.cursor = self.ids[self.at]

    def close(self) -> None:
        self.http.close()
        self.client.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()  # type: ignore[union-attr]

    def action(self, **extra: Any) -> Any:
        return self.client.run("list-users", connection_id=self.conn.id, input={"limit": LIMIT, **extra})

    def check(self) -> None:
        deep = self.action(next_cursor=self.cursor)
        assert [u["id"] for u in deep["data"]] == self.ids[self.at + 1 : self.at + 1 + LIMIT]

    def timed(self) -> dict[str, Any]:
        """One request of each kind: what it is called, and how to send it."""
        return {
            "http first": lambda: self.http.get("/v1/users", params={"limit": LIMIT}).raise_for_status(),
            "http deep": lambda: self.http.get("/v1/users", params={"limit": LIMIT, "next_cursor": self.cursor}).raise_for_status(),
            "in-proc first": in_process(self.runtime, f"limit={LIMIT}"),
            "in-proc deep": in_process(self.runtime, f"limit={LIMIT}&next_cursor={self.cursor}"),
            "action first": lambda: self.action(),
            "action deep": lambda: self.action(next_cursor=self.cursor),
        }

    def walk_s(self) -> float:
        started = time.perf_counter()
        everyone = self.client.run("list-users", connection_id=self.conn.id, input={"all": True})["data"]
        assert len(everyone) == self.size
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000", help="Collection sizes, ascending (default 2000,20000).")
    parser.add_argument("--runs", type=int, default=30, help="Requests per median (default 30).")
    parser.add_argument("--no-walk", action="store_true", help="Skip walking every page (slow on a sandbox whose pages are not flat).")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    with tempfile.TemporaryDirectory(prefix="tether-bench-") as tmp:
        sandboxes = []
        try:
            for size in sizes:
                sandboxes.append(Sandbox(size, Path(tmp) / str(size)))
                print(f"{size:>6} users written into state in {sandboxes[-1].write_s:.1f} s", flush=True)
            times: dict[int, dict[str, list[float]]] = {s.size: {} for s in sandboxes}
            # Rounds alternate between the sizes, so that load from elsewhere on the machine
            # falls on both alike; two warm-up rounds are not counted.
            for round in range(args.runs + 2):
                for sandbox in sandboxes:
                    if round == 0:
                        sandbox.check()
                    for name, call in sandbox.timed().items():
                        started = time.perf_counter()
                        call()
                        if round >= 2:
                            times[sandbox.size].setdefault(name, []).append((time.perf_counter() - started) * 1000)
            results = {s.size: {name: statistics.median(t) for name, t in times[s.size].items()} for s in sandboxes}
            fastest = {s.size: {name: min(t) for name, t in times[s.size].items()} for s in sandboxes}
            for sandbox in sandboxes:
                if not args.no_walk:
                    results[sandbox.size]["walk all s"] = sandbox.walk_s()
                results[sandbox.size]["peak KiB"] = peak_kib(sandbox.runtime, f"limit={LIMIT}&next_cursor={sandbox.cursor}")
        finally:
            for sandbox in sandboxes:
                sandbox.close()

    print(f"\nlist-users, limit {LIMIT}; ms per page; deep = the page after the user 90% in")
    table(f"medians of {args.runs}", results, sizes)
    table(f"fastest of {args.runs} (the least disturbed by other load on the machine)", fastest, sizes)


def table(title: str, results: dict[int, dict[str, float]], sizes: list[int]) -> None:
    keys = list(results[sizes[0]])
    print(f"\n{title}\n{'users':>6}  " + "  ".join(f"{k:>13}" for k in keys))
    for size in sizes:
        print(f"{size:>6}  " + "  ".join(f"{results[size][k]:>13.2f}" for k in keys))
    small, large = results[sizes[0]], results[sizes[-1]]
    print(" ratio  " + "  ".join(f"{large[k] / small[k]:>13.2f}" for k in keys) + f"   ({sizes[-1]} / {sizes[0]}; goal per page: ≤ 1.5)")


if __name__ == "__main__":
    main()
