"""W&B as its users configure it: WANDB_MODE/DIR/PROJECT/ENTITY honoured (also by a job's Ray
workers), the base model named offline, losses and per-handle figures logged, both runs linked
from the card when online (a stubbed run URL), and a real training job checked from its offline
run files.

The installed wandb (0.31) has no Python reader for `.wandb` files (its Go core writes them), so
`_records` reads the format W&B documents for them (LevelDB's log format, a `:W&B` header) into
wandb's own protobuf `Record`s.
"""

from __future__ import annotations

import json
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from murmur.core import tracking
from murmur.core.generation import PROMPTS
from murmur.core.handles import ModelSpec
from murmur.core.store import Store
from murmur.data.prepare import prepare_model

pytest.importorskip("wandb")

_BLOCK = 32768  # LevelDB log: 32 KiB blocks of records, each with a 7-byte header
_FULL, _LAST = 1, 4


def _records(path: Path) -> list[Any]:
    """Every record of a `.wandb` file, as wandb's protobuf Records."""
    from wandb.proto import wandb_internal_pb2 as pb

    data = path.read_bytes()
    assert data[:4] == b":W&B", f"{path} is not a W&B transaction log"
    records, pos, pending = [], 7, b""
    while pos + 7 <= len(data):
        if _BLOCK - pos % _BLOCK < 7:  # a block's tail too short for a header is padding
            pos += _BLOCK - pos % _BLOCK
            continue
        _crc, length, kind = struct.unpack("<IHB", data[pos : pos + 7])
        if pos + 7 + length > len(data):  # still being written
            break
        if kind == 0:  # zero fill to the end of the block
            pos += _BLOCK - pos % _BLOCK
            continue
        pending += data[pos + 7 : pos + 7 + length]
        pos += 7 + length
        if kind in (_FULL, _LAST):
            record = pb.Record()
            record.ParseFromString(pending)
            records.append(record)
            pending = b""
    return records


@dataclass
class OfflineRun:
    """What an offline run's files say: its identity, config, summary, history and artifacts."""

    folder: Path
    ended: bool = False  # its exit record is written (W&B closes the file after finish())
    name: str = ""
    job_type: str = ""
    group: str = ""
    project: str = ""
    entity: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> type, files...


def _item_key(item: Any) -> str:
    return item.key or "/".join(item.nested_key)


def _read_run(wandb_file: Path) -> OfflineRun:
    run = OfflineRun(folder=wandb_file.parent)
    for r in _records(wandb_file):
        kind = r.WhichOneof("record_type")
        if kind == "run":
            run.name, run.job_type, run.group = r.run.display_name, r.run.job_type, r.run.run_group
            run.project, run.entity = r.run.project, r.run.entity
            run.config = {u.key: json.loads(u.value_json) for u in r.run.config.update}
        elif kind == "summary":
            run.summary.update({_item_key(u): json.loads(u.value_json) for u in r.summary.update})
        elif kind == "history":
            run.history.append({_item_key(i): json.loads(i.value_json) for i in r.history.item})
        elif kind == "exit":
            run.ended = True
        elif kind == "artifact":
            a = r.artifact
            run.artifacts[a.name] = {
                "type": a.type,
                "metadata": json.loads(a.metadata or "{}"),
                "files": sorted(c.path for c in a.manifest.contents),
            }
    return run


def _offline_runs(wandb_dir: Path, count: int, timeout_s: float = 60.0) -> dict[str, OfflineRun]:
    """The offline runs W&B wrote under `wandb_dir` (its WANDB_DIR), by run name, once `count`
    of them have ended: W&B's core process writes a run's file (buffered) after `finish()`
    returns, so a test polls for it (at most `timeout_s`)."""
    deadline = time.monotonic() + timeout_s
    while True:
        runs = [_read_run(p) for p in sorted(wandb_dir.glob("wandb/offline-run-*/run-*.wandb"))]
        if (len(runs) >= count and all(r.ended for r in runs)) or time.monotonic() > deadline:
            return {r.name: r for r in runs}
        time.sleep(0.2)


# ---- settings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({"WANDB_MODE": "disabled"}, None),
        ({"WANDB_MODE": "offline", "WANDB_API_KEY": "k" * 40}, "offline"),
        ({"WANDB_MODE": "dryrun"}, "offline"),
        ({"WANDB_MODE": "online", "WANDB_API_KEY": "k" * 40}, "online"),
        ({"WANDB_MODE": "online"}, "offline"),  # no key: never a login prompt
        ({"WANDB_API_KEY": "k" * 40}, "online"),
        ({}, "offline"),
        ({"WANDB_DISABLED": "true", "WANDB_MODE": "online"}, None),
    ],
)
def test_wandb_mode_follows_wandb_mode(
    env: dict[str, str], mode: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("WANDB_MODE", "WANDB_API_KEY", "WANDB_DISABLED", "WANDB_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc login
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert tracking.wandb_mode() == mode


def test_workers_get_the_settings_but_never_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "WANDB_MODE": "offline",
        "WANDB_DIR": "runs",  # relative to this process's folder, not a worker's
        "WANDB_PROJECT": "bots",
        "WANDB_ENTITY": "team",
        "WANDB_API_KEY": "k" * 40,
    }.items():
        monkeypatch.setenv(name, value)
    env = tracking.wandb_env()
    assert env["WANDB_DIR"] == str(tmp_path / "runs")
    assert (env["WANDB_MODE"], env["WANDB_PROJECT"], env["WANDB_ENTITY"]) == (
        "offline",
        "bots",
        "team",
    )
    assert "WANDB_API_KEY" not in env


def test_a_run_goes_to_wandb_dir_with_its_project_and_entity(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store_dir: Path
) -> None:
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("WANDB_PROJECT", "bots")
    monkeypatch.setenv("WANDB_ENTITY", "team")
    stats = [{"handle": "a", "tweets_downloaded": 9, "retweets": 2, "short_tweets": 3,
              "tweets_kept": 4}]  # fmt: skip
    base = tmp_path / "config.json"
    base.write_text("{}")
    with tracking.wandb_run(
        enabled=True, job_type="train", name="train-a", group="a", config={"x": 1},
        directory=str(store_dir / "wandb"),
    ) as run:  # fmt: skip
        assert run is not None and tracking.is_offline(run)
        assert tracking.run_url(run) is None
        tracking.log_handle_stats(run, stats)
        # Offline, using an artifact is skipped (W&B raises "Cannot use artifact ..."): no error.
        tracking.log_artifact(run, "base-model-x", "model", files={"config.json": base}, use=True)
    assert not (store_dir / "wandb").exists()  # WANDB_DIR wins over murmur's default
    runs = _offline_runs(tmp_path / "runs", 1)
    assert set(runs) == {"train-a"}
    run_files = runs["train-a"]
    assert (run_files.project, run_files.entity, run_files.group) == ("bots", "team", "a")
    assert run_files.summary["data/a/tweets_downloaded"] == 9
    assert run_files.summary["data/a/tweets_kept"] == 4
    assert "base-model-x" not in run_files.artifacts


# ---- online links, with a stubbed W&B ------------------------------------------------------
class StubRun:
    """What murmur uses of an online wandb Run, with a made-up URL."""

    def __init__(self, name: str) -> None:
        self.name, self.offline = name, False
        self.url = f"https://wandb.example/team/bots/runs/{name}"
        self.summary: dict[str, Any] = {}
        self.used: list[Any] = []
        self.logged: list[Any] = []
        self.finished = False

    def use_artifact(self, artifact: Any) -> None:
        self.used.append(artifact)

    def log_artifact(self, artifact: Any) -> None:
        self.logged.append(artifact)

    def log(self, values: dict[str, Any], step: int | None = None) -> None:
        self.summary.update(values)

    def finish(self) -> None:
        self.finished = True


def test_online_the_card_links_both_runs(
    monkeypatch: pytest.MonkeyPatch, samples: Path, store_dir: Path, tmp_path: Path
) -> None:
    import wandb

    from murmur.models import publish
    from murmur.models.card import render_card
    from murmur.train import RunFiles, TrainConfig
    from murmur.train.model_tracker import Tracker

    runs: dict[str, StubRun] = {}

    def init(**kwargs: Any) -> StubRun:
        assert kwargs["mode"] == "online" and kwargs["project"] == "bots"
        runs[kwargs["name"]] = StubRun(kwargs["name"])
        return runs[kwargs["name"]]

    monkeypatch.setattr(wandb, "init", init)
    monkeypatch.setenv("WANDB_MODE", "online")
    monkeypatch.setenv("WANDB_API_KEY", "k" * 40)
    monkeypatch.setenv("WANDB_PROJECT", "bots")
    store = Store(str(store_dir))
    outcome = prepare_model(
        ModelSpec(("sample_baker",)), tweets_dir=samples, store=store, use_wandb=True
    )
    prepared = outcome.prepared
    assert prepared is not None
    preprocess = runs["preprocess-sample_baker"]
    assert prepared.wandb == {"preprocess": preprocess.url}
    kept = prepared.stats[0].tweets_kept
    assert preprocess.summary["data/sample_baker/tweets_kept"] == kept
    assert {a.name for a in preprocess.logged} == {
        "raw-dataset-sample_baker",
        "train-dataset-sample_baker",
    }
    # The link travels with the prepared model to the workers, through the store.
    files = RunFiles(store, "links")
    files.write_input(prepared)
    prepared = files.read_input("sample_baker")

    (tmp_path / "config.json").write_text("{}")
    base = SimpleNamespace(
        path=str(tmp_path),
        hash="sha256:0123",
        description="a test base",
        model_config=SimpleNamespace(to_dict=lambda: {"n_layer": 2}),
    )
    tracker = Tracker(TrainConfig(base_model="tiny"), base, store, enabled=True)  # type: ignore[arg-type]
    model_run = tracker.start(prepared)
    links = model_run.links()
    model_run.finish()
    tracker.close()
    train = runs["train-sample_baker"]
    assert links == {"preprocess": preprocess.url, "train": train.url}
    assert train.finished and train.summary["data/sample_baker/tweets_kept"] == kept
    assert [(a.name, a.metadata["hash"]) for a in train.used] == [
        ("base-model-tiny", "sha256:0123")
    ]  # online, the base model is the run's input artifact

    manifest = publish.build_manifest(
        prepared,
        base_model="tiny",
        hyperparameters={},
        val_loss_before=7.0,
        val_loss_after=6.0,
        train_tokens=1,
        train_seconds=1.0,
        wandb=links,
    )
    card = render_card(manifest, "sample_baker")
    assert f"[Explore the data]({preprocess.url})" in card
    assert f"W&B train run: {train.url}" in card


# ---- a real training job, W&B offline ----------------------------------------------------------
@pytest.mark.ray
@pytest.mark.slow
def test_a_training_job_tracked_offline(
    ray_cluster: None,
    samples: Path,
    store_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shared Ray's workers have WANDB_MODE=disabled: the job's settings must travel."""
    from murmur.jobs import JobRequest, run_job

    wandb_dir = tmp_path / "wandb-runs"
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_DIR", str(wandb_dir))
    monkeypatch.setenv("WANDB_PROJECT", "murmur-test")
    monkeypatch.setenv("WANDB_SILENT", "true")
    store = Store(str(store_dir))
    request = JobRequest(
        handles=["sample_baker"],
        tweets_dir=str(samples),
        base_model="tiny",
        train={"block_size": 128, "micro_batch": 4, "lr": 2e-3, "max_steps": 3, "log_every": 1},
    )
    outcome = run_job(request, store)
    assert [a.state for a in outcome.accounts] == ["published"], outcome
    manifest = store.load_manifest("sample_baker")
    assert manifest.wandb == {}  # offline: no run has a URL
    assert not (store_dir / "wandb").exists()  # WANDB_DIR, not <store>/wandb

    runs = _offline_runs(wandb_dir, 2)
    assert set(runs) == {"preprocess-sample_baker", "train-sample_baker"}
    pre, train = runs["preprocess-sample_baker"], runs["train-sample_baker"]
    assert (pre.job_type, train.job_type) == ("preprocess", "train")
    assert pre.group == train.group == "sample_baker"
    assert pre.project == train.project == "murmur-test"

    # The preprocess run: both datasets, and the four figures per handle.
    assert pre.artifacts["raw-dataset-sample_baker"]["files"] == ["raw.json"]
    assert pre.artifacts["train-dataset-sample_baker"]["files"] == ["train.txt", "validation.txt"]
    stats = manifest.stats[0]
    for run in (pre, train):
        figures = [run.summary[f"data/sample_baker/{f}"] for f in tracking.STAT_FIELDS]
        assert figures == [
            stats.tweets_downloaded,
            stats.retweets,
            stats.short_tweets,
            stats.tweets_kept,
        ]

    # The train run: the base by name and hash, steps, both losses, the model, the predictions.
    assert train.config["base_model"]["hash"] == manifest.base_model_hash
    assert [h["train/loss"] for h in train.history if "train/loss" in h][:1], train.history
    assert train.summary["val/loss_before"] == manifest.val_loss_before
    assert train.summary["val/loss_after"] == manifest.val_loss_after
    model = train.artifacts["finetuned-model-sample_baker"]
    assert model["type"] == "model"
    assert {"murmur.json", "README.md", "model.safetensors"} <= set(model["files"])
    table_artifacts = [a for a in train.artifacts.values() if a["type"] == "run_table"]
    assert table_artifacts, train.artifacts
    (table_file,) = train.folder.glob("files/media/table/predictions_*.table.json")
    table = json.loads(table_file.read_text())
    assert table["columns"] == ["prompt", "generation"]
    assert sorted({row[0] for row in table["data"]}) == sorted(PROMPTS)
