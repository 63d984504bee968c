"""Jotter's actions: each one request, declared with ``rest`` (see tether.connector)."""

from tether.connector import Action, CursorPages, all_flag, array, input_object, integer, obj, rest, string

NOTE = obj(
    {
        "id": string("The note's id."),
        "title": string("Title."),
        "body": string("Text of the note.", min_length=None),
        "tags": array({"type": "string"}, "Tags."),
        "created_at": integer("Creation time, unix seconds."),
    },
    "A note.",
    required=("id", "title", "body", "tags", "created_at"),
)
NOTE_ID = input_object({"id": string("The note's id.")}, ("id",))

ACTIONS = (
    Action(
        key="create-note",
        name="Create note",
        description="Create a note with a title, a body and optional tags. Use to record something new.",
        entity="note",
        input_schema=input_object(
            {
                "title": string("Title (1–200 characters).", maxLength=200),
                "body": string("Text of the note.", min_length=None),
                "tags": array({"type": "string"}, "Tags to file it under."),
            },
            ("title",),
        ),
        output_schema=NOTE,
        run=rest("POST", "/notes", body=("title", "body", "tags")),
        examples=({"title": "Call Ada", "body": "About the beta", "tags": ["todo"]},),
    ),
    Action(
        key="get-note",
        name="Get note",
        description="Fetch one note by id.",
        entity="note",
        input_schema=NOTE_ID,
        output_schema=NOTE,
        run=rest("GET", "/notes/{id}"),
        examples=({"id": "n-1"},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="list-notes",
        name="List notes",
        description="List notes, newest last, optionally by tag. Pages through a cursor; pass all=true for every note.",
        entity="note",
        input_schema=input_object(
            {
                "limit": integer("Notes per page (1–50, default 20).", minimum=1, maximum=50),
                "cursor": string("next_cursor of the previous page."),
                "tag": string("Only notes with this tag."),
                "all": all_flag("notes"),
            }
        ),
        output_schema=obj(
            {
                "data": array(NOTE, "The notes of this page."),
                "next_cursor": {"type": ["string", "null"], "description": "Cursor of the next page; null on the last."},
            },
            "A page of notes.",
            required=("data",),
        ),
        run=rest("GET", "/notes", query=("limit", "cursor", "tag")),
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
        input_schema=NOTE_ID,
        output_schema=obj(
            {"deleted": {"const": True, "description": "Always true."}, "id": string("The deleted note's id.")},
            "What was deleted.",
            required=("deleted", "id"),
        ),
        # Jotter answers 204 with no body: the output says what happened.
        run=rest("DELETE", "/notes/{id}", read=lambda response, inp: {"deleted": True, "id": inp["id"]}),
        examples=({"id": "n-2"},),
        destructive=True,
        idempotent=True,
    ),
)
