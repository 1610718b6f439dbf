"""A job's fetch-and-prepare stage: one Ray task per model, on any node. Each task writes its
prepared texts to the store (`murmur.train.RunFiles.write_input`) and returns only figures, so
the driver never holds the texts; each model goes to training as soon as it is prepared.

Tasks ask Ray for no CPU (PREPARE_CPUS) and the driver keeps at most IN_FLIGHT of them submitted:
the training ranks may hold every CPU of the cluster (2 ranks on a 2-CPU Ray) while they wait for
prepared models, and a task that needed even a fraction of a CPU would then never run. A cancel or
Ctrl-C submits nothing more and cancels what has not started. A failure in one model's task (even
a crashed worker, after Ray's retries) fails that model alone.

A refresh job's task (JobRequest.refresh) reads the bot's new posts instead
(murmur.data.refresh_plan.prepare_refresh): a bot with too few new posts ends `skipped` with the
reason, and one whose account opted out is taken down (its report names the models deleted).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from murmur.core.clock import utc_stamp
from murmur.core.errors import MurmurError
from murmur.core.handles import ModelSpec
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.core.tracking import wandb_env
from murmur.data.prepare import prepare_model
from murmur.data.refresh_plan import prepare_refresh
from murmur.data.sources import source_env
from murmur.jobs.progress import JobLedger
from murmur.jobs.request import JobRequest
from murmur.jobs.state import JobState
from murmur.train import RunFiles

TASK_RETRIES = 2  # a task whose worker crashed is run again this many times
PREPARE_CPUS = 0  # see the module docstring: never starved by the training ranks
IN_FLIGHT = 16  # prepare tasks submitted at a time: bounds the driver's refs and the cluster's load
WAIT_S = 2.0  # how often the driver looks at the cancel flag while tasks run
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class PrepareReport:
    """What a prepare task returns: the model's figures, never its texts (those are in the
    store for the training run)."""

    model: str
    ok: bool
    stats: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str | None = None  # a refresh with too few new posts: why nothing is trained
    taken_down: list[str] = field(default_factory=list)  # models deleted: a handle opted out
    refresh: dict[str, Any] | None = None  # a refresh's record so far (RefreshRecord.to_json)
    report: list[str] = field(default_factory=list)  # a refresh's figures per handle, as lines


def prepare_task(
    spec: ModelSpec, store_uri: str, job_id: str, request: JobRequest
) -> PrepareReport:
    """One model's fetch and preparation, run as a Ray task on any node: marks the model
    `fetching` when it really starts (not when queued), writes the prepared texts to the job's
    training run in the store, and returns the figures. For a refresh job (`request.refresh`),
    the published bot's new posts are read and its next version prepared (module docstring)."""
    store = Store(store_uri)
    state = JobState(store, job_id)
    record = state.read_account(spec.name)
    record.state = ModelState.FETCHING
    record.started[ModelState.FETCHING] = utc_stamp()
    state.write_account(record)
    t0 = time.perf_counter()
    r = request
    if r.refresh is not None:
        outcome = prepare_refresh(
            spec, store=store, tweets_dir=r.tweets_dir, check_deleted=r.refresh.check_deleted,
            max_posts=r.max_posts, from_base=r.refresh.from_base, seed=r.seed,
        )  # fmt: skip
    else:
        outcome = prepare_model(
            spec, tweets_dir=r.tweets_dir, store=store, redownload=r.redownload, seed=r.seed,
            use_wandb=r.use_wandb, max_posts=r.max_posts,
        )  # fmt: skip
    if outcome.prepared is not None:
        RunFiles(store, job_id).write_input(outcome.prepared)
    plan = outcome.prepared.refresh if outcome.prepared is not None else None
    return PrepareReport(
        model=spec.name,
        ok=outcome.prepared is not None,
        stats=[s.to_json() for s in outcome.stats],
        error=outcome.error,
        warnings=list(outcome.warnings),
        seconds=time.perf_counter() - t0,
        skipped=outcome.skipped,
        taken_down=list(outcome.taken_down),
        refresh=_refresh_json(plan.record if plan is not None else outcome.refresh),
        report=list(outcome.report),
    )


def _refresh_json(record: Any) -> dict[str, Any] | None:
    """A refresh's record (published or skipped) as the ledger keeps it; None for a train."""
    return record.to_json() if record is not None else None


def staging_error(ledger: JobLedger, model: str, request: JobRequest) -> str | None:
    """Why a submitted job cannot prepare `model`: its handles' tweets could not be staged from
    the submitter's --tweets folder (JobRequest.staging_errors); None if nothing is known."""
    errors = [
        request.staging_errors[h]
        for h in ledger.records[model].handles
        if h in request.staging_errors
    ]
    return "; ".join(errors) or None


def prepare_each(
    ledger: JobLedger,
    todo: list[str],
    request: JobRequest,
    store: Store,
    on_prepared: Callable[[str], None],
) -> list[str]:
    """Fetch and prepare the models `todo` as Ray tasks, calling `on_prepared(model)` as each one
    is ready (its input in the store). Returns the prepared models, in the order they finished;
    stops submitting once the job is cancelled. Each model ends `prepared` or `failed` with its
    figures, warnings and reason; one never submitted stays as it was (queued)."""
    import ray

    # The store's absolute root, so that a task on another node or in another folder finds it.
    store_uri = store.root if store.is_local else store.uri
    # The sources' addresses set here (MURMUR_BLUESKY_URL...) and W&B's settings (WANDB_DIR...)
    # reach the tasks on any worker.
    env = {**source_env(), **wandb_env()}
    options: dict[str, Any] = {"runtime_env": {"env_vars": env}} if env else {}
    task = ray.remote(
        num_cpus=PREPARE_CPUS, max_retries=TASK_RETRIES, scheduling_strategy="SPREAD", **options
    )(prepare_task)
    waiting = list(todo)
    pending: dict[Any, str] = {}
    prepared: list[str] = []
    try:
        while waiting or pending:
            if ledger.cancelled():
                return prepared
            while waiting and len(pending) < IN_FLIGHT:
                model = waiting.pop(0)
                if (error := staging_error(ledger, model, request)) is not None:
                    ledger.set(model, ModelState.FAILED, error)
                    continue
                spec = ModelSpec(tuple(ledger.records[model].handles))
                ref = task.remote(spec, store_uri, ledger.state.job_id, request)
                pending[ref] = model
            if pending:
                done, _ = ray.wait(list(pending), num_returns=1, timeout=WAIT_S)
                for ref in done:
                    model = pending.pop(ref)
                    if _record(ledger, model, ref):
                        prepared.append(model)
                        on_prepared(model)
    finally:
        for ref in pending:  # a cancel or Ctrl-C: what has not started never will
            ray.cancel(ref)
    return prepared


def task_error_line(error: BaseException) -> str:
    """A failed Ray task's error as one line: its cause's (a RayTaskError wraps the task's own
    exception, its text holding the worker's pid, ANSI colours and the traceback), the cause's
    text alone for a MurmurError, else `preparing failed: <module.Type>: <first line>`."""
    import ray.exceptions

    cause: BaseException = error
    while isinstance(cause, ray.exceptions.RayTaskError) and cause.cause is not None:
        cause = cause.cause
    lines = [ln.strip() for ln in _ANSI.sub("", str(cause)).splitlines() if ln.strip()]
    if isinstance(cause, ray.exceptions.RayTaskError):  # no cause: its last line names the error
        lines = lines[-1:]
    text = lines[0] if lines else type(cause).__name__
    if isinstance(cause, MurmurError):
        return text
    kind = type(cause)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    return f"preparing failed: {name}: {text}"


def _record(ledger: JobLedger, model: str, ref: Any) -> bool:
    """A finished task's report into the model's record; True when the model is prepared."""
    import ray

    try:
        report: PrepareReport = ray.get(ref)
    except Exception as e:  # a bug or a crashed worker: this model alone
        ledger.set(model, ModelState.FAILED, task_error_line(e))
        return False
    rec = ledger.records[model]
    rec.timings[ModelState.FETCHING] = round(report.seconds, 3)
    rec.started.pop(ModelState.FETCHING, None)  # the task's own time beats the driver's
    state = ModelState.PREPARED if report.ok else ModelState.FAILED
    if report.skipped is not None or report.taken_down:
        state = ModelState.SKIPPED  # nothing to train; a bot taken down is no failure either
    figures: dict[str, Any] = {"stats": report.stats, "warnings": report.warnings}
    if report.refresh is not None:
        figures["refresh"] = report.refresh
    if report.taken_down:
        figures["taken_down"] = report.taken_down
    if report.report:
        figures["report"] = report.report
    ledger.set(model, state, report.skipped or report.error, **figures)
    return report.ok
