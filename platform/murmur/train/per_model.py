"""One model on every rank of the worker group: its attempt, data, seed, engine, steps, verdict,
and publishing.

    train_one(worker, name) -> TrainResult    the same result on every rank (rank 0's)

Phase 1 reads and packs the model's data (no collective: its errors are the same on every rank).
Phase 2 seeds everything from the model's own seed, builds a fresh engine, evaluates, trains and
evaluates again. Phase 3 makes the ranks agree (one rank's failure fails the model), then rank 0
publishes and every rank gets its result.

A model's own problem (bad data, our errors, out of memory) fails it alone. With several workers
any other error in phase 2 is raised: the other ranks may be waiting in a collective, so Ray
Train restarts the group, which retries the model, at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from murmur.errors import MurmurError, TrainingError, first_line
from murmur.states import ModelState
from murmur.train.collectives import all_gather, broadcast
from murmur.train.config import TrainConfig, hyperparameters
from murmur.train.engine import (
    Base,
    consolidated_state,
    new_engine,
    release_engine,
    seed_everything,
)
from murmur.train.loop import Data, StepLogFn, evaluate, load_data, train_steps
from murmur.train.records import TrainProgress, TrainResult
from murmur.train.runfiles import RunFiles
from murmur.train.tracking import ModelTracker

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel
    from murmur.models.store import Store

log = logging.getLogger(__name__)

PUBLISHED, FAILED, TRAINING = ModelState.PUBLISHED, ModelState.FAILED, ModelState.TRAINING
MAX_ATTEMPTS = 2  # a model whose training crashed the workers this many times is failed


@dataclass
class WorkerContext:
    """What stays the same for every model a worker trains."""

    config: TrainConfig
    base: Base
    run: RunFiles
    store: Store
    rank: int
    world: int


@dataclass
class _Clock:
    """One model's wall clock: seconds since its start, and per phase."""

    t0: float = field(default_factory=time.perf_counter)
    t: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str) -> None:
        """Add the time since the last lap (or restart) to `phase`."""
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self.t, 4)
        self.t = now

    def restart(self) -> None:
        self.t = time.perf_counter()

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.t0, 3)


def train_one(w: WorkerContext, name: str) -> TrainResult:
    """Train, evaluate and publish one model. Every rank returns the same result (rank 0's)."""
    clock = _Clock()
    attempt, gave_up = _next_attempt(w, name)
    if gave_up is not None:
        return gave_up
    if w.rank == 0:
        w.run.write_status(TrainProgress(model=name, state=TRAINING, attempt=attempt))

    # Phase 1, no collective: read and pack the data. Its errors are the same on every rank.
    clock.restart()
    try:
        prepared = w.run.read_input(name)
        data = load_data(prepared, w.base.tokenizer, w.base.block_size, w.config, w.world)
    except MurmurError as e:
        return _failed(name, str(e), attempt, clock)
    except Exception as e:
        return _failed(name, f"reading its data failed: {_describe(e)}", attempt, clock)
    clock.lap("data")
    # The model's own seed, whatever this worker trained before: its dropout, and so its
    # weights and losses, depend on nothing else in the job (murmur.seeds).
    seed_everything(prepared.seed)
    tracker = ModelTracker(w.config, prepared, w.base, w.rank, w.store)
    clock.lap("tracking")

    # Phase 2: train. Every rank gets its own verdict; phase 3 makes them agree.
    result = TrainResult(
        model=name, status=PUBLISHED, train_tokens=data.tokens, steps=data.steps, attempt=attempt
    )
    state, error = _train_and_gather(w, result, data, tracker, clock)

    # Phase 3: every rank agrees before rank 0 publishes: one rank's failure fails the model.
    errors = [e for e in all_gather(error, w.world) if e]
    if errors:
        result = _failed(name, errors[0], attempt, clock)
    elif w.rank == 0:
        result.timings = clock.timings
        result = _publish_or_fail(w, prepared, state, result, tracker, clock)
        clock.lap("publish")
    tracker.finish()
    del state
    result = broadcast(result, w.rank, w.world)
    result.seconds = clock.seconds
    result.timings = clock.timings
    if w.rank == 0:
        _log_result(result)
    return result


def _next_attempt(w: WorkerContext, name: str) -> tuple[int, TrainResult | None]:
    """This try's number (the status file keeps the last; rank 0 reads it and tells the
    others), and the failed result to return instead when the model has had MAX_ATTEMPTS."""
    previous = w.run.read_status(name) if w.rank == 0 else None
    attempt = broadcast((previous.attempt if previous else 0) + 1, w.rank, w.world)
    if attempt <= MAX_ATTEMPTS:
        return attempt, None
    last = ""
    if previous is not None:
        last = f" (last at step {previous.step}/{previous.steps}"
        last += f": {previous.error})" if previous.error else ")"
    error = f"training crashed the workers {MAX_ATTEMPTS} times{last}; not trying again"
    return attempt, TrainResult(model=name, status=FAILED, error=error, attempt=MAX_ATTEMPTS)


def _train_and_gather(
    w: WorkerContext, result: TrainResult, data: Data, tracker: ModelTracker, clock: _Clock
) -> tuple[dict[str, torch.Tensor] | None, str | None]:
    """A new engine's pass over `data`, its losses into `result`; returns (the weights on
    rank 0, this rank's error). Our own errors (DataError, TrainingError) and running out of
    memory fail the model alone; with several workers any other error is raised."""
    engine = None
    try:
        engine = new_engine(w.base, w.config, w.world, data.steps)
        clock.lap("engine_init")
        _train_and_score(w, engine, result, data, tracker, clock)
        state = consolidated_state(engine, w.config, w.rank)
        clock.lap("gather")
        return state, None
    except (MurmurError, MemoryError) as e:
        return None, _describe(e)
    except Exception as e:
        if w.world > 1:
            if w.rank == 0:
                w.run.write_status(
                    TrainProgress(
                        model=result.model,
                        state=TRAINING,
                        attempt=result.attempt,
                        error=_describe(e),
                    )
                )
            raise
        return None, _describe(e)
    finally:
        if engine is not None:
            clock.restart()
            release_engine(engine, w.config)
            clock.lap("release")


def _train_and_score(
    w: WorkerContext,
    engine: Any,
    result: TrainResult,
    data: Data,
    tracker: ModelTracker,
    clock: _Clock,
) -> None:
    """Validation loss, one pass of steps, validation loss again: into `result`.
    Raises TrainingError when a loss is not finite."""
    val_before = evaluate(engine, data.val, w.config.micro_batch)
    clock.lap("eval_before")
    on_log = _step_logger(w, result.model, data.steps, result.attempt, tracker)
    train_seconds = train_steps(engine, data, w.config, w.rank, w.world, on_log)
    clock.timings["train"] = round(train_seconds, 4)
    clock.restart()
    val_after = evaluate(engine, data.val, w.config.micro_batch)
    clock.lap("eval_after")
    if not (math.isfinite(val_before) and math.isfinite(val_after)):
        raise TrainingError(
            f"validation loss is not finite ({val_before} before, {val_after} after): lower --lr"
        )
    result.val_loss_before = round(val_before, 5)
    result.val_loss_after = round(val_after, 5)
    result.tokens_per_s = round(data.tokens / train_seconds, 1) if train_seconds > 0 else 0.0


def _step_logger(
    w: WorkerContext, name: str, steps: int, attempt: int, tracker: ModelTracker
) -> StepLogFn:
    """What rank 0 does at each log interval: one line, the status file, W&B."""

    def on_log(step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        if w.rank != 0:
            return
        log.info(
            "%s step %d/%d loss %.2f lr %.1e tok/s %s",
            name,
            step,
            steps,
            loss,
            lr,
            f"{tokens_per_s:,.0f}",
        )
        progress = TrainProgress(
            model=name,
            state=TRAINING,
            attempt=attempt,
            step=step,
            steps=steps,
            loss=round(loss, 4),
            tokens_per_s=round(tokens_per_s, 1),
        )
        w.run.write_status(progress)
        tracker.log_step(step, loss, lr, tokens_per_s)

    return on_log


def _publish_or_fail(
    w: WorkerContext,
    prepared: PreparedModel,
    state: dict[str, torch.Tensor] | None,
    result: TrainResult,
    tracker: ModelTracker,
    clock: _Clock,
) -> TrainResult:
    """Rank 0 alone: publish the model, or fail it (the others learn it from the broadcast)."""
    try:
        result.path = _publish(w, prepared, state, result, tracker)
        return result
    except Exception as e:
        log.exception("%s: publishing failed", result.model)
        return _failed(result.model, f"publishing failed: {_describe(e)}", result.attempt, clock)


def _publish(
    w: WorkerContext,
    prepared: PreparedModel,
    state: dict[str, torch.Tensor] | None,
    result: TrainResult,
    tracker: ModelTracker,
) -> str:
    """Write the model folder (weights, tokenizer, card, manifest) and publish it to the store."""
    from murmur.models import publish

    if state is None:
        raise TrainingError("rank 0 has no consolidated weights to publish")
    name = result.model
    hp = hyperparameters(
        w.config,
        world=w.world,
        block_size=w.base.block_size,
        steps=result.steps,
        model_seed=prepared.seed,
    )
    manifest = publish.build_manifest(
        prepared,
        base_model=w.config.base_model,
        hyperparameters=hp,
        val_loss_before=result.val_loss_before,
        val_loss_after=result.val_loss_after,
        train_tokens=result.train_tokens,
        train_seconds=result.timings.get("train", 0.0),
        wandb=tracker.links(),
    )
    with tempfile.TemporaryDirectory(prefix=f"murmur-{name}-") as tmp:
        folder = publish.build_model_folder(
            tmp,
            state_dict=state,
            model_config=w.base.model_config,
            tokenizer=w.base.tokenizer,
            manifest=manifest,
            model_ref=publish.model_ref(w.store, name),
        )
        tracker.log_model(name, folder)
        return publish.publish_folder(w.store, name, folder)


def _log_result(result: TrainResult) -> None:
    if result.status != PUBLISHED:
        log.error("%s failed: %s", result.model, result.error)
        return
    log.info(
        "%s published: val loss %.3f -> %.3f, %s tokens in %.1f s (%s tok/s), %.1f s in all",
        result.model,
        result.val_loss_before,
        result.val_loss_after,
        f"{result.train_tokens:,}",
        result.timings.get("train", 0.0),
        f"{result.tokens_per_s:,.0f}",
        result.seconds,
    )


def _describe(e: BaseException) -> str:
    """An error as a one-line reason; out-of-memory says what to change."""
    if "out of memory" in str(e).lower() or type(e).__name__ == "OutOfMemoryError":
        return f"out of memory: {first_line(e)}; lower --micro-batch or --block-size"
    if isinstance(e, MurmurError):
        return str(e)
    return f"{type(e).__name__}: {first_line(e)}"


def _failed(name: str, error: str, attempt: int, clock: _Clock) -> TrainResult:
    return TrainResult(
        model=name,
        status=FAILED,
        error=error,
        attempt=attempt,
        seconds=clock.seconds,
        timings=dict(clock.timings),
    )
