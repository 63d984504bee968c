"""Bulk jobs: memory that does not grow with the input, and throughput close to raw httpx.

Run: uv run python bench/bulk.py [--records 1000000] [--small 100000] [--served 4000] [--concurrency 8]

1. Peak RSS of a process running ``client.bulk("create-user", …)`` (Engage, in-process
   sandbox, no batching) over ``--records`` generated records, and over ``--small`` records:
   goals ≤ 100 MB and the two within 10 %. Each runs in a fresh process.
2. Against the served sandbox (``tether sandbox serve engage``, another process), records/s of
   ``tether bulk run create-user --no-batch --concurrency N`` (the real CLI, start-up included)
   as a ratio to raw httpx sending the same requests from N threads: goal ≥ 0.8.
3. Against the served sandbox, records/s of ``bulk run`` of a batchable action (``--batch``)
   with the connector's batching and with ``--no-batch`` (CleverTap ``upload-events`` by default:
   goal ≥ 20×).

Both sides share this 2-core machine with the served sandbox, so the figures are for comparing,
not absolute. Every count is a flag; the output says what ran.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def records(n: int, prefix: str):
    for i in range(n):
        yield {"uid": f"{prefix}{i}", "email": f"{prefix}{i}@example.com", "first_name": "Bench"}


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
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
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


def served_part(n: int, concurrency: int) -> None:
    import httpx

    from tether import Client

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TETHER_HOME": home, "TETHER_SECRETS_BACKEND": "file", "TETHER_PROGRESS_INTERVAL": "3600"}
        server = subprocess.Popen([sys.executable, "-m", "tether", "sandbox", "serve", "engage", "--json"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            served = json.loads(server.stdout.readline())  # type: ignore[union-attr]
            creds = served["credentials"]
            with Client(home=home, secrets_backend="file") as client:
                conn = client.connect("engage", credentials=creds, settings={"baseUrl": served["url"]}, verify=False)

            # Raw httpx: the same POST /v1/users bodies create-user sends, from N threads.
            auth = (creds["public_key"], creds["private_key"])
            with httpx.Client(base_url=served["url"], auth=auth, limits=httpx.Limits(max_connections=concurrency)) as http:
                def send(record):
                    body = {"id": record["uid"], "email": record["email"], "first_name": record["first_name"]}
                    response = http.post("/v1/users", json=body)
                    response.raise_for_status()

                started = time.perf_counter()
                with ThreadPoolExecutor(concurrency) as pool:
                    for _ in pool.map(send, records(n, "raw-")):
                        pass
                raw = n / (time.perf_counter() - started)

            path = Path(home) / "users.jsonl"
            with open(path, "w") as fh:
                for record in records(n, "bulk-"):
                    fh.write(json.dumps(record) + "\n")
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "tether", "bulk", "run", "create-user", "--connectionId", conn.id, "--input", str(path),
                 "--no-batch", "--concurrency", str(concurrency), "--json"],
                env=env, capture_output=True, text=True,
            )
            seconds = time.perf_counter() - started
            document = json.loads(done.stdout)
            if document.get("succeeded") != n:
                raise SystemExit(f"bulk run did not succeed for every record: {document}\n{done.stderr}")
            tether = n / seconds
            # The job's own span (journal created → last update): the CLI's start-up left out.
            status = subprocess.run([sys.executable, "-m", "tether", "bulk", "status", document["job"], "--json"], env=env, capture_output=True, text=True)
            times = json.loads(status.stdout)
            in_job = n / (times["updatedAt"] - times["createdAt"])
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"served sandbox, {n:,} records, concurrency {concurrency}: raw httpx {raw:.0f} records/s; tether bulk run --no-batch "
          f"{tether:.0f} records/s with the CLI's start-up, {in_job:.0f} records/s within the job: "
          f"ratio {tether / raw:.2f} / {in_job / raw:.2f} (goal: >= 0.8)")


# Actions whose connector declares a batch, with a record maker for each.
BATCHABLE = {
    "esputnik.add-update-contact": lambda i: {"firstName": f"B{i}", "channels": [{"type": "email", "value": f"b{i}@example.com"}]},
    "clevertap.upload-events": lambda i: {"records": [{"identity": f"user-{i}", "evtName": "Charged", "evtData": {"Amount": i}, "ts": 1767225600 + i}]},
}


def batch_part(action_id: str, n: int, concurrency: int) -> None:
    """records/s of `bulk run` with the connector's batching and with --no-batch, on the served sandbox."""
    connector, _, action = action_id.partition(".")
    make = BATCHABLE[action_id]
    from tether import Client

    rates = {}
    for label, flags in (("batched", []), ("--no-batch", ["--no-batch"])):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "TETHER_HOME": home, "TETHER_SECRETS_BACKEND": "file", "TETHER_PROGRESS_INTERVAL": "3600"}
            server = subprocess.Popen([sys.executable, "-m", "tether", "sandbox", "serve", connector, "--json"], env=env, stdout=subprocess.PIPE, text=True)
            try:
                served = json.loads(server.stdout.readline())  # type: ignore[union-attr]
                with Client(home=home, secrets_backend="file") as client:
                    conn = client.connect(connector, credentials=served["credentials"], settings={"baseUrl": served["url"]}, verify=False)
                path = Path(home) / "records.jsonl"
                with open(path, "w") as fh:
                    for i in range(n):
                        fh.write(json.dumps(make(i)) + "\n")
                done = subprocess.run(
                    [sys.executable, "-m", "tether", "bulk", "run", action, "--connectionId", conn.id, "--input", str(path),
                     "--concurrency", str(concurrency), "--json", *flags],
                    env=env, capture_output=True, text=True,
                )
                document = json.loads(done.stdout)
                if document.get("succeeded") != n:
                    raise SystemExit(f"{label}: not every record succeeded: {document}\n{done.stderr}")
                # Within the job (journal created → last update), so the CLI's start-up does not hide the gain.
                status = subprocess.run([sys.executable, "-m", "tether", "bulk", "status", document["job"], "--json"], env=env, capture_output=True, text=True)
                times = json.loads(status.stdout)
                rates[label] = n / (times["updatedAt"] - times["createdAt"])
            finally:
                server.terminate()
                server.wait(timeout=10)
    print(f"served sandbox, {action_id}, {n:,} records (within the job): batched {rates['batched']:.0f} records/s, "
          f"--no-batch {rates['--no-batch']:.0f} records/s: {rates['batched'] / rates['--no-batch']:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="Records for the big RSS run (default 1,000,000).")
    parser.add_argument("--small", type=int, default=100_000, help="Records for the small RSS run (default 100,000).")
    parser.add_argument("--served", type=int, default=4_000, help="Records for the throughput comparison (default 4,000).")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument("--skip-served", action="store_true")
    parser.add_argument("--batch", choices=sorted(BATCHABLE), default="clevertap.upload-events", help="A batchable action to compare with --no-batch.")
    parser.add_argument("--batch-records", type=int, default=10_000, help="Records for the batching comparison (0 skips it).")
    parser.add_argument("--child-rss", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.child_rss, args.concurrency)
        return
    if not args.skip_served:
        served_part(args.served, args.concurrency)
        if args.batch_records:
            batch_part(args.batch, args.batch_records, args.concurrency)
    if not args.skip_rss:
        rss_part(args.records, args.small, args.concurrency)


if __name__ == "__main__":
    main()
