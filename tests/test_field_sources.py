"""Field reports on sources, each kind with its own fixtures in the public formats:
Bluesky getAuthorFeed items and richtext facets (UTF-8 byte offsets), Mastodon/Akkoma/Misskey
status HTML, NodeInfo 2.x documents and WebFinger JRDs, served by respx."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from social_fakes import BSKY, FakeBluesky, bsky_post, bsky_repost, masto_account, sentence

from murmur.core.errors import AccountNotFoundError, AuthError, OptedOutError, SourceError
from murmur.data import rules
from murmur.data.sources import source_env
from murmur.data.sources.bluesky import fetch_bluesky, load_bluesky_file, strip_link_facets
from murmur.data.sources.fediverse import mastodon_token
from murmur.data.sources.mastodon import fetch_mastodon
from murmur.data.sources.status_html import html_to_text

HANDLE = "alice.example.com"
DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
LINK = "app.bsky.richtext.facet#link"


def _figures(tweets: list[Any]) -> tuple[int, int, int, int]:
    r = rules.filter_tweets(tweets)
    return r.tweets_downloaded, r.retweets, r.short_tweets, len(r.kept)


def _facet(start: int, end: int, uri: str) -> dict[str, Any]:
    return {
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": LINK, "uri": uri}],
    }


# ---- 1. platform markup is not the author's text ------------------------------------------------
def test_a_byte_facet_whose_text_is_its_link_is_cut() -> None:
    text = "Lecture du soir 📚 bsky.app/profile/ali... très bien"
    shown = "bsky.app/profile/ali..."
    start = text.encode().index(shown.encode())
    facet = _facet(start, start + len(shown.encode()), "https://bsky.app/profile/alice.example.com")
    assert strip_link_facets(text, [facet]) == "Lecture du soir 📚  très bien"
    full = "see https://x.test/a/b now"  # a facet over the whole URI, scheme included
    assert strip_link_facets(full, [_facet(4, 22, "https://x.test/a/b")]) == "see  now"


def test_character_and_utf16_offsets_are_not_cut_and_the_url_rule_applies() -> None:
    """Third-party clients' offsets (social-app#7287, bskyr#23): cut as bytes they left
    `incorrect: tes`; now the facet is left alone and huggingtweets' URL rule removes the link."""
    text = "Ünïcode títle is incorrect: test https://example.com/x"
    chars = (text.index("https"), len(text))  # character offsets, as a third-party client wrote
    utf16 = chars  # no astral characters here: UTF-16 units = characters
    for start, end in (chars, utf16):
        assert strip_link_facets(text, [_facet(start, end, "https://example.com/x")]) == text
    assert rules.clean_text(text) == "Ünïcode títle is incorrect: test"
    emoji = "🌉 bridg97 https://ex.test/-2.07 ok"  # UTF-16: 🌉 is 2 units, 4 bytes
    start16 = 2 + len(" bridg97 ")
    facet = _facet(start16, start16 + len("https://ex.test/-2.07"), "https://ex.test/-2.07")
    assert strip_link_facets(emoji, [facet]) == emoji  # its bytes start inside "bridg97"
    assert rules.clean_text(emoji) == "🌉 bridg97 ok"


@respx.mock
def test_a_feed_with_wrong_offsets_keeps_exact_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MURMUR_BLUESKY_URL", BSKY)
    bad = "Ünïcode títle is incorrect: test https://example.com/x"
    at = bad.index("https")  # a character offset, taken as bytes
    items = [
        bsky_post(HANDLE, DID, 0, bad, facets=[_facet(at, len(bad), "https://example.com/x")]),
        bsky_post(
            HANDLE,
            DID,
            1,
            "https://example.com/only",
            facets=[_facet(0, 24, "https://example.com/only")],
        ),
        bsky_repost(DID, 2),
        *[bsky_post(HANDLE, DID, i) for i in range(3, 6)],
    ]
    fake = FakeBluesky()
    fake.add(HANDLE, items, did=DID)
    fake.install(respx.mock)
    account = fetch_bluesky(HANDLE)
    assert _figures(account.tweets) == (6, 1, 1, 4)
    assert rules.filter_tweets(account.tweets).kept[0] == "Ünïcode títle is incorrect: test"


QUOTED = "https://other.example/@carol/113"
FALLBACKS = {
    "mastodon 4.5": f'<p>Rye wins again, as I keep saying to everyone</p><p class="quote-inline">'
    f'RE: <a href="{QUOTED}"><span class="invisible">https://</span>other.example/@carol/113</a></p>',
    "akkoma": f'Rye wins again, as I keep saying to everyone<span class="quote-inline"><br/><br/>'
    f'RE: <a href="{QUOTED}">{QUOTED}</a></span>',
    "misskey": f'<p><span>Rye wins again, as I keep saying to everyone<br><br>RE: <a href="{QUOTED}">'
    f"{QUOTED}</a></span></p>",
}


@pytest.mark.parametrize("html", FALLBACKS.values(), ids=FALLBACKS.keys())
def test_quote_fallbacks_are_dropped(html: str) -> None:
    text = html_to_text(html)
    assert text == "Rye wins again, as I keep saying to everyone"
    assert rules.clean_text(text) == text  # not "... everyone RE:"


def test_an_author_written_re_line_with_words_stays() -> None:
    html = '<p>RE: the bake sale, see <a href="https://x.test/a">x.test/a</a> for times</p>'
    assert html_to_text(html) == "RE: the bake sale, see https://x.test/a for times"


# ---- 2. a Bluesky account is its DID ------------------------------------------------------------
def _invalid_handle_feed() -> list[dict[str, Any]]:
    """4 own posts whose author shows handle.invalid (social-app#6338), 1 repost, 1 post by
    someone else replying in the thread."""
    own = [bsky_post("handle.invalid", DID, i) for i in range(4)]
    return [*own[:2], bsky_repost(DID, 9), *own[2:], bsky_post("bob.test", "did:plc:bob", 7)]


@respx.mock
def test_posts_are_matched_by_did_when_the_handle_shows_invalid(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MURMUR_BLUESKY_URL", BSKY)
    fake = FakeBluesky()
    fake.add(HANDLE, _invalid_handle_feed(), did=DID)
    fake.profiles[HANDLE]["handle"] = "handle.invalid"  # as the AppView shows it
    fake.install(respx.mock)
    with caplog.at_level(logging.WARNING):
        account = fetch_bluesky(HANDLE)
    assert _figures(account.tweets) == (5, 1, 0, 4)  # was 1/1/0/0
    asked = [
        r.url.params["actor"]
        for r in (c.request for c in respx.calls)
        if "getAuthorFeed" in r.url.path
    ]
    assert asked == [DID]  # resolved once; the feed is asked for by DID
    assert "handle.invalid" in caplog.text


@pytest.mark.parametrize("with_profile", [False, True])
def test_a_saved_feed_takes_the_did_from_its_profile_or_own_posts(
    tmp_path: Path, with_profile: bool
) -> None:
    doc: list[dict[str, Any]] = [
        {"feed": _invalid_handle_feed()[:3]},
        {"feed": _invalid_handle_feed()[3:]},
    ]
    if with_profile:
        doc.insert(
            0, {"did": DID, "handle": "handle.invalid", "displayName": "Alice", "labels": []}
        )
    path = tmp_path / f"{HANDLE}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    account = load_bluesky_file(path, HANDLE)
    assert _figures(account.tweets) == (5, 1, 0, 4)
    assert account.extra["did"] == DID


def test_a_saved_profile_that_opts_out_is_refused(tmp_path: Path) -> None:
    profile = {"did": DID, "handle": HANDLE, "labels": [{"val": "!no-unauthenticated"}]}
    path = tmp_path / f"{HANDLE}.json"
    path.write_text(json.dumps([profile, {"feed": _invalid_handle_feed()}]), encoding="utf-8")
    with pytest.raises(OptedOutError, match="no-unauthenticated"):
        load_bluesky_file(path, HANDLE)


# ---- 3. say what the server said ----------------------------------------------------------------
def _nodeinfo(base: str, name: str, version: str) -> None:
    """A server's NodeInfo (nodeinfo.diaspora.software/protocol): the index, then a 2.1 doc."""
    schema = "http://nodeinfo.diaspora.software/ns/schema/"
    index = {"links": [{"rel": f"{schema}2.0", "href": f"{base}/nodeinfo/2.0"},
                       {"rel": f"{schema}2.1", "href": f"{base}/nodeinfo/2.1"}]}  # fmt: skip
    doc = {"version": "2.1", "software": {"name": name, "version": version},
           "protocols": ["activitypub"], "openRegistrations": False}  # fmt: skip
    respx.get(f"{base}/.well-known/nodeinfo").mock(return_value=httpx.Response(200, json=index))
    respx.get(f"{base}/nodeinfo/2.1").mock(return_value=httpx.Response(200, json=doc))
    respx.get(f"{base}/nodeinfo/2.0").mock(return_value=httpx.Response(500))


@respx.mock
def test_a_misskey_server_is_named_not_called_a_missing_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bridgy-fed#1442: Misskey answers Mastodon's lookup 404 UNKNOWN_API_ENDPOINT."""
    monkeypatch.delenv("MURMUR_MASTODON_URL", raising=False)
    base = "https://misskey.example"
    error = {"error": {"message": "Unknown API endpoint.", "code": "UNKNOWN_API_ENDPOINT",
                       "id": "2ca3b769-540a-4f08-9dd5-b5a825b6d0f1", "kind": "client"}}  # fmt: skip
    respx.get(f"{base}/api/v1/accounts/lookup").mock(return_value=httpx.Response(404, json=error))
    jrd = {"subject": "acct:mi@misskey.example",
           "links": [{"rel": "self", "href": f"{base}/users/9x8y"}]}  # fmt: skip
    respx.get(f"{base}/.well-known/webfinger").mock(return_value=httpx.Response(200, json=jrd))
    _nodeinfo(base, "misskey", "2024.11.0")
    with pytest.raises(SourceError) as e:
        fetch_mastodon("mi@misskey.example")
    assert not isinstance(e.value, AccountNotFoundError)
    assert str(e.value) == (
        "@mi@misskey.example: misskey.example (Misskey 2024.11.0) has no Mastodon API (its lookup "
        "answered 404 UNKNOWN_API_ENDPOINT Unknown API endpoint.) (nor does WebFinger name another "
        "host): murmur reads accounts on servers with Mastodon's API (Mastodon, GoToSocial, "
        "Pleroma, Akkoma, ...)"
    )


GTS = "https://gts.example"
GTS_HANDLE = "dee@gts.example"


def _gts(token: str) -> None:
    """A GoToSocial instance that requires sign-in (gotosocial#2038): 401 without `token`."""

    def signed_in(answer: Any) -> Any:
        def reply(request: httpx.Request) -> httpx.Response:
            if request.headers.get("authorization") != f"Bearer {token}":
                return httpx.Response(401, json={"error": "Unauthorized: token not supplied"})
            return httpx.Response(200, json=[] if "max_id" in request.url.params else answer)

        return reply

    account = masto_account(GTS_HANDLE, account_id="01F8MH")
    statuses = [{"id": str(900 - i), "content": f"<p>{sentence(i)}</p>", "reblog": None,
                 "created_at": "2025-01-01T00:00:00.000Z"} for i in range(3)]  # fmt: skip
    respx.get(f"{GTS}/api/v1/accounts/lookup").mock(side_effect=signed_in(account))
    respx.get(f"{GTS}/api/v1/accounts/01F8MH/statuses").mock(side_effect=signed_in(statuses))
    _nodeinfo(GTS, "gotosocial", "0.17.3 git-5b7a6b2")


@respx.mock
def test_a_sign_in_server_says_so_and_takes_a_token(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MURMUR_MASTODON_URL", GTS)
    monkeypatch.delenv("MURMUR_MASTODON_TOKEN", raising=False)
    token = "ZTY0ZjA5MDgtNDE3Zi0zMjg0LWI3ZjItODBlOTAzNjliYTE5"
    _gts(token)
    with pytest.raises(AuthError) as e:
        fetch_mastodon(GTS_HANDLE)
    assert str(e.value) == (
        "@dee@gts.example: gts.example (GoToSocial 0.17.3): its lookup answered 401 Unauthorized: "
        "token not supplied; it requires sign-in: set $MURMUR_MASTODON_TOKEN to an access token "
        "of an account on gts.example"
    )
    monkeypatch.setenv("MURMUR_MASTODON_TOKEN", "wrong-token")
    with pytest.raises(AuthError, match=r"the token in \$MURMUR_MASTODON_TOKEN was refused"):
        fetch_mastodon(GTS_HANDLE)
    monkeypatch.setenv("MURMUR_MASTODON_TOKEN", f"other.example=nope, gts.example={token}")
    with caplog.at_level(logging.DEBUG):
        account = fetch_mastodon(GTS_HANDLE)
    assert len(account.tweets) == 3
    assert token not in caplog.text and token not in json.dumps(account.extra)
    assert "MURMUR_MASTODON_TOKEN" not in source_env()  # never handed to a job
    sent = [r for r in (c.request for c in respx.calls) if r.headers.get("authorization")]
    assert sent and all(r.url.path.startswith("/api/v1/") for r in sent)  # not to NodeInfo


def test_a_token_goes_only_to_its_host_and_never_over_plain_http() -> None:
    env = {"MURMUR_MASTODON_TOKEN": "gts.example=T1,social.example=T2"}
    assert mastodon_token("https://gts.example", env) == "T1"
    assert mastodon_token("https://social.example", env) == "T2"
    assert mastodon_token("https://evil.example", env) is None
    assert mastodon_token("https://any.example", {"MURMUR_MASTODON_TOKEN": "T3"}) == "T3"
    assert mastodon_token("http://any.example", {"MURMUR_MASTODON_TOKEN": "T3"}) is None
    assert mastodon_token("http://127.0.0.1:20123", {"MURMUR_MASTODON_TOKEN": "T3"}) == "T3"


# ---- 4. WebFinger follows https only, a bounded number of times ---------------------------------
@respx.mock
def test_webfinger_refuses_a_redirect_to_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MURMUR_MASTODON_URL", raising=False)
    respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=httpx.Response(404, json={"error": "Record not found"})
    )
    respx.get("https://example.com/.well-known/webfinger").mock(
        return_value=httpx.Response(
            301, headers={"Location": "http://social.example.com/.well-known/webfinger"}
        )
    )
    plain = respx.get("http://social.example.com/.well-known/webfinger")
    with pytest.raises(SourceError, match="not https: murmur follows https redirects only"):
        fetch_mastodon("alice@example.com")
    assert not plain.called


@respx.mock
def test_webfinger_redirects_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MURMUR_MASTODON_URL", raising=False)
    respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=httpx.Response(404, json={"error": "Record not found"})
    )
    loop = respx.get("https://example.com/.well-known/webfinger").mock(
        return_value=httpx.Response(302, headers={"Location": "/.well-known/webfinger?again=1"})
    )
    with pytest.raises(SourceError, match="redirects more than 5 times"):
        fetch_mastodon("alice@example.com")
    assert loop.call_count == 6  # the request and its 5 redirects


@respx.mock
def test_a_webfinger_self_link_over_plain_http_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MURMUR_MASTODON_URL", raising=False)
    respx.get("https://example.com/api/v1/accounts/lookup").mock(
        return_value=httpx.Response(404, json={"error": "Record not found"})
    )
    jrd = {"subject": "acct:alice@example.com",
           "links": [{"rel": "self", "href": "http://social.example.com/users/alice"}]}  # fmt: skip
    respx.get("https://example.com/.well-known/webfinger").mock(
        return_value=httpx.Response(200, json=jrd)
    )
    with pytest.raises(AccountNotFoundError, match="nor does WebFinger name another host"):
        fetch_mastodon("alice@example.com")
