"""A training job's state, kept in the store so that any client on any node can follow it.

    jobs/<job_id>/job.json                the job: args (its JobRequest), status, counts, Ray details
    jobs/<job_id>/accounts/<model>.json   one AccountRecord per model: state, reason, timings
    jobs/<job_id>/cancel.json             present once someone asked the job to stop
    jobs/<job_id>/log.txt                 the driver's log (StoreLogHandler)
    jobs/<job_id>/heartbeat.json          renewed while the job runs (murmur.jobs.leases)
    jobs/leases/<model>.json              which job trains a model now (murmur.jobs.leases)

A model moves through the states of `murmur.core.states.ModelState`; a job through `JobStatus`.
Every write is a whole JSON document (`Store.write_json`, atomic on a local store), so a reader
sees the previous state or the next one. This module reads and writes those records; it never
imports Ray.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from murmur.core.clock import utc_stamp
from murmur.core.errors import StoreError
from murmur.core.job_ids import check_job_id
from murmur.core.states import FINAL_STATES, JobStatus, ModelState
from murmur.core.store import Store

LEASES_DIR = "leases"  # <store>/jobs/leases/: not a job (murmur.jobs.leases)


class AccountRecord(BaseModel):
    """One model's progress through a job (a model is one handle, or up to three combined), and
    its outcome: `murmur train` prints these records (`ok`, `error`, `warnings`), `murmur status`
    shows them. A handle refused before any I/O is reported as a failed record (`refused`)."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True, validate_by_name=True)

    model: str
    """The model name (sorted lower-cased handles joined by `-`), or a refused handle's text."""
    handles: list[str]
    state: ModelState = ModelState.QUEUED
    reason: str | None = None
    """Why it failed, was skipped or cancelled."""
    attempt: int = Field(default=0, alias="attempts")
    """Its training attempt (TrainProgress.attempt): 1, or more when its own worker crashed and
    it was retried; 0 before training. Kept as `attempts` in the store's records."""
    worker: str | None = None
    """The trainer training or having trained it: `<node IP>/<node id>:<rank>` of its group's
    leader (murmur.train.worker)."""
    training_started: str | None = None
    """When that trainer took it (ISO 8601 UTC, ending in `Z`)."""
    training_ended: str | None = None
    """When its steps and evaluations ended, before publishing (ISO 8601 UTC, `Z`)."""
    timings: dict[str, float] = Field(default_factory=dict)
    """Phase (a state name) -> seconds spent in it."""
    started: dict[str, str] = Field(default_factory=dict)
    """Phase -> when it began (murmur.core.clock stamps), for phases not closed yet."""
    updated: str = ""
    result: dict[str, Any] = Field(default_factory=dict)
    """Figures as they arrive: stats, warnings, step/loss while training, path and losses."""

    @classmethod
    def refused(cls, raw: str, reason: str) -> AccountRecord:
        """An invalid handle, as `murmur train` reports it beside the models."""
        return cls(model=raw, handles=[], state=ModelState.FAILED, reason=reason)

    @property
    def ok(self) -> bool:
        """Published: newly, or already (skipped). A model skipped because another job trains
        it (`held_by`) is not."""
        skipped = self.state == ModelState.SKIPPED and self.held_by is None
        return self.state == ModelState.PUBLISHED or skipped

    @property
    def held_by(self) -> str | None:
        """The job training this model, when this job skipped it for that (murmur.jobs.leases)."""
        holder = self.result.get("held_by")
        return str(holder) if holder else None

    @property
    def error(self) -> str | None:
        """Why the model is not published (failed, cancelled or unfinished); None when ok."""
        if self.ok:
            return None
        return self.reason or f"the job left this model {self.state}"

    @property
    def warnings(self) -> list[str]:
        """Data warnings from preparation (e.g. little data), one line each."""
        return list(self.result.get("warnings", []))

    def to_json(self) -> dict[str, Any]:
        """The record as the store keeps it (accounts/<model>.json; `attempt` as `attempts`)."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AccountRecord:
        return cls.model_validate(d)


def job_records(
    accounts: list[AccountRecord], refused: list[dict[str, str]]
) -> list[AccountRecord]:
    """Every model a job was asked for: refused handles first (job.json's `refused`: dicts of
    handle and reason), then the models in the job's order."""
    return [AccountRecord.refused(r["handle"], r["reason"]) for r in refused] + accounts


class JobState:
    """Read and write one job's records in the store. Raises StoreError for an invalid job id
    (one that could leave the jobs folder)."""

    def __init__(self, store: Store, job_id: str) -> None:
        check_job_id(job_id, error=StoreError, hint="`murmur status` lists the jobs")
        self.store = store
        self.job_id = job_id
        self.dir = store.path("jobs", job_id)

    # ---- paths -------------------------------------------------------------------------------
    @property
    def job_path(self) -> str:
        return f"{self.dir}/job.json"

    @property
    def log_path(self) -> str:
        return f"{self.dir}/log.txt"

    @property
    def cancel_path(self) -> str:
        return f"{self.dir}/cancel.json"

    def account_path(self, model: str) -> str:
        return self.store.path("jobs", self.job_id, "accounts", f"{model}.json")

    # ---- the job -----------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.store.exists(self.job_path)

    def read_job(self) -> dict[str, Any]:
        """job.json; StoreError names the store's jobs when there is no such job."""
        try:
            job: dict[str, Any] = self.store.read_json(self.job_path)
        except FileNotFoundError:
            raise StoreError(
                f"no job {self.job_id!r} in {self.store.uri}: `murmur status --store "
                f"{self.store.uri}` lists the jobs there"
            ) from None
        return job

    def write_job(self, job: dict[str, Any]) -> None:
        job["updated"] = utc_stamp()
        self.store.write_json(self.job_path, job)

    def update_job(self, **changes: Any) -> dict[str, Any]:
        """Merge `changes` into job.json. Only the job's driver (or, before it starts, the client
        that submitted it) writes this file, so read-modify-write is safe."""
        job = self.read_job() if self.exists() else {"id": self.job_id, "created": utc_stamp()}
        job.update(changes)
        self.write_job(job)
        return job

    # ---- accounts ----------------------------------------------------------------------------
    def write_account(self, record: AccountRecord) -> None:
        record.updated = utc_stamp()
        self.store.write_json(self.account_path(record.model), record.to_json())

    def read_account(self, model: str) -> AccountRecord:
        return AccountRecord.from_json(self.store.read_json(self.account_path(model)))

    def read_accounts(self) -> list[AccountRecord]:
        """Every model's record, in the job's order (job.json's `models`)."""
        base = f"{self.dir}/accounts"
        if not self.store.exists(base):
            return []
        records: dict[str, AccountRecord] = {}
        for entry in self.store.fs.ls(base, detail=False):
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            if not name.endswith(".json"):
                continue  # a temporary file of an atomic write in progress
            try:
                rec = AccountRecord.from_json(self.store.read_json(entry))
            except (FileNotFoundError, StoreError, ValidationError):
                continue
            records[rec.model] = rec
        order = self.read_job().get("models", []) if self.exists() else []
        ordered = [records.pop(m) for m in order if m in records]
        return ordered + sorted(records.values(), key=lambda r: r.model)

    # ---- cancelling --------------------------------------------------------------------------
    def request_cancel(self, reason: str = "cancelled by `murmur cancel`") -> None:
        self.store.write_json(self.cancel_path, {"requested": utc_stamp(), "reason": reason})

    def cancel_requested(self) -> bool:
        return self.store.exists(self.cancel_path)

    # ---- the log -----------------------------------------------------------------------------
    def read_log(self) -> str:
        if not self.store.exists(self.log_path):
            return ""
        with self.store.fs.open(self.log_path, "r", encoding="utf-8") as f:
            text: str = f.read()
        return text


def list_jobs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The newest `limit` jobs' job.json, oldest first (job ids sort by creation time)."""
    base = store.path("jobs")
    if not store.exists(base):
        return []
    names = (e.rstrip("/").rsplit("/", 1)[-1] for e in store.fs.ls(base, detail=False))
    ids = sorted(n for n in names if n != LEASES_DIR)
    out = []
    for job_id in ids[-limit:]:
        try:
            out.append(JobState(store, job_id).read_job())
        except StoreError:
            continue  # a job folder whose job.json is not written yet
    return out


def latest_job_id(store: Store) -> str | None:
    jobs = list_jobs(store, limit=1)
    return str(jobs[-1]["id"]) if jobs else None


def count_states(accounts: list[AccountRecord], refused: int = 0) -> dict[str, int]:
    """Models per state (every ModelState value, in order); handles refused before any I/O count
    as failed."""
    counts: dict[str, int] = {s.value: 0 for s in ModelState}
    for a in accounts:
        counts[a.state] = counts.get(a.state, 0) + 1
    counts[ModelState.FAILED] += refused
    return counts


def close_job(state: JobState, status: JobStatus, error: str | None) -> None:
    """Record a job's end from outside its driver (the driver is gone, or was interrupted):
    models not finished are cancelled (or failed, for a failed job) with the reason, and the job
    gets its status, end time and counts."""
    for rec in state.read_accounts():
        if rec.state not in FINAL_STATES:
            if status == JobStatus.CANCELLED:
                rec.state, rec.reason = (
                    ModelState.CANCELLED,
                    f"cancelled before it finished ({error})",
                )
            else:
                rec.state = ModelState.FAILED
                rec.reason = f"the job stopped before it finished: {error}"
            state.write_account(rec)
    counts = count_states(state.read_accounts(), len(state.read_job().get("refused", [])))
    state.update_job(status=status, finished=utc_stamp(), error=error, counts=counts)


class StoreLogHandler(logging.Handler):
    """Copies log records to the job's `log.txt` in the store, so `murmur logs JOB` reads them
    from any machine. A local store is appended to line by line; an object store (no appends)
    gets the whole log rewritten at most every `flush_every_s` seconds and on close."""

    def __init__(self, state: JobState, flush_every_s: float = 5.0) -> None:
        super().__init__()
        self.state = state
        self.flush_every_s = flush_every_s
        self._lines: list[str] = []
        self._last_flush = 0.0
        self._local = state.store.is_local
        self.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
        if self._local:
            os.makedirs(state.dir, exist_ok=True)
        elif previous := state.read_log().rstrip("\n"):
            self._lines.append(previous)  # a rerun of the same job keeps the earlier lines

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            if self._local:
                with open(self.state.log_path, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
                return
            self._lines.append(line)
            if time.monotonic() - self._last_flush >= self.flush_every_s:
                self.flush()
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        if self._local or not self._lines:
            return
        with self.state.store.fs.open(self.state.log_path, "w", encoding="utf-8") as f:
            f.write("\n".join(self._lines) + "\n")
        self._last_flush = time.monotonic()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            super().close()
