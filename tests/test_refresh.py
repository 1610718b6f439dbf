"""`murmur refresh`'s fast checks: wrong input ends in one line, more than 10 X bots ask first, the
rule for the old posts replayed; new posts count against the current version (so they pile up
across skipped refreshes, and a version rolled back to is brought up to date); --all skips the
bots whose newer export is not given; nothing new is no failure; the deprecated `--refresh` of train and prepare says to use
--redownload. The refresh of bots from X, Bluesky and Mastodon through a job on Ray, end to end,
is tests/test_refresh_networks.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from murmur.cli import app
from murmur.cli.refresh import sort_sources
from murmur.cli.refresh_report import already_refreshed, report
from murmur.core.generation import EOS
from murmur.core.handles import ModelSpec
from murmur.core.manifest import HandleStats, ModelManifest, RefreshRecord
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import MANIFEST, Store
from murmur.core.tweets import Account, Tweet
from murmur.data import rules
from murmur.data.refresh_plan import REPLAY_MIN, draw_old_posts, prepare_refresh
from murmur.jobs import AccountRecord, JobRequest, JobState

runner = CliRunner()


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _publish_fake(
    st: Store,
    tmp_path: Path,
    name: str,
    source: str,
    refresh: RefreshRecord | None = None,
    posts: dict[str, list[str]] | None = None,
) -> None:
    version = "v2" if refresh else "v1"
    folder = tmp_path / name / version
    folder.mkdir(parents=True)
    stats = [HandleStats(name, 200, 0, 0, 200, source=source)]
    manifest = ModelManifest(
        name,
        [name],
        stats,
        "tiny",
        version=version,
        created="2026-01-01T00:00:00Z",
        refresh=refresh,
    )
    if posts is not None:  # as models.publish.write_posts writes it
        (folder / "posts.json").write_text(json.dumps({"handles": [name], **posts}))
        manifest.posts = "posts.json"
    (folder / MANIFEST).write_text(json.dumps(manifest.to_json()))
    st.publish_model(name, folder)


def _tweet(i: int) -> Tweet:
    return Tweet(str(1000 + i), f"post {i}: the garden and the weather, said plainly", None, False)


def _export(folder: Path, handle: str, count: int) -> None:
    """A JSON lines export of `handle`'s posts 0..count-1, newest first."""
    folder.mkdir(exist_ok=True)
    lines = [json.dumps({"id": t.id, "text": t.text}) for t in map(_tweet, range(count))]
    (folder / f"{handle}.jsonl").write_text("\n".join(reversed(lines)) + "\n")


def test_new_posts_count_against_the_current_version_not_the_last_read(tmp_path: Path) -> None:
    """Version 1 trained on posts 0..299 (270 train, 30 validation); 60 new posts are too few
    (skipped), 60 more make 120 the version has not seen: published, although the cache's last
    read saw only 60 of them. Read again with nothing new to the cache (as after a rollback to a
    version older than the cache): the same 120 are still new."""
    st, handle, tweets = Store(str(tmp_path / "store")), "gardener", tmp_path / "tweets"
    kept = [rules.clean_text(_tweet(i).text) for i in range(300)]
    _publish_fake(
        st, tmp_path, handle, "jsonl", posts={"train": kept[:270], "validation": kept[270:]}
    )
    st.save_raw(Account(handle, [_tweet(i) for i in reversed(range(300))], source="jsonl"))
    spec = ModelSpec((handle,))
    before = st.load_manifest(handle).stats

    _export(tweets, handle, 360)
    first = prepare_refresh(spec, store=st, tweets_dir=str(tweets))
    assert first.skipped is not None and "too few new posts: 60 kept" in first.skipped
    assert first.refresh is not None and first.refresh.new_posts == {handle: 60}

    _export(tweets, handle, 420)
    for _ in range(2):  # the second read finds nothing new to the cache
        again = prepare_refresh(spec, store=st, tweets_dir=str(tweets))
        assert again.prepared is not None, again.skipped
        assert again.prepared.refresh is not None
        record = again.prepared.refresh.record
        assert record.new_posts == {handle: 120} and record.train_new + record.validation_new == 120
        assert record.validation_old == 30 and record.previous_stats == before
        plan = again.prepared.refresh
        assert plan is not None
        new = {rules.clean_text(_tweet(i).text) for i in range(300, 420)}
        held = set(plan.new_val_text.split(EOS)) - {""}
        assert len(new & set(plan.trained_posts)) == record.train_new and held <= new
        assert new - held <= set(plan.trained_posts) and set(kept) <= set(plan.trained_posts) | set(
            plan.old_val_text.split(EOS)
        )


def test_all_skips_the_bots_whose_newer_export_is_not_given(tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st, tweets = Store(root), tmp_path / "tweets"
    for name, source in (("baker", "archive"), ("carol", "jsonl"), ("xnet", "x-api")):
        _publish_fake(st, tmp_path, name, source)
    _export(tweets, "carol", 10)
    bots = [st.load_manifest(n) for n in ("baker", "carol", "xnet")]
    todo, skipped = sort_sources(bots, tweets)
    assert [(m.name, d) for m, d in todo] == [("carol", tweets), ("xnet", None)]
    ((m, why),) = skipped
    assert m.name == "baker" and "@baker was read from an X archive" in why
    assert f"{tweets} has no newer export of it): refresh it with --tweets DIR" in why
    # Without --tweets, the bots read from files are skipped, those read from a network kept.
    todo, skipped = sort_sources(bots, None)
    assert [m.name for m, _ in skipped] == ["baker", "carol"]
    assert [(m.name, d) for m, d in todo] == [("xnet", None)]


def test_all_of_file_bots_without_tweets_skips_them_and_exits_0(tmp_path: Path) -> None:
    root = str(tmp_path / "store")
    st = Store(root)
    for name in ("baker", "carol"):
        _publish_fake(st, tmp_path, name, "archive")
    out = _invoke("refresh", "--all", "--store", root, "--json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [(r["model"], r["status"]) for r in rows] == [("baker", "skipped"), ("carol", "skipped")]
    assert "read from an X archive (no --tweets): refresh it with --tweets DIR" in rows[0]["reason"]


def test_nothing_new_is_no_failure_and_the_table_shows_the_new_posts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refresh of named bots that were all skipped: the table's `new` column and the kept
    figures before (the current version's) -> after, and `nothing new` with exit 0, as the job's
    status (succeeded, its bots skipped) says."""
    st = Store(str(tmp_path / "store"))
    record = RefreshRecord(
        from_version="v1",
        mode="continued",
        new_posts={"ann": 60},
        previous_stats=[HandleStats("ann", 300, 9, 30, 261)],
    )
    why = "too few new posts: 52 kept (3,944 characters, under the 6,000 the data rules need)"
    rec = AccountRecord(model="ann", handles=["ann"], state=ModelState.SKIPPED, reason=why)
    rec.result.update(
        refresh=record.to_json(), stats=[HandleStats("ann", 360, 9, 33, 318).to_json()]
    )
    report(st, [rec], as_json=False, named=True)  # no typer.Exit: exit 0
    out = capsys.readouterr()
    row = next(line for line in out.out.splitlines() if "ann" in line)
    assert [c.strip() for c in row.split("│")[1:4]] == ["ann", "60", "0"]
    assert "261 → 318" in row
    assert out.err.strip() == f"nothing new: ann: {why}"


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
    submitted = _invoke("refresh", "baker", "--tweets", str(tmp_path), "--store", root,
                        "--address", "http://127.0.0.1:28265", "--wait")  # fmt: skip
    assert submitted.exit_code == 1 and submitted.stderr.count("\n") == 1
    assert "--tweets with a submitted refresh" in submitted.stderr
    assert "run this refresh here, without --address" in submitted.stderr
    age = _invoke("refresh", "--all", "--older-than", "a week", "--store", root)
    assert age.exit_code == 2 and age.stderr.count("\n") == 1
    assert "--older-than 'a week': give a number and d, h or m" in age.stderr
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


def test_only_an_unfinished_refresh_of_the_same_bots_is_resumed(tmp_path: Path) -> None:
    """already_refreshed: the bots the newest refresh job of exactly these bots published, while
    it did not finish and each bot's current version is still the one it made."""
    st = Store(str(tmp_path / "store"))
    options = {"from_base": False, "check_deleted": False}
    for name in ("ann", "bea"):
        _publish_fake(st, tmp_path, name, "x-api")
        v1 = st.resolve_version(name)
        _publish_fake(st, tmp_path, name, "x-api", RefreshRecord(from_version=v1, mode="continued"))
    bots = [st.load_manifest(n) for n in ("ann", "bea")]
    state = JobState(st, "train-20261207-000000-abcdef")
    request = JobRequest(handles=["ann", "bea"], refresh=options)
    state.update_job(status=JobStatus.CANCELLED, args=request.to_json(), models=["ann", "bea"])
    for name, done in (("ann", ModelState.PUBLISHED), ("bea", ModelState.CANCELLED)):
        v1 = st.list_versions(name)[1]
        record = AccountRecord(model=name, handles=[name], state=done)
        record.result["refresh"] = {"from_version": v1}
        state.write_account(record)
    skipped = already_refreshed(st, bots, options)
    assert list(skipped) == ["ann"] and "already refreshed by job train-2026" in skipped["ann"]
    assert already_refreshed(st, bots[:1], options) == {}  # another set of bots
    assert already_refreshed(st, bots, {**options, "from_base": True}) == {}  # other options
    state.update_job(status=JobStatus.SUCCEEDED)
    assert already_refreshed(st, bots, options) == {}  # it finished: a new refresh
    state.update_job(status=JobStatus.CANCELLED)
    _, v1 = st.list_versions("ann")
    st.rollback_model("ann", v1)  # rolled back since: refreshed again
    assert already_refreshed(st, [st.load_manifest("ann"), bots[1]], options) == {}
