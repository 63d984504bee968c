"""An audit log: one JSON line per action run and per HTTP exchange.

Set ``TETHER_AUDIT_LOG`` to a file path to switch it on (it is off otherwise, so installing
the plugin changes nothing by itself). Lines carry the connector, connection, action, HTTP
method, URL and status — never credentials: the engine hands hooks a masked view of each
request. Action input is logged only with ``TETHER_AUDIT_INPUT=1`` (it may hold personal data).

This is the template for plugins that observe or police execution rather than add a platform.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from tether import hookimpl


def tether_idle() -> bool:
    """Nothing to record while ``TETHER_AUDIT_LOG`` is unset: tether then skips this plugin's
    hooks, and prepares no masked copy of each request for them."""
    return not os.environ.get("TETHER_AUDIT_LOG")


def _write(record: dict[str, Any]) -> None:
    path = os.environ.get("TETHER_AUDIT_LOG")
    if not path:
        return
    record = {"ts": round(time.time(), 3), **record}
    line = json.dumps(record, default=str, ensure_ascii=False) + "\n"
    # O_APPEND keeps concurrent writers' lines whole (each line is one write).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _run_fields(run: Any) -> dict[str, Any]:
    fields = {"connector": run.connector, "connection": run.connection_id, "action": run.action, "sandbox": run.sandbox}
    if os.environ.get("TETHER_AUDIT_INPUT") == "1":
        fields["input"] = run.input
    return fields


@hookimpl
def action_started(run):
    run.data["audit_started"] = time.perf_counter()
    _write({"event": "action_started", **_run_fields(run)})


@hookimpl
def action_finished(run, output, error):
    elapsed = time.perf_counter() - run.data.get("audit_started", time.perf_counter())
    outcome = {"ok": error is None, "seconds": round(elapsed, 4)}
    if error is not None:
        outcome["error"] = {"type": error.type, "status": error.status}
    _write({"event": "action_finished", **_run_fields(run), **outcome})


@hookimpl
def http_response(run, exchange, status, elapsed):
    _write(
        {
            "event": "http",
            "connector": run.connector if run else None,
            "connection": run.connection_id if run else None,
            "action": run.action if run else None,
            "method": exchange.method,
            "url": exchange.url,
            "status": status,
            "seconds": round(elapsed, 4),
        }
    )
