"""What `murmur status JOB` shows: a job's counts per state, pace and ETA, read from the store."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from murmur.core.clock import parse_stamp
from murmur.core.states import FINAL_JOB_STATUSES, FINAL_STATES, ModelState
from murmur.jobs.state import AccountRecord, JobState, count_states


@dataclass
class JobSummary:
    """A job's summary: counts per state, pace (models/hour) and ETA (seconds), each model's
    record. A view computed from the records, never stored."""

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


def summarize(state: JobState, now: float | None = None) -> JobSummary:
    """The job's summary from its records. The pace counts the models this job published since it
    started (None before the first): failed ones may fail in a second and skipped ones took no
    time, so neither is throughput.
    Raises StoreError when the job does not exist."""
    job = state.read_job()
    accounts = state.read_accounts()
    counts = count_states(accounts, refused=len(job.get("refused", [])))
    start = parse_stamp(job["started"]) if job.get("started") else None
    end = parse_stamp(job["finished"]) if job.get("finished") else (now or time.time())
    elapsed = max(0.0, end - start) if start is not None else 0.0
    worked = counts[ModelState.PUBLISHED]
    remaining = sum(1 for a in accounts if a.state not in FINAL_STATES)
    rate = worked / elapsed * 3600 if worked and elapsed > 0 else None
    running = job.get("status") not in FINAL_JOB_STATUSES
    eta = remaining / rate * 3600 if rate and remaining and running else None
    return JobSummary(job, accounts, counts, elapsed, rate, eta)
