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
from murmur.core.manifest import HandleStats, ModelManifest
from murmur.core.store import MANIFEST, Store
from murmur.data.refresh_plan import REPLAY_MIN, draw_old_posts
from murmur.jobs import JobRequest

runner = CliRunner()


def _invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


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
    submitted = _invoke("refresh", "baker", "--tweets", str(tmp_path), "--store", root,
                        "--address", "http://127.0.0.1:28265", "--wait")  # fmt: skip
    assert submitted.exit_code == 1 and submitted.stderr.count("\n") == 1
    assert "--tweets with a submitted refresh" in submitted.stderr
    assert "run this refresh here, without --address" in submitted.stderr
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
