"""What a client keeps between calls (the connection, its credentials, compiled validators)
is read again when it changes, even when another client or process changed it."""

from __future__ import annotations

import pytest
from loopback_server import json_reply
from tether._client import Client
from tether._errors import AuthError, NotFoundError, ValidationError
from tether._validation import _validator, _validators, validate
from tether.testing import fast_retry


def test_a_key_rotated_by_another_store_is_picked_up(tether_home):
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        good = dict(client.sandbox_runtime("example").credentials)
        client.run("list-notes", connection_id=conn.id, input={})  # connection, session and key now kept
        # Another client on the same home (as another process would) rotates the key.
        with Client(home=tether_home, secrets_backend="file") as other:
            other.update_connection(conn.id, credentials={**good, "api_key": "rotated-elsewhere"}, verify=False)
        with pytest.raises(AuthError):  # the sandbox refuses the key now stored: it was sent
            client.run("list-notes", connection_id=conn.id, input={})
        with Client(home=tether_home, secrets_backend="file") as other:
            other.update_connection(conn.id, credentials=good, verify=False)
        client.run("list-notes", connection_id=conn.id, input={})


def test_a_connection_deleted_by_another_store_is_gone(tether_home):
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        client.run("list-notes", connection_id=conn.id, input={})
        with Client(home=tether_home, secrets_backend="file") as other:
            other.delete_connection(conn.id)
        with pytest.raises(NotFoundError):
            client.run("list-notes", connection_id=conn.id, input={})


def test_a_setting_changed_by_another_store_is_used(tether_home, loopback):
    """A new baseUrl written elsewhere sends the next call there (the session is made again)."""
    server = loopback()
    server.handler = lambda recorded: json_reply(200, {"data": [], "next_cursor": None})
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        client.run("list-notes", connection_id=conn.id, input={})
        with Client(home=tether_home, secrets_backend="file") as other:
            other.update_connection(conn.id, settings={"baseUrl": server.url}, verify=False)
        client.run("list-notes", connection_id=conn.id, input={})
    assert [r.path.partition("?")[0] for r in server.requests] == ["/v1/notes"]


def test_validators_keyed_by_identity_still_tell_schemas_apart():
    needs_a = {"type": "object", "required": ["a"]}
    needs_b = {"type": "object", "required": ["b"]}
    validate(needs_a, {"a": 1})
    validate(needs_b, {"b": 1})
    with pytest.raises(ValidationError, match=r"input\.b"):
        validate(needs_b, {"a": 1})
    with pytest.raises(ValidationError, match=r"input\.a"):
        validate(needs_a, {"b": 1})


def test_a_reused_id_does_not_pick_up_another_schemas_validator():
    """An entry whose schema is another object (its id reused) is not used for this one."""
    needs_a = {"type": "object", "required": ["a"]}
    needs_b = {"type": "object", "required": ["b"]}
    _validator(needs_a)  # valid input may never build one (the quick check settles it)
    _validators[id(needs_b)] = _validators[id(needs_a)]  # as if needs_b had taken a dead schema's id
    with pytest.raises(ValidationError, match=r"input\.b"):
        validate(needs_b, {"a": 1})


def test_a_call_reads_the_credentials_once_and_a_retry_reads_them_again(tether_home, monkeypatch):
    """The check before sending and the first send share one read (a stat of the secret
    store); a retry, after its wait, reads them again, since another process may rotate them."""
    from tether._secret_store import ConnectionCredentials

    loads: list[int] = []
    real = ConnectionCredentials.load
    monkeypatch.setattr(ConnectionCredentials, "load", lambda self: loads.append(1) or real(self))
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        client.run("list-notes", connection_id=conn.id, input={})
        loads.clear()
        client.run("list-notes", connection_id=conn.id, input={})
        assert len(loads) == 1
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file", sandbox_faults="503=1x") as client:
        loads.clear()
        client.run("list-notes", connection_id=conn.id, input={})
        assert len(loads) == 2


def test_a_token_refresh_locks_the_file_a_connection_update_locks(tether_home):
    """A refresh and an update both rewrite the connection's secret: in any process they must
    exclude each other, so the session's credentials lock the connection's own lock file."""
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        refresh_lock = client._session(conn).credentials._lock
        assert refresh_lock.path == client._connection_lock(conn.id).path
