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
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx

from murmur.core.errors import ConfigError, NetworkError, RateLimitError, SourceError

MAX_WAIT_ENV = "MURMUR_SOCIAL_MAX_WAIT_S"
DEFAULT_MAX_WAIT_S = 300.0
RETRIES = 3
TIMEOUT_S = 30.0
USER_AGENT = "murmur/0.1 (bot trainer; reads public posts)"


@dataclass
class Fetcher:
    """One handle's reads: the client, the bounds on waiting and the clock (tests replace it)."""

    handle: str
    network: str  # "Bluesky" or "Mastodon", for messages
    client: httpx.Client
    max_wait_s: float = DEFAULT_MAX_WAIT_S
    sleep: Callable[[float], None] = field(default=time.sleep)

    def get(
        self, url: str, params: dict[str, Any], *, follow_redirects: bool = False
    ) -> httpx.Response:
        """The answer to GET `url` (any status below 500 but 429; a redirect is an answer unless
        `follow_redirects`); errors in the module docstring."""
        waits = 0
        for attempt in range(RETRIES + 1):
            try:
                response = self.client.get(url, params=params, follow_redirects=follow_redirects)
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
