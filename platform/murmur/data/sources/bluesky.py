"""The Bluesky source: an account's posts from the public AppView, which needs no login.

`app.bsky.actor.getProfile` gives the display name, the avatar, the bio and the labels;
`app.bsky.feed.getAuthorFeed` (filter `posts_with_replies`) gives the posts, newest first, at
most 100 a page with a `cursor` (docs.bsky.app/docs/api/app-bsky-feed-get-author-feed). The
address is $MURMUR_BLUESKY_URL, by default the public AppView https://public.api.bsky.app.

What becomes a `Tweet` (huggingtweets' rules then apply, as to X's tweets):
- the account's own posts, replies and quotes included (a quote's text is the account's own);
- its reposts (`reason.$type == app.bsky.feed.defs#reasonRepost`), marked as retweets;
- nothing else: another author's post in the feed without a repost reason is skipped.
A post's links are removed first: a link's visible text is shortened (`example.com/pa...`), so
the bytes each `app.bsky.richtext.facet#link` facet covers (UTF-8 byte ranges) are cut out.
Mentions stay, as on X.

Consent (`murmur.data.consent`): the `!no-unauthenticated` label or `#nobot`/`#noai` in the bio
refuses the account. A missing, deactivated or taken-down account raises AccountNotFoundError;
rate limits and network failures are `web.Fetcher`'s.

Saved feeds (`--tweets DIR`, `<handle>.json`): one getAuthorFeed answer (`{"feed": [...]}`) or
a list of them (pages in order), as the API gives them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from murmur.core.errors import AccountNotFoundError, ArchiveError, OptedOutError, SourceError
from murmur.core.tweets import Account, Tweet
from murmur.data.consent import refuse_if_bio_opts_out
from murmur.data.sources.web import Fetcher, make_client, max_wait_s

URL_ENV = "MURMUR_BLUESKY_URL"
DEFAULT_URL = "https://public.api.bsky.app"
PAGE_LIMIT = 100  # getAuthorFeed's `limit` is 1..100
NO_UNAUTHENTICATED = "!no-unauthenticated"
REPOST = "app.bsky.feed.defs#reasonRepost"
LINK_FACET = "app.bsky.richtext.facet#link"
_GONE = {
    "AccountDeactivated": "is deactivated",
    "AccountTakedown": "was taken down",
    "BlockedActor": "is blocked",
}


def appview_url() -> str:
    """The AppView's address: $MURMUR_BLUESKY_URL or the public AppView."""
    return (os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")


def fetch_bluesky(
    handle: str,
    *,
    max_posts: int = 3200,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    wait_s: float | None = None,
) -> Account:
    """Read a Bluesky account's profile and its `max_posts` most recent posts and reposts.

    Raises AccountNotFoundError (missing, deactivated, taken down), OptedOutError (label or bio
    tag), RateLimitError, NetworkError or SourceError (an unexpected answer), each naming @handle.
    """
    own = client or make_client()
    fetch = Fetcher(handle, "Bluesky", own, max_wait_s(wait_s), sleep)
    try:
        profile = _profile(fetch)
        did = str(profile.get("did") or "")
        tweets = _posts(fetch, did, max_posts)
    finally:
        if client is None:
            own.close()
    return Account(
        handle=handle,
        tweets=tweets,
        display_name=profile.get("displayName") or None,
        avatar_url=profile.get("avatar") or None,
        source="bluesky",
        extra={"did": did, "bio": profile.get("description") or ""},
    )


def _profile(fetch: Fetcher) -> dict[str, Any]:
    url = f"{appview_url()}/xrpc/app.bsky.actor.getProfile"
    response = fetch.get(url, {"actor": fetch.handle})
    body = _json_or_empty(response)
    if response.status_code != 200:
        error, message = str(body.get("error", "")), str(body.get("message", ""))
        if error in _GONE:
            raise AccountNotFoundError(f"@{fetch.handle}: the Bluesky account {_GONE[error]}")
        if response.status_code in (400, 404) and ("not found" in message.lower() or not error):
            raise AccountNotFoundError(
                f"@{fetch.handle}: no such Bluesky account; check the handle (bsky.app/profile/...)"
            )
        raise SourceError(
            f"@{fetch.handle}: Bluesky answered {response.status_code} {error}: {message}"
        )
    labels = {
        str(label.get("val")) for label in body.get("labels") or [] if isinstance(label, dict)
    }
    if NO_UNAUTHENTICATED in labels:
        raise OptedOutError(
            f"@{fetch.handle} opted out (Bluesky label {NO_UNAUTHENTICATED}: no logged-out "
            "viewers): not read, not trained"
        )
    refuse_if_bio_opts_out(fetch.handle, "Bluesky", body.get("description"))
    return body


def _posts(fetch: Fetcher, did: str, max_posts: int) -> list[Tweet]:
    """Pages of the author feed until `max_posts` tweets, the last page or an empty one."""
    url = f"{appview_url()}/xrpc/app.bsky.feed.getAuthorFeed"
    tweets: dict[str, Tweet] = {}
    cursor: str | None = None
    while len(tweets) < max_posts:
        params: dict[str, Any] = {
            "actor": fetch.handle,
            "limit": min(PAGE_LIMIT, max_posts - len(tweets)),
            "filter": "posts_with_replies",
        }
        if cursor:
            params["cursor"] = cursor
        response = fetch.get(url, params)
        if response.status_code != 200:
            body = _json_or_empty(response)
            raise SourceError(
                f"@{fetch.handle}: Bluesky's author feed answered {response.status_code} "
                f"{body.get('error', '')}: {body.get('message', '')}"
            )
        page = fetch.json_of(response)
        for item in page.get("feed") or []:
            tweet = tweet_of_item(item, did, fetch.handle)
            if tweet is not None and len(tweets) < max_posts:
                tweets.setdefault(tweet.id, tweet)
        cursor = page.get("cursor")
        if not page.get("feed") or not cursor:
            break
    return list(tweets.values())


def tweet_of_item(item: dict[str, Any], did: str, handle: str) -> Tweet | None:
    """One feed item (`app.bsky.feed.defs#feedViewPost`) as a Tweet, or None when it is not the
    account's own post nor its repost."""
    post = item.get("post") or {}
    record = post.get("record") or {}
    reason = item.get("reason") or {}
    uri = str(post.get("uri", ""))
    if reason.get("$type") == REPOST:
        return Tweet(
            id=str(reason.get("uri") or f"{uri}#repost"),
            text=str(record.get("text", "")),
            created_at=reason.get("indexedAt") or post.get("indexedAt"),
            is_retweet=True,
        )
    author = post.get("author") or {}
    is_own = (did and author.get("did") == did) or author.get("handle") == handle
    if not uri or not is_own:
        return None
    return Tweet(
        id=uri,
        text=strip_link_facets(str(record.get("text", "")), record.get("facets")),
        created_at=record.get("createdAt") or post.get("indexedAt"),
        is_retweet=False,
    )


def strip_link_facets(text: str, facets: Any) -> str:
    """`text` without the UTF-8 byte ranges of its link facets (others kept; bad ranges ignored)."""
    data = text.encode("utf-8")
    ranges: list[tuple[int, int]] = []
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") or [] if isinstance(facet, dict) else []
        if not any(isinstance(f, dict) and f.get("$type") == LINK_FACET for f in features):
            continue
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(data):
            ranges.append((start, end))
    kept_until = len(data)
    for start, end in sorted(ranges, reverse=True):
        if end > kept_until:  # overlaps a range already cut
            continue
        data = data[:start] + data[end:]
        kept_until = start
    return data.decode("utf-8", errors="ignore")


def load_bluesky_file(path: Path, handle: str) -> Account:
    """A saved feed (module docstring) as an Account; ArchiveError when it is not one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ArchiveError(f"{path}: not a JSON file ({e})") from None
    pages = doc if isinstance(doc, list) else [doc]
    if not all(isinstance(p, dict) and isinstance(p.get("feed"), list) for p in pages):
        raise ArchiveError(
            f"{path}: not a saved Bluesky feed: expected getAuthorFeed answers, "
            '{"feed": [...]} or a list of them'
        )
    items = [item for page in pages for item in page["feed"] if isinstance(item, dict)]
    tweets: dict[str, Tweet] = {}
    for item in items:
        if (tweet := tweet_of_item(item, "", handle)) is not None:
            tweets.setdefault(tweet.id, tweet)
    author = next(
        (
            a
            for i in items
            if (a := (i.get("post") or {}).get("author") or {}).get("handle") == handle
        ),
        {},
    )
    return Account(
        handle=handle,
        tweets=list(tweets.values()),
        display_name=author.get("displayName") or None,
        avatar_url=author.get("avatar") or None,
        source="bluesky-file",
    )


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
