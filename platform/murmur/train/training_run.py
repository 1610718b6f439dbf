"""The driver of one training run: ONE Ray Train `TorchTrainer.fit()` whose ranks form N trainers
(`--workers N`, each of `--workers-per-model K` ranks), fed by one queue of model names.

huggingtweets trained one account per process: imports, loading GPT-2 and building the trainer
cost more than the training itself. Here each rank imports and loads the base model once; then
each trainer takes the next model from the queue when it finishes one (worker.py), so N trainers
train N models at a time and a big account delays no one else.

    run = TrainingRun(config, store, run_name=...)   starts the worker group and the queue
    run.add(model)                                   its input must be in the store (RunFiles)
    run.close(); results = run.wait()                no more models; one result per model
    train_models(prepared, config, store, run_name=...)   all of that, for a list in memory

The run's files (inputs, results) live in the store, so every node reads them (runfiles.py).
The trainers report each model's progress to the run's queue, and one thread here follows the
queue's changes (a long poll of the actor, not of the store) and turns them into `on_progress`
calls. `stop()` (a cancel) is the queue's stop: every trainer finishes its model and takes no
other.

A model that fails (bad data, an error while training it) is reported failed with its reason and
the others go on. A crashed rank makes Ray Train restart the worker group (FailureConfig, with
no run-wide budget); the queue puts the models that were in training back, counts an attempt only
for the crashed trainer's model, and gives up after idle restarts (model_queue.py). Calling
`train_models` again
with the same `run_name` trains only the models without a result in the store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from murmur.core.errors import ConfigError, first_line
from murmur.core.ray_init import init_ray
from murmur.core.states import ModelState
from murmur.core.tracking import wandb_env
from murmur.train.config import TrainConfig
from murmur.train.model_queue import PING_TIMEOUT_S, new_queue
from murmur.train.records import ProgressFn, TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles, checkpoint_storage_path

if TYPE_CHECKING:
    from murmur.core.store import Store
    from murmur.data.prepare import PreparedModel

log = logging.getLogger(__name__)


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
    model's result says `failed` and why. If the whole run fails (the queue gave up after
    `config.max_idle_restarts` idle restarts, or the worker group could not start after
    `config.max_start_retries` tries), models without a result are failed with that error.
    `on_progress` is called on one thread (following the queue) as models start, log and finish.
    Raises ConfigError for a model given twice or an invalid `run_name`.
    """
    names = [p.name for p in prepared]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError(f"model(s) {', '.join(dupes)} given twice: train each model once")
    files = RunFiles(store, run_name)
    # Models this run already finished (a rerun of the same run_name) are not trained again.
    todo = [p for p in prepared if files.read_result(p.name) is None]
    run_error = None
    if todo:
        run = TrainingRun(config, store, run_name=run_name, on_progress=on_progress, poll_s=poll_s)
        for p in todo:
            files.write_input(p)
            run.add(p.name)
        run.close()
        run.wait()
        run_error = run.error
    return [final_result(files, name, on_progress, run_error) for name in names]


class TrainingRun:
    """One training run in progress: the worker group starts at once (its ~18 s start-up overlaps
    whatever prepares the models), and trains each model `add`ed, in that order.

    Raises ConfigError for an invalid `run_name`. Starts a local Ray if none is initialised.
    """

    def __init__(
        self,
        config: TrainConfig,
        store: Store,
        *,
        run_name: str,
        on_progress: ProgressFn | None = None,
        poll_s: float = 1.0,
        log_path: str | None = None,
    ) -> None:

        self.files = RunFiles(store, run_name)
        init_ray(worker_logs=True, verbose=True)  # where no job started one (ensure_ray)
        self.queue = new_queue(config.max_idle_restarts)
        self.models: list[str] = []
        self.error: str | None = None
        self.on_progress = on_progress
        self._follower = _ProgressFollower(self, poll_s)
        trainer = _trainer(config, store, self.files, self.queue, log_path)
        self._fit = threading.Thread(target=self._run_fit, args=(trainer,), name="murmur-fit")
        self._fit.start()
        self._follower.start()

    def add(self, model: str) -> None:
        """Queue `model` for training; its input must be in the store (RunFiles.write_input)."""
        import ray

        self.models.append(model)
        ray.get(self.queue.put.remote(model))

    def close(self) -> None:
        """No more models: trainers stop once the queue is empty."""
        import ray

        ray.get(self.queue.close.remote())

    def stop(self) -> None:
        """Take no more models (a cancel): each trainer finishes the one it has."""
        import ray

        ray.get(self.queue.stop.remote())

    def wait(self) -> list[TrainResult]:
        """Wait for the run to end (call `close` or `stop` first); one result per model added.
        An interrupt (Ctrl-C) stops the queue before it is raised again."""
        try:
            self._fit.join()
        except BaseException:
            self.stop()
            raise
        finally:
            self._follower.stop()
        return [final_result(self.files, m, self.on_progress, self.error) for m in self.models]

    def _run_fit(self, trainer: Any) -> None:
        t0 = time.perf_counter()
        import ray

        try:
            trainer.fit()
            gave_up = ray.get(self.queue.gave_up.remote(), timeout=PING_TIMEOUT_S)
            if gave_up:
                self.error = f"the training run gave up: {gave_up}"
        except Exception as e:
            self.error = f"the training run failed: {type(e).__name__}: {first_line(e)}"
        if self.error:
            log.error("run %s: %s", self.files.run_name, self.error)
        seconds = time.perf_counter() - t0
        log.info(
            "run %s: fit() took %.1f s (models queued: %d)",
            self.files.run_name,
            seconds,
            len(self.models),
        )


def _trainer(
    config: TrainConfig, store: Store, files: RunFiles, queue: Any, log_path: str | None
) -> Any:
    """The TorchTrainer of `config.ranks` ranks. The world's process group is gloo unless ranks
    share models on GPUs (NCCL then, each rank a whole GPU): ranks that share a GPU never talk over
    NCCL ("Duplicate GPU detected"); a trainer of one rank needs no collective on the world."""
    # Train V2's classes (Ray 2.60's default), named explicitly: `worker_runtime_env` is V2's.
    from ray.train.torch import TorchConfig
    from ray.train.v2.api.config import FailureConfig, RunConfig, ScalingConfig
    from ray.train.v2.torch.torch_trainer import TorchTrainer

    from murmur.train.worker import worker_loop

    # DeepSpeed picks its accelerator when imported: say which, whatever the job's env says.
    # W&B's settings here (WANDB_MODE, WANDB_DIR...) are the workers' too.
    env_vars = {
        **wandb_env(),
        "TOKENIZERS_PARALLELISM": "false",
        "DS_ACCELERATOR": "cuda" if config.use_gpu else "cpu",
    }
    resources: dict[str, float] = {"CPU": config.cpus_per_worker}
    if config.use_gpu:
        resources["GPU"] = config.gpus_per_worker
    backend = "nccl" if config.use_gpu and config.workers_per_model > 1 else "gloo"
    return TorchTrainer(
        worker_loop,
        train_loop_config={
            "config": config.to_json(),
            "store": files.store.root if files.store.is_local else files.store.uri,
            "run_name": files.run_name,
            "queue": queue,
            "log_path": log_path,
        },
        torch_config=TorchConfig(backend=backend),
        scaling_config=ScalingConfig(
            num_workers=config.ranks,
            use_gpu=config.use_gpu,
            resources_per_worker=resources,
            # Trainers of one rank talk to no one once training starts: spread them over the
            # nodes, so that a lost node costs the fewest models. A model's ranks stay packed.
            placement_strategy="SPREAD" if config.workers_per_model == 1 else "PACK",
        ),
        run_config=RunConfig(
            name=files.run_name,
            storage_path=checkpoint_storage_path(store),
            # No run-wide crash budget: the queue bounds restarts (model_queue.py).
            failure_config=FailureConfig(
                max_failures=-1, controller_failure_limit=config.max_start_retries
            ),
            worker_runtime_env={"env_vars": env_vars},
        ),
    )


def final_result(
    files: RunFiles, name: str, on_progress: ProgressFn | None, run_error: str | None = None
) -> TrainResult:
    """A model's result from the store; without one (the run failed or stopped before it), a
    failure that is returned but not stored, so that rerunning the same run trains the model."""
    result = files.read_result(name)
    if result is None:
        error = run_error or "the training run ended without a result for this model"
        result = TrainResult(model=name, status=ModelState.FAILED, error=error)
        if on_progress:
            on_progress(
                TrainProgress(model=name, state=ModelState.FAILED, attempt=0, result=result)
            )
    else:
        files.remove_input(name)  # the texts are large and a finished model never needs them
    return result


class _ProgressFollower:
    """While the run goes on: one thread follows the queue's records (ModelQueue.changes, a long
    poll of `poll_s` seconds at most) and calls `on_progress` for each change, in order."""

    def __init__(self, run: TrainingRun, poll_s: float) -> None:
        self.run = run
        self.poll_s = poll_s
        self.version = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name="murmur-train-progress", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._safe_follow(0.0)  # the last changes, reported just before fit() returned

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._safe_follow(self.poll_s):
                self._stop.wait(self.poll_s)  # the queue did not answer: try again soon

    def _safe_follow(self, wait_s: float) -> bool:
        try:
            self.follow(wait_s)
        except Exception:  # a queue hiccup must not end progress reporting
            log.exception("run %s: following progress failed", self.run.files.run_name)
            return False
        return True

    def follow(self, wait_s: float) -> None:
        """One long poll: `on_progress` for each record changed since the last one."""
        import ray

        queue = self.run.queue
        self.version, changed = ray.get(
            queue.changes.remote(self.version, wait_s), timeout=wait_s + PING_TIMEOUT_S
        )
        on_progress = self.run.on_progress
        if on_progress is None:
            return
        for progress in changed:
            try:
                on_progress(progress)
            except Exception:  # a broken callback must not stop training
                log.exception("on_progress failed for %s", progress.model)
