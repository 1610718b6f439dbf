"""`murmur refresh`'s fast checks: wrong input ends in one line, more than 10 X bots ask first, the
rule for the old posts replayed; the deprecated `--refresh` of train and prepare says to use
--redownload. The refresh of bots from X, Bluesky and Mastodon through a job on Ray, end to end,
is tests/test_refresh_networks.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from murmur.cli import app
from murmur.cli.refresh_report import already_refreshed
from murmur.core.manifest import HandleStats, ModelManifest, RefreshRecord
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import MANIFEST, Store
from murmur.data.refresh_plan import REPLAY_MIN, draw_old_posts
from murmur.jobs import AccountRecord, JobRequest, JobState

runner = CliRunner()


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _publish_fake(
    st: Store, tmp_path: Path, name: str, source: str, refresh: RefreshRecord | None = None
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
