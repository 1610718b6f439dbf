"""A refresh's read (murmur.data.new_posts): against the X, Bluesky and Mastodon stand-ins and an
archive export, an account gains 300 posts and loses 5; the refresh asks only for what is new
(requests counted at the stand-in), merges by id, reports deletions as each network allows,
checks consent again, and saves the merged posts with the time they were read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import responses
import respx
from social_fakes import (
    BSKY,
    MASTO,
    FakeBluesky,
    FakeMastodon,
    FakeX,
    bsky_post,
    local_server,
    masto_status,
    x_tweet,
)

from murmur.core.clock import parse_stamp
from murmur.core.errors import OptedOutError, SourceError
from murmur.core.store import Store
from murmur.data.consent import expected_new_posts, opt_out, x_refresh_reads
from murmur.data.new_posts import read_new_posts, report_lines, stats_of
from murmur.data.sources import source_env
from murmur.data.sources.bluesky import read_bluesky
from murmur.data.synthetic import generate_account, write_archive_zip

X_HANDLE, BSKY_HANDLE, MASTO_HANDLE = "sample_baker", "alice.bsky.social", "bob@mastodon.example"
DID = "did:plc:alice"
OLD, NEW, GONE = 200, 300, [3, 50, 51, 120, 199]  # GONE: positions among the old posts


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("MURMUR_BLUESKY_URL", BSKY)
    monkeypatch.setenv("MURMUR_MASTODON_URL", MASTO)
    monkeypatch.setenv("X_BEARER_TOKEN", "test-token")
    return Store(str(tmp_path / "store"))


def _without_gone(old: list[dict]) -> list[dict]:
    return [item for i, item in enumerate(old) if i not in GONE]


@pytest.fixture
def x_api() -> Iterator[tuple[FakeX, list[dict], list[dict]]]:
    """X with OLD tweets (newest first); yields (fake, old, new) with NEW newer ones made."""
    fake = FakeX()
    old = [x_tweet(n) for n in range(OLD, 0, -1)]
    new = [x_tweet(n) for n in range(OLD + NEW, OLD, -1)]
    fake.add(X_HANDLE, old)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        fake.install(mock)
        yield fake, old, new


def test_x_reads_only_the_new_pages_and_says_deletions_are_not_visible(
    store: Store, x_api: tuple[FakeX, list[dict], list[dict]]
) -> None:
    fake, old, new = x_api
    first = read_new_posts(X_HANDLE, store)
    assert first.previous_read_at is None and len(first.new_ids) == OLD
    assert first.reads == len(fake.calls) == 1 + 2  # lookup + 2 pages of 100

    user_id = fake.users[X_HANDLE]["id"]
    fake.timelines[user_id] = new + _without_gone(old)
    fake.calls.clear()
    update = read_new_posts(X_HANDLE, store)

    assert len(fake.calls) == update.reads == 1 + 3  # lookup + 300 new = 3 pages of 100
    assert sorted(update.new_ids) == sorted(t["id"] for t in new)
    assert update.deleted_ids == [] and update.deletions == "X cannot show deletions"
    assert len(update.account.tweets) == OLD + NEW  # the deleted 5 cannot be seen: kept
    assert update.previous_read_at == first.read_at
    cached = store.load_raw(X_HANDLE)
    assert cached is not None and cached.read_at == update.read_at
    assert parse_stamp(update.read_at) >= parse_stamp(first.read_at)
    assert [t.id for t in cached.tweets] == [t.id for t in update.account.tweets]


def _bluesky(fake: FakeBluesky, items: list[dict]) -> None:
    fake.add(BSKY_HANDLE, items, did=DID)


def test_bluesky_stops_at_the_first_cached_post_and_finds_deletions_with_get_posts(
    store: Store,
) -> None:
    fake = FakeBluesky()
    old = [bsky_post(BSKY_HANDLE, DID, i) for i in range(OLD - 1, -1, -1)]
    new = [bsky_post(BSKY_HANDLE, DID, i) for i in range(OLD + NEW - 1, OLD - 1, -1)]
    _bluesky(fake, old)
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        get_posts = fake.install_get_posts(router)
        first = read_new_posts(BSKY_HANDLE, store)
        assert first.reads == 1 + 2 and get_posts.call_count == 0

        _bluesky(fake, new + _without_gone(old))
        asked = len(router.calls)
        update = read_new_posts(BSKY_HANDLE, store)
        requests = len(router.calls) - asked

    # profile + 3 pages of new posts + the page that reaches the first cached one; 200 URIs / 25
    assert len(fake.feed_limits) == 2 + 4
    assert get_posts.call_count == OLD // 25
    assert update.reads == requests == 1 + 4 + OLD // 25
    gone = {old[i]["post"]["uri"] for i in GONE}
    assert set(update.deleted_ids) == gone and len(update.deleted_ids) == len(GONE)
    assert update.deletions == f"checked (getPosts, {OLD // 25} calls)"
    assert sorted(update.new_ids) == sorted(i["post"]["uri"] for i in new)
    assert len(update.account.tweets) == OLD + NEW - len(GONE)
    assert not gone & {t.id for t in update.account.tweets}


@pytest.mark.parametrize(("check_deleted", "max_posts"), [(False, 3200), (True, 3200), (True, 250)])
def test_mastodon_reads_since_the_newest_status_and_checks_deletions_when_asked(
    store: Store, check_deleted: bool, max_posts: int
) -> None:
    fake = FakeMastodon()
    old = [masto_status(i) for i in range(OLD)]  # ids fall as i grows
    new = [masto_status(-j) for j in range(NEW, 0, -1)]  # newer: larger ids, newest first
    fake.add(MASTO_HANDLE, old)
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        status = fake.install_status(router)
        first = read_new_posts(MASTO_HANDLE, store)
        assert first.reads == 1 + 5  # lookup + 200 / 40 pages

        fake.statuses[fake.accounts[MASTO_HANDLE]["id"]] = new + _without_gone(old)
        asked = len(router.calls)
        fake.limits.clear()
        update = read_new_posts(
            MASTO_HANDLE, store, check_deleted=check_deleted, max_posts=max_posts
        )
        requests = len(router.calls) - asked

    if not check_deleted:  # 300 new: 7 full pages and one of 20, without a next link
        pages, gets = -(-NEW // 40), 0
    elif max_posts > NEW:  # every status since the oldest cached: 300 new + 195 old
        pages, gets = -(-(NEW + OLD - len(GONE)) // 40), 0
    else:  # stops at 200 + 250 statuses (old[153] the oldest read): old[154:] asked alone
        pages, gets = -(-(OLD + max_posts) // 40), OLD - 154
    assert len(fake.limits) == pages and status.call_count == gets
    assert update.reads == requests == 1 + pages + gets
    kept_new = sorted(s["id"] for s in new)[-max_posts:]  # the cap keeps the newest
    assert sorted(update.new_ids) == kept_new
    if check_deleted:
        assert sorted(update.deleted_ids) == sorted(old[i]["id"] for i in GONE)
        assert len(update.account.tweets) == min(max_posts, OLD + NEW - len(GONE))
        assert update.deletions == "checked (the statuses since the oldest cached one)"
    else:
        assert update.deleted_ids == [] and "--check-deleted" in update.deletions
        assert len(update.account.tweets) == OLD + NEW


def test_a_newer_export_replaces_the_cached_archive(store: Store, tmp_path: Path) -> None:
    everything = generate_account("someone", OLD + NEW, seed=3)  # newest first
    old = replace(everything, tweets=everything.tweets[NEW:])
    newer = replace(everything, tweets=everything.tweets[:NEW] + _without_gone(old.tweets))
    first_dir, second_dir = tmp_path / "export1", tmp_path / "export2"
    first_dir.mkdir()
    second_dir.mkdir()
    write_archive_zip(old, first_dir / "someone.zip")
    write_archive_zip(newer, second_dir / "someone.zip")

    first = read_new_posts("someone", store, tweets_dir=first_dir)
    assert len(first.new_ids) == OLD and first.reads == 0
    with pytest.raises(SourceError, match=r"^@someone was read from an X archive: give a newer"):
        read_new_posts("someone", store)
    update = read_new_posts("someone", store, tweets_dir=second_dir)

    assert update.reads == 0 and update.deletions == "the newer export replaces the cache"
    assert sorted(update.new_ids) == sorted(t.id for t in everything.tweets[:NEW])
    assert sorted(update.deleted_ids) == sorted(old.tweets[i].id for i in GONE)
    assert len(update.account.tweets) == OLD + NEW - len(GONE)
    assert update.account.source == "archive"


def test_consent_is_checked_again_on_every_read(store: Store) -> None:
    fake = FakeBluesky()
    _bluesky(fake, [bsky_post(BSKY_HANDLE, DID, i) for i in range(30)])
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        fake.install_get_posts(router)
        read_new_posts(BSKY_HANDLE, store)
        fake.profiles[BSKY_HANDLE]["description"] = "gardens. #nobot"
        asked = len(router.calls)
        with pytest.raises(OptedOutError, match=r"^@alice.bsky.social opted out .*#nobot"):
            read_new_posts(BSKY_HANDLE, store)
        assert len(router.calls) - asked == 1  # the profile only: no post was read
        opt_out(store, [BSKY_HANDLE])
        asked = len(router.calls)
        with pytest.raises(OptedOutError, match="denylist"):
            read_new_posts(BSKY_HANDLE, store)
        assert len(router.calls) == asked  # refused before the network is asked


def test_x_bio_opt_out_is_refused(
    store: Store, x_api: tuple[FakeX, list[dict], list[dict]]
) -> None:
    fake, _, _ = x_api
    fake.users[X_HANDLE]["description"] = "Bread, mostly. #NoAI"
    with pytest.raises(OptedOutError, match=r"^@sample_baker opted out of bots \(#noai"):
        read_new_posts(X_HANDLE, store)
    assert store.load_raw(X_HANDLE) is None


def test_report_lines_give_the_figures_before_and_after(
    store: Store, x_api: tuple[FakeX, list[dict], list[dict]]
) -> None:
    fake, old, new = x_api
    fake.timelines[fake.users[X_HANDLE]["id"]] = [*old, x_tweet(0, retweet=True)]
    first = read_new_posts(X_HANDLE, store)
    before = stats_of(first.account)
    fake.timelines[fake.users[X_HANDLE]["id"]] = [*new, *old, x_tweet(0, retweet=True)]
    update = read_new_posts(X_HANDLE, store)
    after = stats_of(update.account)

    lines = report_lines(update, before, after)
    assert lines[0].startswith(f"@{X_HANDLE}: 300 new posts, 0 deleted (deletions: X cannot")
    assert lines[2].split() == ["tweets", "downloaded", "201", "501"]
    assert lines[3].split() == ["retweets", "1", "1"]
    assert lines[5].split() == ["tweets", "kept", "200", "500"]
    assert lines[-1] == "  new posts: 300 (0 retweets, 0 short, 300 kept)"
    assert report_lines(first, None, before)[2].split() == ["tweets", "downloaded", "-", "201"]


def test_the_x_refresh_estimate_follows_the_posting_rate(
    store: Store, x_api: tuple[FakeX, list[dict], list[dict]]
) -> None:
    fake, old, new = x_api  # one tweet a minute
    read_new_posts(X_HANDLE, store)
    cached = store.load_raw(X_HANDLE)
    assert cached is not None and cached.read_at is not None
    later = parse_stamp(cached.read_at) + NEW * 60  # 300 minutes on: ~300 new tweets
    assert expected_new_posts(cached, later) == pytest.approx(NEW, rel=0.01)
    handles = [X_HANDLE, BSKY_HANDLE, "never_read"]  # Bluesky costs nothing; uncached: full read
    assert x_refresh_reads(store, handles, 3200, now=later) == (1 + 3) + (1 + 32)

    fake.timelines[fake.users[X_HANDLE]["id"]] = new + old
    assert read_new_posts(X_HANDLE, store).reads == 1 + 3  # what the estimate said


def test_a_rate_limited_deletion_check_is_waited_out_and_counted(store: Store) -> None:
    fake = FakeBluesky()
    _bluesky(fake, [bsky_post(BSKY_HANDLE, DID, i) for i in range(29, -1, -1)])
    answers = [httpx.Response(429, headers={"retry-after": "7"})]
    waits: list[float] = []

    def get_posts(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else fake._get_posts(request)

    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        router.get(f"{BSKY}/xrpc/app.bsky.feed.getPosts").mock(side_effect=get_posts)
        read_new_posts(BSKY_HANDLE, store)
        cached = store.load_raw(BSKY_HANDLE)
        read = read_bluesky(BSKY_HANDLE, cached, sleep=waits.append)
        assert waits == [7.0]
        assert (
            read.reads == 1 + 1 + 3
        )  # profile, the page reaching the cache, 25 + 5 URIs + 1 retry
        assert read.account.tweets == [] and read.deleted_ids == []

        answers.append(httpx.Response(400, json={"error": "InvalidRequest", "message": "bad uri"}))
        with pytest.raises(
            SourceError, match=r"^@alice.bsky.social: Bluesky's getPosts answered 400"
        ):
            read_bluesky(BSKY_HANDLE, cached, sleep=waits.append)


def test_the_x_stand_in_serves_other_processes_through_murmur_x_url(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeX()
    fake.add(X_HANDLE, [x_tweet(n) for n in range(120, 0, -1)])
    with local_server(fake) as url:
        monkeypatch.setenv("MURMUR_X_URL", url)
        assert source_env()["MURMUR_X_URL"] == url  # what a job hands its tasks
        update = read_new_posts(X_HANDLE, store)
    assert len(update.new_ids) == 120 and update.reads == len(fake.calls) == 1 + 2
