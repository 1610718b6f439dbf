"""The X API's limits against mocked HTTP: the monthly usage cap, bounded rate-limit waits and
retried 5xx answers. Nothing sleeps: the client's sleep is a list that records the waits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import responses
from responses import matchers
from urllib3 import HTTPResponse

from murmur.core.errors import ConfigError, SourceError
from murmur.data.sources import xapi, xclient

TOKEN = "AAAAAAAAAAAAAAAAAAAAAInventedTokenForLimits%2Fq1"
API = "https://api.twitter.com/2"
USER_ID = "1460000000000000002"
TIMELINE = f"{API}/users/{USER_ID}/tweets"
USAGE_CAPPED = {
    "account_id": 1710000000,
    "product_name": "standard-basic",
    "title": "UsageCapExceeded",
    "period": "Monthly",
    "scope": "Product",
    "detail": "Usage cap exceeded: Monthly product cap",
    "type": "https://api.twitter.com/2/problems/usage-capped",
}
TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[responses.RequestsMock]:
    monkeypatch.setenv(xapi.TOKEN_ENV, TOKEN)
    monkeypatch.delenv(xclient.MAX_WAIT_ENV, raising=False)
    monkeypatch.delenv(xclient.MAX_RETRIES_ENV, raising=False)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            f"{API}/users/by/username/sample_baker",
            json={
                "data": {
                    "id": USER_ID,
                    "name": "Sample Baker",
                    "username": "sample_baker",
                    "protected": False,
                }
            },
            match=[
                matchers.query_param_matcher(
                    {"user.fields": "name,profile_image_url,protected,description"}
                )
            ],
        )
        yield mock


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait asked for, in seconds; time.sleep is patched too, so nothing can really sleep."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


def tweet(n: int) -> dict[str, Any]:
    tid = str(1750000000000000000 + n)
    return {
        "id": tid,
        "edit_history_tweet_ids": [tid],
        "created_at": "2024-02-03T10:00:00.000Z",
        "text": f"loaf {n} out of the oven",
    }


def page(tweets: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "result_count": len(tweets),
        "newest_id": tweets[0]["id"],
        "oldest_id": tweets[-1]["id"],
    }
    if next_token:
        meta["next_token"] = next_token
    return {"data": tweets, "meta": meta}


def limit_headers(remaining: int, reset: int | None) -> dict[str, str]:
    headers = {"x-rate-limit-limit": "1500", "x-rate-limit-remaining": str(remaining)}
    if reset is not None:
        headers["x-rate-limit-reset"] = str(reset)
    return headers


def timeline_calls(api: responses.RequestsMock) -> int:
    return sum(str(c.request.url).startswith(TIMELINE) for c in api.calls)


@pytest.mark.parametrize("reset_header", [True, False])
def test_usage_cap_fails_the_handle_at_once(
    api: responses.RequestsMock, slept: list[float], reset_header: bool
) -> None:
    """tweepy alone waits forever here, or without a reset header recurses to RecursionError."""
    reset = int(time.time()) + 600 if reset_header else None
    api.get(TIMELINE, status=429, headers=limit_headers(1499, reset), json=USAGE_CAPPED)

    with pytest.raises(
        xapi.UsageCapError, match=r"monthly usage cap is exhausted; @sample_baker"
    ) as info:
        xapi.fetch_account("sample_baker")

    assert isinstance(info.value, SourceError)
    assert info.value.__context__ is None and info.value.__cause__ is None  # no response, no token
    assert "Monthly product cap" in str(info.value) and "--tweets DIR" in str(info.value)
    assert slept == [] and timeline_calls(api) == 1


def test_usage_cap_on_a_later_page(api: responses.RequestsMock, slept: list[float]) -> None:
    api.get(TIMELINE, json=page([tweet(i) for i in range(100)], next_token="token1"))
    api.get(
        TIMELINE, status=429, headers=limit_headers(1400, None), json={"errors": [USAGE_CAPPED]}
    )
    with pytest.raises(xapi.UsageCapError):
        xapi.fetch_account("sample_baker")
    assert slept == [] and timeline_calls(api) == 2


def test_rate_limit_waits_are_bounded_then_the_reset_time_is_given(
    api: responses.RequestsMock, slept: list[float]
) -> None:
    reset = int(time.time()) + 120
    api.get(TIMELINE, status=429, headers=limit_headers(0, reset), json=TOO_MANY)
    iso = datetime.fromtimestamp(reset, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    with pytest.raises(
        xapi.RateLimitError, match=rf"still rate-limited after 3 waits.*resets at {iso} \(UTC\)"
    ):
        xapi.fetch_account("sample_baker")

    assert len(slept) == 3 and all(115 <= s <= 122 for s in slept)  # until the reset, + 1 s
    assert timeline_calls(api) == 4  # the first try and 3 retries


def test_a_reset_beyond_the_longest_wait_fails_without_waiting(
    api: responses.RequestsMock, slept: list[float]
) -> None:
    reset = int(time.time()) + 3600
    api.get(TIMELINE, status=429, headers=limit_headers(0, reset), json=TOO_MANY)
    with pytest.raises(
        xapi.RateLimitError,
        match=r"resets in 3[56]\d\d s, longer than the 900 s.*MURMUR_X_MAX_WAIT_S",
    ):
        xapi.fetch_account("sample_baker")
    assert slept == [] and timeline_calls(api) == 1


def test_waits_configured_by_environment(
    api: responses.RequestsMock, slept: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(xclient.MAX_WAIT_ENV, "30")
    monkeypatch.setenv(xclient.MAX_RETRIES_ENV, "1")
    api.get(TIMELINE, status=429, headers=limit_headers(0, None), json=TOO_MANY)  # no reset header
    api.get(TIMELINE, json=page([tweet(1), tweet(2)]))

    assert len(xapi.fetch_account("sample_baker").tweets) == 2
    assert slept == [30.0]  # 60 s without a reset header, capped at the 30 s allowed

    api.remove(responses.GET, TIMELINE)
    api.get(TIMELINE, status=429, headers=limit_headers(0, None), json=TOO_MANY)
    slept.clear()
    with pytest.raises(xapi.RateLimitError, match=r"after 1 waits.*X gave no reset time"):
        xapi.fetch_account("sample_baker")
    assert slept == [30.0]


def test_waits_configured_by_arguments_and_an_injected_sleep(api: responses.RequestsMock) -> None:
    waits: list[float] = []
    client = xapi.make_client(max_wait_s=1000, max_retries=5, sleep=waits.append)
    for _ in range(4):
        api.get(TIMELINE, status=429, headers=limit_headers(0, None), json=TOO_MANY)
    api.get(TIMELINE, json=page([tweet(1)]))

    assert len(xapi.fetch_account("sample_baker", client=client).tweets) == 1
    assert waits == [60.0, 120.0, 240.0, 480.0]  # doubling without a reset header


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        (xclient.MAX_WAIT_ENV, "ten minutes", r"MURMUR_X_MAX_WAIT_S='ten minutes': give seconds"),
        (xclient.MAX_RETRIES_ENV, "-1", r"MURMUR_X_MAX_RETRIES='-1': give a whole number"),
    ],
)
def test_a_bad_bound_is_refused(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    monkeypatch.setenv(xapi.TOKEN_ENV, TOKEN)
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=message):
        xapi.fetch_account("sample_baker")
    monkeypatch.delenv(env)
    with pytest.raises(ConfigError, match=r"max_retries=2.5"):
        xapi.make_client(max_retries=2.5)  # type: ignore[arg-type]


def server_error(status: int) -> dict[str, Any]:
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status]
    return {"title": reason, "detail": reason, "type": "about:blank", "status": status}


def test_server_errors_are_retried_with_backoff(
    api: responses.RequestsMock, slept: list[float]
) -> None:
    api.get(TIMELINE, status=502, json=server_error(502))
    api.get(TIMELINE, status=503, json=server_error(503))
    api.get(TIMELINE, json=page([tweet(1), tweet(2), tweet(3)]))

    assert len(xapi.fetch_account("sample_baker").tweets) == 3
    assert timeline_calls(api) == 3


def test_server_errors_fail_after_three_retries(api: responses.RequestsMock) -> None:
    api.get(TIMELINE, status=500, json=server_error(500))  # answers every try
    with pytest.raises(
        SourceError, match=r"failed on its side.*500 Internal Server Error.*try again later"
    ):
        xapi.fetch_account("sample_baker")
    assert timeline_calls(api) == 4


def test_the_retry_mounted_on_tweepys_session() -> None:
    client = xapi.make_client(TOKEN)
    retry = client.session.get_adapter(f"{API}/users/1/tweets").max_retries
    assert (retry.total, retry.status, retry.connect, retry.read) == (3, 3, 0, False)
    assert {500, 502, 503, 504} <= set(retry.status_forcelist or ())
    assert 429 not in (retry.status_forcelist or ())  # 429s are the client's, bounded above
    backoffs = []
    for _ in range(3):  # the sleeps urllib3 takes before each retry
        answer = HTTPResponse(status=503)
        retry = retry.increment(method="GET", url="/2/users/1/tweets", response=answer)
        backoffs.append(retry.get_backoff_time())
    assert backoffs == [0.0, 4.0, 8.0]
