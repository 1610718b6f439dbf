"""One model on every rank of its group: its attempt, data, seed, engine, steps and verdict.

    train_one(worker, taken) -> Finished    what the group's leader hands to its Publisher

Phase 1 reads and packs the model's data (no collective: its errors are the same on every rank).
Phase 2 seeds everything from the model's own seed, builds a fresh engine over the group (a
refresh's starts from the bot's published version: `refresh_start`), evaluates, trains and
evaluates again (a refresh also scores its two sets, the new posts' held-back part and the old
version's validation posts, before and after: their losses go into the refresh's record). Phase 3 makes the group's ranks agree (one rank's failure fails the
model). Publishing then happens in the background (publishing.py).

A model's own problem (bad data, our errors, out of memory) fails it alone. A trainer of one rank
(the default) also fails the model alone for any other error and goes on. In a group of several
ranks any other error is raised, because the other ranks may be waiting in a collective: the rank
tells the queue that this model crashed it, and Ray Train restarts the worker group, which retries
the model at most MAX_ATTEMPTS times (model_queue.ModelQueue.restart).
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

from murmur.core.clock import utc_stamp
from murmur.core.errors import MurmurError, TrainingError, first_line
from murmur.core.states import ModelState
from murmur.train.collectives import (
    all_gather,
    broadcast,
    raise_if_world_stopped,
    world_stopped,
)
from murmur.train.context import Clock, WorkerContext
from murmur.train.engine import (
    consolidated_state,
    new_engine,
    published_module,
    release_engine,
    seed_everything,
)
from murmur.train.loop import (
    Data,
    StepLogFn,
    evaluate,
    load_data,
    pack_blocks,
    tokenize,
    train_steps,
)
from murmur.train.model_queue import Taken, last_progress, report_progress
from murmur.train.publishing import Finished
from murmur.train.records import TrainProgress, TrainResult

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel
    from murmur.train.model_tracker import ModelRun

log = logging.getLogger(__name__)

PUBLISHED, FAILED, TRAINING = ModelState.PUBLISHED, ModelState.FAILED, ModelState.TRAINING
MAX_ATTEMPTS = 2  # a model whose training crashed its own trainer this many times is failed
# Validation blocks per forward pass (at least the micro-batch): evaluation weighs blocks by
# tokens, so its batch changes no loss, only how fast a micro-batch-1 recipe scores.
EVAL_BATCH = 8


def train_one(w: WorkerContext, taken: Taken, queue_wait_s: float = 0.0) -> Finished:
    """Train and evaluate one model on every rank of the group; the leader's Finished carries
    its weights for publishing. Every rank returns the same status and error."""
    clock = Clock()
    name, leader = taken.model, w.group.leader
    result = TrainResult(
        model=name,
        status=PUBLISHED,
        worker=w.worker_name,
        training_started=utc_stamp(),
        timings={"queue_wait": round(queue_wait_s, 4)},
    )
    result.attempt, gave_up = _attempt(w, taken)
    if gave_up is not None:
        return Finished(_failed(result, gave_up, clock))
    if leader:
        report_progress(w.queue, _progress(result, TRAINING))

    # Phase 1, no collective: read and pack the data. Its errors are the same on every rank.
    clock.restart()
    try:
        prepared = w.run.read_input(name)
        data = load_data(prepared, w.base.tokenizer, w.base.block_size, w.config)
        sets = _refresh_sets(w, prepared)
    except MurmurError as e:
        return Finished(_failed(result, str(e), clock))
    except Exception as e:
        return Finished(_failed(result, f"reading its data failed: {_describe(e)}", clock))
    clock.lap("data")
    # The model's own seed, whatever this rank trained before: its dropout, and so its weights
    # and losses, depend on nothing else in the job (murmur.core.seeds).
    seed_everything(prepared.seed)
    tracking = w.tracker.start(prepared) if leader else None
    clock.lap("tracking")

    # Phase 2: train. Every rank gets its own verdict; phase 3 makes them agree.
    result.train_tokens, result.steps = data.tokens, data.steps
    state, error = _train_and_gather(w, result, data, tracking, clock, prepared, sets)

    # Phase 3: the group agrees: one rank's failure fails the model.
    errors = [e for e in all_gather(error, w.group) if e]
    result.training_ended = utc_stamp()
    if errors:
        return Finished(_failed(result, errors[0], clock), tracking=tracking)
    result.seconds = clock.seconds
    result.timings.update(clock.timings)
    return Finished(result, prepared, state, tracking)


def _attempt(w: WorkerContext, taken: Taken) -> tuple[int, str | None]:
    """This try's number, and why to give up instead once the model crashed its own trainer
    MAX_ATTEMPTS times. The queue's record keeps the last try's number: it goes up only when the
    queue says the model's own trainer crashed (an interrupted model keeps its number). The
    leader decides and tells the group."""
    decision: tuple[int, str | None] = (1, None)
    if w.group.leader:
        previous = last_progress(w.queue, taken.model)
        last = previous.attempt if previous else 0
        attempt = last + 1 if taken.crashed or last == 0 else last
        reason = None
        if attempt > MAX_ATTEMPTS and previous is not None:
            where = f" (last at step {previous.step}/{previous.steps}"
            where += f": {previous.error})" if previous.error else ")"
            reason = f"training crashed its worker {MAX_ATTEMPTS} times{where}; not trying again"
            attempt = MAX_ATTEMPTS
        decision = (attempt, reason)
    attempt, reason = broadcast(decision, w.group)
    return attempt, reason


def _refresh_sets(w: WorkerContext, prepared: PreparedModel) -> dict[str, list[list[int]]]:
    """A refresh's two scored sets as validation blocks: "new" (the new posts' held-back part)
    and "old" (the previous version's validation posts); an empty one is left out. {} for a
    model that is no refresh."""
    plan = prepared.refresh
    if plan is None:
        return {}
    texts = {"new": plan.new_val_text, "old": plan.old_val_text}
    sets = {
        key: pack_blocks(tokenize(w.base.tokenizer, text), w.base.block_size, keep_remainder=True)
        for key, text in texts.items()
    }
    return {key: blocks for key, blocks in sets.items() if blocks}


def refresh_start(w: WorkerContext, prepared: PreparedModel, version: str) -> Any:
    """The published `version` of the bot as a module (engine.published_module), from this
    node's copy of it (Store.download_version). TrainingError where it cannot continue here."""
    folder = w.store.download_version(prepared.name, version)
    return published_module(w.base, w.config, str(folder))


def _score(module: Any, sets: dict[str, list[list[int]]], batch: int) -> dict[str, float]:
    return {key: round(evaluate(module, blocks, batch), 5) for key, blocks in sets.items()}


def _scores_before(
    w: WorkerContext, prepared: PreparedModel, sets: dict[str, list[list[int]]], batch: int
) -> tuple[Any, dict[str, float]]:
    """(the module to train from: None for a fresh one, the refresh's scores before training).
    A continued refresh scores its start; `--from-base` scores the previous version, loaded on
    its own and let go (LoRA: its adapter detached again) before the fresh module is built."""
    plan = prepared.refresh
    if plan is None:
        return None, {}
    if plan.start_version is not None:
        return refresh_start(w, prepared, plan.start_version), {}
    previous = refresh_start(w, prepared, plan.record.from_version)
    scores = _score(previous, sets, batch)
    if w.config.method == "lora":
        from murmur.train.lora import detach_adapter

        detach_adapter(previous)
    return None, scores


def _record_scores(
    prepared: PreparedModel, before: dict[str, float], after: dict[str, float]
) -> None:
    """The refresh's losses into its record (the manifest's `refresh`, models.publish)."""
    if prepared.refresh is None:
        return
    r = prepared.refresh.record
    r.val_loss_new_before, r.val_loss_new_after = before.get("new"), after.get("new")
    r.val_loss_old_before, r.val_loss_old_after = before.get("old"), after.get("old")


def _train_and_gather(
    w: WorkerContext,
    result: TrainResult,
    data: Data,
    tracking: ModelRun | None,
    clock: Clock,
    prepared: PreparedModel,
    sets: dict[str, list[list[int]]],
) -> tuple[dict[str, torch.Tensor] | None, str | None]:
    """A new engine's pass over `data`, its losses into `result` (a refresh's into its record);
    returns (the weights on the leader, this rank's error). Our own errors (DataError,
    TrainingError) and running out of memory fail the model alone; so does any error on a
    trainer of one rank. In a group of several ranks any other error is raised (after telling
    the queue, with its last progress)."""
    engine = None
    batch = max(w.config.micro_batch, EVAL_BATCH)
    try:
        start, before = _scores_before(w, prepared, sets, batch)
        engine = new_engine(w.base, w.config, w.group, data.steps, start=start)
        clock.lap("engine_init")
        if start is not None:
            before = _score(engine, sets, batch)
        _train_and_score(w, engine, result, data, tracking, clock)
        _record_scores(prepared, before, _score(engine, sets, batch))
        clock.lap("eval_refresh")
        state = consolidated_state(engine, w.config, w.group)
        clock.lap("gather")
        return state, None
    except (MurmurError, MemoryError) as e:
        return None, _describe(e)
    except Exception as e:
        raise_if_world_stopped(e)  # a lost rank's, not this model's: nothing is recorded
        if w.group.size > 1:
            _crashing(w, result, e)
            raise
        return None, _describe(e)
    finally:
        if engine is not None and not world_stopped():  # destroy() needs the world
            clock.restart()
            release_engine(engine, w.config)
            clock.lap("release")


def _crashing(w: WorkerContext, result: TrainResult, e: Exception) -> None:
    """Before a rank takes the worker group down: the queue learns the crash is this model's."""
    if w.queue is not None:
        import ray

        ray.get(w.queue.crashed.remote(result.model))
    if w.group.leader:
        progress = _progress(result, TRAINING)
        progress.error = _describe(e)
        report_progress(w.queue, progress)


def _train_and_score(
    w: WorkerContext,
    engine: Any,
    result: TrainResult,
    data: Data,
    tracking: ModelRun | None,
    clock: Clock,
) -> None:
    """Validation loss, one pass of steps, validation loss again: into `result`.
    Raises TrainingError when a loss is not finite."""
    eval_batch = max(w.config.micro_batch, EVAL_BATCH)
    val_before = evaluate(engine, data.val, eval_batch)
    clock.lap("eval_before")
    on_log = _step_logger(w, result, tracking)
    train_seconds = train_steps(engine, data, w.config, w.group, on_log)
    clock.timings["train"] = round(train_seconds, 4)
    clock.restart()
    val_after = evaluate(engine, data.val, eval_batch)
    clock.lap("eval_after")
    if not (math.isfinite(val_before) and math.isfinite(val_after)):
        raise TrainingError(
            f"validation loss is not finite ({val_before} before, {val_after} after): lower --lr"
        )
    result.val_loss_before = round(val_before, 5)
    result.val_loss_after = round(val_after, 5)
    result.tokens_per_s = round(data.tokens / train_seconds, 1) if train_seconds > 0 else 0.0


def _step_logger(w: WorkerContext, result: TrainResult, tracking: ModelRun | None) -> StepLogFn:
    """What the group's leader does at each log interval: one line, a report to the queue, W&B."""

    def on_log(step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        if not w.group.leader:
            return
        log.info(
            "%s step %d/%d loss %.2f lr %.1e tok/s %s",
            result.model,
            step,
            result.steps,
            loss,
            lr,
            f"{tokens_per_s:,.0f}",
        )
        progress = _progress(result, TRAINING)
        progress.step, progress.loss = step, round(loss, 4)
        progress.tokens_per_s = round(tokens_per_s, 1)
        report_progress(w.queue, progress)
        if tracking is not None:
            tracking.log_step(step, loss, lr, tokens_per_s)

    return on_log


def _progress(result: TrainResult, state: ModelState) -> TrainProgress:
    """The model's status so far, as its leader writes it."""
    return TrainProgress(
        model=result.model,
        state=state,
        attempt=result.attempt,
        steps=result.steps,
        worker=result.worker,
        training_started=result.training_started,
    )


def _describe(e: BaseException) -> str:
    """An error as a one-line reason; out-of-memory says what to change."""
    if "out of memory" in str(e).lower() or type(e).__name__ == "OutOfMemoryError":
        return f"out of memory: {first_line(e)}; lower --micro-batch or --block-size"
    if isinstance(e, MurmurError):
        return str(e)
    return f"{type(e).__name__}: {first_line(e)}"


def _failed(result: TrainResult, error: str, clock: Clock) -> TrainResult:
    """`result` as a failure: its reason, its time so far."""
    result.status, result.error = FAILED, error
    result.path = None
    result.training_ended = result.training_ended or utc_stamp()
    result.seconds = clock.seconds
    result.timings.update(clock.timings)
    return result
