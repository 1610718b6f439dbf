"""API keys for the endpoint: off unless configured, checked in constant time, never repeated.

Keys come from a file (one per line, `#` starts a comment line; setting `api_keys_file`, flag
`--api-keys-file`) and from the environment variable `MURMUR_API_KEYS` (comma-separated), both
read in the process that checks them (the ingress replica): keys never travel in Serve's config,
only the file's path does. The file is re-read when it changes, so a key is added or revoked
without a restart. `api_router` builds the router of the API's routes: with keys, each route checks
the key before anything else, the request's body included (`/healthz` and the page stay open).

Only SHA-256 digests of the keys are kept. A presented key is hashed and compared with every
digest by `hmac.compare_digest`, so the time a check takes says neither which key nor how many of
its characters matched (hashing first also hides the keys' lengths). Error messages name the file
and the line, never a key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response, Security
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPBearer

from murmur.core.errors import ConfigError
from murmur.serving.schema import ApiError

log = logging.getLogger(__name__)

ENV_VAR = "MURMUR_API_KEYS"
RELOAD_S = 1.0  # how often the key file is checked for changes, at most


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()


def _check_key(key: str, where: str) -> str:
    """A key as HTTP headers carry it: printable ASCII without spaces."""
    if not all("!" <= c <= "~" for c in key):
        raise ConfigError(
            f"{where} holds a key with a space, a control or a non-ASCII character: keys are "
            "printable ASCII without spaces (e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`)"
        )
    return key


def parse_key_file(text: str, path: str) -> list[str]:
    """The keys of a key file: one per line; blank lines and lines starting with `#` skipped."""
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            keys.append(_check_key(line, f"line {number} of the API key file {path}"))
    return keys


def parse_key_env(value: str) -> list[str]:
    """The keys of `MURMUR_API_KEYS`: comma-separated, blanks around them ignored."""
    return [_check_key(k.strip(), f"${ENV_VAR}") for k in value.split(",") if k.strip()]


def _read_key_file(path: str) -> tuple[list[str], tuple[int, int, int]]:
    """The file's keys and what identifies this version of it (inode, size, mtime)."""
    try:
        with open(path, encoding="utf-8") as f:
            stat = os.fstat(f.fileno())
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            f"the API key file {path} could not be read ({type(e).__name__}: "
            f"{getattr(e, 'strerror', None) or 'not UTF-8'}): write one key per line there, or "
            "leave api_keys_file unset to serve without keys"
        ) from None
    return parse_key_file(text, path), (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class ApiKeys:
    """The keys an endpoint accepts; `check` is safe to call on every request."""

    def __init__(self, path: str | None, env_keys: list[str], reload_s: float = RELOAD_S) -> None:
        self.path = path
        self.reload_s = reload_s
        self._env = [_digest(k) for k in env_keys]
        self._file: list[bytes] = []
        self._version: tuple[int, int, int] | None = None
        self._checked = time.monotonic()
        if path is not None:
            keys, self._version = _read_key_file(path)
            self._file = [_digest(k) for k in keys]
        if not self._env and not self._file:
            raise ConfigError(
                f"API keys are switched on (api_keys_file {path!r}, ${ENV_VAR}) but none was "
                f"found: add a key, or unset both to serve without keys"
            )

    @classmethod
    def load(cls, path: str | None, environ: dict[str, str] | None = None) -> ApiKeys | None:
        """The configured keys, or None where neither a file nor `MURMUR_API_KEYS` is set."""
        value = (os.environ if environ is None else environ).get(ENV_VAR, "")
        if path is None and not value.strip():
            return None
        return cls(path, parse_key_env(value))

    @property
    def count(self) -> int:
        return len(self._env) + len(self._file)

    def _reload(self) -> None:
        """Re-read the key file if it changed; a file that cannot be read keeps the last keys."""
        now = time.monotonic()
        if self.path is None or now - self._checked < self.reload_s:
            return
        self._checked = now
        try:
            stat = os.stat(self.path)
            if (stat.st_ino, stat.st_size, stat.st_mtime_ns) == self._version:
                return
            keys, self._version = _read_key_file(self.path)
        except (OSError, ConfigError) as e:
            message = e if isinstance(e, ConfigError) else f"{self.path}: {e.strerror}"
            log.warning("API keys not reloaded, the previous ones stay: %s", message)
            return
        self._file = [_digest(k) for k in keys]
        log.info("API keys reloaded from %s: %d keys", self.path, len(keys))

    def check(self, presented: str) -> bool:
        """Whether `presented` is one of the keys, in time that does not depend on which."""
        self._reload()
        digest = _digest(presented)
        found = False
        for known in self._env + self._file:  # every key compared: no early exit
            found |= hmac.compare_digest(digest, known)
        return found


# ---- the API's routes ---------------------------------------------------------------------------
def _presented_keys(request: Request) -> list[str]:
    """The keys a request carries: `Authorization: Bearer <key>` and `X-API-Key: <key>`."""
    keys = []
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        keys.append(credentials.strip())
    if request.headers.get("x-api-key", "").strip():
        keys.append(request.headers["x-api-key"].strip())
    return keys


def authorize(keys: ApiKeys, request: Request) -> None:
    """ApiError 401 unless the request carries a valid key; the message never repeats a key."""
    presented = _presented_keys(request)
    if not presented:
        message = (
            "this endpoint needs an API key: send `Authorization: Bearer <key>` "
            "(or `X-API-Key: <key>`)"
        )
    elif any([keys.check(k) for k in presented]):  # a list: every key sent is checked
        return
    else:
        message = "the API key sent is not valid: ask the endpoint's operator for one"
    raise ApiError(401, "authentication_error", message, headers={"WWW-Authenticate": "Bearer"})


def keyed_route_class(keys: ApiKeys) -> type[APIRoute]:
    """A route that checks the key before anything else, the request's body included."""

    class KeyedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def checked(request: Request) -> Response:
                authorize(keys, request)
                return await handler(request)

            return checked

    return KeyedRoute


def api_router(keys: ApiKeys | None) -> APIRouter:
    """The router for the API's routes: open without `keys`, each route keyed with them."""
    if keys is None:
        return APIRouter()
    # KeyedRoute enforces; the two schemes (never raising themselves) document it in
    # /openapi.json, so that clients and generated ones know to send a key.
    schemes = [
        Security(HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")),
        Security(APIKeyHeader(name="X-API-Key", auto_error=False, description="the key")),
    ]
    return APIRouter(route_class=keyed_route_class(keys), dependencies=schemes)
