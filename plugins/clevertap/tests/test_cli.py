"""The CLI over the served sandbox: a session with debug logging on never prints the passcode
(the account id is not secret), and the region hint reaches the user."""

from __future__ import annotations

import json


def test_a_cli_session_never_prints_the_passcode(served_sandbox, tether_cli, tmp_path):
    served = served_sandbox("clevertap")
    creds = served["credentials"]
    creds_file = tmp_path / "creds.json"
    creds_file.write_text(json.dumps(creds))
    outputs = []

    def tether(*args):
        code, out, err = tether_cli(*args)
        outputs.append(out + err)
        return code, out, err

    code, out, err = tether("connect", "--connectorId", "clevertap", "--input", f"@{creds_file}", "--setting", f"baseUrl={served['url']}", "--json", "-v")
    assert code == 0, err
    cid = json.loads(out)["id"]
    code, out, _ = tether("action", "run", "upload-events", "--connectionId", cid, "--json", "-v", "--input",
                          json.dumps({"records": [{"identity": "cli-1", "evtName": "Cli", "evtData": {}, "ts": 1767225600}]}))
    assert code == 0 and json.loads(out)["output"]["processed"] == 1
    code, out, _ = tether("action", "run", "get-event-count", "--connectionId", cid, "--json", "-v", "--input", '{"event_name": "Cli", "from": 20260101, "to": 20260101}')
    assert json.loads(out)["output"]["count"] == 1
    tether("request", cid, "/1/profile.json", "--query", "identity=cli-1", "-v")
    tether("connection", "get", cid, "--json")
    wrong = {**creds, "passcode": creds["passcode"][::-1]}
    code, out, err = tether("connection", "update", cid, "--input", json.dumps(wrong), "--json", "-v")
    assert json.loads(out)["state"] == "CONFIGURATION_ERROR" and "Invalid Passcode" in json.loads(out)["error"]["message"]
    code, out, err = tether("action", "run", "get-campaigns", "--connectionId", cid, "--json", "-v", "--input", '{"from": 20240101, "to": 20240101}')
    assert code != 0 and "Invalid Passcode" in err
    # an account of another region answers like an unknown one (§A1): the user is told to check the region
    other = {**creds, "account_id": "TEST-ZZZ-ZZZ"}
    code, out, err = tether("connect", "--connectorId", "clevertap", "--input", json.dumps(other), "--setting", f"baseUrl={served['url']}", "--json", "-v")
    assert "check the connection's region" in json.loads(out)["error"]["message"]
    assert any("→ POST" in o or "POST" in o for o in outputs), "debug logging was not on"
    for printed in outputs:
        assert creds["passcode"] not in printed and wrong["passcode"] not in printed
