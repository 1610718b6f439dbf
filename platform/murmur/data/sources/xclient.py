"""The tweepy client murmur reads the X API with: timeouts, bounded waits, the monthly cap.

$MURMUR_X_URL, when set, is the address every request goes to instead of X's (a stand-in for
tests and for jobs whose tasks run in other processes, or a proxy).

tweepy's own `wait_on_rate_limit` waits as long as X says and retries without end; a 429 without
`x-rate-limit-reset` makes it call itself until RecursionError. So this client turns it off and
decides itself what to do on a 429 (`TooManyRequests`):

- Body with problem type `UsageCapExceeded` (`.../2/problems/usage-capped`): the project's
  monthly read cap is spent, whatever `x-rate-limit-remaining` says. No wait can help: it fails at
  once (`UsageCapped`).
- Otherwise a rate limit: wait until `x-rate-limit-reset` (+1 s, the header is in whole seconds),
  at most `max_wait_s` per wait (default 900 s, X's 15-minute window; env MURMUR_X_MAX_WAIT_S)
  and `max_retries` times (default 3; env MURMUR_X_MAX_RETRIES). A reset farther away than
  `max_wait_s`, or one more 429 after the last retry, fails (`RateLimited`, with the reset time).
  Without a reset header it waits 60 s, 120 s, 240 s, … (capped at `max_wait_s`).

5xx answers are retried by urllib3's `Retry` on the requests session tweepy uses: 3 retries of a
GET, backoff 0 s, 4 s, 8 s (`backoff_factor` 2, urllib3's formula); the last answer then goes to
tweepy, which raises `TwitterServerError`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import requests
import tweepy
from pydantic import BaseModel, Field, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from murmur.core.errors import ConfigError
from murmur.data.sources.web import X_URL_ENV

log = logging.getLogger(__name__)

MAX_WAIT_ENV = "MURMUR_X_MAX_WAIT_S"
MAX_RETRIES_ENV = "MURMUR_X_MAX_RETRIES"
URL_ENV = X_URL_ENV  # another address for the X API (a stand-in, a proxy); unset: X's own
API_HOST = "https://api.twitter.com"  # where tweepy sends every v2 request
# (connect, read) seconds: tweepy sets no timeout, so a stalled socket would hang forever.
TIMEOUT_S = (10.0, 60.0)
NO_RESET_WAIT_S = 60.0  # first wait on a 429 without x-rate-limit-reset; doubles each retry
SERVER_RETRIES = 3
SERVER_BACKOFF_FACTOR = 2.0  # urllib3 sleeps 0, factor*2, factor*4 s before the 3 retries
SERVER_ERRORS = frozenset(range(500, 600))


class RateLimits(BaseModel):
    """How long murmur waits out X's rate limits before failing a handle."""

    max_wait_s: float = Field(900.0, ge=0)
    """Longest single wait, seconds (X's rate-limit window is 15 minutes)."""
    max_retries: int = Field(3, ge=0)
    """Waits (each followed by a retry) per request before the handle fails."""

    @classmethod
    def resolve(cls, max_wait_s: float | None = None, max_retries: int | None = None) -> RateLimits:
        """Arguments first, then $MURMUR_X_MAX_WAIT_S / $MURMUR_X_MAX_RETRIES, then defaults.

        Raises ConfigError naming the variable or argument whose value is not a number >= 0.
        """
        values: dict[str, Any] = {}
        names: dict[str, str] = {}
        for field, arg, env in (
            ("max_wait_s", max_wait_s, MAX_WAIT_ENV),
            ("max_retries", max_retries, MAX_RETRIES_ENV),
        ):
            raw = os.environ.get(env, "").strip()
            if arg is not None:
                values[field], names[field] = arg, field
            elif raw:
                values[field], names[field] = raw, env
        try:
            return cls(**values)
        except ValidationError as e:
            field = str(e.errors()[0]["loc"][0])
            unit = "seconds" if field == "max_wait_s" else "a whole number of retries"
            raise ConfigError(f"{names[field]}={values[field]!r}: give {unit}, 0 or more") from None


class UsageCapped(tweepy.TweepyException):
    """The X API's monthly usage cap is spent (429 `UsageCapExceeded`)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RateLimited(tweepy.TweepyException):
    """Still rate-limited after the waits allowed; `reset` is X's reset time (unix s) or None."""

    def __init__(self, reason: str, reset: int | None) -> None:
        super().__init__(reason)
        self.reason, self.reset = reason, reset

    @property
    def reset_iso(self) -> str | None:
        """The reset time as ISO 8601 UTC, e.g. `2025-03-01T12:15:00Z`."""
        if self.reset is None:
            return None
        return datetime.fromtimestamp(self.reset, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def server_retry() -> Retry:
    """urllib3's retry of 5xx answers to a GET (3 times, backoff 0, 4, 8 s); connection errors
    and read timeouts are not retried (requests' default), 429s are left to `BoundedClient`."""
    return Retry(
        total=SERVER_RETRIES,
        connect=0,
        read=False,
        status=SERVER_RETRIES,
        status_forcelist=SERVER_ERRORS,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=SERVER_BACKOFF_FACTOR,
        respect_retry_after_header=False,  # an unbounded wait; the backoff above is bounded
        raise_on_status=False,  # the last 5xx answer reaches tweepy: TwitterServerError
    )


class BoundedClient(tweepy.Client):
    """A tweepy client (bearer token) with timeouts, bounded rate-limit waits and 5xx retries.

    `sleep` (seconds -> None) defaults to `time.sleep`, looked up at each wait so that tests can
    patch it. Raises, from any request, UsageCapped or RateLimited (module docstring).
    """

    def __init__(
        self,
        bearer_token: str,
        *,
        limits: RateLimits | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(bearer_token=bearer_token, wait_on_rate_limit=False)
        self.limits = limits or RateLimits.resolve()
        self._sleep = sleep
        self.requests = 0  # requests sent so far, 429 retries included (a refresh reports them)
        adapter = _TimeoutAdapter(max_retries=server_retry())
        adapter.base = (os.environ.get(URL_ENV) or "").rstrip("/") or None
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def request(  # type: ignore[no-untyped-def]
        self, method, route, params=None, json=None, user_auth=False
    ) -> requests.Response:
        """tweepy's request, with 429s handled as the module docstring says."""
        waits = 0
        while True:
            self.requests += 1
            try:
                return super().request(method, route, params, json, user_auth)
            except tweepy.TooManyRequests as exc:
                capped, detail, reset = _read_429(exc)
            if capped:  # raised outside `except`: no chain to the response and its token
                raise UsageCapped(detail)
            wait_s = self._wait_s(reset, waits)
            waits += 1
            log.warning(
                "X API rate limit reached (%s); waiting %.0f s, retry %d of %d",
                detail,
                wait_s,
                waits,
                self.limits.max_retries,
            )
            (self._sleep or time.sleep)(wait_s)

    def _wait_s(self, reset: int | None, waits: int) -> float:
        """Seconds to wait before the next try; RateLimited when no further wait is allowed."""
        limits = self.limits
        if waits >= limits.max_retries:
            raise RateLimited(
                f"still rate-limited after {waits} waits ({MAX_RETRIES_ENV}={limits.max_retries})",
                reset,
            )
        if reset is None:
            return min(NO_RESET_WAIT_S * 2**waits, limits.max_wait_s)
        needed = reset - time.time()
        if needed > limits.max_wait_s:
            raise RateLimited(
                f"the limit resets in {needed:.0f} s, longer than the {limits.max_wait_s:.0f} s "
                f"murmur waits ({MAX_WAIT_ENV})",
                reset,
            )
        return max(needed, 0.0) + 1.0


def _read_429(exc: tweepy.TooManyRequests) -> tuple[bool, str, int | None]:
    """(usage cap spent?, X's detail, x-rate-limit-reset) of a 429 answer."""
    try:
        body = exc.response.json()
    except ValueError:
        body = None
    problems = [body] if isinstance(body, dict) else []
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        problems += [e for e in body["errors"] if isinstance(e, dict)]
    capped = any(
        p.get("title") == "UsageCapExceeded" or str(p.get("type", "")).endswith("/usage-capped")
        for p in problems
    )
    detail = next(
        (
            str(p.get("detail") or p.get("title"))
            for p in problems
            if p.get("detail") or p.get("title")
        ),
        f"{exc.response.status_code} {exc.response.reason}",
    )
    return capped, " ".join(detail.split()), exc.reset_time


class _TimeoutAdapter(HTTPAdapter):
    """Gives every request a timeout: tweepy passes none. With `base` ($MURMUR_X_URL), sends
    tweepy's requests there instead of X's address (tweepy has it written in; the bearer token
    goes along: set it only to a server of yours)."""

    base: str | None = None

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        timeout = TIMEOUT_S if timeout is None else timeout
        if self.base and request.url and request.url.startswith(API_HOST + "/"):
            request.url = self.base + request.url[len(API_HOST) :]
        return super().send(
            request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )
