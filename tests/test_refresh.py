"""`murmur refresh`: a published bot's new posts, read alone from a stand-in AppView (counted
there), train its next version from the published weights; version 2 has the right figures, a
lower loss on the new posts' held-back part and at most 5% more on version 1's validation posts;
`murmur rollback` brings version 1 back; an account that opted out has its bot taken down; wrong
input ends in one line. The deprecated `--refresh` of train and prepare says to use --redownload.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from social_fakes import FakeBluesky, bsky_post, local_server
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.handles import model_name
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import MANIFEST, Store
from murmur.data.refresh_plan import REPLAY_MIN, draw_old_posts
from murmur.jobs import JobRequest

runner = CliRunner()
HANDLE = "alice.bsky.social"
DID = "did:plc:alice"
NAME = model_name([HANDLE])
TRAIN = ["--base-model", "tiny", "--block-size", "64", "--micro-batch", "4", "--max-steps", "4"]


def _feed(numbers: list[int]) -> list[dict[str, Any]]:
    """The account's feed, newest (highest number) first."""
    return [bsky_post(HANDLE, DID, i) for i in sorted(numbers, reverse=True)]


@pytest.fixture
def appview(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBluesky]:
    """The stand-in AppView on 127.0.0.1 (the job's tasks read it from Ray workers)."""
    bsky = FakeBluesky()
    bsky.add(HANDLE, _feed(list(range(150))))
    with local_server(bsky) as url:
        monkeypatch.setenv("MURMUR_BLUESKY_URL", url)
        yield bsky


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.mark.ray
@pytest.mark.slow
def test_refresh_reads_the_new_posts_and_publishes_version_2(
    ray_cluster: None, appview: FakeBluesky, tmp_path: Path
) -> None:
    root = str(tmp_path / "store")
    common = ["--store", root, "--no-wandb", "--json"]
    trained = _invoke("train", HANDLE, *common, *TRAIN)
    assert trained.exit_code == 0, trained.output
    st = Store(root)
    v1 = st.resolve_version(NAME)
    assert st.load_manifest(NAME).posts_read_at.keys() == {HANDLE}
    # The account gains 300 posts (150..449) and loses 5 (10..14).
    appview.feeds[HANDLE] = _feed([i for i in range(450) if not 10 <= i < 15])
    calls_before = len(appview.feed_limits)
    refreshed = _invoke("refresh", NAME, *common, "--max-steps", "12")
    assert refreshed.exit_code == 0, refreshed.output
    (row,) = json.loads(refreshed.stdout)
    assert row["status"] == "published", row
    # Read until the first cached post: 3 pages of new posts and the page that reaches a cached
    # one, not the 5 pages of the whole feed.
    assert len(appview.feed_limits) - calls_before == 4
    m = st.load_manifest(NAME)
    assert st.list_versions(NAME) == [m.version, v1] and row["version"] == m.version
    r = m.refresh
    assert r is not None and r.from_version == v1 and r.mode == "continued"
    assert (r.new_posts, r.deleted_posts) == ({HANDLE: 300}, {HANDLE: 5})
    (stat,) = m.stats
    assert (stat.tweets_downloaded, stat.tweets_kept) == (445, 445)
    assert r.previous_stats[0].tweets_kept == 150
    assert (r.train_new, r.validation_new) == (270, 30)
    # v1's 150 posts less the 5 deleted: its validation posts, and its training posts replayed
    # all (fewer than max(270 new, REPLAY_MIN)).
    assert r.train_old + r.validation_old == 145 and r.train_old < max(270, REPLAY_MIN)
    assert r.val_loss_new_after < r.val_loss_new_before  # before = version 1 itself
    assert r.val_loss_old_after <= 1.05 * r.val_loss_old_before
    card = st.read_card(NAME)
    assert "## Versions" in card and v1 in card and m.version in card and "## Refresh" in card
    posts = json.loads(Path(st.current_path(NAME), "posts.json").read_text())
    assert len(posts["train"]) == r.train_old + 270  # all it has trained on, for the next one
    assert len(posts["validation"]) == 30 + r.validation_old

    again = _invoke("refresh", NAME, *common)  # nothing new since: one line, nothing published
    assert again.exit_code == 1
    last = again.stderr.strip().splitlines()[-1]  # after the job's own `murmur status` line
    assert last.startswith("error: nothing new: ") and "too few new posts: 0 kept" in last
    assert st.list_versions(NAME)[0] == m.version
    fresh = _invoke("refresh", "--all", "--older-than", "7d", "--store", root)
    assert fresh.exit_code == 0 and "nothing to refresh" in fresh.stdout

    back = _invoke("rollback", NAME, v1, "--yes", "--store", root)
    assert back.exit_code == 0, back.output
    assert st.resolve_version(NAME) == v1

    appview.profiles[HANDLE]["description"] = "gardens. #nobot"  # opted out since
    gone = _invoke("refresh", NAME, *common)
    (row,) = json.loads(gone.stdout)
    assert row["status"] == "taken down" and row["taken_down"] == [NAME], gone.output
    assert not st.has_model(NAME)


def _publish_fake(st: Store, tmp_path: Path, name: str, source: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    stats = [HandleStats(name, 200, 0, 0, 200, source=source)]
    manifest = ModelManifest(
        name, [name], stats, "tiny", version="v1", created="2026-01-01T00:00:00Z"
    )
    (folder / MANIFEST).write_text(json.dumps(manifest.to_json()))
    st.publish_model(name, folder)


def test_wrong_input_ends_in_one_line(tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st = Store(root)
    _publish_fake(st, tmp_path, "baker", "archive")
    unknown = _invoke("refresh", "nobody", "--store", root)
    assert unknown.exit_code == 1 and unknown.stderr.count("\n") == 1
    assert "no published model 'nobody'" in unknown.stderr
    filed = _invoke("refresh", "baker", "--store", root)
    assert filed.exit_code == 1 and filed.stderr.count("\n") == 1
    assert "@baker's posts came from an X archive: give its newer export with --tweets" in (
        filed.stderr
    )
    age = _invoke("refresh", "--all", "--older-than", "a week", "--store", root)
    assert age.exit_code == 2 and "--older-than 'a week'" in age.stderr
    neither = _invoke("refresh", "--store", root)
    assert neither.exit_code == 2 and "or --all" in neither.stderr
    # The read date decides --older-than: this bot's posts (its publish, before posts_read_at
    # existed) are from 2026-01-01, so a 100000-day window leaves nothing.
    none = _invoke("refresh", "--all", "--older-than", "100000d", "--store", root)
    assert none.exit_code == 0 and "nothing to refresh" in none.stdout


def test_more_than_10_x_bots_ask_first(tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st = Store(root)
    for i in range(11):
        _publish_fake(st, tmp_path, f"xacct{i}", "x-api")
    asked = _invoke("refresh", "--all", "--store", root)
    assert asked.exit_code == 2
    assert "reading 11 X accounts costs about" in asked.stderr and "--yes" in asked.stderr


def test_old_posts_replayed_follow_the_rule() -> None:
    old = [f"old post {i}" for i in range(500)]
    assert len(draw_old_posts(old, 30, seed=7)) == REPLAY_MIN  # at least REPLAY_MIN
    assert len(draw_old_posts(old, 250, seed=7)) == 250  # as many as the new ones
    assert len(draw_old_posts(old[:40], 250, seed=7)) == 40  # all of them when fewer
    drawn = draw_old_posts(old, 250, seed=7)
    assert drawn == draw_old_posts(old, 250, seed=7) != draw_old_posts(old, 250, seed=8)
    assert len(set(drawn)) == 250


def test_refresh_flag_is_now_redownload(samples: Path, tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    old = _invoke("prepare", "sample_baker", "--tweets", str(samples), "--refresh", "--store", root,
                  "--no-wandb", "--json")  # fmt: skip
    assert old.exit_code == 0, old.output
    assert (
        "warning: --refresh is now --redownload" in old.stderr and "use --redownload" in old.stderr
    )
    new = _invoke("prepare", "sample_baker", "--tweets", str(samples), "--redownload",
                  "--store", root, "--no-wandb", "--json")  # fmt: skip
    assert new.exit_code == 0 and "warning" not in new.stderr
    # job.json written before the rename: its boolean `refresh` is `redownload`.
    legacy = JobRequest.from_json({"handles": ["a"], "refresh": True})
    assert legacy.redownload and legacy.refresh is None
