"""A whole CLI session, every output searched for the secret: it never appears.

The platform is the example connector's sandbox served over real HTTP; the secret is the
key it accepts, typed by the user through --input. Debug logging is on throughout.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys


def test_secret_never_printed(served_sandbox, tether_home, tmp_path):
    served = served_sandbox("example")
    secret = served["credentials"]["api_key"]
    wrong = "jk_wrongwrongwrongwrong0123456789"
    creds_file = tmp_path / "creds.json"
    creds_file.write_text(json.dumps({"api_key": secret}))
    env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file", "TETHER_LOG": "debug"}
    outputs: list[tuple[list[str], subprocess.CompletedProcess[str]]] = []

    def tether(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "tether", *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
        outputs.append((list(args), result))
        return result

    made = tether("connect", "--connectorId", "example", "--input", f"@{creds_file}", "--setting", f"baseUrl={served['url']}", "--json", "-v")
    conn = json.loads(made.stdout)
    assert conn["state"] == "READY", made.stderr
    cid = conn["id"]
    tether("connection", "list", "--json")
    tether("connection", "list")
    tether("connection", "get", cid, "--json")
    tether("connection", "get", cid)
    tether("connection", "test", cid, "--json", "-v")
    tether("action", "list", "--connectionId", cid, "--intent", "new note", "--json")
    created = tether("action", "run", "create-note", "--connectionId", cid, "--input", '{"title": "leak test"}', "--json", "-v")
    assert json.loads(created.stdout)["output"]["title"] == "leak test"
    tether("action", "run", "list-notes", "--connectionId", cid, "--input", '{"all": true, "limit": 1}', "--json", "-v")
    tether("action", "run", "list-notes", "--connectionId", cid, "--input", "-", "-v", stdin='{"limit": 2}')
    tether("action", "run", "get-note", "--connectionId", cid, "--input", '{"id": "missing"}', "--json", "-v")
    tether("action", "run", "get-note", "--connectionId", cid, "--input", '{"nope": 1}', "-v")
    tether("request", cid, "/notes", "-i", "-v")
    tether("request", cid, "/notes", "--json", "-v")
    tether("request", cid, "/notes", "-X", "POST", "--json", '{"title": "proxied"}', "-v")
    tether("request", cid, "/notes", "-H", "X-Debug: 1", "-v")
    tether("search", "note", "--json")
    tether("plugins", "--json")
    tether("connectors")
    tether("connection", "update", cid, "--input", json.dumps({"api_key": wrong}), "--json", "-v")
    tether("connection", "get", cid, "--json")
    tether("action", "run", "list-notes", "--connectionId", cid, "--json", "-v")

    journal = subprocess.run([sys.executable, "-m", "tether", "sandbox", "log", "example", "--limit", "200", "--json"], capture_output=True, text=True, env=env).stdout
    served_ok = [e for e in json.loads(journal)["items"] if e["processed"]]
    assert len(served_ok) >= 8, "the session did not really use the secret"
    assert any("→ GET" in r.stderr for _, r in outputs), "debug logging was not on"

    forbidden = {secret, wrong, base64.b64encode(secret.encode()).decode(), secret[3:]}
    for args, result in outputs:
        for stream_name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            for value in forbidden:
                assert value not in text, f"`tether {' '.join(args)}` printed a secret on {stream_name}"
