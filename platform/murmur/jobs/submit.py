"""Handing a job to a Ray cluster through the Ray Jobs API, and asking Ray about it afterwards.

`submit_job` ships the murmur package itself with the job (runtime_env `py_modules`: the folder
this very package was imported from, an editable checkout or an installed wheel alike) and runs
`python -m murmur.jobs.run --request JSON` there. Nothing depends on a project tree: a --tweets
folder is read on the submitting machine and its raw tweets are staged in the store, where the
cluster's tasks read them.
"""

from __future__ import annotations

import logging
import os
import shlex
from pathlib import Path
from typing import Any

from murmur.core.errors import ConfigError, MurmurError, first_line
from murmur.core.handles import parse_model_specs_each
from murmur.core.job_ids import new_job_id
from murmur.core.states import FINAL_JOB_STATUSES, JobStatus
from murmur.core.store import Store
from murmur.jobs.request import JobRequest
from murmur.jobs.state import JobState, close_job

log = logging.getLogger(__name__)

ENTRYPOINT = ("python", "-m", "murmur.jobs.run")
# Ray runs the entry point as `/bin/sh -c ENTRYPOINT`: one argument, which Linux caps at 128 KiB
# (MAX_ARG_STRLEN). A request longer than this (thousands of handles) goes through the store.
MAX_INLINE_REQUEST = 32 * 1024
# Never shipped with the package: byte code of the submitting machine's Python.
PACKAGE_EXCLUDES = ["**/__pycache__", "*.pyc"]


def package_dir() -> Path:
    """The folder of the murmur package this process runs (what a submitted job runs too)."""
    import murmur

    return Path(murmur.__file__).resolve().parent


def runtime_env(store_uri: str) -> dict[str, Any]:
    """The job's Ray runtime_env: this murmur package on every process's path (so the job runs
    the code it was submitted with, even where an older murmur is installed) and the store."""
    return {
        "py_modules": [str(package_dir())],
        "excludes": PACKAGE_EXCLUDES,
        "env_vars": {"MURMUR_STORE": store_uri, "TOKENIZERS_PARALLELISM": "false"},
    }


def entrypoint(request: JobRequest, state: JobState) -> str:
    """The job's command line: the request inline as JSON, or, when that is too long for one
    shell argument, written to the store beside job.json and named by its URI."""
    inline = shlex.join([*ENTRYPOINT, "--request", request.dumps()])
    if len(inline) <= MAX_INLINE_REQUEST:
        return inline
    path = f"{state.dir}/request.json"
    state.store.write_json(path, request.to_json())
    return shlex.join([*ENTRYPOINT, "--request-file", state.store.fs.unstrip_protocol(path)])


def stage_tweets(request: JobRequest, store: Store) -> JobRequest:
    """Read the accounts of a request's --tweets folder here and keep their raw tweets in the
    store, where the cluster's tasks find them. Returns the request without the folder (and
    without --redownload: the store's copy is the fresh one); a handle whose tweets could not be
    read goes into `staging_errors` with the reason, which the job reports for its model."""
    if request.tweets_dir is None:
        return request
    from murmur.data.sources import load_account

    folder = Path(request.tweets_dir).resolve()
    specs, _ = parse_model_specs_each(request.handles)
    errors: dict[str, str] = {}
    for handle in sorted({h for s in specs for h in s.handles}):
        try:
            load_account(handle, tweets_dir=folder, store=store)
        except MurmurError as e:
            errors[handle] = str(e)
            log.warning("@%s: %s (the job will report it)", handle, e)
    log.info("raw tweets from %s copied to the store %s for the cluster", folder, store.uri)
    return request.model_copy(
        update={"tweets_dir": None, "redownload": False, "staging_errors": errors}
    )


def job_client(address: str) -> Any:
    """A Ray JobSubmissionClient for the dashboard at `address`.

    A head started by `ray start` turns Ray's token authentication on by itself where a token
    exists (~/.ray/auth_token; Ray 2.60), but Ray's client sends the token only when
    RAY_AUTH_MODE=token. So for a head on this machine, with RAY_AUTH_MODE unset, the local token
    (RAY_AUTH_TOKEN, else the file at RAY_AUTH_TOKEN_PATH, else ~/.ray/auth_token) is sent; it is
    never sent elsewhere unasked."""
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(address, headers=_local_token_header(address) or None)


def _local_token_header(address: str) -> dict[str, str]:
    if os.environ.get("RAY_AUTH_MODE") is not None or not _is_loopback(address):
        return {}
    token = os.environ.get("RAY_AUTH_TOKEN", "").strip()
    if not token:
        default = Path.home() / ".ray" / "auth_token"
        try:
            token = Path(os.environ.get("RAY_AUTH_TOKEN_PATH") or default).read_text().strip()
        except OSError:
            return {}
    return {"authorization": f"Bearer {token}"} if token else {}


def submit_job(request: JobRequest, store: Store, address: str) -> str:
    """Submit the job to the Ray cluster at `address` (its dashboard, http://HEAD:8265); returns
    the job id (also the Ray submission id). job.json says `pending` until the driver starts.
    Raises ConfigError (one line, with the fix) when the cluster refuses or cannot be reached."""
    if store.is_local and not _is_loopback(address):
        log.warning(
            "store %s is a local folder, which the cluster at %s may not see: pass --store "
            "s3://... (the store in cluster.yaml)",
            store.uri,
            address,
        )
    job_id = new_job_id()
    store_uri = store.root if store.is_local else store.uri
    request = stage_tweets(request, store).model_copy(update={"job_id": job_id, "store": store_uri})
    state = JobState(store, job_id)
    state.update_job(
        status=JobStatus.PENDING,
        args=request.to_json(),
        ray={"address": address, "submission_id": job_id},
    )
    try:
        _submit_when_ready(
            job_client(address),
            entrypoint=entrypoint(request, state),
            submission_id=job_id,
            runtime_env=runtime_env(store_uri),
            metadata={"murmur_job": job_id},
        )
    except Exception as e:
        why = first_line(e)
        state.update_job(status=JobStatus.FAILED, error=f"submission to {address} failed: {why}")
        if "Authentication" in why:
            fix = "set RAY_AUTH_MODE=token and the cluster's token in RAY_AUTH_TOKEN"
        else:
            fix = (
                "is the Ray dashboard reachable there (`ray dashboard cluster.yaml` forwards it "
                "to http://localhost:8265)?"
            )
        raise ConfigError(f"could not submit the job to {address}: {why}; {fix}") from e
    return job_id


AGENT_STARTING = "No available agent to submit job"
"""What Ray's Jobs API answers (HTTP 500) while a head that just started has no job agent yet."""


def _submit_when_ready(client: Any, *, wait_s: float = 60.0, **job: Any) -> None:
    """`client.submit_job(**job)`, retried every 2 s for up to `wait_s` seconds while the head's
    job agent is still starting (a freshly started cluster); any other error is raised at once."""
    import time

    deadline = time.monotonic() + wait_s
    while True:
        try:
            client.submit_job(**job)
            return
        except Exception as e:
            if AGENT_STARTING not in str(e) or time.monotonic() >= deadline:
                raise
            log.info("the cluster's job agent is still starting: submitting again in 2 s")
            time.sleep(2.0)


def _is_loopback(address: str) -> bool:
    from urllib.parse import urlparse

    host = urlparse(address if "://" in address else f"http://{address}").hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


def ray_client(job: dict[str, Any]) -> Any:
    """A JobSubmissionClient for a job (its job.json) that was submitted to a cluster, else None."""
    info = job.get("ray") or {}
    if not info.get("address"):
        return None
    return job_client(info["address"])


def ray_status(job: dict[str, Any]) -> str | None:
    """Ray's status (PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED) of a job submitted to a
    cluster and not finished in the store; None if not submitted, finished, or Ray is out of
    reach. It tells a driver that died before recording its end from one still at work."""
    info = job.get("ray") or {}
    if not info.get("submission_id") or job.get("status") in FINAL_JOB_STATUSES:
        return None
    try:
        return str(ray_client(job).get_job_status(info["submission_id"]).value)
    except Exception:
        return None


def record_ray_end(state: JobState, status: str) -> bool:
    """A submitted job that Ray says has ended (FAILED, STOPPED) while the store says it has not
    (its driver failed to start, or was killed): record its end. True if it recorded one."""
    job = state.read_job()
    if status not in ("FAILED", "STOPPED") or job.get("status") in FINAL_JOB_STATUSES:
        return False
    if status == "STOPPED":
        close_job(state, JobStatus.CANCELLED, "its Ray job was stopped")
    else:
        why = f"its Ray job failed: `murmur logs {state.job_id}` says why"
        close_job(state, JobStatus.FAILED, why)
    return True
