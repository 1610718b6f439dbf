"""Fine-tuning many models in one Ray Train run: DeepSpeed in every worker, base model loaded once.

huggingtweets trained one account per process: imports, loading GPT-2 and building the trainer
cost more than the training itself. Here ONE `TorchTrainer.fit()` trains a list of models. Each
worker imports, loads the base model and keeps a CPU copy of its weights once; then, per model,
it builds a fresh module from that resident copy (no disk, no hub), creates a new DeepSpeed
engine (fresh optimizer and schedule), measures the validation loss, trains one pass over the
4-epoch text, measures again, and rank 0 publishes the consolidated model to the store.

    training.train_models(prepared, config, store, run_name=...)  the driver: one fit()
    trainloop.worker_loop(loop_config)                             each worker: the models

The run's files live in the store, so every worker of a cluster reads them:

    <store>/train/<run>/inputs/<model>.json    a prepared model (texts and figures), from the driver
    <store>/train/<run>/status/<model>.json    rank 0's progress: state, attempt, step, loss
    <store>/train/<run>/results/<model>.json   the model's TrainResult, once published or failed
    <store>/checkpoints/<run>/                 Ray Train's checkpoints: which models are done

A model that fails (bad data, an error while training it) is reported failed with its reason and
the loop goes on. A crashed worker makes Ray Train restart the group (FailureConfig): it resumes
from the latest checkpoint plus the results in the store, skipping finished models and retrying
the one in progress (at most `trainloop.MAX_ATTEMPTS` times). Calling `train_models` again with the same
`run_name` resumes the same way.
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from murmur.data.handles import ModelSpec, validate_model_name
from murmur.data.rules import EPOCHS
from murmur.errors import ConfigError, MurmurError
from murmur.models.manifest import HandleStats
from murmur.seeds import DEFAULT_SEED
from murmur.states import ModelState

if TYPE_CHECKING:
    from murmur.data.prepare import PreparedModel
    from murmur.models.store import Store

log = logging.getLogger(__name__)

PUBLISHED, FAILED, TRAINING = ModelState.PUBLISHED, ModelState.FAILED, ModelState.TRAINING
_RUN_NAME_RE = re.compile(r"[A-Za-z0-9_.-]{1,100}")


# ---- configuration ---------------------------------------------------------------------------
@dataclass
class TrainConfig:
    """How to fine-tune. Defaults reproduce huggingtweets' recipe (HF Trainer on one GPU)."""

    base_model: str = "gpt2"
    """A causal LM id or local path that transformers loads; `tiny` builds the offline preset."""
    block_size: int = 1024
    """Tokens per training block (huggingtweets: 1,024); capped at the model's n_positions."""
    lr: float = 1.372e-4
    """Peak learning rate (huggingtweets'), decayed by a cosine to zero, no warmup."""
    weight_decay: float = 0.0
    """AdamW weight decay (HF Trainer's default: none)."""
    max_grad_norm: float = 1.0
    """Gradient clipping norm (HF Trainer's default)."""
    seed: int = DEFAULT_SEED
    """Seeds the block order and torch."""
    micro_batch: int = 1
    """Blocks per worker per forward pass (huggingtweets: 1)."""
    grad_accum: int = 1
    """Micro-batches per optimizer step."""
    zero_stage: int = 2
    """DeepSpeed ZeRO stage: 0, 1, 2, or 3 (3 shards the weights too, for gpt2-xl)."""
    cpu_offload: bool = False
    """Keep the optimizer state in CPU memory (ZeRO-Offload); only useful on GPUs."""
    num_workers: int = 1
    """Ray Train workers (data-parallel ranks) in the one worker group."""
    gpus_per_worker: float = 0
    """GPUs per worker: 0 trains on CPUs in fp32, >0 on GPUs in bf16."""
    cpus_per_worker: int = 1
    """CPUs per worker (torch's thread count on a CPU run)."""
    log_every: int = 50
    """Optimizer steps between progress lines."""
    max_failures: int = 2
    """Times Ray Train restarts a crashed worker group (for the whole run) before it gives up;
    a model whose training crashed it twice is failed and skipped (trainloop.MAX_ATTEMPTS)."""
    max_steps: int = 0
    """Cap on each model's optimizer steps (0: one full pass, as huggingtweets); for quick runs."""
    wandb: bool = True
    """Track each model's training as a W&B run (offline without an API key)."""

    def __post_init__(self) -> None:
        problems = []

        def need(ok: bool, flag: str, value: Any, rule: str) -> None:
            if not ok:
                problems.append(f"--{flag} {value!r}: {rule}")

        need(bool(self.base_model), "base-model", self.base_model, "give a model id or path")
        need(self.block_size >= 8, "block-size", self.block_size, "must be at least 8 tokens")
        need(math.isfinite(self.lr) and 0 < self.lr < 1, "lr", self.lr, "must be between 0 and 1")
        need(self.weight_decay >= 0, "weight-decay", self.weight_decay, "must be >= 0")
        need(self.max_grad_norm > 0, "max-grad-norm", self.max_grad_norm, "must be > 0")
        need(self.micro_batch >= 1, "micro-batch", self.micro_batch, "must be at least 1")
        need(self.grad_accum >= 1, "grad-accum", self.grad_accum, "must be at least 1")
        need(self.zero_stage in (0, 1, 2, 3), "zero-stage", self.zero_stage, "use 0, 1, 2 or 3")
        need(
            self.num_workers >= 1,
            "workers",
            self.num_workers,
            "must be at least 1 (Ray Train has no in-process mode for DeepSpeed)",
        )
        need(self.gpus_per_worker >= 0, "gpus-per-worker", self.gpus_per_worker, "must be >= 0")
        need(
            not (self.num_workers > 1 and 0 < self.gpus_per_worker < 1),
            "gpus-per-worker",
            self.gpus_per_worker,
            "several workers need whole GPUs each (NCCL refuses two ranks on one GPU)",
        )
        need(
            not (self.cpu_offload and self.gpus_per_worker == 0),
            "cpu-offload",
            self.cpu_offload,
            "offloading to the CPU only helps a GPU run; drop it or set --gpus-per-worker",
        )
        need(self.cpus_per_worker >= 1, "cpus-per-worker", self.cpus_per_worker, "at least 1")
        need(self.log_every >= 1, "log-every", self.log_every, "must be at least 1")
        need(self.max_failures >= 0, "max-failures", self.max_failures, "must be >= 0")
        need(self.max_steps >= 0, "max-steps", self.max_steps, "must be >= 0 (0: no cap)")
        if problems:
            raise ConfigError("invalid training configuration: " + "; ".join(problems))

    @property
    def use_gpu(self) -> bool:
        return self.gpus_per_worker > 0

    @property
    def precision(self) -> str:
        """bf16 on GPUs (with fp32 master weights in DeepSpeed), fp32 on CPUs."""
        return "bf16" if self.use_gpu else "fp32"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ConfigError(
                f"unknown training option(s) {', '.join(unknown)}: known are {', '.join(sorted(known))}"
            )
        return cls(**d)


@dataclass
class TrainResult:
    """One model's outcome, as the driver returns it and the store keeps it."""

    model: str
    status: str  # "published" or "failed"
    error: str | None = None
    path: str | None = None  # models/<name> in the store, once published
    val_loss_before: float | None = None
    val_loss_after: float | None = None
    train_tokens: int = 0
    steps: int = 0
    seconds: float = 0.0  # this model's wall time in the worker, fixed costs included
    tokens_per_s: float = 0.0  # while training (steps only)
    attempt: int = 1
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    wandb: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TrainResult:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class TrainProgress:
    """A change in one model's training, as `on_progress` receives it on the driver."""

    model: str
    state: str  # "training", "published" or "failed"
    attempt: int
    step: int = 0
    steps: int = 0
    loss: float | None = None
    tokens_per_s: float | None = None
    error: str | None = None  # why the last attempt stopped, when it crashed
    worker: str | None = None  # "host:pid" of the rank-0 worker that wrote it
    result: TrainResult | None = None


ProgressFn = Callable[[TrainProgress], None]


# ---- data ------------------------------------------------------------------------------------
def pack_blocks(ids: Sequence[int], block_size: int, *, keep_remainder: bool) -> list[list[int]]:
    """Cut a token stream into consecutive blocks of `block_size`.

    Training drops the last partial block (as HF's `group_texts`, which huggingtweets used): every
    micro-batch then has one shape, with no padding to mask. Validation keeps it as a shorter
    last block, so that every held-out token is scored (`evaluate` weights blocks by tokens).
    A stream shorter than one block gives one short block either way, so a small account still
    trains; under 2 tokens there is nothing to predict and nothing is returned.
    """
    if block_size < 2:
        raise ConfigError(f"block size {block_size} is too small: at least 2 tokens")
    blocks = [list(ids[i : i + block_size]) for i in range(0, len(ids), block_size)]
    if not keep_remainder and len(blocks) > 1 and len(blocks[-1]) < block_size:
        blocks.pop()
    return [b for b in blocks if len(b) >= 2]


def plan_steps(
    n_blocks: int, micro_batch: int, grad_accum: int, world_size: int
) -> tuple[int, int]:
    """(optimizer steps, blocks used) for one pass over `n_blocks`.

    A step takes micro_batch x grad_accum x world_size blocks; the few left over (fewer than one
    step's worth) are dropped, so that every rank runs the same number of steps.
    """
    per_step = micro_batch * grad_accum * world_size
    steps = n_blocks // per_step
    return steps, steps * per_step


# ---- the run's files in the store -----------------------------------------------------------
class RunFiles:
    """Paths and records of one training run in the store (see the module docstring)."""

    def __init__(self, store: Store, run_name: str) -> None:
        if not _RUN_NAME_RE.fullmatch(run_name) or run_name.startswith("."):
            raise ConfigError(
                f"invalid run name {run_name!r}: use 1-100 letters, digits, '_', '-' or '.'"
            )
        self.store = store
        self.run_name = run_name

    def _path(self, kind: str, model: str) -> str:
        return self.store.path("train", self.run_name, kind, f"{validate_model_name(model)}.json")

    @property
    def stop_path(self) -> str:
        return self.store.path("train", self.run_name, "stop.json")

    def request_stop(self) -> None:
        """Ask the run's workers to stop before their next model (`murmur cancel`)."""
        self.store.write_json(self.stop_path, {"requested": time.time()})

    def stop_requested(self) -> bool:
        return self.store.exists(self.stop_path)

    def clear_stop(self) -> None:
        if self.stop_requested():
            self.store.fs.rm(self.stop_path)

    def write_input(self, prepared: PreparedModel) -> None:
        self.store.write_json(
            self._path("inputs", prepared.name),
            {
                "handles": list(prepared.spec.handles),
                "stats": [s.to_json() for s in prepared.stats],
                "train_text": prepared.train_text,
                "val_text": prepared.val_text,
                "seed": prepared.seed,
                "warnings": list(prepared.warnings),
            },
        )

    def read_input(self, model: str) -> PreparedModel:
        from murmur.data.prepare import PreparedModel

        d = self.store.read_json(self._path("inputs", model))
        return PreparedModel(
            spec=ModelSpec(tuple(d["handles"])),
            stats=[HandleStats(**s) for s in d["stats"]],
            train_text=d["train_text"],
            val_text=d["val_text"],
            seed=d.get("seed", DEFAULT_SEED),
            warnings=list(d.get("warnings", [])),
        )

    def remove_input(self, model: str) -> None:
        path = self._path("inputs", model)
        if self.store.exists(path):
            self.store.fs.rm(path)

    def write_status(self, progress: TrainProgress) -> None:
        """Rank 0's record of a model's progress, stamped with the writing process."""
        d = asdict(progress)
        d["worker"] = d["worker"] or f"{socket.gethostname()}:{os.getpid()}"
        d["updated"] = time.time()
        self.store.write_json(self._path("status", progress.model), d)

    def status_models(self) -> list[str]:
        """Models with a status file (rank 0 writes one when it starts a model)."""
        folder = self.store.path("train", self.run_name, "status")
        try:
            entries = self.store.fs.ls(folder, detail=False)
        except FileNotFoundError:
            return []
        names = (e.rstrip("/").rsplit("/", 1)[-1] for e in entries)
        return [n[: -len(".json")] for n in names if n.endswith(".json")]

    def read_status(self, model: str) -> TrainProgress | None:
        try:
            d = self.store.read_json(self._path("status", model))
        except (FileNotFoundError, MurmurError):
            return None
        result = d.pop("result", None)
        known = {f.name for f in fields(TrainProgress)}
        return TrainProgress(
            **{k: v for k, v in d.items() if k in known},
            result=TrainResult.from_json(result) if result else None,
        )

    def write_result(self, result: TrainResult) -> None:
        self.store.write_json(self._path("results", result.model), result.to_json())

    def read_result(self, model: str) -> TrainResult | None:
        try:
            return TrainResult.from_json(self.store.read_json(self._path("results", model)))
        except (FileNotFoundError, MurmurError):
            return None


def checkpoint_storage_path(store: Store) -> str:
    """Ray Train's storage_path: `<store>/checkpoints`, as a path or URI Ray understands."""
    return store.path("checkpoints") if store.is_local else f"{store.uri.rstrip('/')}/checkpoints"


# ---- the driver ------------------------------------------------------------------------------
def train_models(
    prepared: Sequence[PreparedModel],
    config: TrainConfig,
    store: Store,
    *,
    run_name: str,
    on_progress: ProgressFn | None = None,
    poll_s: float = 1.0,
) -> list[TrainResult]:
    """Train and publish every prepared model in ONE Ray Train run; one result per model, in order.

    Needs Ray initialised (or starts a local one). Never raises for one model's problem: that
    model's result says `failed` and why. If the whole run fails (the workers crashed more than
    `config.max_failures` times), models without a result are failed with that error.
    `on_progress` is called on this thread's poller as models start, log and finish.
    """
    names = [p.name for p in prepared]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError(f"model(s) {', '.join(dupes)} given twice: train each model once")
    run = RunFiles(store, run_name)
    run.clear_stop()  # a stop asked of an earlier call of this run is not this call's
    # Models this run already finished (a rerun of the same run_name) are not trained again.
    todo = [p for p in prepared if run.read_result(p.name) is None]
    fit_error = None
    if todo:
        for p in todo:
            run.write_input(p)
        fit_error = _fit(todo, config, store, run, on_progress, poll_s)
    return [_final_result(run, name, on_progress, fit_error) for name in names]


def _fit(
    todo: Sequence[PreparedModel],
    config: TrainConfig,
    store: Store,
    run: RunFiles,
    on_progress: ProgressFn | None,
    poll_s: float,
) -> str | None:
    """One TorchTrainer.fit() over `todo`. Returns why the run itself failed, if it did."""
    # Train V2's classes (Ray 2.60's default), named explicitly: resuming by rerunning the same
    # RunConfig(name, storage_path) and `worker_runtime_env` are V2's.
    from ray.train.v2.api.config import CheckpointConfig, FailureConfig, RunConfig, ScalingConfig
    from ray.train.v2.torch.torch_trainer import TorchTrainer

    from murmur.train.worker import worker_loop

    names = [p.name for p in todo]

    # DeepSpeed picks its accelerator when imported: say which, whatever the job's env says.
    env_vars = {
        "TOKENIZERS_PARALLELISM": "false",
        "DS_ACCELERATOR": "cuda" if config.use_gpu else "cpu",
    }
    resources: dict[str, float] = {"CPU": config.cpus_per_worker}
    if config.use_gpu:
        resources["GPU"] = config.gpus_per_worker
    trainer = TorchTrainer(
        worker_loop,
        train_loop_config={
            "config": config.to_json(),
            "store": store.root if store.is_local else store.uri,
            "run_name": run.run_name,
            "models": names,
        },
        scaling_config=ScalingConfig(
            num_workers=config.num_workers,
            use_gpu=config.use_gpu,
            resources_per_worker=resources,
        ),
        run_config=RunConfig(
            name=run.run_name,
            storage_path=checkpoint_storage_path(store),
            failure_config=FailureConfig(max_failures=config.max_failures),
            checkpoint_config=CheckpointConfig(num_to_keep=1),
            worker_runtime_env={"env_vars": env_vars},
        ),
    )
    poller = _ProgressPoller(run, names, on_progress, poll_s) if on_progress else None
    if poller:
        poller.start()
    t0 = time.perf_counter()
    error = None
    try:
        trainer.fit()
    except Exception as e:
        error = f"the training run failed: {type(e).__name__}: {_first_line(e)}"
        log.error("run %s: %s", run.run_name, error)
    finally:
        if poller:
            poller.stop()
    seconds = time.perf_counter() - t0
    log.info("run %s: fit() took %.1f s for %d models", run.run_name, seconds, len(names))
    return error


def _final_result(
    run: RunFiles, name: str, on_progress: ProgressFn | None, fit_error: str | None
) -> TrainResult:
    """A model's result from the store; without one (the run failed before it), a failure that
    is returned but not stored, so that rerunning the same run trains the model."""
    result = run.read_result(name)
    if result is None:
        error = fit_error or "the training run ended without a result for this model"
        result = TrainResult(name, FAILED, error=error)
        if on_progress:
            on_progress(TrainProgress(name, FAILED, attempt=0, result=result))
    else:
        run.remove_input(name)  # the texts are large and a finished model never needs them
    return result


class _ProgressPoller:
    """Reads rank 0's status files while fit() runs and calls `on_progress` for each change."""

    def __init__(
        self, run: RunFiles, names: list[str], on_progress: ProgressFn, poll_s: float
    ) -> None:
        self.run = run
        self.names = names
        self.on_progress = on_progress
        self.poll_s = poll_s
        self.seen: dict[str, tuple[str, int, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name="murmur-train-progress", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.poll()  # the last changes, written just before fit() returned

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.poll()

    def poll(self) -> None:
        for name in self.run.status_models():  # one listing, not one read per model
            if name not in self.names or self.seen.get(name, ("",))[0] in (PUBLISHED, FAILED):
                continue
            progress = self.run.read_status(name)
            if progress is None:
                continue
            key = (progress.state, progress.attempt, progress.step)
            if self.seen.get(name) == key:
                continue
            self.seen[name] = key
            try:
                self.on_progress(progress)
            except Exception:  # a broken callback must not stop training
                log.exception("on_progress failed for %s", name)


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def hyperparameters(config: TrainConfig, world: int, block_size: int, steps: int) -> dict[str, Any]:
    """What the card and the manifest say about how a model was trained."""
    return {
        "learning_rate": config.lr,
        "lr_schedule": "cosine to zero, no warmup",
        "optimizer": "AdamW (0.9, 0.999), eps 1e-8",
        "weight_decay": config.weight_decay,
        "max_grad_norm": config.max_grad_norm,
        "epochs": EPOCHS,
        "block_size": block_size,
        "micro_batch": config.micro_batch,
        "grad_accum": config.grad_accum,
        "workers": world,
        "global_batch": config.micro_batch * config.grad_accum * world,
        "steps": steps,
        "precision": config.precision,
        "zero_stage": config.zero_stage,
        "cpu_offload": config.cpu_offload,
        "seed": config.seed,
    }
