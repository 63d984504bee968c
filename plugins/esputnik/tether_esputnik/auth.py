"""HTTP Basic with the API key as the password and a fixed user name (§B2).

The platform reads only the password ("enter any value as a username"); the official Shopify
app sends the user name ``user``, so this connector does too, and the user types one secret.
tether's ``basic`` kind needs the user name to be a credential field, hence this small kind.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from tether.connector import AuthKind

# The kit exports AuthKind but not the way to register a secret with the redactor; until it
# does, this is the plugin's one import outside tether.connector.
from tether.auth import add_secret

USER_NAME = "user"


class KeyAsPassword(AuthKind):
    """params: ``password`` names the credential field holding the API key."""

    name = "esputnik-key"

    def fields(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return (params["password"],)

    def headers(self, params: Mapping[str, Any], creds: Mapping[str, Any]) -> dict[str, str]:
        key = str(creds[params["password"]])
        add_secret(key)
        token = base64.b64encode(f"{USER_NAME}:{key}".encode()).decode()
        add_secret(token)
        return {"Authorization": f"Basic {token}"}


KEY_AS_PASSWORD = KeyAsPassword()
