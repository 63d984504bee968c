"""What a person or an agent following the Membrane skills meets first: login, raw requests.

(Issue 17, points 3 and 4.)"""

from __future__ import annotations

import json

import pytest
from cli_runner import run_cli


@pytest.mark.parametrize("args", [("login", "--tenant"), ("login", "--tenant", "--clientName=claude"), ("login", "complete", "a1b2c3")])
def test_login_is_not_needed_and_says_what_to_do_next(tether_home, capsys, args):
    ran = run_cli(capsys, *args)
    assert ran.code == 0 and ran.err == ""
    assert ran.out.count("\n") == 1 and "needs no login" in ran.out and "tether connect --connectorId" in ran.out
    as_json = run_cli(capsys, *args, "--json").json()
    assert as_json["status"] == "not-needed"


def _journal(capsys) -> list:
    return run_cli(capsys, "sandbox", "log", "engage", "--json").json()["items"]


def test_request_body_without_method_posts_and_docs_paths_work(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json").json()
    # Engage's docs write /v1/users; the base URL already ends in /v1.
    made = run_cli(capsys, "request", conn["id"], "/v1/users", "-d", json.dumps({"id": "u-9", "email": "u9@example.com"}), "--json")
    assert made.code == 0, made.err
    last = _journal(capsys)[-1]
    assert last["method"] == "POST" and last["path"] == "/v1/users"
    same = run_cli(capsys, "request", conn["id"], "/users/u-9", "--json")
    assert same.json()["status"] == 200 and same.json()["body"]["email"] == "u9@example.com"
    docs = run_cli(capsys, "request", conn["id"], "/v1/users/u-9", "--json")
    assert docs.json()["body"] == same.json()["body"]


def test_request_body_with_get_is_refused_before_anything_is_sent(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json").json()
    before = len(_journal(capsys))
    for body in (("-d", "{}"), ("--json", "{}")):
        ran = run_cli(capsys, "request", conn["id"], "/users", "-X", "GET", *body)
        assert ran.code == 2 and ran.err.count("\n") == 1 and "-X GET takes no body" in ran.err
    assert len(_journal(capsys)) == before


def test_readme_customerio_track_path_reaches_the_endpoint_and_404_names_the_url(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "customerio", "--sandbox", "--json").json()
    put = run_cli(capsys, "request", conn["id"], "/api/v1/customers/42", "--api", "track", "-X", "PUT", "-d", '{"email": "c42@example.com"}')
    assert put.code == 0, put.err
    missing = run_cli(capsys, "request", conn["id"], "/v1/no-such-thing", "--api", "app")
    assert missing.code == 1 and "404 for GET https://api.customer.io/v1/no-such-thing" in missing.err
