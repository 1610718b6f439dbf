"""The X API v2 source against mocked HTTP shaped like real v2 answers (tweepy's own requests)."""

from __future__ import annotations

import logging
import pickle
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from murmur.core.errors import AccountNotFoundError, AuthError, SourceError
from murmur.data.sources import xapi

TOKEN = "AAAAAAAAAAAAAAAAAAAAAPlantedSecretToken%2Fz9XyQ"
API = "https://api.twitter.com/2"
USER_ID = "1460000000000000001"
USER_PARAMS = {"user.fields": "name,profile_image_url,protected,description"}
TWEET_FIELDS = "created_at,referenced_tweets,note_tweet"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[responses.RequestsMock]:
    monkeypatch.setenv(xapi.TOKEN_ENV, TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def add_user(
    api: responses.RequestsMock, handle: str, *, protected: bool = False, body: Any = None
) -> None:
    if body is None:
        body = {
            "data": {
                "id": USER_ID,
                "name": "Sample Baker",
                "username": handle,
                "protected": protected,
                "profile_image_url": "https://pbs.twimg.com/profile_images/1/abc_normal.jpg",
            }
        }
    api.get(
        f"{API}/users/by/username/{handle}",
        json=body,
        match=[matchers.query_param_matcher(USER_PARAMS)],
    )


def tweet(n: int, *, retweet: bool = False) -> dict[str, Any]:
    tid = str(1750000000000000000 + n)
    obj: dict[str, Any] = {
        "id": tid,
        "edit_history_tweet_ids": [tid],
        "created_at": f"2024-02-03T{n // 60 % 24:02d}:{n % 60:02d}:00.000Z",
        "text": f"RT @news_desk: story number {n} https://t.co/x{n}"
        if retweet
        else f"fresh bread number {n} out of the oven",
    }
    if retweet:
        obj["referenced_tweets"] = [{"type": "retweeted", "id": str(1740000000000000000 + n)}]
    return obj


def add_timeline_pages(
    api: responses.RequestsMock, pages: list[list[dict[str, Any]]], *, max_results: int = 100
) -> None:
    """One mocked answer per page, each matched on the exact query tweepy sends for it."""
    for i, data in enumerate(pages):
        params = {"max_results": str(max_results), "tweet.fields": TWEET_FIELDS}
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta |= {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"]}
        if i > 0:
            params["pagination_token"] = f"token{i}"
            meta["previous_token"] = f"prev{i}"
        if i < len(pages) - 1:
            meta["next_token"] = f"token{i + 1}"
        body = {"data": data, "meta": meta} if data else {"meta": meta}
        api.get(
            f"{API}/users/{USER_ID}/tweets",
            json=body,
            match=[matchers.query_param_matcher(params)],
        )


def not_found_error(handle: str, detail: str, title: str) -> dict[str, Any]:
    return {
        "errors": [
            {
                "value": handle,
                "detail": detail,
                "title": title,
                "resource_type": "user",
                "parameter": "username",
                "resource_id": handle,
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
        ]
    }


def test_pages_through_the_timeline_with_next_tokens(
    api: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    add_user(api, "sample_baker")
    add_timeline_pages(
        api,
        [
            [tweet(i, retweet=i % 10 == 0) for i in range(100)],
            [tweet(i) for i in range(100, 200)],
            [tweet(i) for i in range(200, 250)],
        ],
    )
    caplog.set_level(logging.INFO, logger="murmur")

    account = xapi.fetch_account("@Sample_Baker")

    assert account.handle == "sample_baker"
    assert account.source == "x-api"
    assert account.display_name == "Sample Baker"
    assert account.avatar_url == "https://pbs.twimg.com/profile_images/1/abc_normal.jpg"
    assert [t.id for t in account.tweets] == [tweet(i)["id"] for i in range(250)]
    assert sum(t.is_retweet for t in account.tweets) == 10
    first = account.tweets[0]
    assert first.is_retweet
    assert first.text == "RT @news_desk: story number 0 https://t.co/x0"  # kept as v2 gives it
    assert first.created_at == "2024-02-03T00:00:00.000Z"
    assert not account.tweets[1].is_retweet
    # tweepy's exact requests: the lookup, then three timeline pages, each with the token, a timeout
    urls = [call.request.url for call in api.calls]
    assert len(urls) == 4
    assert "pagination_token=token2" in str(urls[3])
    assert api.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert all(call.request.req_kwargs["timeout"] == xapi.TIMEOUT_S for call in api.calls)  # type: ignore[attr-defined]
    lines = [r.getMessage() for r in caplog.records if r.name == "murmur.data.sources.xapi"]
    assert lines == [
        "sample_baker: fetched 100 tweets so far",
        "sample_baker: fetched 200 tweets so far",
        "sample_baker: fetched 250 tweets so far",
    ]


@pytest.mark.parametrize(("max_tweets", "page_size", "pages_read"), [(150, 100, 2), (3, 5, 1)])
def test_max_tweets_caps_the_pages_read(
    api: responses.RequestsMock, max_tweets: int, page_size: int, pages_read: int
) -> None:
    add_user(api, "sample_baker")
    add_timeline_pages(
        api,
        [[tweet(i) for i in range(p * page_size, (p + 1) * page_size)] for p in range(3)],
        max_results=page_size,
    )

    account = xapi.fetch_account("sample_baker", max_tweets=max_tweets)

    assert [t.id for t in account.tweets] == [tweet(i)["id"] for i in range(max_tweets)]
    assert len(api.calls) == 1 + pages_read


def test_an_account_without_tweets_gives_none(api: responses.RequestsMock) -> None:
    add_user(api, "sample_baker")
    add_timeline_pages(api, [[]])

    account = xapi.fetch_account("sample_baker")

    assert account.tweets == []
    assert account.display_name == "Sample Baker"


def test_missing_user(api: responses.RequestsMock) -> None:
    add_user(
        api,
        "nobody_here_123",
        body=not_found_error(
            "nobody_here_123",
            "Could not find user with username: [nobody_here_123].",
            "Not Found Error",
        ),
    )
    with pytest.raises(AccountNotFoundError, match=r"@nobody_here_123 does not exist on X"):
        xapi.fetch_account("nobody_here_123")


def test_suspended_user(api: responses.RequestsMock) -> None:
    add_user(
        api,
        "gone_account",
        body=not_found_error(
            "gone_account", "User has been suspended: [gone_account].", "Forbidden"
        ),
    )
    with pytest.raises(AccountNotFoundError, match=r"@gone_account is suspended"):
        xapi.fetch_account("gone_account")


def test_protected_user_in_its_profile(api: responses.RequestsMock) -> None:
    add_user(api, "locked_door", protected=True)
    with pytest.raises(AccountNotFoundError, match=r"@locked_door is protected.*--tweets DIR"):
        xapi.fetch_account("locked_door")
    assert len(api.calls) == 1  # the timeline is not even asked for


def test_protected_user_refused_by_the_timeline(api: responses.RequestsMock) -> None:
    add_user(api, "locked_door")
    api.get(
        f"{API}/users/{USER_ID}/tweets",
        json={
            "errors": [
                {
                    "resource_id": USER_ID,
                    "parameter": "id",
                    "resource_type": "user",
                    "section": "data",
                    "title": "Authorization Error",
                    "value": USER_ID,
                    "detail": f"Sorry, you are not authorized to see the user with id: [{USER_ID}].",
                    "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
                }
            ]
        },
    )
    with pytest.raises(AccountNotFoundError, match=r"@locked_door is protected"):
        xapi.fetch_account("locked_door")


def test_refused_token(api: responses.RequestsMock) -> None:
    api.get(
        f"{API}/users/by/username/sample_baker",
        status=401,
        json={
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        },
    )
    with pytest.raises(
        AuthError, match=r"refused the bearer token.*401 Unauthorized.*X_BEARER_TOKEN"
    ):
        xapi.fetch_account("sample_baker")


def test_token_of_an_app_without_v2_access(api: responses.RequestsMock) -> None:
    api.get(
        f"{API}/users/by/username/sample_baker",
        status=403,
        json={
            "client_id": "27000000",
            "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use "
            "keys and tokens from a Twitter developer App that is attached to a Project.",
            "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
            "title": "Client Forbidden",
            "required_enrollment": "Appropriate Level of API Access",
            "reason": "client-not-enrolled",
            "type": "https://api.twitter.com/2/problems/client-forbidden",
        },
    )
    with pytest.raises(AuthError, match=r"403 Forbidden.*attached to a Project"):
        xapi.fetch_account("sample_baker")


def test_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(xapi.TOKEN_ENV, raising=False)
    with pytest.raises(AuthError, match=r"set the environment variable X_BEARER_TOKEN"):
        xapi.fetch_account("sample_baker")


def test_rate_limit_is_waited_out(
    api: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # tweepy.client calls time.sleep
    reset = int(time.time()) + 900
    add_user(api, "sample_baker")
    api.get(
        f"{API}/users/{USER_ID}/tweets",
        status=429,
        headers={
            "x-rate-limit-limit": "1500",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
        json={
            "title": "Too Many Requests",
            "detail": "Too Many Requests",
            "type": "about:blank",
            "status": 429,
        },
    )
    add_timeline_pages(api, [[tweet(1), tweet(2)]])

    account = xapi.fetch_account("sample_baker")

    assert len(account.tweets) == 2
    assert len(slept) == 1 and 895 <= slept[0] <= 902  # waited until the reset, did not fail


def test_server_error(api: responses.RequestsMock) -> None:
    add_user(api, "sample_baker")
    api.get(
        f"{API}/users/{USER_ID}/tweets",
        status=503,
        json={
            "title": "Service Unavailable",
            "detail": "Service Unavailable",
            "type": "about:blank",
            "status": 503,
        },
    )
    with pytest.raises(SourceError, match=r"failed on its side.*503 Service Unavailable") as info:
        xapi.fetch_account("sample_baker")
    assert not isinstance(info.value, AuthError | AccountNotFoundError)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            requests.ConnectionError("Failed to establish a new connection: [Errno 111]"),
            r"could not reach the X API for @sample_baker.*Errno 111.*network",
        ),
        (
            requests.ReadTimeout("Read timed out. (read timeout=60.0)"),
            r"did not answer in time for @sample_baker.*Read timed out",
        ),
    ],
)
def test_network_failure(api: responses.RequestsMock, failure: Exception, message: str) -> None:
    api.get(f"{API}/users/by/username/sample_baker", body=failure)
    with pytest.raises(SourceError, match=message):
        xapi.fetch_account("sample_baker")


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


def test_the_token_appears_in_no_message_log_or_exception_chain(
    api: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # tweepy's DEBUG lines print the request headers
    add_user(api, "sample_baker")
    add_timeline_pages(api, [[tweet(1)]])
    account = xapi.fetch_account("sample_baker", bearer_token=TOKEN)
    assert TOKEN not in repr(account)

    api.get(
        f"{API}/users/by/username/refused",
        status=401,
        json={
            "title": "Unauthorized",
            "type": "about:blank",
            "status": 401,
            "detail": "Unauthorized",
        },
    )
    api.get(f"{API}/users/by/username/offline", body=requests.ConnectionError("down"))
    raised: list[BaseException] = []
    for handle in ("refused", "offline"):
        with pytest.raises(SourceError) as info:
            xapi.fetch_account(handle, bearer_token=TOKEN)
        raised.extend(_chain(info.value))

    assert "Bearer ***" in caplog.text  # tweepy did log its headers, masked
    assert TOKEN not in caplog.text
    for exc in raised:
        assert TOKEN not in str(exc) and TOKEN not in repr(exc)
        assert TOKEN.encode() not in pickle.dumps(exc)  # what Ray ships between processes
