"""Many handles as one Ray job, run here (the job's driver), in two stages that overlap: fetch
and prepare fan out as Ray tasks (`murmur.jobs.prepare_tasks`), and ONE training run
(`murmur.train.TrainingRun`) starts when the first model is prepared and trains each model as
soon as it is prepared, its trainers taking models from a queue (fixed costs paid once per
worker). Each model's record
is kept in the store as it changes (`murmur.jobs.progress`, `murmur.jobs.state`).

A model that fails (no data, a bad handle, a training error) is recorded with its reason and the
others go on. Models already published are skipped unless `force`, so running the same command
again does the rest. `murmur.jobs.submit` hands the same job to a Ray cluster instead, whose
entry point (`murmur.jobs.run`) calls `run_job` there.

A refresh job (`murmur refresh`, JobRequest.refresh) is the same job: its models must be
published (one that is not fails, saying so), every one is worked on, its prepare tasks read the
new posts (a bot with too few ends `skipped`) and its trainers start from the published version.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any, Protocol

from murmur.core.clock import utc_stamp
from murmur.core.errors import ConfigError, MurmurError
from murmur.core.generation import context_length
from murmur.core.handles import parse_model_specs_each
from murmur.core.job_ids import new_job_id
from murmur.core.states import JobStatus, ModelState
from murmur.core.store import Store
from murmur.jobs.cluster import ensure_ray, extensions_dir, ops_to_build
from murmur.jobs.leases import Leases
from murmur.jobs.prepare_tasks import prepare_each
from murmur.jobs.progress import INTERRUPTED, JobLedger, TrainingRecorder
from murmur.jobs.request import JobOutcome, JobRequest
from murmur.jobs.state import JobState, StoreLogHandler, close_job
from murmur.models import resolve_base
from murmur.models.tiny import TINY
from murmur.train import ProgressFn, TrainConfig, TrainingRun, TrainResult

log = logging.getLogger(__name__)


class Training(Protocol):
    """The shape of `murmur.train.TrainingRun` (tests pass a fake one)."""

    def add(self, model: str) -> None: ...
    def close(self) -> None: ...
    def stop(self) -> None: ...
    def wait(self) -> list[TrainResult]: ...


class StartTraining(Protocol):
    """Starts a training run: `murmur.train.TrainingRun` itself, or a test's fake."""

    def __call__(
        self,
        config: TrainConfig,
        store: Store,
        *,
        run_name: str,
        on_progress: ProgressFn | None = None,
        log_path: str | None = None,
    ) -> Training: ...


def run_job(
    request: JobRequest,
    store: Store,
    *,
    job_id: str | None = None,
    start_training: StartTraining | None = None,
    train_config: TrainConfig | None = None,
    verbose: bool = False,
) -> JobOutcome:
    """Run a training job in this process (the driver) on the Ray it is connected to (one is
    started here if none is). Returns when every model is published, skipped, failed or
    cancelled. The job id is `job_id`, else the request's, else a new one. A bad training option
    raises ConfigError (the job recorded as failed); KeyboardInterrupt/SystemExit are recorded
    (the job cancelled) and raised again. Ray starts only when a model has work to do, with its
    output on this terminal only if `verbose` (`ensure_ray`)."""
    config = train_config if train_config is not None else request.train_config()
    state = JobState(store, job_id or request.job_id or new_job_id())
    # The job's log in the store gets murmur's INFO lines whatever the console shows.
    logger = logging.getLogger("murmur")
    handler = StoreLogHandler(state)
    level = logger.level
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        return _run(request, store, state, start_training or TrainingRun, config, verbose)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()


def _start(
    request: JobRequest, store: Store, state: JobState
) -> tuple[JobLedger, list[dict[str, str]]]:
    """The job's records at its start: job.json (running, its request, this driver) and one
    queued record per model; invalid handles are refused here, before any I/O."""
    specs, refused_pairs = parse_model_specs_each(request.handles)
    refused = [{"handle": raw, "reason": reason} for raw, reason in refused_pairs]
    ledger = JobLedger(state, specs, len(refused))
    previous = state.read_job() if state.exists() else {}
    state.update_job(
        created=previous.get("created", utc_stamp()),
        started=utc_stamp(),
        finished=None,
        status=JobStatus.RUNNING,
        args=request.to_json(),
        models=list(ledger.records),
        refused=refused,
        error=None,
        driver={"host": socket.gethostname(), "pid": os.getpid()},
        counts=ledger.counts(),
    )
    for r in refused:
        log.info("%s: failed: %s", r["handle"], r["reason"])
    n = len(ledger.records)
    log.info("job %s: %d model%s to train, store %s", state.job_id, n, "s"[: n != 1], store.uri)
    for rec in ledger.records.values():
        state.write_account(rec)
    return ledger, refused


def _base_into_store(config: TrainConfig, store: Store) -> None:
    """The `tiny` preset put in the store from here (this machine builds it once, ~80 s), before
    any trainer starts: each node then copies ~1 MB instead of building its own (measured on the
    2-node test cluster: both trainers were building it, minutes on a loaded machine)."""
    if config.base_model == TINY:
        resolve_base(TINY, store)


def _run(
    request: JobRequest,
    store: Store,
    state: JobState,
    start_training: StartTraining,
    config: TrainConfig,
    verbose: bool,
) -> JobOutcome:
    began = utc_stamp()
    ledger, refused = _start(request, store, state)
    error: str | None = None
    phases: dict[str, float] = {}  # wall seconds of the job's stages (they overlap)
    ledger.leases = Leases(store, state.job_id)
    try:
        with ledger.leases.kept():
            force = request.force or request.refresh is not None
            todo = [] if ledger.cancelled() else _skip_published(ledger, store, request, config)
            todo = _claim(ledger, ledger.leases, store, todo, force, config.method)
            if todo:  # a job with nothing to do answers without starting Ray
                config = _record_block_size(state, request, config)
                _base_into_store(config, store)
                ensure_ray(config, verbose=verbose)
                _say_what_compiles(state, config)
                _prepare_and_train(ledger, todo, request, store, start_training, config, phases)
    except ConfigError as e:  # the worker group does not fit this machine: the user's to fix
        close_job(state, JobStatus.FAILED, str(e))
        raise
    except Exception as e:  # the job itself broke: every model not finished says why
        error = str(e) if isinstance(e, MurmurError) else f"{type(e).__name__}: {e}"
        log.exception("job %s failed", state.job_id)
        for model in ledger.unfinished():
            ledger.set(
                model, ModelState.FAILED, f"the job stopped before this model finished: {error}"
            )
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C; or `ray job stop` (murmur cancel), whose SIGTERM ray.init turns into SystemExit.
        log.warning("job %s interrupted", state.job_id)
        ledger.settle_interrupted(store, began, INTERRUPTED)
        close_job(state, JobStatus.CANCELLED, "interrupted")
        raise

    for model in ledger.unfinished():  # only a cancel leaves models unfinished here
        ledger.set(model, ModelState.CANCELLED, "the job was cancelled before this model finished")
    status = _final_status(ledger.counts(), error)
    counts = ledger.counts()
    if request.eval:  # `murmur train --eval`: once the trainers are done, off their path
        from murmur.evals.fidelity import evaluate_after_job

        published = [m for m, r in ledger.records.items() if r.state == ModelState.PUBLISHED]
        state.update_job(evaluation=evaluate_after_job(store, published, state.job_id))
    state.update_job(status=status, finished=utc_stamp(), counts=counts, error=error, phases=phases)
    log.info("job %s %s: %s", state.job_id, status, _counts_line(ledger))
    return JobOutcome(
        job_id=state.job_id, status=status, accounts=list(ledger.records.values()), refused=refused
    )


def _counts_line(ledger: JobLedger) -> str:
    """`1 published, 2 skipped (training in job X)`: the counts per state, with why models were
    skipped for another job."""
    parts = []
    for s, n in ledger.counts().items():
        if not n:
            continue
        held = sorted({r.reason or "" for r in ledger.records.values() if r.held_by})
        why = f" ({'; '.join(held)})" if s == ModelState.SKIPPED and held else ""
        parts.append(f"{n} {s}{why}")
    return ", ".join(parts)


def _final_status(counts: dict[str, int], error: str | None) -> JobStatus:
    """Cancelled if any model was; failed if the job broke or any model failed; else succeeded."""
    if counts[ModelState.CANCELLED]:
        return JobStatus.CANCELLED
    if error is not None or counts[ModelState.FAILED] > 0:
        return JobStatus.FAILED
    return JobStatus.SUCCEEDED


def _skip_published(
    ledger: JobLedger, store: Store, request: JobRequest, config: TrainConfig
) -> list[str]:
    """Models to work on: all of them with `force`, else those not published yet (the others
    are recorded as skipped, with their published figures). A refresh works on the published
    ones; one not published fails."""
    todo = []
    for model in ledger.records:
        if request.refresh is not None and not store.has_model(model):
            ledger.set(model, ModelState.FAILED, f"no published bot {model} to refresh: train it")
        elif request.refresh is not None:
            todo.append(model)
        elif not request.force and store.has_model(model):
            _skip_as_published(ledger, store, model, config.method)
        else:
            todo.append(model)
    return todo


def _skip_as_published(ledger: JobLedger, store: Store, model: str, method: str) -> None:
    """Record a published model as skipped, with its figures; the reason says when it was
    published with another method than the one asked (`--method lora` over a full model)."""
    manifest = store.load_manifest(model)
    reason = "already published (--force trains it again)"
    if manifest.method != method:
        reason = (
            f"already published as a {manifest.method} model (--force trains it again as {method})"
        )
    ledger.set(
        model,
        ModelState.SKIPPED,
        reason,
        stats=[s.to_json() for s in manifest.stats],
        path=store.current_path(model),
        val_loss_before=manifest.val_loss_before,
        val_loss_after=manifest.val_loss_after,
    )


def _claim(
    ledger: JobLedger, leases: Leases, store: Store, todo: list[str], force: bool, method: str
) -> list[str]:
    """The models of `todo` this job leases. One another live job holds is skipped ("training in
    job X"); one that job published meanwhile is skipped as published (unless `force`)."""
    mine = []
    for model in todo:
        holder = leases.claim(model)
        if holder is not None:
            stats = _holder_stats(store, holder, model)
            ledger.set(
                model, ModelState.SKIPPED, f"training in job {holder}", held_by=holder, stats=stats
            )
        elif not force and store.has_model(model):
            leases.release(model)
            _skip_as_published(ledger, store, model, method)
        else:
            mine.append(model)
    return mine


def _holder_stats(store: Store, holder: str, model: str) -> list[dict[str, Any]]:
    """The model's figures as the job training it recorded them; [] before it prepared them or
    when its record cannot be read."""
    try:
        stats = JobState(store, holder).read_account(model).result.get("stats", [])
    except (MurmurError, OSError, ValueError):
        return []
    return list(stats)


def _say_what_compiles(state: JobState, config: TrainConfig) -> None:
    """On a one-machine Ray (this one), say when DeepSpeed will compile an op before the first
    step (`ops_to_build`), in the log and in job.json (`deepspeed_builds`, the live table)."""
    import ray

    if sum(1 for node in ray.nodes() if node.get("Alive")) != 1:
        return  # a cluster: its nodes' caches are not this machine's
    ops = ops_to_build(config)
    if ops:
        log.info(
            "DeepSpeed compiles its %s op before the first step (about a minute): once per "
            "machine and Python environment, kept in %s",
            " and ".join(ops),
            extensions_dir(),
        )
        state.update_job(deepspeed_builds=ops)


def _record_block_size(state: JobState, request: JobRequest, config: TrainConfig) -> TrainConfig:
    """The config with the block size training will use, also written to job.json's args: the
    requested one capped at the base model's n_positions, as the workers cap it
    (`murmur.train.engine.load_base`), so that job.json says what happened. The requested one
    when the base's config cannot be read here (the workers then say why)."""
    n_positions = _n_positions(config.base_model)
    used = min(config.block_size, n_positions) if n_positions else config.block_size
    if used != config.block_size:  # recorded, not printed: the default 1024 is capped often
        config = TrainConfig.from_json({**config.to_json(), "block_size": used})
    if request.train.get("block_size") != used:
        train = {**request.train, "block_size": used}
        state.update_job(args=request.model_copy(update={"train": train}).to_json())
    return config


def _n_positions(base_model: str) -> int | None:
    """The base model's context length from its config alone (no weights); None if unknown."""
    from murmur.models.base import TINY, TINY_CONFIG

    if base_model == TINY:
        return int(TINY_CONFIG["n_positions"])
    try:
        from transformers import AutoConfig

        cfg = AutoConfig.from_pretrained(base_model)
    except (OSError, ValueError):
        return None
    return context_length(cfg)


def _prepare_and_train(
    ledger: JobLedger,
    todo: list[str],
    request: JobRequest,
    store: Store,
    start_training: StartTraining,
    config: TrainConfig,
    phases: dict[str, float],
) -> None:
    """Prepare the models; the training run starts when the first one is prepared and takes
    each as it comes; then wait for it and record every result. A job whose models all fail to
    prepare starts no training. `phases` gets the seconds from the start to the last model
    prepared (`prepare`) and to the end of training (`train`)."""
    t0 = time.perf_counter()
    recorder = TrainingRecorder(ledger)
    training: list[Training] = []  # the run, once the first model is prepared

    def hand_over(model: str) -> None:
        if not training:
            phases["first_prepared"] = round(time.perf_counter() - t0, 3)
            training.append(
                start_training(
                    config,
                    store,
                    run_name=ledger.state.job_id,
                    on_progress=recorder,
                    log_path=ledger.state.log_path if store.is_local else None,
                )
            )
        training[0].add(model)

    done = threading.Event()
    watcher = threading.Thread(
        target=_forward_cancel,
        args=(ledger.state, training, done),
        name="murmur-cancel",
        daemon=True,
    )
    watcher.start()
    try:
        try:
            prepare_each(ledger, todo, request, store, on_prepared=hand_over)
        except BaseException:
            for t in training:  # Ctrl-C or a broken job: the trainers take no other model
                t.stop()
            raise
        finally:
            phases["prepare"] = round(time.perf_counter() - t0, 3)
            for t in training:
                t.close()
        results = training[0].wait() if training else []
        phases["train"] = round(time.perf_counter() - t0, 3)
    finally:
        done.set()
        watcher.join()
    for result in results:  # anything the progress calls did not deliver
        recorder.finish(result)


def _forward_cancel(
    state: JobState, training: list[Training], done: threading.Event, every_s: float = 0.25
) -> None:
    """While the job goes on, stop the training run (its queue: one actor call) once the job's
    cancel flag appears (`murmur cancel` writes it to the store, from any machine that reaches
    the store): its trainers finish the model they are on and take no other. This is the one
    poll of the store during training: `every_s` seconds of a cheap exists()."""
    while not done.wait(every_s):
        if training and state.cancel_requested():
            log.info("job %s: cancel requested; training stops after this model", state.job_id)
            training[0].stop()
            return
