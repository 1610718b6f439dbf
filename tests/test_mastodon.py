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

from murmur.core.errors import (
    AccountNotFoundError,
    ArchiveError,
    OptedOutError,
    RateLimitError,
    SourceError,
)
from murmur.data import rules
from murmur.data.sources import load_account
from murmur.data.sources.mastodon import PROFILE_PAGE, fetch_mastodon, html_to_text

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


# ---- WebFinger delegation: @alice@example.com lives on social.example.com ---------------------
DELEGATED = "alice@example.com"
SOCIAL = "https://social.example.com"
WEBFINGER = "https://example.com/.well-known/webfinger"


def _jrd(host: str = SOCIAL) -> dict:
    """What social.example.com's WebFinger answers for acct:alice@example.com (RFC 7033)."""
    return {
        "subject": f"acct:{DELEGATED}",
        "aliases": [f"{host}/@alice", f"{host}/users/alice"],
        "links": [
            {"rel": PROFILE_PAGE, "type": "text/html", "href": f"{host}/@alice"},
            {"rel": "self", "type": "application/activity+json", "href": f"{host}/users/alice"},
        ],
    }


@pytest.fixture
def delegated(monkeypatch: pytest.MonkeyPatch) -> FakeMastodon:
    """The instance social.example.com holding alice@example.com; example.com's WebFinger
    redirects there (as a domain that delegates does); no MURMUR_MASTODON_URL."""
    monkeypatch.delenv("MURMUR_MASTODON_URL")
    fake = FakeMastodon(base=SOCIAL)
    fake.add(DELEGATED, _statuses()[:50])
    fake.install(respx.mock)
    moved = f"{SOCIAL}/.well-known/webfinger?resource=acct:{DELEGATED}"
    respx.get(WEBFINGER).mock(return_value=httpx.Response(301, headers={"Location": moved}))
    respx.get(f"{SOCIAL}/.well-known/webfinger").mock(return_value=httpx.Response(200, json=_jrd()))
    return fake


@respx.mock
@pytest.mark.parametrize(
    "domain_answer",
    [
        httpx.Response(404, json={"error": "Record not found"}),
        httpx.Response(301, headers={"Location": f"{SOCIAL}/api/v1/accounts/lookup"}),
        httpx.Response(200, html="<html><body>Example Inc.</body></html>"),
    ],
    ids=["404", "redirect", "a web page"],
)
def test_webfinger_finds_the_instance_a_domain_delegates_to(
    delegated: FakeMastodon, domain_answer: httpx.Response
) -> None:
    lookup = respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=domain_answer
    )
    account = fetch_mastodon(f"@{DELEGATED}")
    assert lookup.call_count == 1 and delegated.lookups == [DELEGATED]
    assert len(account.tweets) == 50 and account.extra["instance"] == SOCIAL
    assert delegated.limits == [40, 40]  # 50 statuses paged on social.example.com


@respx.mock
def test_webfinger_naming_no_other_host_leaves_the_lookups_error(delegated: FakeMastodon) -> None:
    respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=httpx.Response(404, json={"error": "Record not found"})
    )
    respx.get(f"{SOCIAL}/.well-known/webfinger").mock(return_value=httpx.Response(404))
    with pytest.raises(AccountNotFoundError, match="nor does WebFinger name another host"):
        fetch_mastodon(DELEGATED)
    respx.get(f"{SOCIAL}/.well-known/webfinger").mock(
        return_value=httpx.Response(200, json=_jrd("https://example.com"))  # itself
    )
    respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=httpx.Response(302, headers={"Location": "https://www.example.com/"})
    )
    with pytest.raises(SourceError, match="redirects to https://www.example.com/") as e:
        fetch_mastodon(DELEGATED)
    assert "\n" not in str(e.value) and delegated.lookups == []


@respx.mock
def test_murmur_mastodon_url_overrides_every_instance(
    delegated: FakeMastodon, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the variable set, its address alone is asked: no WebFinger, no other host."""
    here = FakeMastodon()  # at MASTO
    here.add(DELEGATED, _statuses()[:5])
    here.install(respx.mock)
    monkeypatch.setenv("MURMUR_MASTODON_URL", MASTO)
    account = fetch_mastodon(DELEGATED)
    assert len(account.tweets) == 5 and account.extra["instance"] == MASTO
    with pytest.raises(AccountNotFoundError, match="no such Mastodon account"):
        fetch_mastodon("nobody@example.com")
    assert not respx.get(WEBFINGER).called and delegated.lookups == []
