"""A job's fetch-and-prepare stage: one Ray task per model, on any node, results recorded as
they finish. A failure in one model's task (even a crashed worker, after Ray's retries) fails
that model alone."""

from __future__ import annotations

import time

from murmur.data.handles import ModelSpec
from murmur.data.prepare import PreparedModel, PrepareOutcome, prepare_model
from murmur.jobs.progress import JobRun
from murmur.jobs.request import JobRequest
from murmur.jobs.state import JobState, utcnow
from murmur.models.store import Store
from murmur.states import ModelState

TASK_RETRIES = 2  # a task whose worker crashed is run again this many times
WAIT_S = 5.0  # how often the driver looks at the cancel flag while tasks run


def prepare_task(
    spec: ModelSpec,
    tweets_dir: str | None,
    store_uri: str,
    job_id: str,
    refresh: bool,
    seed: int,
    use_wandb: bool,
) -> tuple[PrepareOutcome, float]:
    """One model's fetch and preparation, run as a Ray task on any node: marks the model
    `fetching` when it really starts (not when queued) and returns the outcome and its seconds."""
    store = Store(store_uri)
    state = JobState(store, job_id)
    record = state.read_account(spec.name)
    record.state = ModelState.FETCHING
    record.started[ModelState.FETCHING] = utcnow()
    state.write_account(record)
    t0 = time.perf_counter()
    outcome = prepare_model(
        spec, tweets_dir=tweets_dir, store=store, refresh=refresh, seed=seed, use_wandb=use_wandb
    )
    return outcome, time.perf_counter() - t0


def staging_error(run: JobRun, model: str, request: JobRequest) -> str | None:
    """Why a submitted job cannot prepare `model`: its handles' tweets could not be staged from
    the submitter's --tweets folder (JobRequest.staging_errors); None if nothing is known."""
    errors = [
        request.staging_errors[h] for h in run.records[model].handles if h in request.staging_errors
    ]
    return "; ".join(errors) or None


def prepare_all(
    run: JobRun, todo: list[str], request: JobRequest, store: Store
) -> list[PreparedModel]:
    """Fetch and prepare the models `todo` as Ray tasks; returns the prepared ones in the order
    the job asked for them ([] once the job is cancelled). Each model ends `prepared` or
    `failed` with its figures, warnings and reason."""
    import ray

    # The store's absolute root, so that a task on another node or in another folder finds it.
    store_uri = store.root if store.is_local else store.uri
    task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES)(prepare_task)
    pending = {}
    for model in todo:
        if (error := staging_error(run, model, request)) is not None:
            run.set(model, ModelState.FAILED, error)
            continue
        spec = ModelSpec(tuple(run.records[model].handles))
        ref = task.remote(
            spec, request.tweets_dir, store_uri, run.state.job_id, request.refresh,
            request.seed, request.use_wandb,
        )  # fmt: skip
        pending[ref] = model
    prepared: dict[str, PreparedModel] = {}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1, timeout=WAIT_S)
        if not done:
            if run.cancelled():
                for ref in pending:
                    ray.cancel(ref)
                return []
            continue
        model = pending.pop(done[0])
        try:
            outcome, seconds = ray.get(done[0])
        except Exception as e:  # a bug or a crashed worker: this model alone
            run.set(model, ModelState.FAILED, f"preparing failed: {type(e).__name__}: {e}")
            continue
        if outcome.prepared is not None:
            prepared[model] = outcome.prepared
        _record(run, model, outcome, seconds)
    return [prepared[m] for m in run.records if m in prepared]


def _record(run: JobRun, model: str, outcome: PrepareOutcome, seconds: float) -> None:
    rec = run.records[model]
    rec.timings[ModelState.FETCHING] = round(seconds, 3)
    rec.started.pop(ModelState.FETCHING, None)  # the task's own time beats the driver's
    stats = [s.to_json() for s in outcome.stats]
    if outcome.prepared is None:
        run.set(model, ModelState.FAILED, outcome.error, stats=stats, warnings=outcome.warnings)
    else:
        run.set(model, ModelState.PREPARED, None, stats=stats, warnings=outcome.warnings)
