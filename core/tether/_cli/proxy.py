"""``tether request``: a raw request through a connection, auth added by tether."""

from __future__ import annotations

import json
import sys

import click

from .support import emit, examples, guarded, make_client, pairs, read_data_arg, verbose_option

_OUTPUT = "\x00output"  # --json given without a body: JSON output, like every other command


@click.command(
    epilog=examples(
        "tether request engage-1a2b3c4d /users --query limit=5",
        "tether request engage-1a2b3c4d /users/{uid} --pathParam uid=u-1001 -i",
        "tether request engage-1a2b3c4d /lists -X POST --json '{\"title\": \"Beta\"}'",
        "tether request cio-1a2b3c4d /api/v1/customers/42 -X PUT --api track -d @attrs.json",
        "\b",
        "PATH is relative to the connection's base URL; absolute URLs, //host and .. are refused",
        "so credentials can never be sent to another host. `--json BODY` sends BODY as JSON;",
        "a bare `--json` (no body) prints {status, headers, body} as one JSON document.",
    )
)
@click.argument("connection_id")
@click.argument("path")
@click.option("-X", "--method", default="GET", show_default=True, help="HTTP method.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'K: V'", help="Request header. Repeatable.")
@click.option("-d", "--data", metavar="DATA|@FILE|-", help="Request body; JSON text is sent as JSON unless --rawData.")
@click.option("--json", "json_body", is_flag=False, flag_value=_OUTPUT, default=None, metavar="[BODY]", help="Send BODY as JSON; alone, print a JSON document.")
@click.option("--rawData", "raw_data", is_flag=True, help="Send -d as is, without JSON detection.")
@click.option("--query", multiple=True, metavar="K=V", help="Query parameter. Repeatable.")
@click.option("--pathParam", "path_params", multiple=True, metavar="K=V", help="Fills {K} in PATH (percent-encoded). Repeatable.")
@click.option("-i", "--include", is_flag=True, help="Print the status line and headers before the body.")
@click.option("--api", help="Which API of a multi-API connector (e.g. customerio: track or app).")
@verbose_option
def request(connection_id, path, method, headers, data, json_body, raw_data, query, path_params, include, api) -> None:
    """Send a raw HTTP request through a connection (auth injected, never printed)."""
    as_json = json_body == _OUTPUT
    guarded(_request, as_json, connection_id, path, method, headers, data, None if as_json else json_body, raw_data, query, path_params, include, api, as_json)


def _request(connection_id, path, method, headers, data, json_body, raw_data, query, path_params, include, api, as_json) -> None:
    from .._errors import UsageError
    from .._redact import redact
    from .._wire import UNSET

    if data is not None and json_body is not None:
        raise UsageError("give either -d or --json BODY, not both")
    body_json, content = UNSET, None
    if json_body is not None:
        try:
            body_json = json.loads(read_data_arg(json_body))
        except ValueError as exc:
            raise UsageError(f"--json: the body is not valid JSON ({exc})") from None
    elif data is not None:
        raw = read_data_arg(data)
        if raw_data:
            content = raw
        else:
            try:
                body_json = json.loads(raw)
            except ValueError:
                content = raw
    with make_client() as client:
        response = client.request(
            connection_id,
            path,
            method=method.upper(),
            headers=dict(pairs(headers, "-H", sep=":")),
            params=pairs(query, "--query"),
            path_params=dict(pairs(path_params, "--pathParam")),
            json=body_json,
            content=content,
            api=api,
        )
    if as_json:
        not_json = object()
        body = response.json(default=not_json) if response.content else None
        emit({"status": response.status, "headers": dict(response.headers), "body": response.text if body is not_json else body})
    else:
        if include:
            click.echo(f"HTTP {response.status}")
            for key, value in response.headers.items():
                click.echo(redact(f"{key}: {value}"))
            click.echo("")
        text = redact(response.text)
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        sys.stdout.flush()
    if response.status >= 400:
        click.echo(f"error: the platform answered {response.status}", err=True)
        raise SystemExit(1)

