"""`murmur refresh` as a user runs it, against the X, Bluesky and Mastodon stand-ins (served on
127.0.0.1, so a job's tasks in other processes read them) and the shared Ray: three bots trained
in ONE job, then each account gains 300 posts and loses 5, and ONE refresh job publishes the
three version 2s (the module's fixture; the tests below read what it made, in file order):

- each read only the new posts (requests counted at the stand-in), with the right figures (X
  cannot show deletions, Mastodon's need --check-deleted: below, a refresh with it finds them),
  a loss on the new posts' held-back part lower than version 1's and at most 5% higher on its
  validation posts;
- the same command again after the job was interrupted skips the bots it published;
- a submitted refresh (`--address http://... --wait`) prints the refresh table;
- `murmur rollback` brings version 1 back; an account that opted out has its bot taken down.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from social_fakes import (
    FakeBluesky,
    FakeMastodon,
    FakeX,
    bsky_post,
    local_server,
    masto_status,
    x_tweet,
)
from typer.testing import CliRunner

from murmur.cli import app
from murmur.core.handles import model_name
from murmur.core.manifest import ModelManifest
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import Store
from murmur.jobs import JobState, list_jobs

pytestmark = [pytest.mark.ray, pytest.mark.slow]

runner = CliRunner()
BSKY, X, MASTO = "alice.bsky.social", "xbaker", "bob@mastodon.example"
NAMES = {net: model_name([h]) for net, h in (("bluesky", BSKY), ("x", X), ("mastodon", MASTO))}
TRAIN = ["--base-model", "tiny", "--block-size", "64", "--micro-batch", "4", "--max-steps", "4"]
OLD, NEW = range(150), [i for i in range(450) if not 10 <= i < 15]  # +300 posts, -5 (10..14)
REFRESH = ["--max-steps", "12"]


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def bsky_feed(numbers: Any) -> list[dict[str, Any]]:
    return [bsky_post(BSKY, "did:plc:alice", i) for i in sorted(numbers, reverse=True)]


def x_timeline(numbers: Any) -> list[dict[str, Any]]:
    return [x_tweet(i) for i in sorted(numbers, reverse=True)]


def masto_statuses(numbers: Any) -> list[dict[str, Any]]:
    """Newest first; status i's id grows with i (Mastodon's ids grow with time)."""
    return [masto_status(i, id=str(2_000_000 + i)) for i in sorted(numbers, reverse=True)]


@dataclass
class Counted:
    """A stand-in that also lists the path of every request it answers."""

    app: Callable[[httpx.Request], httpx.Response]
    paths: list[str] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return self.app(request)


@dataclass
class World:
    """What the fixture made: the store, the stand-ins and their counters, version 1's manifests,
    the refresh's rows (--json) and each network's requests during the refresh."""

    root: str
    store: Store
    bsky: FakeBluesky
    x: FakeX
    masto: FakeMastodon
    counters: dict[str, Counted]
    v1: dict[str, ModelManifest]
    v2: dict[str, ModelManifest]
    rows: dict[str, dict[str, Any]]
    reads: dict[str, list[str]]
    common: list[str]


@pytest.fixture(scope="module")
def world(ray_cluster: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    bsky, x, masto = FakeBluesky(), FakeX(), FakeMastodon()
    bsky.add(BSKY, bsky_feed(OLD))
    x.add(X, x_timeline(OLD))
    counters = {"bluesky": Counted(bsky), "x": Counted(x), "mastodon": Counted(masto)}
    with ExitStack() as stack, pytest.MonkeyPatch.context() as mp:
        urls = {net: stack.enter_context(local_server(c)) for net, c in counters.items()}
        masto.base = urls["mastodon"]  # its Link headers name it
        masto.add(MASTO, masto_statuses(OLD))
        mp.setenv("MURMUR_BLUESKY_URL", urls["bluesky"])
        mp.setenv("MURMUR_X_URL", urls["x"])
        mp.setenv("MURMUR_MASTODON_URL", urls["mastodon"])
        mp.setenv("X_BEARER_TOKEN", "test-x-token")  # the Ray tasks have it (conftest)
        root = str(tmp_path_factory.mktemp("refresh-networks") / "store")
        common = ["--store", root, "--no-wandb", "--json"]
        trained = _invoke("train", BSKY, X, MASTO, *common, *TRAIN)  # one job, three bots
        assert trained.exit_code == 0, trained.output
        st = Store(root)
        v1 = {net: st.load_manifest(n) for net, n in NAMES.items()}
        # Each account gains 300 posts (150..449) and loses 5 (10..14).
        bsky.feeds[BSKY] = bsky_feed(NEW)
        x.timelines[x.users[X]["id"]] = x_timeline(NEW)
        masto.statuses[masto.accounts[MASTO]["id"]] = masto_statuses(NEW)
        before = {net: len(c.paths) for net, c in counters.items()}
        refreshed = _invoke("refresh", *NAMES.values(), *common, *REFRESH)  # one job
        assert refreshed.exit_code == 0, refreshed.output
        rows = {r["model"]: r for r in json.loads(refreshed.stdout)}
        reads = {net: c.paths[before[net] :] for net, c in counters.items()}
        v2 = {net: st.load_manifest(n) for net, n in NAMES.items()}
        yield World(root, st, bsky, x, masto, counters, v1, v2, rows, reads, common)


# What each network's read asks for: X, since_id (its lookup and 3 pages of 100); Bluesky, the
# feed until the first cached post (4 pages of 100) and the cached URIs, 25 a getPosts; Mastodon,
# since_id (its lookup and 300 / 40 = 8 pages), deletions unseen without --check-deleted.
EXPECTED = {
    "x": {"new": 300, "deleted": 0, "downloaded": 450, "reads": 1 + 3},
    "bluesky": {"new": 300, "deleted": 5, "downloaded": 445, "reads": 1 + 4 + 150 // 25},
    "mastodon": {"new": 300, "deleted": 0, "downloaded": 450, "reads": 1 + 8},
}


def test_each_network_reads_only_the_new_posts_and_publishes_version_2(world: World) -> None:
    st = world.store
    for net, name in NAMES.items():
        row, m, v1, want = world.rows[name], world.v2[net], world.v1[net], EXPECTED[net]
        assert row["status"] == "published" and row["version"] == m.version, (net, row)
        assert st.list_versions(name)[:2] == [m.version, v1.version]
        r = m.refresh
        assert r is not None and r.from_version == v1.version and r.mode == "continued"
        (handle,) = m.handles
        assert (r.new_posts, r.deleted_posts) == ({handle: want["new"]}, {handle: want["deleted"]})
        assert r.reads == {handle: want["reads"]} and len(world.reads[net]) == want["reads"], net
        (stat,) = m.stats
        assert (stat.tweets_downloaded, stat.tweets_kept) == (want["downloaded"],) * 2, net
        assert r.previous_stats[0].tweets_kept == v1.stats[0].tweets_kept == 150
        assert (r.train_new, r.validation_new) == (270, 30)
        assert r.val_loss_new_after < r.val_loss_new_before, net  # before = version 1 itself
        assert r.val_loss_old_after <= 1.05 * r.val_loss_old_before, net
        assert m.posts_read_at[handle] > v1.posts_read_at[handle]
        card = st.read_card(name)
        assert "## Versions" in card and v1.version in card and m.version in card
        posts = json.loads(Path(st.current_path(name), "posts.json").read_text())
        assert len(posts["train"]) == r.train_old + 270  # all it has trained on, for the next
    # Only the new posts were read: no page of X's timeline before since_id, no Bluesky feed
    # page past the first cached post, no Mastodon page of cached statuses.
    assert world.reads["x"].count(f"/2/users/{world.x.users[X]['id']}/tweets") == 3
    assert world.reads["bluesky"].count("/xrpc/app.bsky.feed.getAuthorFeed") == 4
    masto_id = world.masto.accounts[MASTO]["id"]
    assert world.reads["mastodon"].count(f"/api/v1/accounts/{masto_id}/statuses") == 8
    report = {net: "\n".join(world.rows[n]["report"]) for net, n in NAMES.items()}
    assert "X cannot show deletions" in report["x"] and "0 deleted" in report["x"]
    assert "0 deleted (deletions: not checked: give --check-deleted" in report["mastodon"]


def test_the_same_command_after_an_interruption_skips_what_it_published(world: World) -> None:
    """The refresh job as an interrupted one leaves it: cancelled, its X bot not published
    (rolled back to version 1 here); the same command again refreshes X alone."""
    st = world.store
    (job,) = [j for j in list_jobs(st) if (j.get("args") or {}).get("refresh")]
    state = JobState(st, job["id"])
    state.update_job(status=JobStatus.CANCELLED)
    rec = state.read_account(NAMES["x"])
    rec.state, rec.reason = ModelState.CANCELLED, "the job was interrupted"
    state.write_account(rec)
    back = _invoke("rollback", NAMES["x"], world.v1["x"].version, "--yes", "--store", world.root)
    assert back.exit_code == 0, back.output
    before = {net: len(c.paths) for net, c in world.counters.items()}

    again = _invoke("refresh", *NAMES.values(), *world.common, *REFRESH)
    assert again.exit_code == 0, again.output
    rows = {r["model"]: r for r in json.loads(again.stdout)}
    for net in ("bluesky", "mastodon"):
        row = rows[NAMES[net]]
        assert (
            row["status"] == "skipped"
            and f"already refreshed by job {job['id']}" in (row["reason"])
        )
        assert row["version"] == world.v2[net].version == st.resolve_version(NAMES[net])
        assert len(world.counters[net].paths) == before[net]  # not read again
    # Rolled back to version 1: nothing new to the cache, but 300 posts version 1 has not
    # seen (new counts against the current version's posts.json), so it is brought up to date.
    x_row = rows[NAMES["x"]]
    assert x_row["status"] == "published", x_row
    assert x_row["refresh"]["new_posts"] == {X: 300}
    assert x_row["refresh"]["from_version"] == world.v1["x"].version
    assert x_row["refresh"]["previous_stats"][0]["tweets_kept"] == 150  # version 1's figures
    assert x_row["version"] not in (world.v1["x"].version, world.v2["x"].version)
    assert len(world.counters["x"].paths) - before["x"] == 1 + 1  # lookup, one empty page


def test_mastodon_with_check_deleted_finds_the_deleted_posts(world: World) -> None:
    """Nothing new since the refresh, so nothing is published (one line, no failure: exit 0, as
    the job succeeded): but --check-deleted reads the statuses since the oldest cached one and
    finds the 5 deleted (10..14); the skipped row still has its refresh figures."""
    before = len(world.counters["mastodon"].paths)
    checked = _invoke("refresh", NAMES["mastodon"], *world.common, "--check-deleted")
    assert checked.exit_code == 0, checked.output
    last = checked.stderr.strip().splitlines()[-1]  # after the job's `murmur status` line
    assert last.startswith("nothing new: ") and "too few new posts: 0 kept" in last
    (row,) = json.loads(checked.stdout)
    assert row["refresh"]["new_posts"] == {MASTO: 0} and row["refresh"]["deleted_posts"] == {
        MASTO: 5
    }
    job = next(
        j for j in reversed(list_jobs(world.store)) if j.get("models") == [NAMES["mastodon"]]
    )
    assert job["status"] == JobStatus.SUCCEEDED  # what `murmur status` says agrees
    assert "0 new posts, 5 deleted (deletions: checked" in row["report"][0]
    assert row["stats"][0]["tweets_downloaded"] == 445  # 450 before: the cache lost them
    # Its lookup and the 445 statuses since the oldest cached one, 40 a page.
    assert len(world.counters["mastodon"].paths) - before == 1 + 12
    assert world.store.resolve_version(NAMES["mastodon"]) == world.v2["mastodon"].version


class InProcessJobs:
    """A Ray Jobs API client whose submit_job runs the job's entry point here, on the shared Ray
    (what the cluster's head would run), and says SUCCEEDED."""

    codes: ClassVar[list[int]] = []

    def __init__(self, address: str, headers: dict[str, str] | None = None) -> None:
        self.address = address

    def submit_job(self, *, entrypoint: str, submission_id: str, **_: Any) -> str:
        from murmur.jobs.run import main

        argv = shlex.split(entrypoint)
        assert argv[:3] == ["python", "-m", "murmur.jobs.run"]
        InProcessJobs.codes.append(main(argv[3:]))
        return submission_id

    async def tail_job_logs(self, job_id: str) -> AsyncIterator[str]:
        yield f"log of {job_id}\n"

    def get_job_status(self, job_id: str) -> Any:
        from ray.job_submission import JobStatus as RayStatus

        return RayStatus.SUCCEEDED


def test_a_submitted_refresh_prints_the_refresh_table(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray.job_submission

    monkeypatch.setattr(ray.job_submission, "JobSubmissionClient", InProcessJobs)
    address = ["--address", "http://127.0.0.1:28265"]
    args = ["refresh", NAMES["bluesky"], "--store", world.root, "--no-wandb", *address]
    went = _invoke(*args, "--wait")
    assert InProcessJobs.codes == [0]
    assert "submitted job" in went.stdout and "log of " in went.stdout
    assert "murmur refresh" in went.stdout and "murmur train" not in went.stdout
    assert "too few new posts: 0 kept" in went.stdout and went.exit_code == 0
    assert went.stderr.strip().startswith("nothing new: ")


def test_rollback_brings_version_1_back_and_an_opted_out_bot_is_taken_down(world: World) -> None:
    st, name, v1 = world.store, NAMES["bluesky"], world.v1["bluesky"].version
    fresh = _invoke("refresh", "--all", "--older-than", "7d", "--store", world.root)
    assert fresh.exit_code == 0 and "nothing to refresh" in fresh.stdout
    back = _invoke("rollback", name, v1, "--yes", "--store", world.root)
    assert back.exit_code == 0, back.output
    assert st.resolve_version(name) == v1

    world.bsky.profiles[BSKY]["description"] = "gardens. #nobot"  # opted out since
    gone = _invoke("refresh", name, *world.common)
    (row,) = json.loads(gone.stdout)
    assert row["status"] == "taken down" and row["taken_down"] == [name], gone.output
    assert not st.has_model(name)
