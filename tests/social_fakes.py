"""Stand-ins for Bluesky's AppView and a Mastodon instance, for respx (mocked httpx) or served
for real on 127.0.0.1 (`local_server`, for code that runs in other processes, as a job's tasks).

Shaped like the real answers (docs.bsky.app getProfile/getAuthorFeed; docs.joinmastodon.org
accounts/lookup and accounts/:id/statuses), with their paging: Bluesky's `cursor` (limit <= 100),
Mastodon's `max_id` and `Link: <...max_id=...>; rel="next"` (limit <= 40).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import requests
import responses
import respx

BSKY = "https://appview.test"
X_API = "https://api.twitter.com/2"  # tweepy's address: X's stand-in mocks requests (responses)
X_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)  # x_tweet(n) was posted n minutes after
MASTO = "https://mastodon.test"
WORDS = [
    "garden",
    "weather",
    "coffee",
    "train",
    "music",
    "river",
    "morning",
    "friends",
    "bread",
    "walk",
    "book",
    "city",
]


def sentence(i: int) -> str:
    """A post of ordinary words (never short), different for each i."""
    words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(8)]
    return f"Day {i}: " + " ".join(words) + "."


def bsky_post(handle: str, did: str, i: int, text: str | None = None, **record: Any) -> dict:
    """A feedViewPost of the account's own post number i."""
    return {
        "post": {
            "uri": f"at://{did}/app.bsky.feed.post/{i:06d}",
            "cid": f"cid{i}",
            "author": {"did": did, "handle": handle, "displayName": "Alice A."},
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text if text is not None else sentence(i),
                "createdAt": f"2025-01-01T00:{i % 60:02d}:00.000Z",
                **record,
            },
            "indexedAt": "2025-01-01T00:00:00.000Z",
            "labels": [],
        }
    }


def bsky_repost(did: str, i: int) -> dict:
    """A feedViewPost of someone else's post, reposted by `did`."""
    item = bsky_post("other.bsky.social", "did:plc:other", 900_000 + i)
    item["reason"] = {
        "$type": "app.bsky.feed.defs#reasonRepost",
        "by": {"did": did, "handle": "alice.bsky.social"},
        "indexedAt": "2025-01-02T00:00:00.000Z",
    }
    return item


@dataclass
class FakeBluesky:
    """The AppView: profiles by handle, each with its feed items (newest first)."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    feeds: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    feed_limits: list[int] = field(default_factory=list)

    def add(self, handle: str, items: list[dict[str, Any]], **profile: Any) -> None:
        self.profiles[handle] = {
            "did": f"did:plc:{handle.split('.')[0]}",
            "handle": handle,
            "displayName": "Alice A.",
            "avatar": f"https://cdn.test/{handle}.jpg",
            "description": "I post about gardens.",
            "labels": [],
            **profile,
        }
        self.feeds[handle] = items

    def install(self, router: respx.Router) -> None:
        router.get(f"{BSKY}/xrpc/app.bsky.actor.getProfile").mock(side_effect=self._profile)
        router.get(f"{BSKY}/xrpc/app.bsky.feed.getAuthorFeed").mock(side_effect=self._feed)

    def install_get_posts(self, router: respx.Router) -> respx.Route:
        """getPosts (a refresh's deletion check), as its own route so that its calls count."""
        return router.get(f"{BSKY}/xrpc/app.bsky.feed.getPosts").mock(side_effect=self._get_posts)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Any request to the AppView (for `local_server`)."""
        if request.url.path == "/xrpc/app.bsky.actor.getProfile":
            return self._profile(request)
        if request.url.path == "/xrpc/app.bsky.feed.getAuthorFeed":
            return self._feed(request)
        if request.url.path == "/xrpc/app.bsky.feed.getPosts":
            return self._get_posts(request)
        return httpx.Response(404, json={"error": "MethodNotImplemented"})

    def _get_posts(self, request: httpx.Request) -> httpx.Response:
        """The postViews of the URIs asked (at most 25) that some feed still holds; a deleted
        post (removed from its feed) is left out of the answer, as the AppView does."""
        uris = request.url.params.get_list("uris")
        assert 1 <= len(uris) <= 25, len(uris)
        posts = {i["post"]["uri"]: i["post"] for f in self.feeds.values() for i in f}
        return httpx.Response(200, json={"posts": [posts[u] for u in uris if u in posts]})

    def _profile(self, request: httpx.Request) -> httpx.Response:
        actor = request.url.params["actor"]
        if actor in self.errors:
            status, body = self.errors[actor]
            return httpx.Response(status, json=body)
        if actor not in self.profiles:
            return httpx.Response(
                400, json={"error": "InvalidRequest", "message": "Profile not found"}
            )
        return httpx.Response(200, json=self.profiles[actor])

    def _feed(self, request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params["limit"])
        assert 1 <= limit <= 100, limit
        self.feed_limits.append(limit)
        start = int(request.url.params.get("cursor", "0"))
        actor = request.url.params["actor"]  # a handle or a DID (at-identifier)
        by_did = {p["did"]: h for h, p in self.profiles.items()}
        items = self.feeds[by_did.get(actor, actor)]
        body: dict[str, Any] = {"feed": items[start : start + limit]}
        if start + limit < len(items):
            body["cursor"] = str(start + limit)
        return httpx.Response(200, json=body)


def masto_account(acct: str, account_id: str = "109", **extra: Any) -> dict[str, Any]:
    user = acct.split("@")[0]
    return {
        "id": account_id,
        "username": user,
        "acct": user,
        "display_name": "Bob B.",
        "note": "<p>Baker &amp; walker.</p>",
        "avatar": f"https://files.test/{user}.png",
        "discoverable": True,
        "noindex": False,
        **extra,
    }


def masto_status(i: int, content: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(1_000_000 - i),  # ids fall as statuses get older
        "created_at": "2025-01-01T00:00:00.000Z",
        "in_reply_to_id": None,
        "content": content if content is not None else f"<p>{sentence(i)}</p>",
        "reblog": None,
        "account": masto_account("bob@mastodon.example"),
        **extra,
    }


@dataclass
class FakeMastodon:
    """An instance at `base`: accounts by acct (`user@domain`), each with its statuses (newest
    first)."""

    base: str = MASTO
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    limits: list[int] = field(default_factory=list)

    def add(self, acct: str, statuses: list[dict[str, Any]], **extra: Any) -> None:
        account = masto_account(acct, account_id=str(100 + len(self.accounts)), **extra)
        self.accounts[acct] = account
        self.statuses[account["id"]] = statuses

    def install(self, router: respx.Router) -> None:
        router.get(f"{self.base}/api/v1/accounts/lookup").mock(side_effect=self._lookup)
        router.get(url__regex=rf"{re.escape(self.base)}/api/v1/accounts/\d+/statuses.*").mock(
            side_effect=self._statuses
        )

    def install_status(self, router: respx.Router) -> respx.Route:
        """GET /api/v1/statuses/:id (a refresh's deletion check), as its own route."""
        return router.get(url__regex=rf"{re.escape(self.base)}/api/v1/statuses/\d+$").mock(
            side_effect=self._status
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Any request to the instance (for `local_server`)."""
        if request.url.path == "/api/v1/accounts/lookup":
            return self._lookup(request)
        if re.fullmatch(r"/api/v1/accounts/\d+/statuses", request.url.path):
            return self._statuses(request)
        if re.fullmatch(r"/api/v1/statuses/\d+", request.url.path):
            return self._status(request)
        return httpx.Response(404, json={"error": "Record not found"})

    def _status(self, request: httpx.Request) -> httpx.Response:
        """One status by id; 404 `Record not found` once it is gone from its account."""
        wanted = request.url.path.rsplit("/", 1)[1]
        for statuses in self.statuses.values():
            for status in statuses:
                if status["id"] == wanted:
                    return httpx.Response(200, json=status)
        return httpx.Response(404, json={"error": "Record not found"})

    def _lookup(self, request: httpx.Request) -> httpx.Response:
        acct = request.url.params["acct"]
        self.lookups.append(acct)
        if acct not in self.accounts:
            return httpx.Response(404, json={"error": "Record not found"})
        return httpx.Response(200, json=self.accounts[acct])

    def _statuses(self, request: httpx.Request) -> httpx.Response:
        account_id = request.url.path.split("/")[4]
        limit = int(request.url.params.get("limit", "20"))
        assert 1 <= limit <= 40, limit
        self.limits.append(limit)
        older = self.statuses[account_id]
        if "since_id" in request.url.params:  # newer than it only (a refresh's read)
            since_id = int(request.url.params["since_id"])
            older = [s for s in older if int(s["id"]) > since_id]
        if "max_id" in request.url.params:
            max_id = int(request.url.params["max_id"])
            older = [s for s in older if int(s["id"]) < max_id]
        page = older[:limit]
        headers = {}
        if page:
            base = f"{self.base}{request.url.path}?limit={limit}"
            links = [f'<{base}&min_id={page[0]["id"]}>; rel="prev"']
            if len(older) > limit:
                links.insert(0, f'<{base}&max_id={page[-1]["id"]}>; rel="next"')
            headers["Link"] = ", ".join(links)
        return httpx.Response(200, json=page, headers=headers)


def x_tweet(n: int, *, retweet: bool = False, text: str | None = None) -> dict[str, Any]:
    """An X API v2 tweet object, number n (ids grow with n, as X's Snowflake ids with time)."""
    tid = str(1_750_000_000_000_000_000 + n)
    obj: dict[str, Any] = {
        "id": tid,
        "edit_history_tweet_ids": [tid],
        "created_at": (X_EPOCH + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "text": text if text is not None else sentence(n),
    }
    if retweet:
        obj["text"] = f"RT @news_desk: {obj['text']}"
        obj["referenced_tweets"] = [{"type": "retweeted", "id": str(1_740_000_000_000_000_000 + n)}]
    return obj


@dataclass
class FakeX:
    """The X API v2 for tweepy (mocked with `responses`, or served): user lookup by username and
    the user timeline, newest first, with `max_results` (5..100), `pagination_token` (a
    `next_token` when more remain) and `since_id` (only newer tweets). `calls` lists the paths
    asked, in order, so a test counts the reads at the stand-in."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    timelines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def add(self, handle: str, tweets: list[dict[str, Any]], **user: Any) -> None:
        user_id = str(1_460_000_000_000_000_001 + len(self.users))
        self.users[handle.lower()] = {
            "id": user_id,
            "name": "Sample Baker",
            "username": handle,
            "protected": False,
            "profile_image_url": "https://pbs.twimg.com/profile_images/1/abc_normal.jpg",
            "description": "Bread, mostly.",
            **user,
        }
        self.timelines[user_id] = tweets

    def install(self, mock: responses.RequestsMock) -> None:
        """Answer tweepy's requests in this process (`responses`); for other processes (a job's
        tasks), serve it with `local_server` and set MURMUR_X_URL to its address."""
        for path in (r"/users/by/username/[^/?]+", r"/users/\d+/tweets"):
            mock.add_callback("GET", re.compile(re.escape(X_API) + path), callback=self._mocked)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Any request to the API (for `local_server`; tweepy's paths start with /2)."""
        status, body = self._answer(request.url)
        return httpx.Response(status, json=body)

    def _mocked(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        status, body = self._answer(httpx.URL(str(request.url)))
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def _answer(self, url: httpx.URL) -> tuple[int, dict[str, Any]]:
        self.calls.append(url.path)
        if match := re.fullmatch(r"/2/users/by/username/([^/]+)", url.path):
            return 200, self._user(match.group(1).lower())
        if match := re.fullmatch(r"/2/users/(\d+)/tweets", url.path):
            return 200, self._timeline(match.group(1), url.params)
        return 404, {"title": "Not Found Error", "detail": f"no route {url.path}"}

    def _user(self, username: str) -> dict[str, Any]:
        if username not in self.users:
            problem = {
                "detail": f"Could not find user with username: [{username}].",
                "title": "Not Found Error",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
            return {"errors": [problem]}
        return {"data": self.users[username]}

    def _timeline(self, user_id: str, params: httpx.QueryParams) -> dict[str, Any]:
        limit = int(params.get("max_results", "10"))
        assert 5 <= limit <= 100, limit
        tweets = self.timelines[user_id]
        if "since_id" in params:
            tweets = [t for t in tweets if int(t["id"]) > int(params["since_id"])]
        start = int(params.get("pagination_token", "0"))
        page = tweets[start : start + limit]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if start + limit < len(tweets):
            meta["next_token"] = str(start + limit)
        return {"data": page, "meta": meta} if page else {"meta": meta}


class _Handler(BaseHTTPRequestHandler):
    """Hands each GET to the server's `app` as an httpx.Request and sends back its answer."""

    server: _AppServer

    def do_GET(self) -> None:
        request = httpx.Request("GET", self.server.base + self.path, headers=dict(self.headers))
        response = self.server.app(request)
        body = response.content
        self.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet


class _AppServer(ThreadingHTTPServer):
    daemon_threads = True
    app: Callable[[httpx.Request], httpx.Response]
    base: str


@contextmanager
def local_server(app: Callable[[httpx.Request], httpx.Response]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (a free port) answering with `app` (a FakeBluesky, a
    FakeMastodon or a FakeX), in a thread; yields its address, http://127.0.0.1:PORT."""
    server = _AppServer(("127.0.0.1", 0), _Handler)
    server.app = app
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-social-api", daemon=True)
    thread.start()
    try:
        yield server.base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
