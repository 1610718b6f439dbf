"""From handles to published models, in this process: what `murmur train` runs.

Parse the handles (an invalid one is failed alone), skip models already published (unless
`force`), prepare the others (a failure is that model's alone), then train every prepared model
in ONE Ray Train run (`murmur.training.train_models`) on the Ray this process uses, starting a
local one if there is none. Every model asked for gets one outcome, in the order asked.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from murmur.errors import ConfigError
from murmur.handles import parse_model_specs_each
from murmur.manifest import HandleStats, ModelManifest
from murmur.prepare import DEFAULT_SEED, PreparedModel, prepare_model
from murmur.store import Store
from murmur.training import PUBLISHED, ProgressFn, TrainConfig, TrainResult, train_models

log = logging.getLogger(__name__)
FAILED = "failed"
FIGURES = ("tweets_downloaded", "retweets", "short_tweets", "tweets_kept")


@dataclass
class ModelOutcome:
    """One model's end state, as `murmur train` prints it."""

    model: str  # the model name, or the refused text of an invalid handle
    handles: list[str]
    stats: list[HandleStats]
    status: str  # "published" or "failed"
    error: str | None = None
    path: str | None = None
    val_loss_before: float | None = None
    val_loss_after: float | None = None
    skipped: bool = False  # already published: not trained again (without --force)
    warnings: list[str] = field(default_factory=list)
    train: TrainResult | None = None

    @property
    def ok(self) -> bool:
        return self.status == PUBLISHED

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "handles": [
                {"handle": s.handle, **{f: getattr(s, f) for f in FIGURES}} for s in self.stats
            ],
            "status": self.status,
            "error": self.error,
            "path": self.path,
            "val_loss_before": self.val_loss_before,
            "val_loss_after": self.val_loss_after,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


def new_run_name() -> str:
    """Unique per call, sortable by time: a run's checkpoints and files are its own."""
    return f"train-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


def ensure_ray(config: TrainConfig) -> None:
    """Use the Ray this process already has (a test's cluster, a Ray job), else start a local
    one, whose workers get the environment murmur's training needs. A local Ray cannot grow,
    so a worker group that does not fit in it is refused here rather than waited for forever."""
    import ray

    if ray.is_initialized():
        return
    env_vars = {"TOKENIZERS_PARALLELISM": "false"}
    for name in ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "MURMUR_CACHE"):
        if name in os.environ:
            env_vars[name] = os.environ[name]
    ray.init(runtime_env={"env_vars": env_vars}, include_dashboard=False, log_to_driver=True)
    have = ray.cluster_resources()
    cpus = config.num_workers * config.cpus_per_worker
    gpus = config.num_workers * config.gpus_per_worker
    if have.get("CPU", 0) < cpus or have.get("GPU", 0) < gpus:
        ray.shutdown()
        raise ConfigError(
            f"--workers {config.num_workers} with --gpus-per-worker {config.gpus_per_worker} "
            f"needs {cpus} CPUs and {gpus:g} GPUs; this machine's Ray has "
            f"{have.get('CPU', 0):g} CPUs and {have.get('GPU', 0):g} GPUs: ask for fewer workers"
        )


def _published_outcome(store: Store, name: str, handles: list[str]) -> ModelOutcome:
    manifest = ModelManifest.from_json(store.load_manifest(name))
    return ModelOutcome(
        model=name,
        handles=handles,
        stats=manifest.stats,
        status=PUBLISHED,
        path=store.model_path(name),
        val_loss_before=manifest.val_loss_before,
        val_loss_after=manifest.val_loss_after,
        skipped=True,
    )


def run_training(
    raws: list[str],
    *,
    store: Store,
    config: TrainConfig,
    tweets_dir: Path | str | None = None,
    force: bool = False,
    refresh: bool = False,
    seed: int = DEFAULT_SEED,
    run_name: str | None = None,
    on_progress: ProgressFn | None = None,
) -> list[ModelOutcome]:
    """Prepare, train and publish the models that `raws` ask for; one outcome each."""
    specs, refused = parse_model_specs_each(raws)
    outcomes: dict[str, ModelOutcome] = {}
    for raw, reason in refused:
        outcomes[raw] = ModelOutcome(raw, [], [], FAILED, error=reason)
    prepared: list[PreparedModel] = []
    for spec in specs:
        if not force and store.has_model(spec.name):
            log.info("%s: already published, skipped (--force trains it again)", spec.name)
            outcomes[spec.name] = _published_outcome(store, spec.name, list(spec.handles))
            continue
        result = prepare_model(
            spec,
            tweets_dir=tweets_dir,
            store=store,
            refresh=refresh,
            seed=seed,
            use_wandb=config.wandb,
        )
        outcomes[spec.name] = ModelOutcome(
            spec.name,
            list(spec.handles),
            result.stats,
            FAILED,
            error=result.error,
            warnings=result.warnings,
        )
        if result.prepared is not None:
            prepared.append(result.prepared)
        else:
            log.error("%s: %s", spec.name, result.error)
    if prepared:
        ensure_ray(config)
        results = train_models(
            prepared, config, store, run_name=run_name or new_run_name(), on_progress=on_progress
        )
        for r in results:
            o = outcomes[r.model]
            o.status, o.error, o.path, o.train = r.status, r.error, r.path, r
            o.val_loss_before, o.val_loss_after = r.val_loss_before, r.val_loss_after
    return list(outcomes.values())
