"""Issue 10 defect 8: a broken observer plugin is reported once and skipped; only a
PolicyError refuses a run, and action_finished can never change a result."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap

import pytest

from tether import hookimpl
from tether._client import Client
from tether._errors import PlatformError, PolicyError
from tether._plugins import Plugins
from tether.testing import fast_retry


class Broken:
    """Every execution hook raises a bug."""

    __name__ = "broken-observer"

    def __init__(self):
        self.calls = 0

    @hookimpl
    def action_started(self, run):
        self.calls += 1
        raise RuntimeError("started: oops")

    @hookimpl
    def http_request(self, run, exchange):
        raise KeyError("request: oops")

    @hookimpl
    def http_response(self, run, exchange, status, elapsed):
        raise ValueError("response: oops")

    @hookimpl
    def action_finished(self, run, output, error):
        raise PolicyError("too late to refuse")


class Refuses:
    __name__ = "refuses-requests"

    @hookimpl
    def http_request(self, run, exchange):
        if exchange.method == "DELETE":
            raise PolicyError("no deletes")


def _client(home, *plugins):
    return Client(home=home, plugins=Plugins(plugins), retry=fast_retry(), secrets_backend="file")


def test_a_broken_observer_is_reported_once_and_skipped(tmp_path, caplog):
    broken = Broken()
    with caplog.at_level(logging.WARNING, logger="tether"), _client(tmp_path, broken) as client:
        conn = client.sandbox_connection("example")
        assert client.run("get-note", connection_id=conn.id, input={"id": "n-1"})["id"] == "n-1"
        assert client.run("get-note", connection_id=conn.id, input={"id": "n-1"})["id"] == "n-1"
        assert client.request(conn.id, "/notes").status == 200
        with pytest.raises(PlatformError) as info:  # errors stay what they were, too
            client.run("get-note", connection_id=conn.id, input={"id": "missing"})
        assert info.value.status == 404
        record = client.plugins.record_for("broken-observer")
    assert broken.calls == 3  # it was called every time, and skipped
    warnings = sorted(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert warnings == [
        "plugin 'broken-observer': action_finished refused after the fact (a PolicyError from action_finished changes nothing); skipped",
        "plugin 'broken-observer': action_started failed: RuntimeError: started: oops; skipped",
        "plugin 'broken-observer': http_request failed: KeyError: 'request: oops'; skipped",
        "plugin 'broken-observer': http_response failed: ValueError: response: oops; skipped",
    ]
    assert record.error in warnings  # the first failure is what `tether plugins` shows


def test_only_a_policy_error_refuses(tmp_path):
    with _client(tmp_path, Broken(), Refuses()) as client:
        conn = client.sandbox_connection("example")
        runtime = client.sandbox_runtime("example")
        seq = runtime.last_seq()
        with pytest.raises(PolicyError, match="no deletes"):
            client.run("delete-note", connection_id=conn.id, input={"id": "n-1"})
        with pytest.raises(PolicyError, match="no deletes"):
            client.request(conn.id, "/notes/n-1", method="DELETE")
        assert runtime.last_seq() == seq
        assert any(n["id"] == "n-1" for n in runtime.collection("notes"))


def test_action_finished_cannot_change_the_result(tmp_path):
    class Meddler:
        __name__ = "meddler"

        @hookimpl
        def action_finished(self, run, output, error):
            raise RuntimeError("raising changes nothing")

    with _client(tmp_path, Meddler()) as client:
        conn = client.sandbox_connection("example")
        note = client.run("create-note", connection_id=conn.id, input={"title": "kept"})
        assert note["title"] == "kept"
        result = client.execute("get-note", connection_id=conn.id, input={"id": "missing"})
        assert type(result.error).__name__ == "PlatformNotFoundError" and result.error.status == 404


NOISY = '''
from tether import hookimpl

@hookimpl
def action_started(run):
    raise RuntimeError("observer bug")

@hookimpl
def http_request(run, exchange):
    raise RuntimeError("observer bug")
'''


def test_cli_runs_despite_a_broken_installed_plugin(tmp_path, tether_home):
    site = tmp_path / "site"
    (site / "noisy").mkdir(parents=True)
    (site / "noisy" / "__init__.py").write_text(textwrap.dedent(NOISY))
    info = site / "noisy-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: noisy\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[tether]\nnoisy = noisy\n")
    env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file", "PYTHONPATH": str(site)}

    def tether(*args):
        return subprocess.run([sys.executable, "-m", "tether", *args], capture_output=True, text=True, env=env, timeout=60)

    ran = tether("action", "run", "example.get-note", "--sandbox", "--input", '{"id": "n-1"}', "--json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["output"]["id"] == "n-1"
    assert sorted(ran.stderr.splitlines()) == [
        "plugin 'noisy': action_started failed: RuntimeError: observer bug; skipped",
        "plugin 'noisy': http_request failed: RuntimeError: observer bug; skipped",
    ]
    conn_id = json.loads(tether("connection", "list", "--json").stdout)["items"][0]["id"]
    ran = tether("request", conn_id, "/notes/n-1", "--json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["status"] == 200
