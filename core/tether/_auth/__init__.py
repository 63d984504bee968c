"""Auth kinds: how a connection's credentials become request headers.

A kind is registered through the ``register_auth_kinds`` hook, built-ins included, so a new
signing scheme is a plugin rather than a core change.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, ClassVar



def add_secret(value: Any) -> None:
    """Register a value that must never be shown: every log line, error and repr masks it.

    An auth kind calls it for each secret it puts on the wire (a token it derived included).
    """
    global _redact
    if _redact is None:
        from .. import _redact as module  # imported on first use: start-up stays lean

        _redact = module
    _redact.add_secret(value)


_redact: Any = None


class AuthKind:
    """Base class of auth kinds. ``params`` come from the API's :class:`~tether._models.AuthSpec`."""

    name: ClassVar[str]
    refreshable: ClassVar[bool] = False

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """Credential fields this kind cannot work without."""
        raise NotImplementedError

    def user_fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """The fields a user types in (the rest, if any, come from :meth:`authorize`)."""
        return self.fields(params)

    authorize: Any = None
    """Optional ``authorize(params, creds, open_url) -> creds``: an interactive grant (OAuth)."""

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        """Headers carrying the credentials. Implementations register every secret they emit."""
        raise NotImplementedError

    def needs_refresh(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> bool:
        return False

    def refresh(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> Generator[Any, Any, dict]:
        """Engine operations (see :mod:`tether._http.engine`) ending in the new credentials."""
        raise NotImplementedError(f"auth kind {self.name!r} cannot refresh")
        yield  # pragma: no cover


def _secret_header(value: str) -> str:
    add_secret(value)
    return value


class BasicAuth(AuthKind):
    """HTTP Basic. params: ``username`` and ``password`` name fields; ``password_optional``.

    A platform that reads only the password takes ``username_value``, a fixed user name,
    instead of ``username`` (the user then types one secret).
    """

    name = "basic"

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        user = (params["username"],) if "username" in params else ()
        if params.get("password_optional"):
            return user
        return (*user, params["password"])

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        import base64

        user = str(creds.get(params["username"], "")) if "username" in params else str(params.get("username_value", ""))
        password = str(creds.get(params.get("password", ""), "") or "")
        add_secret(password)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": "Basic " + _secret_header(token)}


class BearerAuth(AuthKind):
    """``Authorization: Bearer <token>``. params: ``token`` names the field; optional ``prefix``."""

    name = "bearer"

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return (params["token"],)

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        token = _secret_header(str(creds[params["token"]]))
        return {"Authorization": f"{params.get('prefix', 'Bearer')} {token}"}


class HeaderAuth(AuthKind):
    """API key(s) in headers. params: ``headers`` maps header name to field name.

    Fields listed in ``optional`` are sent only when set.
    """

    name = "header"

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        optional = set(params.get("optional", ()))
        return tuple(f for f in params["headers"].values() if f not in optional)

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        out = {}
        secret = set(params.get("secret", params["headers"].values()))
        for header, field in params["headers"].items():
            if creds.get(field) in (None, ""):
                continue
            value = str(creds[field])
            out[header] = _secret_header(value) if field in secret else value
        return out
