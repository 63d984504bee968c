"""Models keep their public keys honest; validation errors say where, what, and what was given."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tether._errors import ValidationError
from tether._models import Action, Api, AuthSpec, Connection, Connector, Result
from tether._validation import check_schema, validate

NOOP = lambda inp, ctx: iter(())  # noqa: E731


@pytest.mark.parametrize("key", ["create_user", "CreateUser", "-x", "a--b", "x-", "1st", ""])
def test_action_keys_must_be_kebab_case(key):
    with pytest.raises(ValueError, match="kebab-case"):
        Action(key, "n", "d", "e", {}, {}, NOOP)


def test_connector_rules():
    api = Api("default", {"us": "https://us.example", "eu": "https://eu.example"}, AuthSpec("bearer", {"token": "t"}))
    with pytest.raises(ValueError, match="unique keys"):
        Connector("x", "X", "d", (api, api), {}, actions=lambda: ())
    assert api.url("eu") == "https://eu.example" and api.url(None) == "https://us.example"
    assert api.hosts() == {"us.example": "us", "eu.example": "eu"}
    with pytest.raises(ValueError, match="unknown region"):
        api.url("ap")


def test_connection_and_result_documents():
    conn = Connection("c-1", "engage", "Engage", "READY", False, "2026-01-01T00:00:00Z", {"region": "eu"}, ("private_key", "public_key"), "file:c-1")
    assert conn.to_dict() == {
        "id": "c-1", "name": "Engage", "connectorId": "engage", "state": "READY", "sandbox": False,
        "settings": {"region": "eu"}, "credentials": ["private_key", "public_key"], "createdAt": "2026-01-01T00:00:00Z",
    }
    assert "file:c-1" not in repr(conn)
    assert Result(output={"a": 1}).to_dict() == {"output": {"a": 1}}


SCHEMA = {
    "type": "object",
    "properties": {
        "uid": {"type": "string"},
        "type": {"enum": ["customer", "account"]},
        "lists": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        "meta": {"type": "object", "properties": {"age": {"type": "integer"}}},
    },
    "required": ["uid"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("value", "message", "path"),
    [
        ({}, "input.uid: required property is missing", "input.uid"),
        ({"uid": 7}, "input.uid: expected string, got integer 7", "input.uid"),
        ({"uid": "a", "type": "robot"}, 'input.type: expected one of "customer", "account", got "robot"', "input.type"),
        ({"uid": "a", "lists": ["x", 3]}, "input.lists[1]: expected string, got integer 3", "input.lists[1]"),
        ({"uid": "a", "meta": {"age": "old"}}, 'input.meta.age: expected integer, got string "old"', "input.meta.age"),
        ({"uid": "a", "uuid": "b"}, "input.uuid: unexpected property (allowed: lists, meta, type, uid)", "input.uuid"),
        ({"uuid": "a"}, "input.uuid: unexpected property (allowed: lists, meta, type, uid)", "input.uuid"),
        ({"uid": "a", "lists": ["1", "2", "3"]}, "input.lists: ['1', '2', '3'] is too long", "input.lists"),
        ([], "input: expected object, got array []", "input"),
    ],
)
def test_validation_messages(value, message, path):
    with pytest.raises(ValidationError) as info:
        validate(SCHEMA, value)
    assert info.value.message == message and info.value.path == path


def test_alternatives_read_plainly():
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}, "uid": {"type": "string"}, "when": {"oneOf": [{"type": "integer"}, {"type": "string", "format": "date"}]}, "gone": False},
        "not": {"required": ["id", "uid"]},
    }
    with pytest.raises(ValidationError, match=r"^input: give only one of id, uid$"):
        validate(schema, {"id": "a", "uid": "b"})
    with pytest.raises(ValidationError, match=r"^input.when: must match exactly one of the 2 allowed forms"):
        validate(schema, {"when": 1.5})
    with pytest.raises(ValidationError, match=r"^input.gone: is not allowed$"):
        validate(schema, {"gone": 1})


def test_schema_checks():
    assert check_schema(SCHEMA) == []
    assert check_schema({"type": "strnig"})


def test_packaging(tmp_path):
    root = Path(__file__).resolve().parent.parent
    assert (root / "core" / "tether" / "py.typed").exists()
    script = Path(sys.executable).parent / "tether"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("tether, version ")
