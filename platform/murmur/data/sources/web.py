"""GET JSON from the keyless public APIs (Bluesky's AppView, Mastodon instances) through httpx,
with bounded waits: every failure becomes one `SourceError` naming the handle.

- A connection failure, a timeout or a 5xx answer is retried `RETRIES` times (1 s, then 2 s
  apart), then raises NetworkError.
- A 429 answer is waited out when its reset is at most `max_wait_s` away (default 300 s, the
  length of Mastodon's window of 300 requests per 5 minutes; env MURMUR_SOCIAL_MAX_WAIT_S), at
  most `RETRIES` times a request; otherwise RateLimitError gives the reset time (UTC). The reset
  comes from `RateLimit-Reset` (Bluesky: Unix seconds), `X-RateLimit-Reset` (Mastodon: ISO 8601)
  or `Retry-After` (seconds).
- Other 4xx answers are returned: what they mean (a missing account…) is the source's to say.
- Redirects are answers too, unless `get_following` follows them: https only, at most
  `MAX_REDIRECTS` (a redirect to plain http or past the bound is a SourceError), since what
  they lead to (WebFinger's, NodeInfo's) decides which host murmur reads next.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from murmur.core.errors import ConfigError, NetworkError, RateLimitError, SourceError

# Another address for the X API (a stand-in, a proxy; unset: X's own). Here, not in xclient,
# so that a job hands it to its tasks without importing tweepy (an optional dependency).
X_URL_ENV = "MURMUR_X_URL"
MAX_WAIT_ENV = "MURMUR_SOCIAL_MAX_WAIT_S"
DEFAULT_MAX_WAIT_S = 300.0
RETRIES = 3
TIMEOUT_S = 30.0
USER_AGENT = "murmur/0.1 (bot trainer; reads public posts)"
MAX_REDIRECTS = 5  # as a browser bounds them; WebFinger's RFC 7033 section 4.2 allows redirects


@dataclass
class Fetcher:
    """One handle's reads: the client, the bounds on waiting and the clock (tests replace it)."""

    handle: str
    network: str  # "Bluesky" or "Mastodon", for messages
    client: httpx.Client
    max_wait_s: float = DEFAULT_MAX_WAIT_S
    sleep: Callable[[float], None] = field(default=time.sleep)
    requests: int = 0  # requests sent so far, retries included (a refresh reports them)

    def get(
        self, url: str, params: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """The answer to GET `url` (any status below 500 but 429; a redirect is an answer);
        errors in the module docstring. `headers` are sent with this request only."""
        waits = 0
        for attempt in range(RETRIES + 1):
            self.requests += 1
            try:
                response = self.client.get(url, params=params, headers=headers)
            except httpx.TransportError as e:
                if attempt == RETRIES:
                    raise NetworkError(
                        f"@{self.handle}: {self.network} did not answer ({type(e).__name__}: "
                        f"{e}); check the network and try again"
                    ) from None
                self.sleep(2.0**attempt)
                continue
            if response.status_code == 429:
                wait = _reset_in(response.headers)
                if wait > self.max_wait_s or waits >= RETRIES:
                    raise RateLimitError(
                        f"@{self.handle}: {self.network} rate limit: resets at "
                        f"{_utc(time.time() + wait)} UTC; try again then"
                    )
                waits += 1
                self.sleep(wait)
                continue
            if response.status_code >= 500:
                if attempt == RETRIES:
                    raise NetworkError(
                        f"@{self.handle}: {self.network} server error {response.status_code} "
                        f"after {RETRIES} retries; try again later"
                    )
                self.sleep(2.0**attempt)
                continue
            return response
        raise RateLimitError(f"@{self.handle}: {self.network} rate limit outlasted {RETRIES} waits")

    def get_following(self, url: str, params: dict[str, Any]) -> httpx.Response:
        """The answer to GET `url` after its redirects, each to https, at most MAX_REDIRECTS;
        SourceError for one to another scheme or past the bound (module docstring)."""
        response = self.get(url, params)
        for _ in range(MAX_REDIRECTS):
            if not response.is_redirect:
                return response
            target = urljoin(str(response.url), response.headers.get("location", ""))
            if urlsplit(target).scheme != "https":
                raise SourceError(
                    f"@{self.handle}: {response.url.host} redirects to {target[:120]}, not "
                    "https: murmur follows https redirects only; ask the server's admin"
                )
            response = self.get(target, {})
        if response.is_redirect:
            raise SourceError(
                f"@{self.handle}: {url} redirects more than {MAX_REDIRECTS} times; ask the "
                "server's admin"
            )
        return response

    def json_of(self, response: httpx.Response) -> Any:
        """A 2xx answer's body as JSON; SourceError when it is not JSON."""
        try:
            return response.json()
        except ValueError:
            raise SourceError(
                f"@{self.handle}: {self.network} answered {response.status_code} with a body "
                f"that is not JSON ({response.request.url}); check the address"
            ) from None


def max_wait_s(value: float | None = None) -> float:
    """The bound on one rate-limit wait: `value`, or $MURMUR_SOCIAL_MAX_WAIT_S, or 300 s."""
    raw = value if value is not None else os.environ.get(MAX_WAIT_ENV, DEFAULT_MAX_WAIT_S)
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigError(f"{MAX_WAIT_ENV}={raw!r}: give seconds, such as 300") from None
    if seconds < 0:
        raise ConfigError(f"{MAX_WAIT_ENV}={raw!r}: give seconds >= 0")
    return seconds


def make_client() -> httpx.Client:
    """An httpx client with murmur's timeout and user agent."""
    return httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT})


def _reset_in(headers: httpx.Headers) -> float:
    """Seconds until a 429's limit resets (at least 1); 60 when the answer does not say."""
    now = time.time()
    for name in ("ratelimit-reset", "x-ratelimit-reset"):
        if (raw := headers.get(name)) is None:
            continue
        try:
            reset = float(raw)
        except ValueError:
            try:
                reset = datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
        return max(1.0, reset - now)
    try:
        return max(1.0, float(headers.get("retry-after", "60")))
    except ValueError:
        return 60.0


def _utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
