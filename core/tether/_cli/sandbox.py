"""``tether sandbox serve | reset | log | credentials``."""

from __future__ import annotations

import sys
from typing import Any

import click

from .support import common, emit, examples, make_client, table


@click.group(epilog=examples("tether sandbox serve engage --port 8080", "tether sandbox serve customerio --tls --json", "tether sandbox log engage --limit 20"))
def sandbox() -> None:
    """Run, inspect and reset the connectors' local platform emulations."""


@sandbox.command(
    epilog=examples(
        "tether sandbox serve engage --port 8080",
        "tether sandbox serve customerio --tls --json",
        'tether sandbox serve engage --faults "429=0.1,503=5%,drop-after=0.02,seed=7"',
        "\b",
        "With --tls, point clients at the printed CA file: SSL_CERT_FILE (Python ssl, httpx),",
        "REQUESTS_CA_BUNDLE (requests) or NODE_EXTRA_CA_CERTS (Node).",
    )
)
@click.argument("connector_id")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free one).")
@click.option("--tls", is_flag=True, help="Serve HTTPS with a certificate from a local CA (made once per TETHER_HOME).")
@click.option("--hostname", "hostnames", multiple=True, help="With --tls: extra host names for the certificate. Repeatable.")
@click.option("--faults", metavar="SPEC", help="Inject faults, e.g. 429=0.1,503=5%,drop-before=0.02,drop-after=0.02,slow=0.05@2,seed=7.")
@click.option("--region", help="Region to emulate for requests whose Host names no region (loopback).")
@common
def serve(connector_id: str, host: str, port: int, tls: bool, hostnames: tuple[str, ...], faults: str | None, region: str | None, as_json: bool) -> None:
    """Serve a connector's sandbox over real HTTP(S) until interrupted."""
    from .._errors import UsageError
    from .._sandbox.server import SandboxServer

    with make_client() as client:
        try:
            runtime = client.sandbox_runtime(connector_id, faults=faults or "", region=region)
        except ValueError as exc:
            raise UsageError(f"--faults: {exc}") from None
        if region is not None and runtime.connector.regions and region not in runtime.connector.regions:
            raise UsageError(f"--region must be one of {', '.join(runtime.connector.regions)}")
        context, ca_file = None, None
        if tls:
            from .._sandbox.runtime import sandbox_dir
            from .._sandbox.tls import ensure_certificates, server_context

            names = [host, *hostnames, *runtime.hosts.keys()]
            ca_file, cert, key = ensure_certificates(sandbox_dir(client.home) / "tls", names)
            context = server_context(cert, key)
        try:
            server = SandboxServer(runtime, host, port, context)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        info: dict[str, Any] = {"url": server.url, "connector": connector_id, "credentials": runtime.credentials}
        if ca_file is not None:
            info["caFile"] = str(ca_file)
        if faults:
            info["faults"] = runtime.faults.describe()
        # Printing the sandbox's credentials is deliberate: they guard no real account.
        if as_json:
            import json

            sys.stdout.write(json.dumps(info) + "\n")
        else:
            click.echo(f"{runtime.connector.name} sandbox listening on {server.url}")
            if ca_file is not None:
                click.echo(f"  CA file: {ca_file}  (export SSL_CERT_FILE={ca_file})")
            for name, value in runtime.credentials.items():
                click.echo(f"  {name}: {value}")
            click.echo("  Ctrl-C to stop")
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            runtime.close()


@sandbox.command(epilog=examples("tether sandbox reset engage", "tether sandbox reset --json"))
@click.argument("connector_id", required=False)
@common
def reset(connector_id: str | None, as_json: bool) -> None:
    """Forget a sandbox's data and journal (all sandboxes without CONNECTOR). Credentials stay."""
    with make_client() as client:
        keys = [connector_id] if connector_id else [c.key for c in client.connectors() if c.sandbox is not None]
        for key in keys:
            client.sandbox_runtime(key).reset()
    if as_json:
        emit({"reset": keys})
    else:
        click.echo("reset: " + (", ".join(keys) or "nothing"))


@sandbox.command(epilog=examples("tether sandbox log engage --limit 20", "tether sandbox log customerio --json"))
@click.argument("connector_id")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="The last N requests.")
@common
def log(connector_id: str, limit: int, as_json: bool) -> None:
    """Show the journal: every request the sandbox saw, whether it was processed, any fault."""
    with make_client() as client:
        entries = client.sandbox_runtime(connector_id).journal(limit=limit)
    if as_json:
        emit({"items": entries})
        return
    table(entries, [("seq", "#"), ("method", "method"), ("path", "path"), ("status", "status"), ("processed", "processed"), ("fault", "fault"), ("note", "note")], empty="no requests yet")


@sandbox.command(epilog=examples("tether sandbox credentials engage --json", "tether sandbox credentials customerio --region eu"))
@click.argument("connector_id")
@click.option("--region", help="The region whose workspace's credentials to print (regional sandboxes; default: the first region).")
@common
def credentials(connector_id: str, region: str | None, as_json: bool) -> None:
    """Print the sandbox's generated credentials (they guard no real account)."""
    from .._errors import UsageError

    with make_client() as client:
        runtime = client.sandbox_runtime(connector_id)
        try:
            creds = runtime.credentials_for(region)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if as_json:
        emit(creds)
    else:
        for name, value in creds.items():
            click.echo(f"{name}: {value}")
