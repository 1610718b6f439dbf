"""Many handles as one Ray job: its request, its driver, submission to a cluster, its state in
the store.

    request.py        JobRequest (one JSON document: everything a job needs), JobOutcome
    driver.py         run_job: prepare tasks feeding ONE training run as models get ready
    prepare_tasks.py  fetch and prepare, one Ray task per model, its texts into the store
    progress.py       JobLedger (records written through to the store), TrainingRecorder
    cluster.py        ensure_ray: the Ray this process uses, or an embedded local one;
                      ops_to_build: what DeepSpeed compiles before the first step
    leases.py         Leases: a job's claim on each model, so two jobs never train one twice
    submit.py         submit_job through the Ray Jobs API; Ray's view of a submitted job
    run.py            the entry point a submitted job runs: python -m murmur.jobs.run --request
    state.py          job.json, AccountRecord per model, cancel flag, log, in the store
    summary.py        what `murmur status` shows: counts, pace, ETA

Importing this package imports neither torch nor Ray.
"""

from murmur.jobs.cluster import ensure_ray
from murmur.jobs.driver import run_job
from murmur.jobs.progress import settle_after_abort
from murmur.jobs.request import JobOutcome, JobRequest
from murmur.jobs.state import AccountRecord, JobState, close_job, job_records, list_jobs
from murmur.jobs.submit import record_ray_end, submit_job
from murmur.jobs.summary import JobSummary, summarize

__all__ = [
    "AccountRecord",
    "JobOutcome",
    "JobRequest",
    "JobState",
    "JobSummary",
    "close_job",
    "ensure_ray",
    "job_records",
    "list_jobs",
    "record_ray_end",
    "run_job",
    "settle_after_abort",
    "submit_job",
    "summarize",
]
