"""Finishing a model off the critical path: the trainer's leader hands each trained model (its
weights, result and W&B run) to a background thread that writes the folder, publishes it to the
store, and only then records the result, so that a model is `published` only once whole in the
store, while the trainer already trains the next model.

    Publisher(worker)    one per trainer (its group leader)
    publisher.submit(f)  queue a finished model; waits while MAX_PENDING are queued
    publisher.close()    wait for every queued model (before the worker returns)

Nothing here waits without a bound, and the thread survives any one model's error: the store
retries each write (murmur.core.retry) and then the model fails with the reason; a result that
cannot be recorded is logged and the queue still learns the model is done; `submit` and `close`
give up after WAIT_S (TrainingError) instead of hanging `fit()`.

A model whose training failed goes the same way (its result recorded in order). The thread also
tells the run's queue that the model is done: a trainer that crashes before that leaves the model
held, and the restarted group trains it again (model_queue.ModelQueue.restart).
"""

from __future__ import annotations

import logging
import queue
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from murmur.core.errors import TrainingError, first_line
from murmur.core.metrics import count_published
from murmur.core.states import ModelState
from murmur.train.config import hyperparameters
from murmur.train.model_queue import report_progress
from murmur.train.records import TrainProgress, TrainResult

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel
    from murmur.train.context import WorkerContext
    from murmur.train.model_tracker import ModelRun

log = logging.getLogger(__name__)

MAX_PENDING = 2  # trained models waiting to be published: bounds the weights held in memory
WAIT_S = 1800.0  # the longest submit/close wait: MAX_PENDING models published, retries included
QUEUE_TIMEOUT_S = 60.0  # one call to the run's queue actor


@dataclass
class Finished:
    """A model its trainer is done with: its result so far, and what publishing needs (None for
    a model that failed before it had weights)."""

    result: TrainResult
    prepared: PreparedModel | None = None
    state: dict[str, torch.Tensor] | None = None
    tracking: ModelRun | None = None


class Publisher:
    """The background thread that publishes a trainer's models and records their results."""

    def __init__(self, worker: WorkerContext) -> None:
        self.w = worker
        self._todo: queue.Queue[Finished | None] = queue.Queue(MAX_PENDING)
        self._thread = threading.Thread(target=self._work, name="murmur-publish", daemon=True)
        self._thread.start()

    def submit(self, finished: Finished) -> None:
        """Queue a finished model (waits while MAX_PENDING are queued: the back-pressure that
        keeps at most that many models' weights in memory). Raises TrainingError after WAIT_S."""
        self._put(finished)

    def close(self) -> None:
        """Publish and record everything queued, then stop the thread. Raises TrainingError
        where that takes more than WAIT_S (a store that answers nothing, even after retries)."""
        self._put(None)
        self._thread.join(WAIT_S)
        if self._thread.is_alive():
            raise TrainingError(f"publishing did not finish in {WAIT_S:.0f} s: is the store up?")

    def _put(self, item: Finished | None) -> None:
        deadline = time.monotonic() + WAIT_S
        while self._thread.is_alive() and time.monotonic() < deadline:
            try:
                self._todo.put(item, timeout=1.0)
                return
            except queue.Full:
                continue
        raise TrainingError(f"the publisher took no model in {WAIT_S:.0f} s: is the store up?")

    def _work(self) -> None:
        while (finished := self._todo.get()) is not None:
            try:
                self._finish(finished)
            except Exception:  # never let one model end the thread: submit() would wait on it
                log.exception("%s: finishing failed", finished.result.model)

    def _finish(self, finished: Finished) -> None:
        result = finished.result
        try:
            if result.status == ModelState.PUBLISHED:
                result = self._publish_or_fail(finished)
            if finished.tracking is not None:  # after its model's artifact, if any
                finished.tracking.finish()
        finally:
            self._record(result)

    def _publish_or_fail(self, f: Finished) -> TrainResult:
        result = f.result
        t0 = time.perf_counter()
        try:
            result.path = self._publish(f)
        except Exception as e:
            log.exception("%s: publishing failed", result.model)
            result.status = ModelState.FAILED
            result.error = f"publishing failed: {type(e).__name__}: {first_line(e)}"
        result.timings["publish"] = round(time.perf_counter() - t0, 4)
        return result

    def _publish(self, f: Finished) -> str:
        """Write the model folder (weights or LoRA adapter, tokenizer, card, manifest) and
        publish it."""
        from murmur.models import publish

        if f.state is None or f.prepared is None:
            raise TrainingError("the trainer has no consolidated weights to publish")
        w, result = self.w, f.result
        adapter = w.base.adapter  # LoRA's config, set with the first adapter (train/lora.py)
        if w.config.method == "lora" and adapter is None:
            raise TrainingError("the trainer has no LoRA adapter config to publish")
        hp = hyperparameters(
            w.config,
            block_size=w.base.block_size,
            steps=result.steps,
            model_seed=f.prepared.seed,
            worker=result.worker or w.worker_name,
        )
        manifest = publish.build_manifest(
            f.prepared,
            base_model=w.config.base_model,
            base_model_hash=w.base.hash,
            base_model_description=w.base.description,
            hyperparameters=hp,
            val_loss_before=result.val_loss_before,
            val_loss_after=result.val_loss_after,
            train_tokens=result.train_tokens,
            train_seconds=result.timings.get("train", 0.0),
            wandb=f.tracking.links() if f.tracking else {},
            method=w.config.method,
            lora=_lora_settings(adapter) if adapter is not None else None,
        )
        tmp = tempfile.mkdtemp(prefix=f"murmur-{result.model}-")
        ref = publish.model_ref(w.store, result.model)
        try:
            publish.write_posts(tmp, f.prepared, manifest)  # the split `murmur eval` scores on
            if adapter is not None:
                folder = publish.build_adapter_folder(
                    tmp,
                    adapter_state=f.state,
                    adapter_config=adapter,
                    tokenizer=w.base.tokenizer,
                    manifest=manifest,
                    model_ref=ref,
                )
            else:
                folder = publish.build_model_folder(
                    tmp,
                    state_dict=f.state,
                    model_config=w.base.model_config,
                    tokenizer=w.base.tokenizer,
                    manifest=manifest,
                    model_ref=ref,
                )
            path = publish.publish_folder(w.store, result.model, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        f.state = None  # the weights are in the store: let them go
        if f.tracking is not None:  # W&B logs the local copy, then removes it
            f.tracking.log_model(str(folder), then=lambda: shutil.rmtree(tmp, ignore_errors=True))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        return path

    def _record(self, result: TrainResult) -> None:
        """The result and the final status in the store, then the queue learns it is done."""
        w = self.w
        try:
            w.run.write_result(result)  # retried by the store; what outlasts that is logged
            report_progress(
                w.queue,
                TrainProgress(
                    model=result.model,
                    state=result.status,
                    attempt=result.attempt,
                    step=result.steps,
                    steps=result.steps,
                    worker=result.worker,
                    training_started=result.training_started,
                    result=result,
                ),
            )
            _log_result(result)
        except Exception as e:
            log.error("%s: its result could not be recorded in the store: %s", result.model, e)
        finally:
            _call(w.queue, "done", result.model)


def _lora_settings(adapter: dict[str, Any]) -> dict[str, Any]:
    """The manifest's `lora`: {"rank", "alpha", "targets"} of PEFT's LoraConfig fields."""
    return {
        "rank": adapter["r"],
        "alpha": adapter["lora_alpha"],
        "targets": list(adapter["target_modules"]),
    }


def _call(actor: Any, method: str, *args: Any) -> Any:
    """`actor.method(*args)`, waited for up to QUEUE_TIMEOUT_S (None without an actor: a worker
    run outside a queue). Raises ray's GetTimeoutError after that."""
    if actor is None:
        return None
    import ray

    return ray.get(getattr(actor, method).remote(*args), timeout=QUEUE_TIMEOUT_S)


def _log_result(result: TrainResult) -> None:
    if result.status != ModelState.PUBLISHED:
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
    count_published(result.tokens_per_s)  # murmur_accounts_published_total (core.metrics)
