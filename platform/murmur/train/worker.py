"""What every Ray Train rank runs: join a model group, load the base model once, then train the
models its group takes from the run's queue, one after another, until the queue is done.

    worker_loop(loop_config)     the training function `train_models` gives TorchTrainer

The worker group's ranks form groups of `workers_per_model` (collectives.form_groups): each group
is one trainer. Its leader takes the next model name from the queue (model_queue.ModelQueue) and
tells its group; the group trains it (per_model.py: a fresh module and engine, from the model's own
seed) while the leader's background thread publishes the previous one (publishing.py). Trainers
never wait for each other: no collective spans two groups once training starts.

Resuming needs no checkpoint: a model with a result in the store is done (the driver does not
queue it), and when Ray Train restarts a crashed group, the queue puts the models that were in
training back (model_queue.ModelQueue.restart). A restart first destroys the surviving ranks'
process groups while they train (Ray Train's TorchConfig shutdown): their next DeepSpeed call
fails ("DeepSpeed backend not set"), and that error is not their model's (collectives.
WorldStopped): nothing is recorded and no model is taken after it. Nothing is reported to Ray Train per model: in
Ray 2.60 a `ray.train.report` waits for the controller (up to 2 s), more than a GPU model's steps.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from typing import Any

from murmur.train.collectives import all_gather, broadcast, form_groups, raise_if_world_stopped
from murmur.train.config import TrainConfig
from murmur.train.context import WorkerContext
from murmur.train.engine import import_deepspeed, load_base
from murmur.train.model_queue import PING_TIMEOUT_S, Taken, current_actor
from murmur.train.model_tracker import Tracker
from murmur.train.ops import build_ops
from murmur.train.per_model import train_one
from murmur.train.publishing import Publisher
from murmur.train.runfiles import RunFiles

log = logging.getLogger(__name__)


def worker_loop(loop_config: dict[str, Any]) -> None:
    """Every rank's training function: join a group, load once, train what the queue gives."""
    config = TrainConfig.from_json(loop_config["config"])
    os.environ["DS_ACCELERATOR"] = "cuda" if config.use_gpu else "cpu"  # before deepspeed
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _configure_worker_logging(loop_config.get("log_path"))
    t_setup = time.perf_counter()

    import ray
    import ray.train
    import torch
    import torch.distributed as dist

    from murmur.core.store import Store

    ctx = ray.train.get_context()
    rank, world = ctx.get_world_rank(), ctx.get_world_size()
    if config.use_gpu:  # DeepSpeed sets the device from LOCAL_RANK: the one Ray gave this rank
        from ray.train.torch import get_device

        os.environ["LOCAL_RANK"] = str(get_device().index or 0)
    group = form_groups(rank, world, config.workers_per_model, "nccl" if config.use_gpu else "gloo")
    queue = loop_config["queue"]
    if rank == 0:  # a restarted worker group: the models still held go back first
        ray.get(queue.restart.remote())
    dist.barrier()  # no trainer takes a model before that (the world group never uses NCCL
    # across ranks that share a GPU: driver.py makes it gloo unless each rank has whole GPUs)
    if ray.get(queue.gave_up.remote(), timeout=PING_TIMEOUT_S):
        return  # too many idle restarts: end the run rather than crash again (model_queue.py)

    build_ops(config, import_deepspeed(config))  # a killed build's lock cannot hang it (ops.py)
    torch.manual_seed(config.seed)  # the base's load; each model then seeds from its own seed
    if not config.use_gpu:
        torch.set_num_threads(config.cpus_per_worker)
    store = Store(loop_config["store"])
    base = load_base(config, store)
    w = WorkerContext(
        config=config,
        base=base,
        run=RunFiles(store, loop_config["run_name"]),
        store=store,
        group=group,
        rank=rank,
        queue=queue,
        tracker=Tracker(config, base, store, enabled=group.leader),
        worker_name=_trainer_name(group.ranks[0]),
    )
    holders = all_gather(current_actor(), group)  # the queue checks them after a crash
    # Everything loaded so far lives as long as the worker: freeze it out of the collector, so
    # that the gc.collect() freeing each model's engine scans only that model's objects
    # (0.4 s -> 1 ms per model with the tiny model on this CPU).
    gc.collect()
    gc.freeze()
    setup_seconds = time.perf_counter() - t_setup
    if group.leader:
        log.info(
            "trainer %s (%d rank(s)) ready in %.1f s (imports, %s loaded once, block size %d)",
            w.worker_name,
            group.size,
            setup_seconds,
            config.base_model,
            base.block_size,
        )
    publisher = Publisher(w) if group.leader else None
    try:
        _train_each(w, publisher, holders, setup_seconds)
    finally:
        if publisher is not None:
            publisher.close()  # every trained model published and recorded before returning
        w.tracker.close()


def _train_each(
    w: WorkerContext, publisher: Publisher | None, holders: list[Any], setup_seconds: float
) -> None:
    """Take, train and hand over models until the queue says there are no more."""
    trained = 0
    while True:
        raise_if_world_stopped()  # Ray Train is restarting the group: take no model
        t_wait = time.perf_counter()
        taken = broadcast(_next_model(w, holders) if w.group.leader else None, w.group)
        if taken is None:
            break
        finished = train_one(w, taken, time.perf_counter() - t_wait)
        if trained == 0:
            finished.result.timings["worker_setup"] = round(setup_seconds, 3)
            gc.freeze()  # what the first engine imported and cached lazily stays too
        trained += 1
        if publisher is not None:
            publisher.submit(finished)
    if w.group.leader:
        log.info("trainer %s: %d model(s), queue done", w.worker_name, trained)


def _trainer_name(rank: int) -> str:
    """`<node IP>/<node id, 8 hex>:<rank>`: which node trains, even where two nodes share a host
    name or an IP (containers, one test machine), and which rank leads the trainer."""
    import ray

    context = ray.get_runtime_context()
    return f"{ray.util.get_node_ip_address()}/{context.get_node_id()[:8]}:{rank}"


def _next_model(w: WorkerContext, holders: list[Any]) -> Taken | None:
    """The leader's next model: None once the queue is stopped (a cancel) or done."""
    import ray

    taken: Taken | None = ray.get(w.queue.take.remote(holders))
    return taken


def _configure_worker_logging(log_path: str | None) -> None:
    """A Ray worker is an entry point: send murmur's INFO lines to its stderr (Ray's session
    logs, forwarded to the driver's terminal with -v) and, given a local `log_path` (the job's
    log in the store), append them there too, so that `murmur logs JOB` has the step lines."""
    logger = logging.getLogger("murmur")
    if log_path and not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        to_job = logging.FileHandler(log_path, mode="a", encoding="utf-8")
        to_job.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
        logger.addHandler(to_job)
        logger.setLevel(logging.INFO)
    if not any(type(h) is logging.StreamHandler for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("ray.train").setLevel(logging.WARNING)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass
