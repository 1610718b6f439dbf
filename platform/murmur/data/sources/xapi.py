"""The X API v2 source: an account's most recent tweets through tweepy.

The user timeline gives at most the 3,200 most recent tweets, 100 per page. Every failure
becomes one `SourceError` for this handle, so a many-handle run records it and goes on. The client
(`xclient`) waits out rate limits within bounds (at most 900 s a wait, 3 waits a request; env
MURMUR_X_MAX_WAIT_S, MURMUR_X_MAX_RETRIES), then fails the handle with `RateLimitError` giving the
reset time; a spent monthly usage cap fails it at once with `UsageCapError`; 5xx answers are
retried 3 times with backoff before `SourceError`.

Consent: `#nobot`/`#noai` in the account's bio (`description`) refuses it (OptedOutError).

A refresh (`read_x`) reads only the tweets newer than the newest cached one: the timeline's
`since_id` (docs.x.com, GET /2/users/:id/tweets), paged until done. X shows no deletions: a
deleted tweet is simply absent, which a read of new tweets cannot tell from an old one.

The bearer token is a secret. It never enters a message, a log line or an exception chain:
tweepy's own DEBUG log prints the request headers, so a filter masks the token while tweepy runs,
and errors are raised outside the `except` block so they do not carry tweepy's response, whose
request holds the `Authorization` header.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import requests
import tweepy

from murmur.core.errors import (
    AccountNotFoundError,
    AuthError,
    ConfigError,
    RateLimitError,
    SourceError,
    UsageCapError,
)
from murmur.core.handles import normalize_handle
from murmur.core.tweets import Account, Tweet
from murmur.data.consent import refuse_if_bio_opts_out
from murmur.data.sources.delta import NewRead, newest_id
from murmur.data.sources.jsonl import v2_tweet
from murmur.data.sources.xclient import (
    MAX_RETRIES_ENV,
    MAX_WAIT_ENV,
    TIMEOUT_S,
    BoundedClient,
    RateLimited,
    RateLimits,
    UsageCapped,
)

log = logging.getLogger(__name__)

TOKEN_ENV = "X_BEARER_TOKEN"
API_MAX_TWEETS = 3200  # the v2 user timeline stops at the 3,200 most recent tweets
PAGE_SIZE = 100  # max_results must be within 5..100
__all__ = [
    "TIMEOUT_S",
    "TOKEN_ENV",
    "RateLimitError",
    "UsageCapError",
    "fetch_account",
    "make_client",
    "read_x",
]
USER_FIELDS = ["name", "profile_image_url", "protected", "description"]
NO_DELETIONS = "X cannot show deletions"
# note_tweet: the full text of tweets over 280 characters (`text` is cut short).
TWEET_FIELDS = ["created_at", "referenced_tweets", "note_tweet"]


def fetch_account(
    handle: str,
    *,
    bearer_token: str | None = None,
    max_tweets: int = API_MAX_TWEETS,
    client: tweepy.Client | None = None,
    max_wait_s: float | None = None,
    max_retries: int | None = None,
    since_id: str | None = None,
) -> Account:
    """Read an account's profile and its `max_tweets` most recent tweets from the X API v2
    (with `since_id`, only those newer than that tweet).

    The token comes from `bearer_token` or `$X_BEARER_TOKEN` (unless `client` is given);
    `max_wait_s`/`max_retries` bound rate-limit waits (`make_client`). Raises AuthError (no or
    refused token), AccountNotFoundError (missing, suspended or protected account),
    OptedOutError (`#nobot`/`#noai` in the bio), UsageCapError (monthly cap spent),
    RateLimitError (limit outlasting the waits allowed) or SourceError (network failure, X
    server error after retries), each naming the handle.
    """
    handle = normalize_handle(handle)
    if max_tweets < 1:
        raise ConfigError(f"max_tweets={max_tweets}: give at least 1 (the API keeps 3,200 at most)")
    if client is None:
        client = make_client(bearer_token, max_wait_s=max_wait_s, max_retries=max_retries)
    try:
        with _token_masked(client.bearer_token):
            return _fetch(client, handle, max_tweets, since_id)
    except (tweepy.TweepyException, requests.RequestException) as exc:
        error = _translate(handle, exc, client.bearer_token)
    raise error  # outside `except`: no __context__ holding the request and its token


def read_x(handle: str, cached: Account | None, *, max_posts: int = API_MAX_TWEETS) -> NewRead:
    """A refresh read of an X account: its profile (consent checked again) and the tweets newer
    than the newest cached one (`since_id`), at most `max_posts`; everything when nothing is
    cached. Deletions cannot be seen (module docstring). Raises as `fetch_account`."""
    client = make_client()
    since = newest_id(cached.tweets) if cached is not None else None
    account = fetch_account(handle, client=client, max_tweets=max_posts, since_id=since)
    return NewRead(account, deleted_ids=[], deletions=NO_DELETIONS, reads=client.requests)


def make_client(
    bearer_token: str | None = None,
    *,
    max_wait_s: float | None = None,
    max_retries: int | None = None,
    sleep: Callable[[float], None] | None = None,
) -> BoundedClient:
    """A tweepy client that times out stalled connections, retries 5xx answers and waits out
    rate limits at most `max_wait_s` seconds a wait, `max_retries` waits a request (defaults 900
    and 3, or $MURMUR_X_MAX_WAIT_S / $MURMUR_X_MAX_RETRIES). `sleep` defaults to time.sleep.

    Raises AuthError without a token, ConfigError for a bound that is not a number >= 0.
    """
    limits = RateLimits.resolve(max_wait_s, max_retries)
    token = (bearer_token or os.environ.get(TOKEN_ENV) or "").strip()
    if not token:
        raise AuthError(
            f"no X API bearer token: set the environment variable {TOKEN_ENV} to your app's "
            "bearer token (developer.x.com, your app, 'Keys and tokens'), or read tweets from "
            "files with --tweets DIR"
        )
    return BoundedClient(token, limits=limits, sleep=sleep)


def _fetch(client: tweepy.Client, handle: str, max_tweets: int, since_id: str | None) -> Account:
    found = client.get_user(username=handle, user_fields=USER_FIELDS)
    if found.data is None:
        _raise_for_errors(handle, found.errors)
    user = found.data
    if user.protected:
        _raise_protected(handle)
    refuse_if_bio_opts_out(handle, "X", user.description)

    tweets: list[Tweet] = []
    since = {"since_id": since_id} if since_id else {}
    pages = tweepy.Paginator(
        client.get_users_tweets,
        user.id,
        max_results=max(5, min(PAGE_SIZE, max_tweets)),
        tweet_fields=TWEET_FIELDS,
        **since,
    )
    for page in pages:  # stops by itself after a page without meta.next_token
        if page.data is None and page.errors:
            _raise_for_errors(handle, page.errors)
        tweets.extend(v2_tweet(t.data, f"@{handle} timeline") for t in page.data or [])
        log.info("%s: fetched %d tweets so far", handle, min(len(tweets), max_tweets))
        if len(tweets) >= max_tweets:
            break
    return Account(
        handle,
        tweets=tweets[:max_tweets],
        display_name=user.name,
        avatar_url=user.profile_image_url,
        source="x-api",
    )


def _raise_for_errors(handle: str, errors: list[dict[str, Any]]) -> NoReturn:
    """v2 answers 200 with an `errors` array (and no `data`) for an unreadable account."""
    for error in errors:
        kind = str(error.get("type", ""))
        detail = str(error.get("detail") or error.get("title") or kind)
        if "suspended" in detail.lower():
            raise AccountNotFoundError(
                f"@{handle} is suspended on X ({detail}): its tweets cannot be read; "
                "remove it from the handles"
            )
        if kind.endswith("/not-authorized-for-resource"):
            _raise_protected(handle)
        if kind.endswith("/resource-not-found"):
            raise AccountNotFoundError(
                f"@{handle} does not exist on X ({detail}): check the spelling of the handle"
            )
    summary = "; ".join(str(e.get("detail") or e.get("title") or e) for e in errors)
    raise SourceError(f"the X API could not read @{handle}: {summary or 'no data and no error'}")


def _raise_protected(handle: str) -> NoReturn:
    raise AccountNotFoundError(
        f"@{handle} is protected: only its approved followers can read its tweets, not an app "
        "token; use the account's archive export instead (--tweets DIR)"
    )


def _translate(handle: str, exc: Exception, token: str | None) -> SourceError:
    """Tweepy's and requests' exceptions as murmur's, with the reason and the fix."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if token:
        reason = reason.replace(token, "***")
    if isinstance(exc, UsageCapped):
        return UsageCapError(
            f"the X API's monthly usage cap is exhausted; @{handle} was not read ({reason}): "
            "no read succeeds until the cap resets with the project's next billing month; raise "
            "the cap (developer.x.com, your project's plan) or read archives with --tweets DIR"
        )
    if isinstance(exc, RateLimited):
        reset = f"it resets at {exc.reset_iso} (UTC)" if exc.reset_iso else "X gave no reset time"
        return RateLimitError(
            f"the X API's rate limit stopped reading @{handle}: {reason}; {reset}; run again "
            f"then, or allow longer waits with {MAX_WAIT_ENV} and {MAX_RETRIES_ENV}"
        )
    if isinstance(exc, tweepy.Unauthorized):
        return AuthError(
            f"the X API refused the bearer token while reading @{handle} ({reason}): "
            f"set {TOKEN_ENV} to a valid bearer token of your app"
        )
    if isinstance(exc, tweepy.Forbidden):
        return AuthError(
            f"the X API forbade this bearer token to read @{handle} ({reason}): its app needs "
            "v2 access to user lookup and timelines (check its project and access level)"
        )
    if isinstance(exc, tweepy.NotFound):
        return AccountNotFoundError(f"@{handle} was not found by the X API ({reason})")
    if isinstance(exc, tweepy.TwitterServerError):
        return SourceError(
            f"the X API failed on its side for @{handle} ({reason}): try again later"
        )
    if isinstance(exc, requests.Timeout):
        return SourceError(f"the X API did not answer in time for @{handle} ({reason}): try again")
    if isinstance(exc, requests.ConnectionError):
        return SourceError(
            f"could not reach the X API for @{handle} ({reason}): check the network connection"
        )
    return SourceError(f"reading @{handle} from the X API failed ({reason})")


class _MaskToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "***"), None
        return True


@contextmanager
def _token_masked(token: str | None) -> Iterator[None]:
    """Masks the token in tweepy's DEBUG lines ("Headers: {... 'Bearer <token>'}")."""
    if not token:
        yield
        return
    tweepy_log = logging.getLogger("tweepy.client")
    mask = _MaskToken(token)
    tweepy_log.addFilter(mask)
    try:
        yield
    finally:
        tweepy_log.removeFilter(mask)
