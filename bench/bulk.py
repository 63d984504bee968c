"""Bulk jobs: memory that does not grow with the input, and throughput close to raw httpx.

Run: uv run python bench/bulk.py [--records 1000000] [--small 100000] [--served 4000] [--concurrency 8] [--parts served,batch,rss]

1. Peak RSS of a process running ``client.bulk("create-user", …)`` (Engage, in-process
   sandbox, no batching) over ``--records`` generated records, and over ``--small`` records:
   goals ≤ 100 MB and the two within 10 %. Each runs in a fresh process.
2. Against the served sandbox (``tether sandbox serve engage``, another process), records/s of
   ``tether bulk run create-user --no-batch --concurrency N`` as a ratio to raw httpx sending the
   same requests from N threads (goal ≥ 0.8): with the CLI's start-up, within the job (journal
   created → last update), and warm (the same runner through ``client.bulk`` in this process,
   after a warm-up, as raw httpx is timed after its imports and client are made).
3. Against one served sandbox, records/s of a batchable action (``--batch``) with the
   connector's batching and with ``--no-batch`` (CleverTap ``upload-events`` by default: goal
   ≥ 20×), within the job of ``bulk run`` and warm. Rates are records/s, so the two sides run
   different counts: the batched side ``--batch-records`` (default 100,000: 100 requests of
   1,000, enough for a steady state; with 10,000 it was one wave of 8 requests and a tail, and
   start-up and tail made most of the figure), the ``--no-batch`` side ``--single-records``
   (default 5,000 requests). Until this change both sides ran 10,000 records.

``bulk run`` and the server run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed from
their environment) after one small warm-up job, as an installed tether runs.

Served comparisons run ``--rounds`` paired rounds (the sides alternate order, on the same server
with the same records and concurrency) and print each round and the median ratio.
Both sides share this 2-core machine with the served sandbox, so the figures are for comparing,
not absolute. Every count is a flag; the output says what ran.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def records(n: int, prefix: str):
    for i in range(n):
        yield {"uid": f"{prefix}{i}", "email": f"{prefix}{i}@example.com", "first_name": "Bench"}


def peak_rss_mb() -> float:
    """This process's own peak RSS.

    VmHWM belongs to the process image; ru_maxrss survives exec on Linux, so a child started
    from a large bench parent would report the parent's size instead of its own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def child_rss(n: int, concurrency: int) -> None:
    """In a fresh process: run the job, print what it took."""
    from tether import Client

    with tempfile.TemporaryDirectory() as home:
        os.environ["TETHER_SECRETS_BACKEND"] = "file"
        with Client(home=home, secrets_backend="file") as client:
            conn = client.sandbox_connection("engage")
            started = time.perf_counter()
            job = client.bulk("create-user", connection_id=conn.id, records=records(n, "u"), concurrency=concurrency, batch=False)
            count = sum(1 for _ in job)
            seconds = time.perf_counter() - started
            summary = job.summary()
            job.close()
        peak_mb = peak_rss_mb()
        print(json.dumps({"records": n, "results": count, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb, 1), "summary": summary}))


def rss_part(big: int, small: int, concurrency: int) -> None:
    figures = {}
    for n in (small, big):
        done = subprocess.run([sys.executable, __file__, "--child-rss", str(n), "--concurrency", str(concurrency)], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        figures[n] = json.loads(done.stdout)
        f = figures[n]
        print(f"in-process sandbox, {n:>9,} records: peak RSS {f['peak_rss_mb']:.1f} MB, {f['seconds']:.0f} s "
              f"({n / f['seconds']:.0f} records/s), succeeded {f['summary']['succeeded']:,}", flush=True)
    a, b = figures[small]["peak_rss_mb"], figures[big]["peak_rss_mb"]
    print(f"peak RSS {big:,} vs {small:,} records: {b / a:.3f}x (goal: <= 100 MB and within 10 %)", flush=True)


class Served:
    """A connector's sandbox served by ``tether sandbox serve`` (another process) and a connection to it."""

    def __init__(self, connector: str):
        from tether import Client

        self.tmp = tempfile.TemporaryDirectory()
        self.home = self.tmp.name
        # Processes started here (the server, `bulk run`) cache their bytecode as an installed
        # Python does (pip compiles at install): with PYTHONDONTWRITEBYTECODE set, as on some
        # CI and sandboxed machines, every `bulk run` compiled its imports again (~0.3 s of its job).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**env, "TETHER_HOME": self.home, "TETHER_SECRETS_BACKEND": "file", "TETHER_PROGRESS_INTERVAL": "3600"}
        self.server = subprocess.Popen([sys.executable, "-m", "tether", "sandbox", "serve", connector, "--json"], env=self.env, stdout=subprocess.PIPE, text=True)
        served = json.loads(self.server.stdout.readline())  # type: ignore[union-attr]
        self.url, self.credentials = served["url"], served["credentials"]
        self.client = Client(home=self.home, secrets_backend="file")
        self.conn = self.client.connect(connector, credentials=self.credentials, settings={"baseUrl": self.url}, verify=False)

    def close(self) -> None:
        self.client.close()
        self.server.terminate()
        self.server.wait(timeout=10)
        self.tmp.cleanup()

    def cli(self, action: str, items, concurrency: int, *flags: str) -> tuple[float, float]:
        """records/s of `tether bulk run` (a new process): with its start-up, and within the job."""
        path = Path(self.home) / f"records-{time.monotonic_ns()}.jsonl"
        with open(path, "w") as fh:
            n = sum(1 for item in items if fh.write(json.dumps(item) + "\n"))
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tether", "bulk", "run", action, "--connectionId", self.conn.id, "--input", str(path),
             "--concurrency", str(concurrency), "--json", *flags],
            env=self.env, capture_output=True, text=True,
        )
        seconds = time.perf_counter() - started
        document = json.loads(done.stdout)
        if document.get("succeeded") != n:
            raise SystemExit(f"bulk run {' '.join(flags)}: not every record succeeded: {document}\n{done.stderr}")
        # The job's own span (journal created → last update): the CLI's start-up left out.
        status = subprocess.run([sys.executable, "-m", "tether", "bulk", "status", document["job"], "--json"], env=self.env, capture_output=True, text=True)
        times = json.loads(status.stdout)
        return n / seconds, n / (times["updatedAt"] - times["createdAt"])

    def warm(self, action: str, items, concurrency: int, batch: bool) -> float:
        """records/s of the same runner through the Python API, in this already warm process."""
        items = list(items)
        started, cpu = time.perf_counter(), time.process_time()
        job = self.client.bulk(action, connection_id=self.conn.id, records=items, concurrency=concurrency, batch=batch)
        bad = [result for result in job if not result.ok]
        seconds = time.perf_counter() - started
        self.cpu_us = (time.process_time() - cpu) / len(items) * 1e6
        job.close()
        if bad:
            raise SystemExit(f"client.bulk(batch={batch}): {len(bad)} records did not succeed, e.g. {bad[0].to_dict()}")
        return len(items) / seconds


def served_part(n: int, concurrency: int, rounds: int) -> None:
    """`bulk run --no-batch` against raw httpx: same server, same bodies, same concurrency, paired rounds."""
    import httpx

    served = Served("engage")
    try:
        auth = (served.credentials["public_key"], served.credentials["private_key"])
        with httpx.Client(base_url=served.url, auth=auth, limits=httpx.Limits(max_connections=concurrency)) as http:
            def send(record):
                # The POST /v1/users body create-user sends for this record.
                body = {"id": record["uid"], "email": record["email"], "first_name": record["first_name"]}
                http.post("/v1/users", json=body).raise_for_status()

            raw_cpu: list[float] = []

            def raw(prefix: str, count: int) -> float:
                started, cpu = time.perf_counter(), time.process_time()
                with ThreadPoolExecutor(concurrency) as pool:
                    for _ in pool.map(send, records(count, prefix)):
                        pass
                raw_cpu.append((time.process_time() - cpu) / count * 1e6)
                return count / (time.perf_counter() - started)

            raw("warm-raw-", 200)  # warm-up: connections, imports, the server's caches
            served.warm("create-user", records(200, "warm-bulk-"), concurrency, batch=False)
            served.cli("create-user", records(50, "warm-cli-"), concurrency, "--no-batch")  # bytecode cached
            figures = []
            for r in range(rounds):
                # Paired rounds, the order alternating, so drifting load on the machine hits both sides.
                order = ("raw", "cli", "warm") if r % 2 == 0 else ("warm", "cli", "raw")
                got = {}
                for side in order:
                    if side == "raw":
                        got["raw"] = raw(f"raw{r}-", n)
                    elif side == "cli":
                        got["cli"], got["job"] = served.cli("create-user", records(n, f"cli{r}-"), concurrency, "--no-batch")
                    else:
                        got["warm"] = served.warm("create-user", records(n, f"api{r}-"), concurrency, batch=False)
                got["raw_cpu"], got["warm_cpu"] = raw_cpu[-1], served.cpu_us
                figures.append(got)
                print(f"  round {r + 1}: raw httpx {got['raw']:.0f}/s; bulk run --no-batch {got['cli']:.0f}/s with start-up, "
                      f"{got['job']:.0f}/s within the job; client.bulk warm {got['warm']:.0f}/s; client CPU per record: "
                      f"raw {got['raw_cpu']:.0f} µs, warm bulk {got['warm_cpu']:.0f} µs", flush=True)
    finally:
        served.close()
    ratio = {k: statistics.median([f[k] / f["raw"] for f in figures]) for k in ("cli", "job", "warm")}
    print(f"served sandbox, {n:,} records, concurrency {concurrency}, median of {rounds} paired rounds: raw httpx {statistics.median([f['raw'] for f in figures]):.0f} records/s; "
          f"--no-batch / raw: {ratio['cli']:.2f} (CLI with start-up), {ratio['job']:.2f} (within the job), {ratio['warm']:.2f} (warm, Python API) (goal: >= 0.8); "
          f"client CPU per record, warm bulk / raw: {statistics.median([f['warm_cpu'] / f['raw_cpu'] for f in figures]):.2f}", flush=True)


# Actions whose connector declares a batch, with a record maker for each.
BATCHABLE = {
    "esputnik.add-update-contact": lambda i, p: {"firstName": f"B{i}", "channels": [{"type": "email", "value": f"{p}{i}@example.com"}]},
    "clevertap.upload-events": lambda i, p: {"records": [{"identity": f"{p}{i}", "evtName": "Charged", "evtData": {"Amount": i}, "ts": 1767225600 + i}]},
}


def batch_part(action_id: str, n: int, single: int, concurrency: int, rounds: int) -> None:
    """records/s of `bulk run` with the connector's batching (``n`` records) and with --no-batch (``single``
    records): same server, same kind of records, paired rounds."""
    connector, _, action = action_id.partition(".")
    make = BATCHABLE[action_id]
    served = Served(connector)
    try:
        served.warm(action, [make(i, "warm-") for i in range(200)], concurrency, batch=True)
        served.warm(action, [make(i, "warm-") for i in range(200)], concurrency, batch=False)
        served.cli(action, [make(i, "warm-cli-") for i in range(50)], concurrency)  # bytecode cached
        figures = []
        for r in range(rounds):
            got = {}
            for label in (("batched", "--no-batch") if r % 2 == 0 else ("--no-batch", "batched")):
                items = [make(i, f"{label}{r}-") for i in range(n if label == "batched" else single)]
                flags = ["--no-batch"] if label == "--no-batch" else []
                got[label, "job"] = served.cli(action, items, concurrency, *flags)[1]
                got[label, "warm"] = served.warm(action, items, concurrency, batch=label == "batched")
                got[label, "cpu"] = served.cpu_us
            figures.append(got)
            print(f"  round {r + 1}: batched {got['batched', 'job']:.0f}/s within the job, {got['batched', 'warm']:.0f}/s warm "
                  f"({got['batched', 'cpu']:.0f} µs client CPU a record); --no-batch {got['--no-batch', 'job']:.0f}/s within the job, "
                  f"{got['--no-batch', 'warm']:.0f}/s warm ({got['--no-batch', 'cpu']:.0f} µs)", flush=True)
    finally:
        served.close()
    gain = {k: statistics.median([f["batched", k] / f["--no-batch", k] for f in figures]) for k in ("job", "warm")}
    print(f"served sandbox, {action_id}, {n:,} records batched and {single:,} with --no-batch, concurrency {concurrency}, "
          f"median of {rounds} paired rounds: batched / --no-batch "
          f"{gain['job']:.1f}x (bulk run, within the job), {gain['warm']:.1f}x (warm, Python API) (goal: >= 20x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="Records for the big RSS run (default 1,000,000).")
    parser.add_argument("--small", type=int, default=100_000, help="Records for the small RSS run (default 100,000).")
    parser.add_argument("--served", type=int, default=4_000, help="Records for the throughput comparison (default 4,000).")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="Paired rounds of each served comparison (the median is printed).")
    parser.add_argument("--parts", type=lambda s: set(s.split(",")), default={"served", "batch", "rss"}, help="Which parts to run (default served,batch,rss).")
    parser.add_argument("--batch", choices=sorted(BATCHABLE), default="clevertap.upload-events", help="A batchable action to compare with --no-batch.")
    parser.add_argument("--batch-records", type=int, default=100_000, help="Records of the batched side of the batching comparison (0 skips it).")
    parser.add_argument("--single-records", type=int, default=5_000, help="Records of its --no-batch side (one request each).")
    parser.add_argument("--child-rss", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.child_rss, args.concurrency)
        return
    print("load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
          + "; `bulk run` processes cache bytecode (PYTHONDONTWRITEBYTECODE removed), after a warm-up job", flush=True)
    if "served" in args.parts:
        served_part(args.served, args.concurrency, args.rounds)
    if "batch" in args.parts and args.batch_records:
        batch_part(args.batch, args.batch_records, args.single_records, args.concurrency, args.rounds)
    if "rss" in args.parts:
        rss_part(args.records, args.small, args.concurrency)
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)


if __name__ == "__main__":
    main()
