"""The Bluesky source: an account's posts from the public AppView, which needs no login.

`app.bsky.actor.getProfile` gives the display name, the avatar, the bio and the labels;
`app.bsky.feed.getAuthorFeed` (filter `posts_with_replies`) gives the posts, newest first, at
most 100 a page with a `cursor` (docs.bsky.app/docs/api/app-bsky-feed-get-author-feed). The
address is $MURMUR_BLUESKY_URL, by default the public AppView https://public.api.bsky.app.

An account is known by its DID, not its handle: a handle that no longer verifies shows as
`handle.invalid` in feeds (social-app#6338, #9090) while the DID stays. The handle is resolved to
its DID once (the profile's `did`); the feed is asked for by that DID and posts are matched by it.

What becomes a `Tweet` (huggingtweets' rules then apply, as to X's tweets):
- the account's own posts (author DID = the account's), replies and quotes included (a quote's
  text is the account's own);
- its reposts (`reason.$type == app.bsky.feed.defs#reasonRepost`), marked as retweets;
- nothing else: another author's post in the feed without a repost reason is skipped.
A post's links are removed first: the bytes of each link facet whose range holds its link are cut
out; other links are left to huggingtweets' URL rule (`facets`). Mentions stay, as on X.

Consent (`murmur.data.consent`): the `!no-unauthenticated` label or `#nobot`/`#noai` in the bio
refuses the account. A missing, deactivated or taken-down account raises AccountNotFoundError;
rate limits and network failures are `web.Fetcher`'s.

A refresh (`read_bluesky`) pages the author feed only until the first cached post, then asks
`app.bsky.feed.getPosts` for the cached posts' URIs, 25 a call: a URI it no longer gives is a
deleted post (docs.bsky.app/docs/api/app-bsky-feed-get-posts).

Saved feeds (`--tweets DIR`, `<handle>.json`): one getAuthorFeed answer (`{"feed": [...]}`) or
a list of them (pages in order), as the API gives them; the list may also hold the getProfile
answer (an object with `did` and no `feed`), whose consent signals are then checked. The
account's DID comes from that profile, else from the feed's own posts that are not reposts
(`feed_did`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from murmur.core.errors import AccountNotFoundError, ArchiveError, OptedOutError, SourceError
from murmur.core.tweets import Account, Tweet
from murmur.data.consent import refuse_if_bio_opts_out
from murmur.data.sources.delta import NewRead
from murmur.data.sources.facets import strip_link_facets
from murmur.data.sources.web import Fetcher, make_client, max_wait_s

log = logging.getLogger(__name__)
__all__ = [
    "feed_did",
    "fetch_bluesky",
    "load_bluesky_file",
    "read_bluesky",
    "strip_link_facets",
    "tweet_of_item",
]

URL_ENV = "MURMUR_BLUESKY_URL"
DEFAULT_URL = "https://public.api.bsky.app"
PAGE_LIMIT = 100  # getAuthorFeed's `limit` is 1..100
GET_POSTS_LIMIT = 25  # getPosts takes at most 25 `uris` (docs.bsky.app app-bsky-feed-get-posts)
NO_UNAUTHENTICATED = "!no-unauthenticated"
REPOST = "app.bsky.feed.defs#reasonRepost"
INVALID_HANDLE = "handle.invalid"  # what the AppView shows for a handle that does not verify
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
    return read_bluesky(
        handle, None, max_posts=max_posts, client=client, sleep=sleep, wait_s=wait_s
    ).account


def read_bluesky(
    handle: str,
    cached: Account | None,
    *,
    max_posts: int = 3200,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    wait_s: float | None = None,
) -> NewRead:
    """A refresh read: the profile (consent checked again) and the feed's items newer than the
    first cached one met (newest first), at most `max_posts`; then the cached posts' URIs asked
    of getPosts, `GET_POSTS_LIMIT` a call: a URI missing from the answer is a deleted post.
    Reposts are not checked (a repost record is not a post; the rules drop reposts anyway).
    With nothing cached, every post is read, as `fetch_bluesky`. Raises as `fetch_bluesky`."""
    own = client or make_client()
    fetch = Fetcher(handle, "Bluesky", own, max_wait_s(wait_s), sleep)
    cached_ids = [t.id for t in cached.tweets] if cached is not None else []
    known = set(cached_ids)
    try:
        profile = _profile(fetch)
        did = str(profile.get("did") or "")
        if not did.startswith("did:"):
            raise SourceError(f"@{handle}: Bluesky's profile gave no DID ({did!r}); try again")
        if profile.get("handle") == INVALID_HANDLE:
            log.warning(
                "@%s: Bluesky shows the handle as %s; posts matched by %s",
                handle,
                INVALID_HANDLE,
                did,
            )
        tweets = _posts(fetch, did, max_posts, known)
        checked = [i for i in cached_ids if is_post_uri(i)]
        deleted = _deleted(fetch, checked) if cached is not None else []
    finally:
        if client is None:
            own.close()
    account = Account(
        handle=handle,
        tweets=tweets,
        display_name=profile.get("displayName") or None,
        avatar_url=profile.get("avatar") or None,
        source="bluesky",
        extra={"did": did, "bio": profile.get("description") or ""},
    )
    calls = -(-len(checked) // GET_POSTS_LIMIT)
    how = f"checked (getPosts, {calls} calls)" if cached is not None else "nothing cached"
    return NewRead(account, deleted_ids=deleted, deletions=how, reads=fetch.requests)


def is_post_uri(uri: str) -> bool:
    """Whether a Tweet id is a Bluesky post's AT URI (`at://<did>/app.bsky.feed.post/<rkey>`),
    as opposed to a repost record's."""
    return uri.startswith("at://") and "/app.bsky.feed.post/" in uri


def _deleted(fetch: Fetcher, uris: list[str]) -> list[str]:
    """The `uris` that getPosts no longer gives (deleted posts), asked 25 a call."""
    url = f"{appview_url()}/xrpc/app.bsky.feed.getPosts"
    gone: list[str] = []
    for start in range(0, len(uris), GET_POSTS_LIMIT):
        batch = uris[start : start + GET_POSTS_LIMIT]
        response = fetch.get(url, {"uris": batch})
        if response.status_code != 200:
            body = _json_or_empty(response)
            raise SourceError(
                f"@{fetch.handle}: Bluesky's getPosts answered {response.status_code} "
                f"{body.get('error', '')}: {body.get('message', '')}"
            )
        page = fetch.json_of(response)
        found = {str(p.get("uri")) for p in page.get("posts") or [] if isinstance(p, dict)}
        gone += [u for u in batch if u not in found]
    return gone


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
    refuse_if_profile_opts_out(fetch.handle, body)
    return body


def refuse_if_profile_opts_out(handle: str, profile: dict[str, Any]) -> None:
    """OptedOutError for the `!no-unauthenticated` label or an opt-out tag in the bio."""
    labels = {
        str(label.get("val")) for label in profile.get("labels") or [] if isinstance(label, dict)
    }
    if NO_UNAUTHENTICATED in labels:
        raise OptedOutError(
            f"@{handle} opted out (Bluesky label {NO_UNAUTHENTICATED}: no logged-out "
            "viewers): not read, not trained"
        )
    refuse_if_bio_opts_out(handle, "Bluesky", profile.get("description"))


def _posts(fetch: Fetcher, did: str, max_posts: int, known: set[str]) -> list[Tweet]:
    """Pages of the author feed until `max_posts` tweets, the last page, an empty one, or the
    first item whose id is in `known` (the cached posts: what comes after it is older)."""
    url = f"{appview_url()}/xrpc/app.bsky.feed.getAuthorFeed"
    tweets: dict[str, Tweet] = {}
    cursor: str | None = None
    while len(tweets) < max_posts:
        params: dict[str, Any] = {
            "actor": did,  # resolved once: a handle may stop verifying, the DID stays
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
        reached = False
        for item in page.get("feed") or []:
            tweet = tweet_of_item(item, did)
            if tweet is not None and tweet.id in known:
                reached = True
                break
            if tweet is not None and len(tweets) < max_posts:
                tweets.setdefault(tweet.id, tweet)
        cursor = page.get("cursor")
        if reached or not page.get("feed") or not cursor:
            break
    return list(tweets.values())


def tweet_of_item(item: dict[str, Any], did: str) -> Tweet | None:
    """One feed item (`app.bsky.feed.defs#feedViewPost`) as a Tweet, or None when it is neither
    the own post of the account `did` nor a repost."""
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
    if not uri or not did or (post.get("author") or {}).get("did") != did:
        return None
    return Tweet(
        id=uri,
        text=strip_link_facets(str(record.get("text", "")), record.get("facets")),
        created_at=record.get("createdAt") or post.get("indexedAt"),
        is_retweet=False,
    )


def feed_did(items: list[dict[str, Any]], handle: str) -> str:
    """The DID of the account whose author feed `items` are: the author of its posts that are
    not reposts (an author feed holds only the account's own), the one shown with `handle` where
    several appear, else the most frequent; else the reposter (`reason.by`). "" when none."""
    authors: Counter[str] = Counter()
    named: set[str] = set()
    by: Counter[str] = Counter()
    for item in items:
        reason = item.get("reason") or {}
        if reason.get("$type") == REPOST:
            if isinstance(did := (reason.get("by") or {}).get("did"), str):
                by[did] += 1
            continue
        author = (item.get("post") or {}).get("author") or {}
        if isinstance(did := author.get("did"), str) and did.startswith("did:"):
            authors[did] += 1
            if author.get("handle") == handle:
                named.add(did)
    for counts in (Counter({d: authors[d] for d in named}), authors, by):
        if counts:
            return counts.most_common(1)[0][0]
    return ""


def load_bluesky_file(path: Path, handle: str) -> Account:
    """A saved feed (module docstring) as an Account; ArchiveError when it is not one,
    OptedOutError when its saved profile opts out."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ArchiveError(f"{path}: not a JSON file ({e})") from None
    parts = doc if isinstance(doc, list) else [doc]
    is_profile = [isinstance(p, dict) and "feed" not in p and "did" in p for p in parts]
    profiles = [p for p, yes in zip(parts, is_profile, strict=True) if yes]
    pages = [p for p, yes in zip(parts, is_profile, strict=True) if not yes]
    if not all(isinstance(p, dict) and isinstance(p.get("feed"), list) for p in pages):
        raise ArchiveError(
            f"{path}: not a saved Bluesky feed: expected getAuthorFeed answers, "
            '{"feed": [...]} or a list of them (and the getProfile answer)'
        )
    items = [item for page in pages for item in page["feed"] if isinstance(item, dict)]
    profile: dict[str, Any] = profiles[0] if profiles else {}
    if profile:
        refuse_if_profile_opts_out(handle, profile)
    did = str(profile.get("did") or "") or feed_did(items, handle)
    tweets: dict[str, Tweet] = {}
    for item in items:
        if (tweet := tweet_of_item(item, did)) is not None:
            tweets.setdefault(tweet.id, tweet)
    _note_skipped(handle, did, len(items), len(tweets))
    author = next(
        (a for i in items if (a := (i.get("post") or {}).get("author") or {}).get("did") == did),
        {},
    )
    return Account(
        handle=handle,
        tweets=list(tweets.values()),
        display_name=profile.get("displayName") or author.get("displayName") or None,
        avatar_url=profile.get("avatar") or author.get("avatar") or None,
        source="bluesky-file",
        extra={"did": did} if did else {},
    )


def _note_skipped(handle: str, did: str, items: int, kept: int) -> None:
    """One log line when a saved feed held posts of other accounts (or no DID was found)."""
    if kept < items:
        who = f"the account's DID {did}" if did else "no DID (no own post, no profile)"
        log.warning(
            "@%s: %d of %d feed items are not the account's (%s)", handle, items - kept, items, who
        )


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
