"""The rules of a connection that need no I/O: settings, credential checks, agent guidance."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ._errors import UsageError
from ._models import Api, Connector


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(connector: str) -> str:
    return f"{connector}-{secrets.token_hex(4)}"


def check_settings(connector: Connector, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Validated settings: ``region`` (one of the connector's, also under the connector's own name
    for it, ``Connector.region_setting``), ``baseUrl``, ``baseUrl.<api>``, and the connector's own
    (``Connector.settings``, each checked against its schema)."""
    allowed = {"region", connector.region_setting, "baseUrl"} | {f"baseUrl.{api.key}" for api in connector.apis} | set(connector.settings)
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in allowed:
            raise UsageError(f"setting {key!r} is not known to {connector.key} (known: {', '.join(sorted(allowed))})")
        if key in connector.settings:
            from ._validation import errors

            problems = errors(connector.settings[key], value, root=f"setting {key}")
            if problems:
                raise UsageError(problems[0])
        elif key in ("region", connector.region_setting):
            if not connector.regions:
                raise UsageError(f"{connector.name} has no regions")
            if value not in connector.regions:
                raise UsageError(f"{key} {value!r} is not one of {', '.join(connector.regions)}")
            if "region" in out and out["region"] != value:
                raise UsageError(f"settings region and {connector.region_setting} disagree")
            key = "region"
        else:
            parts = urlsplit(str(value))
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise UsageError(f"setting {key} must be an http(s) URL, got {value!r}")
        out[key] = value
    if connector.regions and "region" not in out:
        out["region"] = connector.regions[0]
    return out


def api_fields(connector: Connector, api: Api, kinds: Mapping[str, Any]) -> tuple[str, ...]:
    """The credential fields a user gives for this API (an OAuth grant supplies the rest)."""
    kind = kinds.get(api.auth.kind)
    return tuple(kind.user_fields(api.auth.params)) if kind is not None else ()


def credential_gaps(connector: Connector, creds: Mapping[str, Any], kinds: Mapping[str, Any]) -> dict[str, list[str]]:
    """Missing fields per API (an API absent from the result is fully set)."""
    gaps = {}
    for api in connector.apis:
        missing = [f for f in api_fields(connector, api, kinds) if creds.get(f) in (None, "")]
        if missing:
            gaps[api.key] = missing
    return gaps


def clean_credentials(creds: Mapping[str, Any]) -> dict[str, Any]:
    """Credentials as they will be stored: text stripped of the whitespace a paste brings along
    (a trailing newline would make an illegal header); one with a control character inside is
    refused. Messages name the field, never the value."""
    if not isinstance(creds, Mapping):
        raise UsageError("credentials (--input) must be a JSON object")
    out: dict[str, Any] = {}
    for name, value in creds.items():
        if isinstance(value, str):
            value = value.strip()
            if any(ord(c) < 32 or ord(c) == 127 for c in value):
                raise UsageError(f"credential {name} contains a line break or another control character; enter it again")
        out[name] = value
    return out


def check_credentials_input(connector: Connector, creds: Mapping[str, Any], kinds: Mapping[str, Any]) -> None:
    """Unknown or ill-typed fields, or half of one API's credential set, are usage errors."""
    from ._validation import validate

    if not isinstance(creds, Mapping):
        raise UsageError("credentials (--input) must be a JSON object")
    schema = {k: v for k, v in connector.credentials.items() if k != "required"}
    validate(schema, dict(creds), root="input")
    for api in connector.apis:
        fields = api_fields(connector, api, kinds)
        given = [f for f in fields if creds.get(f) not in (None, "")]
        if given and len(given) < len(fields):
            missing = [f for f in fields if f not in given]
            label = api.name or f"the {api.key} API"
            raise UsageError(f"{label} needs {', '.join(fields)}; {', '.join(missing)} missing")


def client_action(connector: Connector, connection_id: str, gaps: Mapping[str, list[str]]) -> dict[str, Any]:
    """What an agent should ask its user to do, without the secret ever passing through it."""
    wanted = sorted({f for fields in gaps.values() for f in fields})
    where = connector.credentials.get("description", "")
    description = f"{connector.name} needs credentials: {', '.join(wanted)}." + (f" {where}" if where else "")
    return {
        "type": "connect",
        "description": description,
        "inputSchema": dict(connector.credentials),
        "agentInstructions": (
            "Do not ask the user to paste secrets into this conversation. Ask them to run, in their own "
            f"terminal: `tether connection update {connection_id}` (it prompts with hidden input), or "
            f"`tether connection update {connection_id} --input @credentials.json`. Then wait with "
            f"`tether connection get {connection_id} --wait --json` until state is READY. To try things "
            f"without an account, use the sandbox: `tether connect --connectorId {connector.key} --sandbox --json`."
        ),
    }


def normalize_domain(url_or_domain: str) -> str:
    text = url_or_domain.strip()
    if "://" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").lower().rstrip(".")
    if not host:
        raise UsageError(f"{url_or_domain!r} is neither a URL nor a domain")
    return host[4:] if host.startswith("www.") else host


def domain_matches(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def safe_proxy_path(path: str) -> str:
    """A path relative to the connection's base URL; anything that could leave it is refused."""
    from urllib.parse import unquote

    if not path:
        raise UsageError("PATH is empty")
    lowered = path.strip().lower()
    scheme_like = re.match(r"^[a-z][a-z0-9+.-]*:", lowered) is not None
    if scheme_like or "://" in lowered or lowered.startswith("//") or "\\" in path:
        raise UsageError(f"PATH must be relative to the connection's base URL, not {path!r}")
    decoded = unquote(unquote(path))
    segments = decoded.split("?")[0].split("/")
    if any(seg in ("..", ".") for seg in segments) or "//" in decoded.split("?")[0]:
        raise UsageError(f"PATH may not contain '.', '..' or empty segments: {path!r}")
    if any(ord(c) < 32 for c in decoded):
        raise UsageError("PATH may not contain control characters")
    return path if path.startswith("/") else "/" + path
