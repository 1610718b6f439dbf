"""A new user's reports, each fixed as a kind: --max-posts on every source, the Ctrl-C advice
after --force, --tweets and --base-model checked up front in one line, the pace of a job that
published nothing, prepare's failures on stderr, and a model skipped for another job."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from murmur.cli import app
from murmur.cli.train import print_outcomes, resume_hint
from murmur.core.clock import utc_stamp
from murmur.core.errors import ConfigError
from murmur.core.handles import parse_model_spec
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import MANIFEST, Store
from murmur.core.tweets import Account, Tweet
from murmur.data.sources import load_account, most_recent
from murmur.jobs.driver import _claim, _counts_line, _skip_as_published
from murmur.jobs.progress import JobLedger
from murmur.jobs.state import AccountRecord, JobState
from murmur.jobs.summary import summarize
from murmur.models.base import check_base, looks_like_path

runner = CliRunner()


def one_line(result: object, code: int) -> str:
    """The command's last stderr line, an `error:` line, after checking the exit code."""
    assert result.exit_code == code, (result.exit_code, result.output)  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert lines and lines[-1].startswith("error: "), result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return lines[-1]


# ---- 1. --max-posts caps every source, the store's cache too ---------------------------------
def _account(n: int) -> Account:
    tweets = [Tweet(str(i), f"post {i}", f"2024-01-{1 + i:02d}T00:00:00Z", False) for i in range(n)]
    return Account(handle="alice", tweets=tweets[::-1], source="jsonl")  # newest first


def test_most_recent_keeps_the_newest_in_order() -> None:
    kept = most_recent(_account(10), 3).tweets
    assert [t.id for t in kept] == ["9", "8", "7"]
    assert most_recent(_account(2), 3).tweets == _account(2).tweets
    with pytest.raises(ConfigError, match="--max-posts 0"):
        most_recent(_account(2), 0)


def test_a_cached_copy_is_capped_when_read(store_dir: Path) -> None:
    store = Store(str(store_dir))
    store.save_raw(_account(20))
    assert len(load_account("alice", store=store, max_posts=5).tweets) == 5
    assert len(load_account("alice", store=store).tweets) == 20  # the store keeps them all


def test_prepare_max_posts_caps_an_archive(samples: Path, store_dir: Path) -> None:
    args = ["prepare", "sample_baker", "--tweets", str(samples), "--store", str(store_dir)]
    result = runner.invoke(app, [*args, "--max-posts", "100", "--no-wandb", "--json"])
    doc = json.loads(result.stdout)
    assert doc[0]["handles"][0]["tweets_downloaded"] == 100


# ---- 2. the Ctrl-C advice after --force ----------------------------------------------------
def test_resume_hint_says_without_force() -> None:
    assert resume_hint(False, ["a"]) == (
        "run the same command again to finish (published models are skipped)"
    )


def test_resume_hint_after_force_names_the_cancelled_models() -> None:
    """Without --force, a model cancelled under --force that had a version before is skipped:
    the hint names the handles to run again with --force (new-user trial, 2026-12-07)."""
    hint = resume_hint(True, ["sample_baker", "a+b"])
    assert "without --force" not in hint
    assert hint.endswith(": sample_baker a+b")


# ---- 3. --tweets checked up front ------------------------------------------------------------
@pytest.mark.parametrize("command", ["prepare", "train"])
def test_tweets_missing_or_a_file_is_one_line(command: str, tmp_path: Path) -> None:
    # train: before the base model (a missing folder here) and before Ray.
    base = ["--base-model", str(tmp_path / "nope-model")] if command == "train" else []
    common = [command, "sample_baker", "--store", str(tmp_path / "s"), *base]
    missing = tmp_path / "nope-dir"
    line = one_line(runner.invoke(app, [*common, "--tweets", str(missing)]), 1)
    assert line == f"error: --tweets {missing}: no such folder"
    a_file = tmp_path / "tweets.zip"
    a_file.write_text("x")
    line = one_line(runner.invoke(app, [*common, "--tweets", str(a_file)]), 1)
    assert line == (
        f"error: --tweets {a_file} is a file: give the folder that holds "
        "<handle>.zip / .json / .js / .jsonl files"
    )


def test_train_help_lists_the_community_archive() -> None:
    out = runner.invoke(app, ["train", "--help"], terminal_width=200).stdout
    assert "Community Archive" in " ".join(out.split())


# ---- 4. base-model messages, and handles before the base model -------------------------------
def test_a_missing_base_folder_says_so(tmp_path: Path) -> None:
    for name in ("/tmp/nope-model", "./nope", "../nope", "~/nope", "a/b/c"):
        assert looks_like_path(name), name
    for name in ("gpt2", "openai-community/gpt2", "tiny"):
        assert not looks_like_path(name), name
    missing = str(tmp_path / "nope-model")
    with pytest.raises(ConfigError) as e:
        check_base(missing)
    assert str(e.value).startswith(f"base model folder {missing} does not exist: ")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="cannot load base model") as e:
        check_base(str(empty))
    assert ".." not in str(e.value)


def test_train_reports_bad_handles_before_the_base_model(tmp_path: Path) -> None:
    args = ["train", "a+b+c+d", "bad handle!", "--base-model", str(tmp_path / "nope")]
    line = one_line(runner.invoke(app, [*args, "--store", str(tmp_path / "s")]), 1)
    assert "combines 4 handles" in line and "'bad handle!'" in line and "base model" not in line


# ---- 5. the pace counts published models only ------------------------------------------------
def test_a_job_that_failed_at_once_has_no_pace(store_dir: Path) -> None:
    state = JobState(Store(str(store_dir)), "train-20250101-000000-bbbbbb")
    state.update_job(models=["a", "b"], refused=[], status=JobStatus.FAILED, started=utc_stamp())
    for m in ("a", "b"):
        state.write_account(AccountRecord(model=m, handles=[m], state=ModelState.FAILED))
    state.update_job(finished=utc_stamp())
    assert summarize(state).accounts_per_hour is None
    out = runner.invoke(app, ["status", state.job_id, "--store", str(store_dir)]).stdout
    assert "accounts/hour: -" in out


# ---- 6. prepare: failures end in an error line, warnings once --------------------------------
def test_prepare_failure_ends_in_an_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    result = runner.invoke(app, ["prepare", "alice", "--store", str(tmp_path / "s"), "--no-wandb"])
    line = one_line(result, 1)
    assert line == "error: 1 of 1 accounts failed (above)"  # the reason once, in the report
    assert "failed alice: no X API bearer token" in result.stdout  # the report keeps it


def test_a_data_warning_is_not_logged_again(
    samples: Path, store_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    args = ["prepare", "sample_baker", "--tweets", str(samples), "--store", str(store_dir)]
    with caplog.at_level(logging.INFO, logger="murmur"):
        result = runner.invoke(app, [*args, "--max-posts", "100", "--no-wandb"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("may overfit") == 1
    assert not [r for r in caplog.records if "may overfit" in r.getMessage()]


# ---- 7. a model skipped because another job trains it ----------------------------------------
class _HeldLeases:
    def __init__(self, holder: str) -> None:
        self.holder = holder

    def claim(self, model: str) -> str | None:
        return self.holder


def test_a_held_model_says_why_with_its_figures(store_dir: Path) -> None:
    store = Store(str(store_dir))
    other = JobState(store, "train-20250101-000000-cccccc")
    stats = {"handle": "alice", "tweets_downloaded": 700, "retweets": 7, "short_tweets": 3}
    stats |= {"tweets_kept": 690, "kept_chars": 50_000}
    other.write_account(AccountRecord(model="alice", handles=["alice"], result={"stats": [stats]}))
    state = JobState(store, "train-20250101-000000-dddddd")
    state.update_job(models=[], refused=[], status=JobStatus.RUNNING, started=utc_stamp())
    run = JobLedger(state, [parse_model_spec("alice"), parse_model_spec("bob")], 0)
    mine = _claim(run, _HeldLeases(other.job_id), store, ["alice", "bob"], False, "full")  # type: ignore[arg-type]
    assert mine == []
    assert _counts_line(run) == f"2 skipped (training in job {other.job_id})"
    from rich.console import Console

    console = Console(width=250, record=True)
    print_outcomes(list(run.records.values()), console)
    text = console.export_text()
    alice = next(line for line in text.splitlines() if "@alice" in line)
    assert "700" in alice and f"skipped (job {other.job_id} trains it)" in alice
    bob = next(line for line in text.splitlines() if "@bob" in line)  # no figures: its handle
    assert f"skipped (job {other.job_id} trains it)" in bob


@pytest.mark.parametrize("method", ["full", "lora"])
def test_a_published_model_asked_for_with_another_method_says_so(
    method: str, store_dir: Path, tmp_path: Path
) -> None:
    """`murmur train alice --method lora` over a full model of alice: skipped, and the reason
    names both methods (field report: it said only "already published")."""
    store = Store(str(store_dir))
    folder = tmp_path / "alice"
    folder.mkdir()
    manifest = {"name": "alice", "handles": ["alice"], "stats": [], "base_model": "tiny"}
    (folder / MANIFEST).write_text(json.dumps(manifest))
    store.publish_model("alice", folder)
    state = JobState(store, "train-20250101-000000-eeeeee")
    state.update_job(models=[], refused=[], status=JobStatus.RUNNING, started=utc_stamp())
    ledger = JobLedger(state, [parse_model_spec("alice")], 0)
    _skip_as_published(ledger, store, "alice", method)
    (record,) = ledger.records.values()
    assert record.state == ModelState.SKIPPED
    if method == "full":
        assert record.reason == "already published (--force trains it again)"
    else:
        assert (
            record.reason == "already published as a full model (--force trains it again as lora)"
        )
    from rich.console import Console

    console = Console(width=250, record=True)
    print_outcomes([record], console)  # the reason is in the table's notes, not only the log
    assert f"kept alice: {record.reason}" in console.export_text()


def test_an_interrupt_keeps_what_was_published_meanwhile(store_dir: Path, tmp_path: Path) -> None:
    """A second Ctrl-C can stop the driver after a trainer published but before its record said
    so: the model is `published`, not `cancelled`, while a model whose version is older than
    the job stays cancelled (new-user trial, 2026-12-07: status said cancelled, the store held
    the new version)."""
    store = Store(str(store_dir))
    for name, created in (("old", "2020-01-01T00:00:00Z"), ("new", None)):
        folder = tmp_path / name
        folder.mkdir()
        manifest = {"name": name, "handles": [name], "stats": [], "base_model": "tiny"}
        if created is None:
            began = utc_stamp()
            created = utc_stamp()
        manifest |= {"created": created, "val_loss_before": 4.0, "val_loss_after": 3.0}
        (folder / MANIFEST).write_text(json.dumps(manifest))
        store.publish_model(name, folder)
    state = JobState(store, "train-20250101-000000-ffffff")
    state.update_job(models=[], refused=[], status=JobStatus.RUNNING, started=began)
    specs = [parse_model_spec(h) for h in ("old", "new", "never")]
    ledger = JobLedger(state, specs, 0)
    ledger.settle_interrupted(store, began, "interrupted")
    states = {m: (r.state, r.reason) for m, r in ledger.records.items()}
    assert states == {
        "old": (ModelState.CANCELLED, "interrupted"),
        "new": (ModelState.PUBLISHED, None),
        "never": (ModelState.CANCELLED, "interrupted"),
    }
    assert ledger.records["new"].result["val_loss_after"] == 3.0


def test_after_an_abort_a_model_published_meanwhile_is_published(
    store_dir: Path, tmp_path: Path
) -> None:
    """A trainer can publish between the interrupt's records and the end of its Ray: read again
    once Ray is gone (`settle_after_abort`), that model is published, its job's counts too."""
    from murmur.jobs import settle_after_abort
    from murmur.jobs.progress import INTERRUPTED

    store = Store(str(store_dir))
    state = JobState(store, "train-20250101-000000-abcdef")
    began = utc_stamp()
    state.update_job(models=["late"], refused=[], status=JobStatus.CANCELLED, started=began)
    ledger = JobLedger(state, [parse_model_spec("late")], 0)
    ledger.set("late", ModelState.CANCELLED, INTERRUPTED)
    folder = tmp_path / "late"
    folder.mkdir()
    manifest = {"name": "late", "handles": ["late"], "stats": [], "base_model": "tiny"}
    (folder / MANIFEST).write_text(json.dumps(manifest | {"created": utc_stamp()}))
    store.publish_model("late", folder)
    settle_after_abort(store, state)
    (record,) = state.read_accounts()
    assert record.state == ModelState.PUBLISHED
    assert state.read_job()["counts"][ModelState.PUBLISHED] == 1


def test_a_train_with_a_failed_model_ends_with_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The report (stdout) holds each reason; stderr's last line says what went wrong, as
    `murmur prepare` does (new-user trial, 2026-12-07: it ended with an INFO line)."""
    import typer

    from murmur.cli.train import _report

    records = [
        AccountRecord(model="alice", handles=["alice"], state=ModelState.PUBLISHED),
        AccountRecord(model="x", handles=["x"], state=ModelState.FAILED, reason="no data"),
    ]
    with pytest.raises(typer.Exit):
        _report(records, as_json=True)
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == "error: 1 of 2 models failed (above)"


def test_train_without_an_x_token_stops_before_ray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every model needs the X API and no token is set: one line at once, no job started
    (new-user trial, 2026-12-07: Ray and a job started, and it failed after ~11 s)."""
    import murmur.cli.train

    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.setattr(murmur.cli.train, "_run_here", lambda *a, **k: pytest.fail("ran a job"))
    args = ["train", "alice", "bob+carol", "--store", str(tmp_path / "s"), "--no-wandb"]
    args += ["--base-model", "tiny"]
    line = one_line(runner.invoke(app, args), 1)
    assert line.startswith("error: no X API bearer token to read alice, bob, carol: set")
