"""A training job's state, kept in the store so that any client on any node can follow it.

    jobs/<job_id>/job.json                the job: args (no secrets), status, counts, Ray details
    jobs/<job_id>/accounts/<model>.json   one per model: state, reason, timings, attempts
    jobs/<job_id>/cancel.json             present once someone asked the job to stop
    jobs/<job_id>/log.txt                 the driver's log

A model moves through the states

    queued -> fetching -> prepared -> training -> published
                 \\            \\           \\-> failed (with its reason)
    skipped (already published)      cancelled (the job stopped before reaching it)

Every write is a whole JSON document (`Store.write_json`, atomic on a local store), so a reader
sees the previous state or the next one. This module reads and writes those records and computes
the summary `murmur status` prints; it never imports Ray.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from murmur.errors import StoreError
from murmur.models.store import Store
from murmur.states import FINAL_JOB_STATUSES, FINAL_STATES, JobStatus, ModelState

# Short names for the states (murmur.states holds their strings).
QUEUED, FETCHING, PREPARED, TRAINING = (
    ModelState.QUEUED,
    ModelState.FETCHING,
    ModelState.PREPARED,
    ModelState.TRAINING,
)
PUBLISHED, FAILED, SKIPPED, CANCELLED = (
    ModelState.PUBLISHED,
    ModelState.FAILED,
    ModelState.SKIPPED,
    ModelState.CANCELLED,
)
STATES = tuple(ModelState)
PENDING, RUNNING, SUCCEEDED = JobStatus.PENDING, JobStatus.RUNNING, JobStatus.SUCCEEDED
JOB_FAILED, JOB_CANCELLED = JobStatus.FAILED, JobStatus.CANCELLED


def utcnow() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(stamp: str) -> float:
    """An ISO stamp written by `utcnow` as seconds since the epoch."""
    return (
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()
    )


def new_job_id() -> str:
    """Sortable by creation time (so the newest jobs list last), unique without coordination."""
    return f"train-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


@dataclass
class AccountRecord:
    """One model's progress through a job (a model is one handle, or up to three combined)."""

    model: str
    handles: list[str]
    state: str = QUEUED
    reason: str | None = None
    attempts: int = 0  # times its training started (a crashed worker's account is retried)
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    started: dict[str, str] = field(default_factory=dict)  # phase -> when it began
    updated: str = ""
    result: dict[str, Any] = field(default_factory=dict)  # path, losses, tokens once published

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AccountRecord:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


class JobState:
    """Read and write one job's records in the store."""

    def __init__(self, store: Store, job_id: str) -> None:
        if not job_id or "/" in job_id or job_id.startswith("."):
            raise StoreError(f"invalid job id {job_id!r}: `murmur status` lists the jobs")
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
        try:
            job: dict[str, Any] = self.store.read_json(self.job_path)
        except FileNotFoundError:
            raise StoreError(
                f"no job {self.job_id!r} in {self.store.uri}: `murmur status --store "
                f"{self.store.uri}` lists the jobs there"
            ) from None
        return job

    def write_job(self, job: dict[str, Any]) -> None:
        job["updated"] = utcnow()
        self.store.write_json(self.job_path, job)

    def update_job(self, **changes: Any) -> dict[str, Any]:
        """Merge `changes` into job.json. Only the job's driver (or, before it starts, the client
        that submitted it) writes this file, so read-modify-write is safe."""
        job = self.read_job() if self.exists() else {"id": self.job_id, "created": utcnow()}
        job.update(changes)
        self.write_job(job)
        return job

    # ---- accounts ----------------------------------------------------------------------------
    def write_account(self, record: AccountRecord) -> None:
        record.updated = utcnow()
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
            except (FileNotFoundError, StoreError, TypeError):
                continue
            records[rec.model] = rec
        order = self.read_job().get("models", []) if self.exists() else []
        ordered = [records.pop(m) for m in order if m in records]
        return ordered + sorted(records.values(), key=lambda r: r.model)

    # ---- cancelling --------------------------------------------------------------------------
    def request_cancel(self, reason: str = "cancelled by `murmur cancel`") -> None:
        self.store.write_json(self.cancel_path, {"requested": utcnow(), "reason": reason})

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
    ids = sorted(e.rstrip("/").rsplit("/", 1)[-1] for e in store.fs.ls(base, detail=False))
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


@dataclass
class JobSummary:
    """What `murmur status JOB` shows: counts per state, pace and ETA, each model's record."""

    job: dict[str, Any]
    accounts: list[AccountRecord]
    counts: dict[str, int]
    elapsed_s: float
    accounts_per_hour: float | None
    eta_s: float | None

    @property
    def done(self) -> bool:
        return self.job.get("status") in FINAL_JOB_STATUSES

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "counts": self.counts,
            "elapsed_s": round(self.elapsed_s, 1),
            "accounts_per_hour": None
            if self.accounts_per_hour is None
            else round(self.accounts_per_hour, 1),
            "eta_s": None if self.eta_s is None else round(self.eta_s, 1),
            "accounts": [a.to_json() for a in self.accounts],
        }


def count_states(accounts: list[AccountRecord], refused: int = 0) -> dict[str, int]:
    """Models per state; handles refused before any I/O count as failed."""
    counts: dict[str, int] = {s.value: 0 for s in STATES}
    for a in accounts:
        counts[a.state] = counts.get(a.state, 0) + 1
    counts[FAILED] += refused
    return counts


def summarize(state: JobState, now: float | None = None) -> JobSummary:
    """The job's summary from its records. The pace counts models that finished (published or
    failed) in this job since it started; skipped ones took no time and are left out of it."""
    job = state.read_job()
    accounts = state.read_accounts()
    counts = count_states(accounts, refused=len(job.get("refused", [])))
    start = parse_time(job["started"]) if job.get("started") else None
    end = parse_time(job["finished"]) if job.get("finished") else (now or time.time())
    elapsed = max(0.0, end - start) if start is not None else 0.0
    worked = counts[PUBLISHED] + sum(1 for a in accounts if a.state == FAILED)
    remaining = sum(1 for a in accounts if a.state not in FINAL_STATES)
    rate = worked / elapsed * 3600 if worked and elapsed > 0 else None
    running = job.get("status") not in FINAL_JOB_STATUSES
    eta = remaining / rate * 3600 if rate and remaining and running else None
    return JobSummary(job, accounts, counts, elapsed, rate, eta)


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
