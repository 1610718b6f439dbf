"""Many handles as one Ray job: fetch and prepare fan out as Ray tasks, then one training run
trains every prepared model (fixed costs paid once per worker), and each model's state is kept
in the store as it changes (`murmur.jobs.state`).

    run_job(request, store)          runs the job here (the driver), on the Ray this process uses
    submit_job(request, store, url)  hands it to a Ray cluster through the Jobs API; its driver is
                                     jobs/train_job.py, which calls run_job there

A model that fails (no data, a bad handle, a training error) is recorded with its reason and the
others go on. Models already published are skipped unless `force`, so running the same command
again does the rest.
"""

from __future__ import annotations

import logging
import os
import shlex
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from murmur.data.handles import ModelSpec, parse_model_specs_each
from murmur.data.prepare import PreparedModel, PrepareOutcome, prepare_model
from murmur.errors import ConfigError, MurmurError
from murmur.jobs.state import (
    CANCELLED,
    FAILED,
    FETCHING,
    FINAL_JOB_STATUSES,
    FINAL_STATES,
    JOB_CANCELLED,
    JOB_FAILED,
    PENDING,
    PREPARED,
    PUBLISHED,
    RUNNING,
    SKIPPED,
    SUCCEEDED,
    TRAINING,
    AccountRecord,
    JobState,
    StoreLogHandler,
    count_states,
    new_job_id,
    parse_time,
    utcnow,
)
from murmur.models.store import Store
from murmur.seeds import DEFAULT_SEED

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ENTRYPOINT = "jobs/train_job.py"
# Never shipped to a cluster with the working tree: environments, history, local stores, outputs.
WORKING_DIR_EXCLUDES = [
    ".venv",
    ".git",
    "murmur-store",
    "artifacts",
    "**/__pycache__",
    "*.egg-info",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
]


@dataclass
class JobRequest:
    """What one `murmur train` asks for. Stored in job.json as the job's args: it holds no
    secret (tokens and keys come from the environment of the processes that need them)."""

    handles: list[str]
    tweets_dir: str | None = None
    base_model: str = "gpt2"
    force: bool = False  # train again even if the model is already published
    refresh: bool = False  # download tweets again instead of using the store's copy
    seed: int = DEFAULT_SEED
    use_wandb: bool = True
    train: dict[str, Any] = field(default_factory=dict)  # TrainConfig fields given explicitly

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> JobRequest:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class JobOutcome:
    """How a job ended: its id, its status and every model's final record."""

    job_id: str
    status: str
    accounts: list[AccountRecord]
    refused: list[dict[str, str]]

    @property
    def ok(self) -> bool:
        return self.status == SUCCEEDED


class TrainFn(Protocol):
    """The shape of `murmur.train.driver.train_models` (tests pass a fake one)."""

    def __call__(
        self,
        prepared: list[PreparedModel],
        config: Any,
        store: Store,
        *,
        run_name: str,
        on_progress: Callable[..., None] | None = None,
    ) -> list[Any]: ...


# ---- Ray --------------------------------------------------------------------------------------
def ensure_ray(config: Any = None) -> None:
    """Use the Ray this process already has (a test's shared cluster, the cluster a Ray job runs
    in), else connect to $RAY_ADDRESS, else start an embedded local one whose workers get the
    environment training needs. Never starts a second Ray, never shuts one down. A local Ray
    cannot grow, so a worker group (`config`, a TrainConfig) that does not fit it is refused now
    rather than waited for forever."""
    import ray

    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        # A cluster (or the Ray job we run in, whose runtime env already holds the job's
        # settings: a second one here would conflict). A cluster may autoscale: no size check.
        ray.init(log_to_driver=True)
        return
    env_vars = {"TOKENIZERS_PARALLELISM": "false"}
    for name in ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "MURMUR_CACHE"):
        if name in os.environ:
            env_vars[name] = os.environ[name]
    ray.init(runtime_env={"env_vars": env_vars}, include_dashboard=False, log_to_driver=True)
    if config is None:
        return
    have = ray.cluster_resources()
    cpus = config.num_workers * config.cpus_per_worker
    gpus = config.num_workers * config.gpus_per_worker
    if have.get("CPU", 0) < cpus or have.get("GPU", 0) < gpus:
        ray.shutdown()
        raise ConfigError(
            f"--workers {config.num_workers} with --gpus-per-worker {config.gpus_per_worker:g} "
            f"needs {cpus} CPUs and {gpus:g} GPUs; this machine's Ray has "
            f"{have.get('CPU', 0):g} CPUs and {have.get('GPU', 0):g} GPUs: ask for fewer workers"
        )


def _prepare_task(
    spec: ModelSpec,
    tweets_dir: str | None,
    store_uri: str,
    job_id: str,
    refresh: bool,
    seed: int,
    use_wandb: bool,
) -> tuple[PrepareOutcome, float]:
    """One model's fetch and preparation, run as a Ray task on any node: marks the model
    `fetching` when it really starts (not when queued) and returns the outcome and its time."""
    store = Store(store_uri)
    state = JobState(store, job_id)
    record = state.read_account(spec.name)
    record.state = FETCHING
    record.started[FETCHING] = utcnow()
    state.write_account(record)
    t0 = time.perf_counter()
    outcome = prepare_model(
        spec, tweets_dir=tweets_dir, store=store, refresh=refresh, seed=seed, use_wandb=use_wandb
    )
    return outcome, time.perf_counter() - t0


# ---- the job ----------------------------------------------------------------------------------
class JobRun:
    """The driver's view of one running job: its records in memory, written through to the store
    on every change (the model's record and job.json's counts), one log line per change."""

    def __init__(self, state: JobState, specs: list[ModelSpec], refused: int) -> None:
        self.state = state
        self.refused = refused
        self.records: dict[str, AccountRecord] = {}
        for spec in specs:
            self.records[spec.name] = AccountRecord(model=spec.name, handles=list(spec.handles))

    def set(self, model: str, new_state: str, reason: str | None = None, **result: Any) -> None:
        rec = self.records[model]
        now = utcnow()
        if rec.state in rec.started and rec.state not in FINAL_STATES:
            # Close the phase being left: its time goes to timings[phase].
            spent = parse_time(now) - parse_time(rec.started.pop(rec.state))
            rec.timings[rec.state] = round(rec.timings.get(rec.state, 0.0) + spent, 3)
        rec.state = new_state
        rec.reason = reason
        if new_state not in FINAL_STATES:
            rec.started[new_state] = now
        rec.result.update(result)
        self.state.write_account(rec)
        self.state.update_job(counts=self.counts())
        log.info("%s: %s%s", model, new_state, f": {reason}" if reason else "")

    def counts(self) -> dict[str, int]:
        return count_states(list(self.records.values()), self.refused)

    def unfinished(self) -> list[str]:
        return [m for m, r in self.records.items() if r.state not in FINAL_STATES]


def run_job(
    request: JobRequest,
    store: Store,
    *,
    job_id: str | None = None,
    train_fn: TrainFn | None = None,
    train_config: Any = None,
) -> JobOutcome:
    """Run a training job in this process (the driver) on the Ray it is connected to (one is
    started here if none is). Returns when every model is published, skipped or failed.
    A bad training option raises ConfigError before anything starts."""
    config = train_config if train_config is not None else train_config_for(request)
    ensure_ray(config)
    job_id = job_id or new_job_id()
    state = JobState(store, job_id)
    # The job's log in the store gets murmur's INFO lines whatever the console shows.
    logger = logging.getLogger("murmur")
    handler = StoreLogHandler(state)
    level = logger.level
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        return _run(request, store, state, train_fn, config)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()


def _run(
    request: JobRequest,
    store: Store,
    state: JobState,
    train_fn: TrainFn | None,
    config: Any,
) -> JobOutcome:
    specs, refused_pairs = parse_model_specs_each(request.handles)
    refused = [{"handle": raw, "reason": reason} for raw, reason in refused_pairs]
    run = JobRun(state, specs, len(refused))
    previous = state.read_job() if state.exists() else {}
    state.update_job(
        created=previous.get("created", utcnow()),
        started=utcnow(),
        finished=None,
        status=RUNNING,
        args=request.to_json(),
        models=list(run.records),
        refused=refused,
        error=None,
        driver={"host": socket.gethostname(), "pid": os.getpid()},
        counts=run.counts(),
    )
    for r in refused:
        log.info("%s: failed: %s", r["handle"], r["reason"])
    log.info("job %s: %d models in store %s", state.job_id, len(run.records), store.uri)
    for rec in run.records.values():
        state.write_account(rec)

    error: str | None = None
    phases: dict[str, float] = {}  # wall seconds of the job's phases, for the benchmark
    try:
        todo = [] if _cancelled(run) else _skip_published(run, store, request.force)
        t0 = time.perf_counter()
        prepared = _prepare_all(run, todo, request, store) if todo else []
        phases["prepare"] = round(time.perf_counter() - t0, 3)
        if prepared and not _cancelled(run):
            t0 = time.perf_counter()
            _train_all(run, prepared, store, train_fn, config)
            phases["train"] = round(time.perf_counter() - t0, 3)
    except Exception as e:  # the job itself broke: every model not finished says why
        error = f"{type(e).__name__}: {e}" if not isinstance(e, MurmurError) else str(e)
        log.exception("job %s failed", state.job_id)
        for model in run.unfinished():
            run.set(model, FAILED, f"the job stopped before this model finished: {error}")
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C; or `ray job stop` (murmur cancel), whose SIGTERM ray.init turns into SystemExit.
        log.warning("job %s interrupted", state.job_id)
        for model in run.unfinished():
            run.set(model, CANCELLED, "the job was interrupted before this model finished")
        close_job(state, JOB_CANCELLED, "interrupted")
        raise

    for model in run.unfinished():  # only a cancel leaves models unfinished here
        run.set(model, CANCELLED, "the job was cancelled before this model finished")
    counts = run.counts()
    if counts[CANCELLED]:
        status = JOB_CANCELLED
    elif error is not None or counts[FAILED] > 0:
        status = JOB_FAILED
    else:
        status = SUCCEEDED
    state.update_job(status=status, finished=utcnow(), counts=counts, error=error, phases=phases)
    log.info(
        "job %s %s: %s",
        state.job_id,
        status,
        ", ".join(f"{n} {s}" for s, n in counts.items() if n),
    )
    return JobOutcome(state.job_id, status, list(run.records.values()), refused)


def _cancelled(run: JobRun) -> bool:
    if run.state.cancel_requested():
        log.info("job %s: cancel requested; stopping", run.state.job_id)
        return True
    return False


def _skip_published(run: JobRun, store: Store, force: bool) -> list[str]:
    """Models to work on: all of them with `force`, else those not published yet."""
    todo = []
    for model in run.records:
        if not force and store.has_model(model):
            manifest = store.load_manifest(model)
            run.set(
                model,
                SKIPPED,
                "already published (--force trains it again)",
                stats=manifest.get("stats", []),
                path=store.model_path(model),
                val_loss_before=manifest.get("val_loss_before"),
                val_loss_after=manifest.get("val_loss_after"),
            )
        else:
            todo.append(model)
    return todo


def _prepare_all(
    run: JobRun, todo: list[str], request: JobRequest, store: Store
) -> list[PreparedModel]:
    """Fetch and prepare every model as its own Ray task; a failure in one (even a crashed
    worker, after Ray's retries) fails that model alone. Results are recorded as they finish."""
    import ray

    # The store's absolute root, so that a task on another node or in another folder finds it.
    store_uri = store.root if store.is_local else store.uri
    task = ray.remote(num_cpus=1, max_retries=2)(_prepare_task)
    pending = {
        task.remote(
            ModelSpec(tuple(run.records[m].handles)),
            request.tweets_dir,
            store_uri,
            run.state.job_id,
            request.refresh,
            request.seed,
            request.use_wandb,
        ): m
        for m in todo
    }
    prepared: dict[str, PreparedModel] = {}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1, timeout=5.0)
        if not done:
            if _cancelled(run):
                for ref in pending:
                    ray.cancel(ref)
                return []
            continue
        ref = done[0]
        model = pending.pop(ref)
        try:
            outcome, seconds = ray.get(ref)
        except Exception as e:  # a bug or a crashed worker: this model alone
            run.set(model, FAILED, f"preparing failed: {type(e).__name__}: {e}")
            continue
        rec = run.records[model]
        rec.timings[FETCHING] = round(seconds, 3)
        rec.started.pop(FETCHING, None)  # the task's own time is more exact than the driver's
        stats = [s.to_json() for s in outcome.stats]
        if outcome.prepared is None:
            run.set(model, FAILED, outcome.error, stats=stats, warnings=outcome.warnings)
        else:
            prepared[model] = outcome.prepared
            run.set(model, PREPARED, None, stats=stats, warnings=outcome.warnings)
    # Train in the order the models were asked for.
    return [prepared[m] for m in run.records if m in prepared]


def train_config_for(request: JobRequest) -> Any:
    """The TrainConfig of a request: its explicit fields over the request's base model, seed
    and W&B choice (ConfigError names any bad value)."""
    from murmur.train.driver import TrainConfig

    return TrainConfig.from_json(
        {
            "base_model": request.base_model,
            "seed": request.seed,
            "wandb": request.use_wandb,
            **request.train,
        }
    )


class _TrainingRecorder:
    """`on_progress` for train_models: each model's training progress into its job record.
    Called on the driver (train_models' poller thread), one call at a time."""

    def __init__(self, run: JobRun) -> None:
        self.run = run

    def __call__(self, progress: Any) -> None:
        rec = self.run.records.get(progress.model)
        if rec is None or rec.state in FINAL_STATES:
            return
        if progress.result is not None:
            self.finish(progress.result)
        elif rec.state != TRAINING or rec.attempts != progress.attempt:
            if rec.state == TRAINING:  # a retry after a crashed worker
                log.info(
                    "%s: retrying (attempt %d): %s", rec.model, progress.attempt, progress.error
                )
            rec.attempts = progress.attempt
            self.run.set(rec.model, TRAINING)
        else:  # a step: the record follows quietly (the workers log the step lines)
            rec.result.update(
                step=progress.step,
                steps=progress.steps,
                loss=progress.loss,
                tokens_per_s=progress.tokens_per_s,
            )
            self.run.state.write_account(rec)

    def finish(self, result: Any) -> None:
        rec = self.run.records[result.model]
        if rec.state in FINAL_STATES:
            return
        if (
            result.status != PUBLISHED
            and rec.state == PREPARED
            and self.run.state.cancel_requested()
        ):
            self.run.set(result.model, CANCELLED, "the job was cancelled before this model trained")
            return
        if result.attempt:
            rec.attempts = max(rec.attempts, result.attempt)
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
        if result.status == PUBLISHED:
            self.run.set(result.model, PUBLISHED, None, **details)
        else:
            self.run.set(result.model, FAILED, result.error, **details)
        if result.seconds:  # the worker's own measure beats the driver's poll-rounded one
            rec.timings[TRAINING] = round(result.seconds, 3)
            self.run.state.write_account(rec)


def _train_all(
    run: JobRun,
    prepared: list[PreparedModel],
    store: Store,
    train_fn: TrainFn | None,
    config: Any,
) -> None:
    """Every prepared model in ONE training run (murmur.train.driver.train_models): workers start,
    import and load the base model once, then take the models one after another."""
    if train_fn is None:
        from murmur.train.driver import train_models

        train_fn = train_models
    recorder = _TrainingRecorder(run)
    done = threading.Event()
    watcher = threading.Thread(
        target=_forward_cancel, args=(run.state, store, done), name="murmur-cancel", daemon=True
    )
    watcher.start()
    try:
        results = train_fn(prepared, config, store, run_name=run.state.job_id, on_progress=recorder)
    finally:
        done.set()
        watcher.join()
    for result in results:  # anything the progress calls did not deliver
        recorder.finish(result)


def _forward_cancel(
    state: JobState, store: Store, done: threading.Event, every_s: float = 2.0
) -> None:
    """While the training run goes on, keep the job's cancel flag mirrored as the run's stop
    request (train_models clears a stale one when it starts): its workers finish the model they
    are on and train no other."""
    from murmur.train.driver import RunFiles

    run = RunFiles(store, state.job_id)
    told = False
    while not done.wait(every_s):
        if state.cancel_requested() and not run.stop_requested():
            if not told:
                log.info("job %s: cancel requested; training stops after this model", state.job_id)
                told = True
            run.request_stop()


# ---- submitting to a cluster ------------------------------------------------------------------
def request_argv(request: JobRequest, job_id: str, store_uri: str) -> list[str]:
    """The command line of jobs/train_job.py for `request` (parsed back by `parse_job_argv`)."""
    import json

    argv = ["python", ENTRYPOINT, "--job-id", job_id, "--store", store_uri]
    if request.tweets_dir:
        argv += ["--tweets", request.tweets_dir]
    argv += ["--base-model", request.base_model, "--seed", str(request.seed)]
    if request.force:
        argv.append("--force")
    if request.refresh:
        argv.append("--refresh")
    if not request.use_wandb:
        argv.append("--no-wandb")
    if request.train:
        argv += ["--train-config", json.dumps(request.train, sort_keys=True)]
    return [*argv, "--", *request.handles]


def parse_job_argv(argv: list[str]) -> tuple[JobRequest, str, str]:
    """jobs/train_job.py's arguments -> (request, job id, store URI)."""
    import argparse
    import json

    p = argparse.ArgumentParser(prog=ENTRYPOINT, description="Run one murmur training job.")
    p.add_argument("--job-id", required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--tweets")
    p.add_argument("--base-model", default="gpt2")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--force", action="store_true")
    p.add_argument("--refresh", action="store_true")
    p.add_argument("--no-wandb", action="store_true")
    p.add_argument("--train-config", default="{}", help="TrainConfig fields as JSON")
    p.add_argument("handles", nargs="+")
    a = p.parse_args(argv)
    request = JobRequest(
        handles=a.handles,
        tweets_dir=a.tweets,
        base_model=a.base_model,
        force=a.force,
        refresh=a.refresh,
        seed=a.seed,
        use_wandb=not a.no_wandb,
        train=json.loads(a.train_config),
    )
    return request, a.job_id, a.store


def stage_tweets(request: JobRequest, store: Store) -> JobRequest:
    """A `--tweets` folder outside the project is not shipped with the job: read those accounts
    here and keep their raw tweets in the store, where the cluster's tasks find them."""
    if request.tweets_dir is None:
        return request
    folder = Path(request.tweets_dir).resolve()
    if folder.is_relative_to(PROJECT_ROOT):
        return JobRequest.from_json(
            {**request.to_json(), "tweets_dir": str(folder.relative_to(PROJECT_ROOT))}
        )
    from murmur.data.sources import load_account

    specs, _ = parse_model_specs_each(request.handles)
    for handle in sorted({h for s in specs for h in s.handles}):
        try:
            load_account(handle, tweets_dir=folder, store=store)
        except MurmurError as e:
            log.warning("@%s: %s (the job will report it)", handle, e)
    log.info("raw tweets from %s copied to the store %s for the cluster", folder, store.uri)
    return JobRequest.from_json({**request.to_json(), "tweets_dir": None, "refresh": False})


def submit_job(request: JobRequest, store: Store, address: str) -> str:
    """Submit the job to the Ray cluster at `address` (its dashboard, http://HEAD:8265) with
    this project as the working_dir; returns the job id (also the Ray submission id)."""
    from ray.job_submission import JobSubmissionClient

    if store.is_local and not _is_loopback(address):
        log.warning(
            "store %s is a local folder, which the cluster at %s may not see: pass --store "
            "s3://... (the store in cluster.yaml)",
            store.uri,
            address,
        )
    request = stage_tweets(request, store)
    job_id = new_job_id()
    store_uri = store.root if store.is_local else store.uri
    state = JobState(store, job_id)
    state.update_job(
        status=PENDING,
        args=request.to_json(),
        ray={"address": address, "submission_id": job_id},
    )
    runtime_env = {
        "working_dir": str(PROJECT_ROOT),
        # The package itself on every worker's path, so the job runs the code it was submitted
        # with even where an older murmur is installed.
        "py_modules": [str(PROJECT_ROOT / "platform" / "murmur")],
        "excludes": WORKING_DIR_EXCLUDES,
        "env_vars": {"MURMUR_STORE": store_uri, "TOKENIZERS_PARALLELISM": "false"},
    }
    try:
        client = JobSubmissionClient(address)
        client.submit_job(
            entrypoint=shlex.join(request_argv(request, job_id, store_uri)),
            submission_id=job_id,
            runtime_env=runtime_env,
            metadata={"murmur_job": job_id},
        )
    except Exception as e:
        state.update_job(status=JOB_FAILED, error=f"submission to {address} failed: {e}")
        raise ConfigError(
            f"could not submit the job to {address}: {e}. Is the Ray dashboard reachable there "
            "(`ray dashboard cluster.yaml` forwards it to http://localhost:8265)?"
        ) from e
    return job_id


def _is_loopback(address: str) -> bool:
    from urllib.parse import urlparse

    host = urlparse(address if "://" in address else f"http://{address}").hostname or ""
    return host in ("localhost", "127.0.0.1", "::1")


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


def close_job(state: JobState, status: str, error: str | None) -> None:
    """Record a job's end from outside its driver (the driver is gone): models not finished are
    cancelled (or failed, for a failed job) with the reason, and the job gets its status."""
    for rec in state.read_accounts():
        if rec.state not in FINAL_STATES:
            if status == JOB_CANCELLED:
                rec.state, rec.reason = CANCELLED, f"cancelled before it finished ({error})"
            else:
                rec.state, rec.reason = FAILED, f"the job stopped before it finished: {error}"
            state.write_account(rec)
    counts = count_states(state.read_accounts(), len(state.read_job().get("refused", [])))
    state.update_job(status=status, finished=utcnow(), error=error, counts=counts)


def record_ray_end(state: JobState, status: str) -> bool:
    """A submitted job that Ray says has ended (FAILED, STOPPED) while the store says it has not
    (its driver failed to start, or was killed): record its end. True if it recorded one."""
    job = state.read_job()
    if status not in ("FAILED", "STOPPED") or job.get("status") in FINAL_JOB_STATUSES:
        return False
    if status == "STOPPED":
        close_job(state, JOB_CANCELLED, "its Ray job was stopped")
    else:
        close_job(state, JOB_FAILED, f"its Ray job failed: `murmur logs {state.job_id}` says why")
    return True


def ray_client(job: dict[str, Any]) -> Any:
    """A JobSubmissionClient for a job that was submitted to a cluster, else None."""
    info = job.get("ray") or {}
    if not info.get("address"):
        return None
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(info["address"])
