"""The Bluesky source against a mocked AppView (respx): paging, reposts, replies, quotes, link and
mention facets, missing and opted-out accounts, rate limits, network failures, saved feeds."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from social_fakes import BSKY, FakeBluesky, bsky_post, bsky_repost

from murmur.core.errors import AccountNotFoundError, NetworkError, OptedOutError, RateLimitError
from murmur.data import rules
from murmur.data.sources import load_account
from murmur.data.sources.bluesky import fetch_bluesky, strip_link_facets

HANDLE = "alice.bsky.social"
DID = "did:plc:alice"


@pytest.fixture(autouse=True)
def _appview(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MURMUR_BLUESKY_URL", BSKY)


def _link_facet(text: str, shown: str, uri: str) -> dict:
    start = text.encode().index(shown.encode())
    return {
        "index": {"byteStart": start, "byteEnd": start + len(shown.encode())},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
    }


def _feed() -> list[dict]:
    """250 items: a link post (after emoji, so bytes != characters), a mention, a reply, a quote,
    a repost, another author's post (not the account's), then plain posts."""
    link_text = "Read this 🌱🌱 example.com/long/pa... today, lovely garden notes"
    mention_text = "@bob.bsky.social thanks for the seeds and the tips"
    items = [
        bsky_post(
            HANDLE,
            DID,
            0,
            link_text,
            facets=[
                _link_facet(link_text, "example.com/long/pa...", "https://example.com/long/path")
            ],
        ),
        bsky_post(
            HANDLE,
            DID,
            1,
            mention_text,
            facets=[
                {
                    "index": {"byteStart": 0, "byteEnd": 16},
                    "features": [
                        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bob"}
                    ],
                }
            ],
        ),
        bsky_post(
            HANDLE, DID, 2, reply={"root": {"uri": "at://x/1"}, "parent": {"uri": "at://x/1"}}
        ),
        bsky_post(
            HANDLE, DID, 3, embed={"$type": "app.bsky.embed.record", "record": {"uri": "at://y"}}
        ),
        bsky_repost(DID, 4),
        bsky_post("someone.else.social", "did:plc:someone", 5),
    ]
    return items + [bsky_post(HANDLE, DID, i) for i in range(6, 250)]


@respx.mock
def test_feed_is_paged_and_read_as_huggingtweets_reads_x() -> None:
    fake = FakeBluesky()
    fake.add(HANDLE, _feed(), did=DID)
    fake.install(respx.mock)
    account = fetch_bluesky(HANDLE)
    assert fake.feed_limits == [100, 100, 100]  # cursor paging: 250 items in 3 pages
    assert account.display_name == "Alice A." and account.avatar_url.endswith(f"{HANDLE}.jpg")
    assert account.source == "bluesky" and len(account.tweets) == 249  # another author's skipped
    texts = [t.text for t in account.tweets]
    assert texts[0] == "Read this 🌱🌱  today, lovely garden notes"  # the link facet's bytes cut
    assert texts[1].startswith("@bob.bsky.social thanks")  # mentions stay
    assert [t.is_retweet for t in account.tweets[:5]] == [False, False, False, False, True]
    result = rules.filter_tweets(account.tweets)
    assert result.retweets == 1 and result.tweets_kept == 248 and result.short_tweets == 0
    assert result.tweets_downloaded == result.retweets + result.short_tweets + result.tweets_kept


@respx.mock
def test_max_posts_bounds_the_pages() -> None:
    fake = FakeBluesky()
    fake.add(HANDLE, [bsky_post(HANDLE, DID, i) for i in range(300)], did=DID)
    fake.install(respx.mock)
    assert len(fetch_bluesky(HANDLE, max_posts=150).tweets) == 150
    assert fake.feed_limits == [100, 50]


def test_strip_link_facets_uses_utf8_byte_ranges() -> None:
    text = "é🌱 go https://x.test/a now"
    link = _link_facet(text, "https://x.test/a", "https://x.test/a")
    assert strip_link_facets(text, [link]) == "é🌱 go  now"
    bad = {"index": {"byteStart": 5, "byteEnd": 999}, "features": link["features"]}
    assert strip_link_facets(text, [bad, "junk"]) == text


@respx.mock
def test_missing_and_deactivated_accounts_fail_in_one_line() -> None:
    fake = FakeBluesky()
    fake.errors["gone.bsky.social"] = (
        400,
        {"error": "AccountDeactivated", "message": "Account is deactivated"},
    )
    fake.install(respx.mock)
    with pytest.raises(AccountNotFoundError, match="no such Bluesky account") as e:
        fetch_bluesky("nobody.bsky.social")
    assert "\n" not in str(e.value)
    with pytest.raises(AccountNotFoundError, match="deactivated"):
        fetch_bluesky("gone.bsky.social")


@respx.mock
@pytest.mark.parametrize(
    ("profile", "why"),
    [
        ({"labels": [{"src": DID, "val": "!no-unauthenticated"}]}, "no-unauthenticated"),
        ({"description": "Gardener. #NoAI please"}, "#noai"),
        ({"description": "#nobot"}, "#nobot"),
    ],
)
def test_opted_out_accounts_are_refused(profile: dict, why: str) -> None:
    fake = FakeBluesky()
    fake.add(HANDLE, _feed(), **profile)
    fake.install(respx.mock)
    with pytest.raises(OptedOutError, match=why):
        fetch_bluesky(HANDLE)
    assert fake.feed_limits == []  # refused before any post is read


@respx.mock
def test_rate_limit_is_waited_out_within_bounds_then_fails() -> None:
    fake = FakeBluesky()
    fake.add(HANDLE, [bsky_post(HANDLE, DID, i) for i in range(10)], did=DID)
    fake.install(respx.mock)
    limited = httpx.Response(429, headers={"ratelimit-reset": "9999999999"}, json={})
    route = respx.get(f"{BSKY}/xrpc/app.bsky.feed.getAuthorFeed")
    route.side_effect = [httpx.Response(429, headers={"retry-after": "2"}, json={}), fake._feed]
    slept: list[float] = []
    assert len(fetch_bluesky(HANDLE, sleep=slept.append).tweets) == 10
    assert slept == [2.0]
    route.side_effect = None
    route.return_value = limited
    with pytest.raises(RateLimitError, match="resets at 2286-11-20"):
        fetch_bluesky(HANDLE, sleep=slept.append, wait_s=300)
    assert slept == [2.0]  # a reset beyond the bound is not waited for


@respx.mock
def test_network_failure_is_its_own_error() -> None:
    respx.get(f"{BSKY}/xrpc/app.bsky.actor.getProfile").mock(side_effect=httpx.ConnectError("down"))
    slept: list[float] = []
    with pytest.raises(NetworkError, match="did not answer"):
        fetch_bluesky(HANDLE, sleep=slept.append)
    assert slept == [1.0, 2.0, 4.0]


def test_saved_feed_reads_like_the_api(tmp_path: Path) -> None:
    items = _feed()
    pages = [{"feed": items[:100], "cursor": "100"}, {"feed": items[100:]}]
    (tmp_path / f"{HANDLE}.json").write_text(json.dumps(pages))
    account = load_account("@Alice.Bsky.Social", tweets_dir=tmp_path)
    assert account.handle == HANDLE and len(account.tweets) == 249
    assert account.tweets[0].text == "Read this 🌱🌱  today, lovely garden notes"
    assert sum(t.is_retweet for t in account.tweets) == 1
    assert account.display_name == "Alice A."
