"""Jotter's actions. Each ``run`` yields requests and returns the output (see tether.wire)."""

from tether.models import Action
from tether.pages import CursorPages
from tether.wire import Request

NOTE = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "The note's id."},
        "title": {"type": "string", "description": "Title."},
        "body": {"type": "string", "description": "Text of the note."},
        "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags."},
        "created_at": {"type": "integer", "description": "Creation time, unix seconds."},
    },
    "required": ["id", "title", "body", "tags", "created_at"],
}


def create_note(inp, ctx):
    response = yield Request("POST", "/notes", json={k: inp[k] for k in ("title", "body", "tags") if k in inp})
    return response.json()


def get_note(inp, ctx):
    response = yield Request("GET", "/notes/{id}", path_params={"id": inp["id"]})
    return response.json()


def list_notes(inp, ctx):
    params = {"limit": inp.get("limit"), "cursor": inp.get("cursor"), "tag": inp.get("tag")}
    response = yield Request("GET", "/notes", params=params)
    return response.json()


def delete_note(inp, ctx):
    yield Request("DELETE", "/notes/{id}", path_params={"id": inp["id"]})
    return {"deleted": True, "id": inp["id"]}


ACTIONS = (
    Action(
        key="create-note",
        name="Create note",
        description="Create a note with a title, a body and optional tags. Use to record something new.",
        entity="note",
        input_schema={
            "type": "object",
            "properties": {
                "title": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Title (1–200 characters)."},
                "body": {"type": "string", "description": "Text of the note."},
                "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags to file it under."},
            },
            "required": ["title"],
            "additionalProperties": False,
        },
        output_schema=NOTE,
        run=create_note,
        examples=({"title": "Call Ada", "body": "About the beta", "tags": ["todo"]},),
    ),
    Action(
        key="get-note",
        name="Get note",
        description="Fetch one note by id.",
        entity="note",
        input_schema={
            "type": "object",
            "properties": {"id": {"type": "string", "minLength": 1, "description": "The note's id."}},
            "required": ["id"],
            "additionalProperties": False,
        },
        output_schema=NOTE,
        run=get_note,
        examples=({"id": "n-1"},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="list-notes",
        name="List notes",
        description="List notes, newest last, optionally by tag. Pages through a cursor; pass all=true for every note.",
        entity="note",
        input_schema={
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Notes per page (1–50, default 20)."},
                "cursor": {"type": "string", "description": "next_cursor of the previous page."},
                "tag": {"type": "string", "description": "Only notes with this tag."},
                "all": {"type": "boolean", "description": "Follow every page and return all notes."},
            },
            "additionalProperties": False,
        },
        output_schema={
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": NOTE, "description": "The notes of this page."},
                "next_cursor": {"type": ["string", "null"], "description": "Cursor of the next page; null on the last."},
            },
            "required": ["data"],
        },
        run=list_notes,
        examples=({"limit": 2}, {"tag": "todo", "all": True}),
        read_only=True,
        idempotent=True,
        pages=CursorPages(items="data", next="next_cursor", param="cursor", size_param="limit", max_size=50),
    ),
    Action(
        key="delete-note",
        name="Delete note",
        description="Delete a note for good.",
        entity="note",
        input_schema={
            "type": "object",
            "properties": {"id": {"type": "string", "minLength": 1, "description": "The note's id."}},
            "required": ["id"],
            "additionalProperties": False,
        },
        output_schema={
            "type": "object",
            "properties": {"deleted": {"const": True, "description": "Always true."}, "id": {"type": "string", "description": "The deleted note's id."}},
            "required": ["deleted", "id"],
        },
        run=delete_note,
        examples=({"id": "n-2"},),
        destructive=True,
        idempotent=True,
    ),
)
