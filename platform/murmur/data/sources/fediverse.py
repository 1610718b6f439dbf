"""What a fediverse server is and what it said: NodeInfo, error bodies, the access token.

When a Mastodon API call fails, the one-line error names the server's software and its reason,
not just a status code (a Misskey server has no Mastodon API; a GoToSocial server may require
sign-in):

- the software comes from NodeInfo (nodeinfo.diaspora.software/protocol): the server's
  `/.well-known/nodeinfo` lists schema documents (`rel` .../ns/schema/2.0, 2.1, 2.2); the newest
  2.x one gives `software.name` and `software.version`. Any failure there leaves it unnamed;
- the reason comes from the error body: Mastodon, GoToSocial, Pleroma and Akkoma send
  `{"error": "...", "error_description": "..."}`, Misskey `{"error": {"code": ..., "message":
  ...}}`; else a short plain-text body.

Servers that require sign-in take `$MURMUR_MASTODON_TOKEN`: an access token of an account there
(its settings, Development, or the server's OAuth flow), sent as `Authorization: Bearer` to the
Mastodon API only (never to WebFinger or NodeInfo), over https only (plain http only to a loopback
address, as tests use). `host=TOKEN[,host=TOKEN...]` sends each token to its host alone; a bare
TOKEN goes to every instance read. Like X_BEARER_TOKEN it is a secret: it never enters a message,
a log line, the store or a job's settings (`murmur.data.sources.source_env` leaves it out).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from murmur.core.errors import SourceError
from murmur.core.handles import DOMAIN_RE
from murmur.data.sources.web import Fetcher

TOKEN_ENV = "MURMUR_MASTODON_TOKEN"
NODEINFO_SCHEMA = re.compile(r"^https?://nodeinfo\.diaspora\.software/ns/schema/2\.(\d+)$")
# NodeInfo `software.name`s of servers that serve Mastodon's client API (lookup, statuses).
MASTODON_API = frozenset(
    {"mastodon", "hometown", "glitchsoc", "gotosocial", "pleroma", "akkoma", "friendica",
     "pixelfed", "sharkey", "iceshrimp", "firefish", "mitra", "snac", "takahe"}
)  # fmt: skip
_SHOWN = {"gotosocial": "GoToSocial", "glitchsoc": "glitch-soc"}
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def mastodon_token(base: str, environ: dict[str, str] | None = None) -> str | None:
    """The access token to send to the API at `base` (`scheme://host[:port]`) from
    $MURMUR_MASTODON_TOKEN (module docstring), or None (unset, another host's, or plain http)."""
    raw = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    url = urlsplit(base)
    if not raw or not (url.scheme == "https" or url.hostname in _LOOPBACK):
        return None
    pairs = [p.strip().partition("=") for p in raw.split(",")]
    if not all(DOMAIN_RE.fullmatch(host) or host in _LOOPBACK for host, _, _ in pairs):
        return raw  # a bare token (tokens hold no dots; hosts do)
    wanted = url.netloc.lower()
    return next((t for h, _, t in pairs if h.lower() in (wanted, url.hostname)), None)


def token_headers(base: str) -> dict[str, str] | None:
    """`Authorization: Bearer <token>` for the API at `base`, or None without a token."""
    token = mastodon_token(base)
    return {"Authorization": f"Bearer {token}"} if token else None


def software_of(fetch: Fetcher, base: str) -> str | None:
    """`Name version` of the server at `base` from its NodeInfo (module docstring), else None."""
    try:
        index = json_object(fetch.get_following(f"{base}/.well-known/nodeinfo", {}))
        links = [link for link in (index or {}).get("links") or [] if isinstance(link, dict)]
        versions = [
            (int(m.group(1)), str(link.get("href") or ""))
            for link in links
            if (m := NODEINFO_SCHEMA.match(str(link.get("rel") or "")))
        ]
        if not versions:
            return None
        href = max(versions)[1]
        if urlsplit(href).scheme != "https" and not href.startswith(f"{base}/"):
            return None  # a document elsewhere over plain http is not read
        software = (json_object(fetch.get_following(href, {})) or {}).get("software") or {}
    except (SourceError, httpx.HTTPError, ValueError):
        return None
    name = str(software.get("name") or "").strip() if isinstance(software, dict) else ""
    if not re.fullmatch(r"[a-z0-9-]{1,40}", name):  # NodeInfo 2.x: lower-case letters, digits, -
        return None
    shown = _SHOWN.get(name, name.capitalize())
    version = (str(software.get("version") or "").split() or [""])[0][:40]  # "0.17.3 git-1a2b"
    return f"{shown} {version}".strip()


def has_mastodon_api(software: str | None) -> bool:
    """Whether NodeInfo's software (as `software_of` gives it) serves Mastodon's client API;
    True when it is not known (the lookup's own answer then speaks)."""
    if software is None:
        return True
    name = software.split(" ", 1)[0].lower().replace("-", "")
    return name in MASTODON_API


def server_reason(response: httpx.Response) -> str:
    """What an error answer says, in one short line: its status and the body's reason."""
    reason = ""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # Misskey: {"error": {"code", "message", "id", ...}}
            reason = " ".join(str(error.get(k) or "") for k in ("code", "message")).strip()
        elif error:
            reason = str(error)
            if body.get("error_description"):
                reason += f" ({body['error_description']})"
        else:
            reason = str(body.get("message") or "")
    elif body is None and response.text and "<" not in response.text[:200]:
        reason = response.text.strip().splitlines()[0]
    reason = " ".join(reason.split())
    if len(reason) > 160:
        reason = reason[:157] + "..."
    return f"{response.status_code} {reason}".strip()


def json_object(response: httpx.Response) -> dict[str, Any] | None:
    """A 200 answer's JSON object, or None."""
    if response.status_code != 200:
        return None
    try:
        doc = response.json()
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None
