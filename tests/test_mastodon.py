"""The Mastodon source against a mocked instance (respx): lookup, Link-header paging, boosts,
replies, quotes, HTML with links, mentions and hashtags, missing and opted-out accounts, rate
limits, saved statuses."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from social_fakes import MASTO, FakeMastodon, masto_status

from murmur.data import rules
from murmur.data.sources import load_account
from murmur.data.sources.mastodon import fetch_mastodon, html_to_text
from murmur.errors import AccountNotFoundError, ArchiveError, OptedOutError, RateLimitError

HANDLE = "bob@mastodon.example"
LINK_HTML = (
    '<p>New loaf today <a href="https://blog.test/bread/rye" rel="nofollow noopener" '
    'target="_blank"><span class="invisible">https://</span><span class="ellipsis">blog.test/'
    'bread</span><span class="invisible">/rye</span></a> with <span class="h-card"><a '
    'href="https://mastodon.example/@carol" class="u-url mention">@<span>carol</span></a></span>'
    '</p><p>Tips &amp; tricks<br />more soon <a href="https://mastodon.example/tags/baking" '
    'class="mention hashtag" rel="tag">#<span>baking</span></a></p>'
)


@pytest.fixture(autouse=True)
def _instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MURMUR_MASTODON_URL", MASTO)


def test_html_becomes_text_and_links_go_through_huggingtweets_rules() -> None:
    text = html_to_text(LINK_HTML)
    assert text == (
        "New loaf today https://blog.test/bread/rye with @carol\n\n\n\nTips & tricks\nmore soon "
        "#baking"
    )
    assert rules.clean_text(text) == "New loaf today with @carol Tips & tricks more soon #baking"
    assert html_to_text("<p>a&lt;b &#39;c&#39;</p>") == "a<b 'c'"


def _statuses() -> list[dict]:
    boosted = masto_status(9_999, "<p>someone else's words here today</p>")
    return [
        masto_status(0, LINK_HTML),
        masto_status(1, reblog=boosted, content=""),
        masto_status(2, in_reply_to_id="42"),
        masto_status(3, quote={"state": "accepted", "quoted_status": boosted}),
        *[masto_status(i) for i in range(4, 100)],
    ]


@respx.mock
def test_statuses_are_paged_and_boosts_are_retweets() -> None:
    fake = FakeMastodon()
    fake.add(HANDLE, _statuses())
    fake.install(respx.mock)
    account = fetch_mastodon(HANDLE)
    assert fake.lookups == [HANDLE] and fake.limits == [40, 40, 40]  # Link header: 100 in 3 pages
    assert len(account.tweets) == 100 and account.source == "mastodon"
    assert account.display_name == "Bob B." and account.avatar_url == "https://files.test/bob.png"
    assert [t.is_retweet for t in account.tweets[:4]] == [False, True, False, False]
    assert account.tweets[1].text == "someone else's words here today"
    result = rules.filter_tweets(account.tweets)
    assert result.retweets == 1 and result.short_tweets == 0 and result.tweets_kept == 99
    assert result.kept[0] == "New loaf today with @carol Tips & tricks more soon #baking"


@respx.mock
def test_max_posts_bounds_the_pages() -> None:
    fake = FakeMastodon()
    fake.add(HANDLE, _statuses())
    fake.install(respx.mock)
    assert len(fetch_mastodon(HANDLE, max_posts=50).tweets) == 50
    assert fake.limits == [40, 10]


@respx.mock
def test_unknown_account_fails_in_one_line() -> None:
    FakeMastodon().install(respx.mock)
    with pytest.raises(AccountNotFoundError, match="no such Mastodon account") as e:
        fetch_mastodon("nobody@mastodon.example")
    assert "\n" not in str(e.value)


@respx.mock
@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"noindex": True}, "noindex"),
        ({"discoverable": False}, "discoverable: false"),
        (
            {
                "note": '<p>Baker. <a href="https://m.test/tags/nobot" class="mention hashtag">#<span>NoBot</span></a></p>'
            },
            "#nobot",
        ),
    ],
)
def test_opted_out_accounts_are_refused(extra: dict, why: str) -> None:
    fake = FakeMastodon()
    fake.add(HANDLE, _statuses(), **extra)
    fake.install(respx.mock)
    with pytest.raises(OptedOutError, match=why):
        fetch_mastodon(HANDLE)
    assert fake.limits == []  # refused before any status is read


@respx.mock
def test_discoverable_unset_is_not_an_opt_out() -> None:
    fake = FakeMastodon()
    fake.add(HANDLE, _statuses()[:5], discoverable=None, noindex=None)
    fake.install(respx.mock)
    assert len(fetch_mastodon(HANDLE).tweets) == 5


@respx.mock
def test_rate_limit_waits_within_bounds_then_fails() -> None:
    fake = FakeMastodon()
    fake.add(HANDLE, _statuses()[:5])
    fake.install(respx.mock)
    route = respx.get(f"{MASTO}/api/v1/accounts/lookup")
    later = "2286-11-20T17:46:39.000Z"
    route.side_effect = [
        httpx.Response(429, headers={"X-RateLimit-Remaining": "0", "Retry-After": "3"}),
        fake._lookup,
    ]
    slept: list[float] = []
    assert len(fetch_mastodon(HANDLE, sleep=slept.append).tweets) == 5
    assert slept == [3.0]
    route.side_effect = None
    route.return_value = httpx.Response(429, headers={"X-RateLimit-Reset": later})
    with pytest.raises(RateLimitError, match="Mastodon rate limit: resets at 2286-11-20 17:46"):
        fetch_mastodon(HANDLE, sleep=slept.append)
    assert slept == [3.0]


def test_saved_statuses_read_like_the_api(tmp_path: Path) -> None:
    (tmp_path / f"{HANDLE}.json").write_text(json.dumps(_statuses()))
    account = load_account(f"@{HANDLE.upper()}", tweets_dir=tmp_path)
    assert account.handle == HANDLE and len(account.tweets) == 100
    assert sum(t.is_retweet for t in account.tweets) == 1 and account.display_name == "Bob B."
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / f"{HANDLE}.json").write_text(json.dumps({"feed": []}))
    with pytest.raises(ArchiveError, match="not saved Mastodon statuses"):
        load_account(HANDLE, tweets_dir=tmp_path / "x")
