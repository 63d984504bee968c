"""Secrets stay on this machine: in the OS keyring when one is usable, else a 0600 file.

A connection stores only a reference (``file:<id>`` or ``keyring:<id>``), so it is read back
from where it was written even if the default backend changes later.
``TETHER_SECRETS_BACKEND`` = ``auto`` (default) | ``keyring`` | ``file`` chooses where new
secrets go.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._errors import ConfigurationError
from ._home import tighten
from ._locks import FileLock

SERVICE = "tether"


class FileSecrets:
    """All secrets in one JSON file, mode 0600, replaced atomically under a lock."""

    scheme = "file"

    def __init__(self, home: Path):
        self.path = Path(home) / "secrets.json"
        self._stat_path = str(self.path)  # stat on every call: skip the Path -> str conversion
        self._lock = FileLock(Path(home) / "locks" / "secrets.lock")
        tighten(self.path)  # a copy restored with wider modes

    def __repr__(self) -> str:
        return f"FileSecrets({str(self.path)!r})"

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return {}
        except ValueError as exc:
            raise ConfigurationError(f"the secrets file {self.path} is corrupt: {exc}") from None

    def _write(self, data: Mapping[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".secrets-", dir=self.path.parent)
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            os.unlink(tmp)
            raise

    def version(self, key: str) -> tuple[int, ...] | None:
        """What changes when the file does (it is replaced whole, so its inode changes too)."""
        try:
            st = os.stat(self._stat_path)
        except FileNotFoundError:
            return (0,)
        return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:  # a reader never sees a half-done read-modify-write of another process
            return self._read().get(key)

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        with self._lock:
            data = self._read()
            data[key] = dict(value)
            self._write(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)


class KeyringSecrets:
    scheme = "keyring"

    def __init__(self) -> None:
        import keyring

        self._keyring = keyring

    def __repr__(self) -> str:
        return "KeyringSecrets()"

    def version(self, key: str) -> None:
        """A keyring cannot tell whether an entry changed without reading it: always read."""
        return None

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self._keyring.get_password(SERVICE, key)
        return None if raw is None else json.loads(raw)

    def put(self, key: str, value: Mapping[str, Any]) -> None:
        self._keyring.set_password(SERVICE, key, json.dumps(dict(value)))

    def delete(self, key: str) -> None:
        try:
            self._keyring.delete_password(SERVICE, key)
        except self._keyring.errors.PasswordDeleteError:
            pass


def keyring_usable() -> bool:
    """True if the keyring package is installed and its backend answers."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return False
    try:
        backend.get_password(SERVICE, "__tether_probe__")
    except Exception:
        return False
    return True


class Secrets:
    """Routes secret references to their backend."""

    def __init__(self, home: Path, backend: str | None = None):
        self.home = Path(home)
        self.backend = (backend or os.environ.get("TETHER_SECRETS_BACKEND") or "auto").lower()
        if self.backend not in ("auto", "file", "keyring"):
            raise ConfigurationError(f"TETHER_SECRETS_BACKEND must be auto, file or keyring, not {self.backend!r}")
        self._stores: dict[str, Any] = {}

    def _store(self, scheme: str) -> Any:
        if scheme not in self._stores:
            if scheme == "file":
                self._stores[scheme] = FileSecrets(self.home)
            elif scheme == "keyring":
                try:
                    self._stores[scheme] = KeyringSecrets()
                except ImportError:
                    raise ConfigurationError("this secret lives in the OS keyring, but the keyring package is not installed") from None
            else:
                raise ConfigurationError(f"unknown secret store {scheme!r}")
        return self._stores[scheme]

    def default_scheme(self) -> str:
        if self.backend == "auto":
            return "keyring" if keyring_usable() else "file"
        if self.backend == "keyring" and not keyring_usable():
            raise ConfigurationError("TETHER_SECRETS_BACKEND=keyring, but no usable keyring backend was found")
        return self.backend

    def put_new(self, key: str, value: Mapping[str, Any]) -> str:
        scheme = self.default_scheme()
        self._store(scheme).put(key, value)
        return f"{scheme}:{key}"

    def get(self, ref: str) -> dict[str, Any]:
        scheme, _, key = ref.partition(":")
        return self._store(scheme).get(key) or {}

    def put(self, ref: str, value: Mapping[str, Any]) -> None:
        scheme, _, key = ref.partition(":")
        self._store(scheme).put(key, value)

    def version(self, ref: str) -> Any:
        """A stamp that changes when the secret may have (``None``: unknown, read it again)."""
        scheme, _, key = ref.partition(":")
        return self._store(scheme).version(key)

    def delete(self, ref: str) -> None:
        scheme, _, key = ref.partition(":")
        self._store(scheme).delete(key)


class ConnectionCredentials:
    """One connection's credentials, as the HTTP engine reads and refreshes them."""

    def __init__(self, secrets: Secrets, ref: str, lock_path: Path, secret_fields: tuple[str, ...] = ()):
        self._secrets = secrets
        self._secret_fields = secret_fields
        self._ref = ref
        self._lock = FileLock(lock_path)
        self._cache: dict[str, Any] | None = None
        self._version: Any = None

    def __repr__(self) -> str:
        return f"ConnectionCredentials({self._ref.partition(':')[0]})"

    def load(self) -> dict[str, Any]:
        # Kept while the store says nothing changed: another process may rotate a key at any
        # time, and a stat is far cheaper than the locked read of the whole store.
        # Read once into a local: threads share a session, and `locked` may drop the cache meanwhile.
        version, cache = self._secrets.version(self._ref), self._cache
        if cache is None or version is None or version != self._version:
            from ._redact import add_secret

            cache = self._secrets.get(self._ref)
            for name in self._secret_fields:
                add_secret(cache.get(name))
            self._cache, self._version = cache, version
        return dict(cache)

    def save(self, creds: Mapping[str, Any]) -> None:
        self._secrets.put(self._ref, creds)
        self._cache, self._version = dict(creds), None  # stat again on the next load: it may change before

    def locked(self) -> Any:
        self._cache = None  # whoever holds the lock must see what another process saved
        return self._lock
