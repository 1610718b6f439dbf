"""The driver of one training run: ONE Ray Train `TorchTrainer.fit()` trains a list of models.

huggingtweets trained one account per process: imports, loading GPT-2 and building the trainer
cost more than the training itself. Here each worker imports, loads the base model and keeps a
CPU copy of its weights once, then trains the models one after another (worker.py).

    train_models(prepared, config, store, run_name=...)   the driver: one fit()
    worker.worker_loop(loop_config)                        each worker: the models

The run's files (inputs, rank 0's status, results) live in the store, so every worker of a
cluster reads them (runfiles.py); a poller here turns status changes into `on_progress` calls.

A model that fails (bad data, an error while training it) is reported failed with its reason and
the loop goes on. A crashed worker makes Ray Train restart the group (FailureConfig): it resumes
from the latest checkpoint plus the results in the store, skipping finished models and retrying
the one in progress (at most `per_model.MAX_ATTEMPTS` times). Calling `train_models` again with the
same `run_name` resumes the same way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from murmur.errors import ConfigError, first_line
from murmur.states import ModelState
from murmur.train.config import TrainConfig
from murmur.train.records import ProgressFn, TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles, checkpoint_storage_path

if TYPE_CHECKING:
    from murmur.data.prepare import PreparedModel
    from murmur.models.store import Store

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
    model's result says `failed` and why. If the whole run fails (the workers crashed more than
    `config.max_failures` times), models without a result are failed with that error.
    `on_progress` is called on this thread's poller as models start, log and finish.
    Raises ConfigError for a model given twice or an invalid `run_name`.
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
    return _run_fit(trainer, run, names, on_progress, poll_s)


def _run_fit(
    trainer: Any,
    run: RunFiles,
    names: list[str],
    on_progress: ProgressFn | None,
    poll_s: float,
) -> str | None:
    """`trainer.fit()` with the progress poller around it; the run's error, if it failed."""
    poller = _ProgressPoller(run, names, on_progress, poll_s) if on_progress else None
    if poller:
        poller.start()
    t0 = time.perf_counter()
    error = None
    try:
        trainer.fit()
    except Exception as e:
        error = f"the training run failed: {type(e).__name__}: {first_line(e)}"
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
        result = TrainResult(model=name, status=ModelState.FAILED, error=error)
        if on_progress:
            on_progress(
                TrainProgress(model=name, state=ModelState.FAILED, attempt=0, result=result)
            )
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
        """One pass over the status files: `on_progress` for each model whose state changed."""
        final = (ModelState.PUBLISHED, ModelState.FAILED)
        for name in self.run.status_models():  # one listing, not one read per model
            if name not in self.names or self.seen.get(name, ("",))[0] in final:
                continue
            progress = self.run.read_status(name)
            if progress is None:
                continue
            key = (str(progress.state), progress.attempt, progress.step)
            if self.seen.get(name) == key:
                continue
            self.seen[name] = key
            try:
                self.on_progress(progress)
            except Exception:  # a broken callback must not stop training
                log.exception("on_progress failed for %s", name)
