"""The Mastodon source: an account's statuses from its instance's public API (no key needed).

`GET /api/v1/accounts/lookup?acct=user@domain` gives the account (display name, avatar, bio,
`noindex`, `discoverable`); `GET /api/v1/accounts/:id/statuses` its statuses, newest first, at
most 40 a page, the next page's `max_id` taken from the `Link` header's `rel="next"` (else the
last status's id) (docs.joinmastodon.org/methods/accounts). The instance is `https://<domain>`;
$MURMUR_MASTODON_URL, when set, is the address used for every instance (tests, proxies).
Instances allow 300 requests per 5 minutes: `web.Fetcher` waits out a 429 within bounds.

WebFinger delegation: `@alice@example.com` may live on another host (Mastodon's WEB_DOMAIN /
LOCAL_DOMAIN split, docs.joinmastodon.org/admin/config#web_domain). When the lookup on the
handle's domain gives no account (a redirect, a 404, a page that is not an account), murmur asks
`https://<domain>/.well-known/webfinger?resource=acct:<handle>` (RFC 7033; redirects followed
to https only, at most 5) and looks the account up again on the https host of its `self` link
(else its profile page), as the `subject` names it. $MURMUR_MASTODON_URL turns this off: it is
then the only address used.

A server that requires sign-in takes an access token, $MURMUR_MASTODON_TOKEN (a secret, never
written; `fediverse`). A failed call names the server's software (NodeInfo) and what it said
(`api_error`): a Misskey server has no Mastodon API; a 401 says to set the token.

What becomes a `Tweet` (huggingtweets' rules then apply, as to X's tweets):
- each status the account wrote, replies and quotes included, its HTML `content` turned into the
  author's text (`status_html.html_to_text`: links become their href, so that huggingtweets'
  link rule removes them; a server's quote fallback, `RE: <link>`, is dropped);
- each boost (`reblog` set), marked as a retweet.

Consent (`murmur.data.consent`): `noindex: true`, `discoverable: false` or `#nobot`/`#noai` in the
bio refuses the account. A missing (404), gone (410) or suspended account raises
AccountNotFoundError.

A refresh (`read_mastodon`) asks for the statuses newer than the newest cached one (`since_id`);
deletions only when asked (`check_deleted`): then it reads every status since the oldest cached
one (`since_id` = its id - 1: ids grow with time), and a cached status missing from them is
deleted. That is one request per 40 statuses: 3,200 cached and 300 new take 88, where one
`GET /api/v1/statuses/:id` per cached status (404: deleted; docs.joinmastodon.org/methods/
statuses#get) took 3,200, about 55 minutes at 300 requests per 5 minutes
(bench/refresh_reads.py). That GET remains for a status the read could not tell.

Saved feeds (`--tweets DIR`, `<user>@<domain>.json`): the statuses endpoint's answer, a JSON
array of statuses (or a list of such pages).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from murmur.core.errors import (
    AccountNotFoundError,
    ArchiveError,
    AuthError,
    OptedOutError,
    SourceError,
)
from murmur.core.handles import DOMAIN_RE
from murmur.core.tweets import Account, Tweet
from murmur.data.consent import refuse_if_bio_opts_out
from murmur.data.sources.delta import NewRead, newest_id
from murmur.data.sources.fediverse import (
    TOKEN_ENV,
    has_mastodon_api,
    json_object,
    mastodon_token,
    server_reason,
    software_of,
    token_headers,
)
from murmur.data.sources.status_html import html_to_text
from murmur.data.sources.web import Fetcher, make_client, max_wait_s

URL_ENV = "MURMUR_MASTODON_URL"
PAGE_LIMIT = 40  # statuses' `limit` is at most 40
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"  # WebFinger's profile link (RFC 7033)
_NEXT_MAX_ID = re.compile(r"<[^>]*[?&]max_id=([^&>]+)[^>]*>\s*;\s*rel=\"?next\"?")


def instance_url(handle: str) -> str:
    """The API address for `user@domain`: $MURMUR_MASTODON_URL or https://<domain>."""
    return (os.environ.get(URL_ENV) or f"https://{handle.partition('@')[2]}").rstrip("/")


def fetch_mastodon(
    handle: str,
    *,
    max_posts: int = 3200,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    wait_s: float | None = None,
) -> Account:
    """Read a Mastodon account (`user@domain`) and its `max_posts` most recent statuses.

    Raises AccountNotFoundError, OptedOutError, RateLimitError, NetworkError or SourceError,
    each naming @handle.
    """
    return read_mastodon(
        handle, None, max_posts=max_posts, client=client, sleep=sleep, wait_s=wait_s
    ).account


def read_mastodon(
    handle: str,
    cached: Account | None,
    *,
    max_posts: int = 3200,
    check_deleted: bool = False,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    wait_s: float | None = None,
) -> NewRead:
    """A refresh read: the account (consent checked again) and the statuses newer than the
    newest cached one (`since_id`), at most `max_posts`. With `check_deleted`, the statuses
    since the oldest cached one instead: a cached status missing from them is deleted (module
    docstring). With nothing cached, every status is read, as `fetch_mastodon`. Raises as
    `fetch_mastodon`."""
    own = client or make_client()
    fetch = Fetcher(handle, "Mastodon", own, max_wait_s(wait_s), sleep)
    newest = newest_id(cached.tweets) if cached is not None else None
    deleted: list[str] = []
    try:
        base, account = _lookup(fetch)
        if cached is None or not check_deleted or newest is None:
            tweets = _statuses(fetch, base, str(account["id"]), max_posts, newest)
        else:
            tweets, deleted = _statuses_and_deleted(fetch, base, account, cached, max_posts)
            tweets = [t for t in tweets if t.id.isdigit() and int(t.id) > int(newest)][:max_posts]
    finally:
        if client is None:
            own.close()
    read = Account(
        handle=handle,
        tweets=tweets,
        display_name=account.get("display_name") or None,
        avatar_url=account.get("avatar") or None,
        source="mastodon",
        extra={
            "id": str(account["id"]),
            "bio": html_to_text(account.get("note") or ""),
            "instance": base,
        },
    )
    if cached is None:
        how = "nothing cached"
    elif check_deleted:
        how = "checked (the statuses since the oldest cached one)"
    else:
        how = "not checked: give --check-deleted (the statuses since the oldest cached one)"
    return NewRead(read, deleted_ids=deleted, deletions=how, reads=fetch.requests)


def _statuses_and_deleted(
    fetch: Fetcher, base: str, account: dict[str, Any], cached: Account, max_posts: int
) -> tuple[list[Tweet], list[str]]:
    """(the statuses since the oldest cached one, the cached ids no longer there). Ids grow
    with time, so `since_id` = the oldest cached id - 1 gives each cached status still there,
    and `max_posts` new ones. A cached status the read cannot tell (it stopped at that bound
    before reaching it, or a non-numeric id) is asked for alone (`_is_deleted`)."""
    numeric = [int(t.id) for t in cached.tweets if t.id.isdigit()]
    bound = len(cached.tweets) + max_posts
    read = _statuses(fetch, base, str(account["id"]), bound, str(min(numeric) - 1))
    seen = {t.id for t in read}
    oldest_read = min((int(t.id) for t in read if t.id.isdigit()), default=None)
    complete = len(read) < bound  # the read reached the oldest cached status
    deleted = []
    for tweet in cached.tweets:
        if tweet.id in seen:
            continue
        told = complete or (oldest_read is not None and int(tweet.id) > oldest_read)
        if (told and tweet.id.isdigit()) or _is_deleted(fetch, base, tweet.id):
            deleted.append(tweet.id)
    return read, deleted


def _is_deleted(fetch: Fetcher, base: str, status_id: str) -> bool:
    """Whether the instance says status `status_id` is gone (404 or 410, Mastodon's own error
    shape); any other failure is `api_error`'s."""
    response = _api_get(fetch, base, f"/api/v1/statuses/{status_id}", {})
    if response.status_code == 200:
        return False
    if response.status_code in (404, 410) and _is_mastodon_error(response):
        return True
    raise api_error(fetch, base, response, "status")


def _lookup(fetch: Fetcher) -> tuple[str, dict[str, Any]]:
    """(the instance's API address, the account), through WebFinger when the handle's domain
    does not answer with the account (module docstring)."""
    base = instance_url(fetch.handle)
    response = _api_get(fetch, base, "/api/v1/accounts/lookup", {"acct": fetch.handle})
    asked_webfinger = False
    if (
        _account_in(response) is None
        and response.status_code not in (401, 403, 410)  # the host is the API: it said no
        and not os.environ.get(URL_ENV)
    ):
        asked_webfinger = True
        if (delegated := webfinger_instance(fetch)) is not None:
            base, acct = delegated
            response = _api_get(fetch, base, "/api/v1/accounts/lookup", {"acct": acct})
            asked_webfinger = False  # the host it named answered: its answer is the error
    account = _account_in(response)
    if account is None:
        raise _lookup_error(fetch, base, response, asked_webfinger)
    if account.get("suspended"):
        raise AccountNotFoundError(f"@{fetch.handle}: the Mastodon account is suspended")
    refuse_if_profile_opts_out(fetch.handle, account)
    return base, account


def _api_get(fetch: Fetcher, base: str, path: str, params: dict[str, Any]) -> httpx.Response:
    """GET a Mastodon API path at `base`, with the access token where one is set for it."""
    return fetch.get(f"{base}{path}", params, headers=token_headers(base))


def _account_in(response: httpx.Response) -> dict[str, Any] | None:
    """The account a lookup's answer holds; None when it is not a 200 with an account."""
    account = json_object(response)
    return account if account is not None and "id" in account else None


def _lookup_error(
    fetch: Fetcher, base: str, response: httpx.Response, asked_webfinger: bool
) -> SourceError:
    """The one-line error for a lookup that gave no account: what the server is and said."""
    handle, code = fetch.handle, response.status_code
    also = " (nor does WebFinger name another host)" if asked_webfinger else ""
    if response.is_redirect:
        where = response.headers.get("location", "?")
        return SourceError(
            f"@{handle}: Mastodon's lookup at {response.request.url.host} redirects to {where}"
            f"{also}; give the handle on the instance that hosts it"
        )
    if code == 200:
        return SourceError(
            f"@{handle}: Mastodon's lookup gave no account ({response.request.url}){also}; "
            "check the address"
        )
    if code in (404, 410) and _is_mastodon_error(response):
        return AccountNotFoundError(
            f"@{handle}: no such Mastodon account (HTTP {server_reason(response)}){also}; check "
            "the handle (@user@instance)"
        )
    return api_error(fetch, base, response, "lookup", also)


def api_error(
    fetch: Fetcher, base: str, response: httpx.Response, call: str, also: str = ""
) -> SourceError:
    """A failed API call (`call`: lookup, statuses) as one line naming the server's software
    (NodeInfo), its status and reason, and what to do (murmur.data.sources.fediverse)."""
    host = urlsplit(base).netloc
    software = software_of(fetch, base)
    who = f"{host} ({software})" if software else host
    said = f"its {call} answered {server_reason(response)}"
    if not has_mastodon_api(software):
        return SourceError(
            f"@{fetch.handle}: {who} has no Mastodon API ({said}){also}: murmur reads accounts "
            "on servers with Mastodon's API (Mastodon, GoToSocial, Pleroma, Akkoma, ...)"
        )
    if response.status_code in (401, 403):
        fix = (
            f"the token in ${TOKEN_ENV} was refused: give one of an account on {host}"
            if mastodon_token(base)
            else f"it requires sign-in: set ${TOKEN_ENV} to an access token of an account on {host}"
        )
        return AuthError(f"@{fetch.handle}: {who}: {said}{also}; {fix}")
    if response.status_code in (404, 410):
        return AccountNotFoundError(
            f"@{fetch.handle}: no such account on {who} ({said}){also}; check the handle "
            "(@user@instance)"
        )
    return SourceError(f"@{fetch.handle}: {who}: {said}{also}")


def _is_mastodon_error(response: httpx.Response) -> bool:
    """Whether an error answer is Mastodon's own shape, `{"error": "<text>"}`."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), str)


def webfinger_instance(fetch: Fetcher) -> tuple[str, str] | None:
    """(API address, acct to look up) of the host WebFinger names for the handle, or None when
    WebFinger answers nothing usable or names the handle's own domain (module docstring).
    Its redirects are followed to https only (`Fetcher.get_following`: else SourceError)."""
    domain = fetch.handle.partition("@")[2]
    response = fetch.get_following(
        f"https://{domain}/.well-known/webfinger", {"resource": f"acct:{fetch.handle}"}
    )
    jrd = json_object(response)  # a JSON Resource Descriptor (RFC 7033 section 4.4)
    if jrd is None:
        return None
    links = [link for link in jrd.get("links") or [] if isinstance(link, dict)]
    hrefs = [link.get("href") for link in links if link.get("rel") == "self"]
    hrefs += [link.get("href") for link in links if link.get("rel") == PROFILE_PAGE]
    bases = [b for href in hrefs if (b := _origin(str(href or ""))) is not None]
    if not bases or bases[0] == f"https://{domain}":
        return None
    subject = str(jrd.get("subject") or "")
    acct = subject.removeprefix("acct:") if subject.startswith("acct:") else fetch.handle
    return bases[0], acct


def _origin(href: str) -> str | None:
    """`https://host[:port]` of an https URL whose host is a domain name, else None (a plain
    http link is never the instance murmur reads)."""
    try:
        url = urlsplit(href)
        port = url.port
    except ValueError:
        return None
    if url.scheme != "https" or not DOMAIN_RE.fullmatch(url.hostname or ""):
        return None
    return f"https://{url.hostname}" + (f":{port}" if port else "")


def refuse_if_profile_opts_out(handle: str, account: dict[str, Any]) -> None:
    """OptedOutError for `noindex: true`, `discoverable: false` or an opt-out tag in the bio."""
    if account.get("noindex") is True:
        setting = "noindex: true (asks not to be indexed)"
    elif account.get("discoverable") is False:
        setting = "discoverable: false (asks not to be featured or found)"
    else:
        refuse_if_bio_opts_out(handle, "Mastodon", html_to_text(account.get("note") or ""))
        return
    raise OptedOutError(f"@{handle} opted out (Mastodon {setting}): not read, not trained")


def _statuses(
    fetch: Fetcher, base: str, account_id: str, max_posts: int, since_id: str | None = None
) -> list[Tweet]:
    """Pages of statuses, newest first, until `max_posts`, an empty page or one without a next
    link; with `since_id`, only statuses newer than it (sent on every page: the next link
    carries only `max_id`)."""
    url = f"{base}/api/v1/accounts/{account_id}/statuses"
    tweets: list[Tweet] = []
    max_id: str | None = None
    while len(tweets) < max_posts:
        params: dict[str, Any] = {"limit": min(PAGE_LIMIT, max_posts - len(tweets))}
        if since_id:
            params["since_id"] = since_id
        if max_id:
            params["max_id"] = max_id
        response = fetch.get(url, params, headers=token_headers(base))
        if response.status_code != 200:
            raise api_error(fetch, base, response, "statuses")
        page = fetch.json_of(response)
        if not isinstance(page, list) or not page:
            break
        tweets += [tweet_of_status(s) for s in page if isinstance(s, dict)][
            : max_posts - len(tweets)
        ]
        link = response.headers.get("link")
        next_id = _NEXT_MAX_ID.search(link) if link else None
        if link and next_id is None:
            break  # a Link header without rel="next": the last page
        max_id = next_id.group(1) if next_id else str(page[-1].get("id", ""))
    return tweets


def tweet_of_status(status: dict[str, Any]) -> Tweet:
    """A status as a Tweet: a boost is a retweet; the text is `html_to_text(content)`."""
    boosted = status.get("reblog")
    shown = boosted if isinstance(boosted, dict) else status
    return Tweet(
        id=str(status.get("id", "")),
        text=html_to_text(str(shown.get("content") or "")),
        created_at=status.get("created_at"),
        is_retweet=isinstance(boosted, dict),
    )


def load_mastodon_file(path: Path, handle: str) -> Account:
    """A saved statuses array (module docstring) as an Account; ArchiveError when it is not one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ArchiveError(f"{path}: not a JSON file ({e})") from None
    pages = doc if isinstance(doc, list) and all(isinstance(p, list) for p in doc) else [doc]
    if not all(isinstance(p, list) and all(isinstance(s, dict) for s in p) for p in pages):
        raise ArchiveError(
            f"{path}: not saved Mastodon statuses: expected the statuses endpoint's JSON array "
            "(or a list of them)"
        )
    statuses = [s for page in pages for s in page]
    account: dict[str, Any] = next(
        (s["account"] for s in statuses if isinstance(s.get("account"), dict)), {}
    )
    if account:
        refuse_if_profile_opts_out(handle, account)
    return Account(
        handle=handle,
        tweets=[tweet_of_status(s) for s in statuses],
        display_name=account.get("display_name") or None,
        avatar_url=account.get("avatar") or None,
        source="mastodon-file",
    )
