"""Customer.io sandbox: time of one page (and of a lookup by id) as the workspace grows.

Run: uv run python plugins/customerio/bench/pages.py [--people 2000 20000] [--repeat 5]

For each size, fills the in-process sandbox's US workspace with that many people (every other
one on the pro plan), then prints the mean time of one run of: search-customers (a page of 50
matching plan=pro), get-segment-membership of the data-driven segment (a page of 1000) and
get-customer-attributes of the last person stored. Pages are read from SQLite a window at a
time, so their time should not grow with the number of people.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tether import Client
from tether.testing import fast_retry

from tether_customerio import samples


def fill(runtime, count: int) -> None:
    for i in range(count):
        cio = f"{40_000_000 + i:08d}"
        attributes = {"plan": "pro" if i % 2 else "free", "id": f"bulk-{i}", "cio_id": cio}
        runtime.put(
            "us/people",
            cio,
            {"cio_id": cio, "id": f"bulk-{i}", "email": None, "attributes": attributes, "timestamps": {},
             "devices": [], "unsubscribed": False, "anonymous_ids": [], "created_at": 0},
        )  # fmt: skip


def timed(client: Client, conn_id: str, action: str, repeat: int, **inp) -> float:
    client.run(action, connection_id=conn_id, input=inp)  # warm: connection, schemas, caches
    start = time.perf_counter()
    for _ in range(repeat):
        client.run(action, connection_id=conn_id, input=inp)
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for count in args.people:
        with tempfile.TemporaryDirectory() as home:
            client = Client(home=Path(home), retry=fast_retry(), secrets_backend="file")
            conn = client.sandbox_connection("customerio")
            fill(client.sandbox_runtime("customerio"), count)
            pro = {"attribute": {"field": "plan", "operator": "eq", "value": "pro"}}
            search = timed(client, conn.id, "search-customers", args.repeat, filter=pro)
            members = timed(client, conn.id, "get-segment-membership", args.repeat, segment_id=samples.ACTIVE_SEGMENT)
            lookup = timed(client, conn.id, "get-customer-attributes", args.repeat, customer_id=f"bulk-{count - 1}")
            client.close()
        print(
            f"{count:>7} people: search-customers page of 50 {search:7.1f} ms | "
            f"segment members page of 1000 {members:7.1f} ms | lookup by id {lookup:6.1f} ms"
        )


if __name__ == "__main__":
    main()
