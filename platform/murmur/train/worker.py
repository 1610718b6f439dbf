"""What every Ray Train worker runs: load the base model once, then train each model in turn.

    worker_loop(loop_config)     the training function `train_models` gives TorchTrainer

The worker imports, loads the base model and keeps a CPU copy of its weights once (engine.py),
then trains its models one after another (per_model.py: each on a fresh module and engine, from
the model's own seed), until all are done or the run is asked to stop.

It resumes where a crashed worker group stopped: the models in its last Ray Train checkpoint, and
those with a result in the store, are done; the one in progress is retried from its start.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import tempfile
import time
from typing import Any

from murmur.train.collectives import broadcast
from murmur.train.config import TrainConfig
from murmur.train.engine import import_deepspeed, load_base
from murmur.train.per_model import WorkerContext, train_one
from murmur.train.records import TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 5.0  # at most one Ray checkpoint per this interval (see _Checkpointer)


# ---- the worker's loop -----------------------------------------------------------------------
def worker_loop(loop_config: dict[str, Any]) -> None:
    """Every worker's training function: load once, then train each model not yet done."""
    config = TrainConfig.from_json(loop_config["config"])
    os.environ["DS_ACCELERATOR"] = "cuda" if config.use_gpu else "cpu"  # before deepspeed
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _configure_worker_logging()
    t_setup = time.perf_counter()

    import ray.train
    import torch

    from murmur.models.store import Store

    ctx = ray.train.get_context()
    rank, world = ctx.get_world_rank(), ctx.get_world_size()
    store = Store(loop_config["store"])
    run = RunFiles(store, loop_config["run_name"])
    models: list[str] = loop_config["models"]

    done = _done_from_checkpoint(ray.train.get_checkpoint())
    done |= {m for m in models if run.read_result(m) is not None}
    todo = [m for m in models if m not in done]
    if rank == 0 and done:
        log.info("resuming: %d of %d models done, %d to go", len(done), len(models), len(todo))
    checkpointer = _Checkpointer(rank, world, done)
    if not todo:
        return

    import_deepspeed(config)
    torch.manual_seed(config.seed)  # the base's load; each model then seeds from its own seed
    if not config.use_gpu:
        torch.set_num_threads(config.cpus_per_worker)
    worker = WorkerContext(config, load_base(config), run, store, rank, world)
    # Everything loaded so far lives as long as the worker: freeze it out of the collector, so
    # that the gc.collect() freeing each model's engine scans only that model's objects
    # (0.4 s -> 1 ms per model with the tiny model on this CPU).
    gc.collect()
    gc.freeze()
    setup_seconds = time.perf_counter() - t_setup
    if rank == 0:
        log.info(
            "worker group of %d ready in %.1f s (imports, %s loaded once, block size %d)",
            world,
            setup_seconds,
            config.base_model,
            worker.base.block_size,
        )
    _train_each(worker, todo, checkpointer, setup_seconds)


def _train_each(
    w: WorkerContext, todo: list[str], checkpointer: _Checkpointer, setup_seconds: float
) -> None:
    """Train the models in turn, recording each result, until done or asked to stop."""
    for i, name in enumerate(todo):
        # A stop request ends the run between models; rank 0 decides for every rank.
        if broadcast(w.run.stop_requested() if w.rank == 0 else None, w.rank, w.world):
            if w.rank == 0:
                log.info("stop requested: %d of %d models left untrained", len(todo) - i, len(todo))
            break
        result = train_one(w, name)
        if i == 0:
            result.timings["worker_setup"] = round(setup_seconds, 3)
            gc.freeze()  # what the first engine imported and cached lazily stays too
        if w.rank == 0:
            w.run.write_result(result)
            w.run.write_status(
                TrainProgress(
                    model=name,
                    state=result.status,
                    attempt=result.attempt,
                    step=result.steps,
                    steps=result.steps,
                    result=result,
                )
            )
        checkpointer.finished(result)
    checkpointer.report()


def _configure_worker_logging() -> None:
    """A Ray worker is an entry point: send murmur's INFO lines to its stderr (shown by Ray)."""
    logger = logging.getLogger("murmur")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("ray.train").setLevel(logging.WARNING)  # one line per report otherwise
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


# ---- checkpoints -----------------------------------------------------------------------------
def _done_from_checkpoint(checkpoint: Any) -> set[str]:
    if checkpoint is None:
        return set()
    with checkpoint.as_directory() as d, open(os.path.join(d, "done.json"), encoding="utf-8") as f:
        return set(json.load(f)["done"])


class _Checkpointer:
    """Reports a Ray Train checkpoint listing the finished models, with metrics on the last one.

    In Ray 2.60 a `ray.train.report` waits for the controller to take the previous one, which it
    polls every 2 s, so reporting after every model would add up to 2 s to each (more than a
    whole model's training on a GPU). Checkpoints are therefore reported at most every
    `CHECKPOINT_EVERY_S`, and always at the end; a model finished in between is still never
    trained twice, because its result in the store also counts as done on resume. Every rank
    must call report the same number of times: rank 0 decides and broadcasts.
    """

    def __init__(self, rank: int, world: int, done: set[str]) -> None:
        self.rank = rank
        self.world = world
        self.done = set(done)
        self.pending = 0
        self.last = time.monotonic()
        self.counts: dict[str, int] = {}  # this worker group's models by status
        self.metrics: dict[str, Any] = {}

    def finished(self, result: TrainResult) -> None:
        self.done.add(result.model)
        self.pending += 1
        self.counts[result.status] = self.counts.get(result.status, 0) + 1
        self.metrics = {
            "models_done": len(self.done),
            **{f"models_{status}": n for status, n in self.counts.items()},
            "last_model": result.model,
            "last_status": str(result.status),
            "last_val_loss_after": result.val_loss_after,
            "last_tokens_per_s": result.tokens_per_s,
        }
        due = time.monotonic() - self.last >= CHECKPOINT_EVERY_S
        if broadcast(due, self.rank, self.world):
            self.report()

    def report(self) -> None:
        if not self.pending:
            return
        import ray.train

        with tempfile.TemporaryDirectory() as d:
            checkpoint = None
            if self.rank == 0:
                with open(os.path.join(d, "done.json"), "w", encoding="utf-8") as f:
                    json.dump({"done": sorted(self.done)}, f)
                checkpoint = ray.train.Checkpoint.from_directory(d)
            ray.train.report(self.metrics, checkpoint=checkpoint)
        self.pending = 0
        self.last = time.monotonic()
