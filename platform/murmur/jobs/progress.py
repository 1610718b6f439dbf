"""A running job's progress on its driver: `JobLedger` keeps every model's AccountRecord and writes
each change through to the store (the record, and job.json's counts), one log line per change;
`TrainingRecorder` turns the training run's progress calls into those changes."""

from __future__ import annotations

import logging
import threading
from typing import Any

from murmur.core.clock import parse_stamp, utc_stamp
from murmur.core.handles import ModelSpec
from murmur.core.states import FINAL_STATES, ModelState
from murmur.core.store import Store
from murmur.jobs.leases import Leases
from murmur.jobs.state import AccountRecord, JobState, count_states
from murmur.train import TrainProgress, TrainResult

log = logging.getLogger(__name__)

INTERRUPTED = "the job was interrupted before this model finished"


class JobLedger:
    """The driver's view of one running job: its records in memory, written through to the store
    on every change. `refused` counts handles refused before any I/O (they count as failed)."""

    def __init__(self, state: JobState, specs: list[ModelSpec], refused: int) -> None:
        self.state = state
        self.refused = refused
        self.records: dict[str, AccountRecord] = {
            spec.name: AccountRecord(model=spec.name, handles=list(spec.handles)) for spec in specs
        }
        # Prepare results (the driver's thread) and training progress (the run's follower) both
        # change records and job.json's counts: one change at a time.
        self.lock = threading.RLock()
        self.leases: Leases | None = None
        """The job's leases (the driver sets them): a model's is released when it ends."""

    def set(
        self, model: str, new_state: ModelState, reason: str | None = None, **result: Any
    ) -> None:
        """Move `model` to `new_state` (with its reason; `result` merged into its figures): the
        phase left gets its time, the record and the job's counts are written, one line logged."""
        with self.lock:
            self._set(model, new_state, reason, **result)

    def _set(self, model: str, new_state: ModelState, reason: str | None, **result: Any) -> None:
        rec = self.records[model]
        now = utc_stamp()
        if rec.state in rec.started and rec.state not in FINAL_STATES:
            # Close the phase being left: its time goes to timings[phase].
            spent = parse_stamp(now) - parse_stamp(rec.started.pop(rec.state))
            rec.timings[rec.state] = round(rec.timings.get(rec.state, 0.0) + spent, 3)
        rec.state = new_state
        rec.reason = reason
        if new_state not in FINAL_STATES:
            rec.started[new_state] = now
        rec.result.update(result)
        self.state.write_account(rec)
        self.state.update_job(counts=self.counts())
        if new_state in FINAL_STATES and self.leases is not None:
            self.leases.release(model)
        log.info("%s: %s%s", model, new_state, f": {reason}" if reason else "")

    def counts(self) -> dict[str, int]:
        return count_states(list(self.records.values()), self.refused)

    def unfinished(self) -> list[str]:
        return [m for m, r in self.records.items() if r.state not in FINAL_STATES]

    @classmethod
    def of_records(cls, state: JobState, records: list[AccountRecord], refused: int) -> JobLedger:
        """The ledger of a job's records as the store holds them (after its driver stopped)."""
        ledger = cls(state, [], refused)
        ledger.records = {r.model: r for r in records}
        return ledger

    def settle_interrupted(
        self, store: Store, began: str, reason: str, models: list[str] | None = None
    ) -> None:
        """After an interrupt: each of `models` (default: the unfinished ones) whose store
        version was published since `began` (a utc_stamp: the job's start; leases keep other
        jobs off its models) is `published`, since a trainer's publishing can outrun the
        driver's record of it (a second Ctrl-C); every other one is cancelled with `reason`."""
        for model in self.unfinished() if models is None else models:
            manifest = None
            try:
                if store.has_model(model):
                    manifest = store.load_manifest(model)
            except Exception as e:  # the store is unreadable now: say cancelled, as before
                log.warning("%s: its published version could not be read: %s", model, e)
            if (
                manifest is not None
                and manifest.created
                and (parse_stamp(manifest.created) >= parse_stamp(began))
            ):
                losses = {"val_loss_before": manifest.val_loss_before,
                          "val_loss_after": manifest.val_loss_after}  # fmt: skip
                path = store.current_path(model)
                self.set(model, ModelState.PUBLISHED, None, path=path, **losses)
            else:
                self.set(model, ModelState.CANCELLED, reason)

    def cancelled(self) -> bool:
        """True once someone asked the job to stop (`murmur cancel`); says so in the log."""
        if self.state.cancel_requested():
            log.info("job %s: cancel requested; stopping", self.state.job_id)
            return True
        return False


class TrainingRecorder:
    """`on_progress` for train_models: each model's training progress into its job record.
    Called on the driver (the training run's progress thread), one call at a time."""

    def __init__(self, ledger: JobLedger) -> None:
        self.ledger = ledger

    def __call__(self, progress: TrainProgress) -> None:
        with self.ledger.lock:
            self._progress(progress)

    def _progress(self, progress: TrainProgress) -> None:
        rec = self.ledger.records.get(progress.model)
        if rec is None or rec.state in FINAL_STATES:
            return
        if progress.worker:  # who trains it, since when: `murmur status` and the live view
            rec.worker, rec.training_started = progress.worker, progress.training_started
        if progress.result is not None:
            self._finish(progress.result)
        elif rec.state != ModelState.TRAINING or rec.attempt != progress.attempt:
            if rec.state == ModelState.TRAINING:  # a retry after a crashed worker
                log.info(
                    "%s: retrying (attempt %d): %s", rec.model, progress.attempt, progress.error
                )
            rec.attempt = progress.attempt
            # The queue hands over each model's latest record, so its first may carry a step.
            self.ledger.set(rec.model, ModelState.TRAINING, **_figures(progress))
        else:  # a step: the record follows quietly (the workers log the step lines)
            rec.result.update(_figures(progress))
            self.ledger.state.write_account(rec)

    def finish(self, result: TrainResult) -> None:
        """A model's training result: published or failed, with its figures. A model the run
        never started because the job was cancelled is recorded as cancelled."""
        with self.ledger.lock:
            self._finish(result)

    def _finish(self, result: TrainResult) -> None:
        rec = self.ledger.records[result.model]
        if rec.state in FINAL_STATES:
            return
        if (
            result.status != ModelState.PUBLISHED
            and rec.state == ModelState.PREPARED
            and self.ledger.state.cancel_requested()
        ):
            reason = "the job was cancelled before this model trained"
            self.ledger.set(result.model, ModelState.CANCELLED, reason)
            return
        if result.attempt:
            rec.attempt = max(rec.attempt, result.attempt)
        if result.worker:
            rec.worker = result.worker
            rec.training_started = result.training_started
            rec.training_ended = result.training_ended
        details = {
            "path": result.path,
            "val_loss_before": result.val_loss_before,
            "val_loss_after": result.val_loss_after,
            "train_tokens": result.train_tokens,
            "steps": result.steps,
            "tokens_per_s": result.tokens_per_s,
            "train_seconds": result.timings.get("train", 0.0),
            "train_timings": result.timings,
        }
        if result.status == ModelState.PUBLISHED:
            self.ledger.set(result.model, ModelState.PUBLISHED, None, **details)
        else:
            self.ledger.set(result.model, ModelState.FAILED, result.error, **details)
        if result.seconds:  # the worker's own measure beats the driver's poll-rounded one
            rec.timings[ModelState.TRAINING] = round(result.seconds, 3)
            self.ledger.state.write_account(rec)


def _figures(progress: TrainProgress) -> dict[str, Any]:
    """A training model's live figures, as its account record keeps them (`murmur status`)."""
    return {
        "step": progress.step,
        "steps": progress.steps,
        "loss": progress.loss,
        "tokens_per_s": progress.tokens_per_s,
    }


def settle_after_abort(store: Store, state: JobState) -> None:
    """Once an aborted job's trainers are gone (its Ray ended): a model recorded as cancelled by
    the interrupt but published before its trainer stopped is recorded as published."""
    job = state.read_job() if state.exists() else {}
    began = job.get("started")
    if not began:
        return
    ledger = JobLedger.of_records(state, state.read_accounts(), len(job.get("refused", [])))
    cut = [m for m, r in ledger.records.items() if r.state == ModelState.CANCELLED
           and r.reason == INTERRUPTED]  # fmt: skip
    ledger.settle_interrupted(store, began, INTERRUPTED, cut)
