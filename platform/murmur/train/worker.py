"""What every Ray Train worker runs: load the base model once, then train each model in turn.

    worker_loop(loop_config)     the training function `train_models` gives TorchTrainer

Per model: read its prepared data from the store, build a fresh module from the resident CPU copy
of the base weights, wrap it in a new DeepSpeed engine (fresh AdamW state and cosine schedule),
measure the validation loss, train one pass over the 4-epoch text, measure again, gather the
weights on rank 0 (from ZeRO-3 shards too) and publish them; then free the engine.

Why a new engine per model instead of resetting one: DeepSpeed keeps fp32 partitions, gradient
hooks and (ZeRO-3) partitioned parameters inside the engine, and no public call resets them.
Building an engine around a fresh module costs ~0.02 s (ZeRO-2) or ~0.5 s (ZeRO-3) for the tiny
model on this CPU, once DeepSpeed's leaks are plugged (`_release_engine`).
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import random
import re
import tempfile
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from murmur.errors import DataError, MurmurError, TrainingError
from murmur.train.driver import (
    FAILED,
    PUBLISHED,
    TRAINING,
    RunFiles,
    TrainConfig,
    TrainProgress,
    TrainResult,
    hyperparameters,
    pack_blocks,
    plan_steps,
)

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel
    from murmur.models.store import Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # a model whose training crashed the workers this many times is failed
CHECKPOINT_EVERY_S = 5.0  # at most one Ray checkpoint per this interval (see _Checkpointer)


@dataclass
class _Base:
    """What a worker loads once and reuses for every model."""

    path: str  # where from_pretrained found it
    tokenizer: Any
    model_config: Any
    state: dict[str, torch.Tensor]  # resident CPU copy of the weights (tied ones shared)
    buffers: dict[str, torch.Tensor]  # every buffer, non-persistent ones included
    block_size: int
    eos_id: int


def worker_loop(loop_config: dict[str, Any]) -> None:
    """Every worker's training function: load once, then train each model not yet done."""
    config = TrainConfig.from_json(loop_config["config"])
    os.environ["DS_ACCELERATOR"] = "cuda" if config.use_gpu else "cpu"  # before deepspeed
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _configure_worker_logging()
    t_setup = time.perf_counter()

    import ray.train
    import torch

    from murmur.models.store import Store

    ctx = ray.train.get_context()
    rank, world = ctx.get_world_rank(), ctx.get_world_size()
    store = Store(loop_config["store"])
    run = RunFiles(store, loop_config["run_name"])
    models: list[str] = loop_config["models"]

    done = _done_from_checkpoint(ray.train.get_checkpoint())
    done |= {m for m in models if run.read_result(m) is not None}
    todo = [m for m in models if m not in done]
    if rank == 0 and done:
        log.info(
            "resuming: %d of %d models already done, %d to go", len(done), len(models), len(todo)
        )
    checkpointer = _Checkpointer(rank, world, done)
    if not todo:
        return

    _import_deepspeed(config)
    torch.manual_seed(config.seed)
    if not config.use_gpu:
        torch.set_num_threads(config.cpus_per_worker)
    base = _load_base(config)
    # Everything loaded so far lives as long as the worker: freeze it out of the collector, so
    # that the gc.collect() freeing each model's engine scans only that model's objects
    # (0.4 s -> 1 ms per model with the tiny model on this CPU).
    gc.collect()
    gc.freeze()
    setup_seconds = time.perf_counter() - t_setup
    if rank == 0:
        log.info(
            "worker group of %d ready in %.1f s (imports, %s loaded once, block size %d)",
            world,
            setup_seconds,
            config.base_model,
            base.block_size,
        )

    for i, name in enumerate(todo):
        # A stop request ends the run between models; rank 0 decides for every rank.
        if _broadcast(run.stop_requested() if rank == 0 else None, rank, world):
            if rank == 0:
                log.info("stop requested: %d of %d models left untrained", len(todo) - i, len(todo))
            break
        result = _train_one(name, config, base, run, store, rank, world)
        if i == 0:
            result.timings["worker_setup"] = round(setup_seconds, 3)
            gc.freeze()  # what the first engine imported and cached lazily stays too
        if rank == 0:
            run.write_result(result)
            run.write_status(
                TrainProgress(
                    name, result.status, result.attempt, result.steps, result.steps, result=result
                )
            )
        checkpointer.finished(result)
    checkpointer.report()


def _configure_worker_logging() -> None:
    """A Ray worker is an entry point: send murmur's INFO lines to its stderr (shown by Ray)."""
    logger = logging.getLogger("murmur")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("ray.train").setLevel(logging.WARNING)  # one line per report otherwise
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def _import_deepspeed(config: TrainConfig) -> Any:
    import deepspeed
    from deepspeed.accelerator import get_accelerator

    logging.getLogger("DeepSpeed").setLevel(logging.WARNING)
    deepspeed.utils.logger.setLevel(logging.WARNING)
    device = get_accelerator().device_name()
    if config.use_gpu and device == "cpu":
        raise TrainingError(
            "DeepSpeed chose its CPU accelerator but --gpus-per-worker asks for GPUs: "
            "deepspeed was imported in this worker before murmur set DS_ACCELERATOR=cuda"
        )
    if not config.use_gpu and device != "cpu":
        raise TrainingError(
            f"DeepSpeed chose its {device!r} accelerator for a CPU run: deepspeed was imported "
            "in this worker before murmur set DS_ACCELERATOR=cpu"
        )
    return deepspeed


def _done_from_checkpoint(checkpoint: Any) -> set[str]:
    if checkpoint is None:
        return set()
    with checkpoint.as_directory() as d, open(os.path.join(d, "done.json"), encoding="utf-8") as f:
        return set(json.load(f)["done"])


class _Checkpointer:
    """Reports a Ray Train checkpoint listing the finished models, with metrics on the last one.

    In Ray 2.60 a `ray.train.report` waits for the controller to take the previous one, which it
    polls every 2 s, so reporting after every model would add up to 2 s to each (more than a
    whole model's training on a GPU). Checkpoints are therefore reported at most every
    `CHECKPOINT_EVERY_S`, and always at the end; a model finished in between is still never
    trained twice, because its result in the store also counts as done on resume. Every rank
    must call report the same number of times: rank 0 decides and broadcasts.
    """

    def __init__(self, rank: int, world: int, done: set[str]) -> None:
        self.rank = rank
        self.world = world
        self.done = set(done)
        self.pending = 0
        self.last = time.monotonic()
        self.counts: dict[str, int] = {}  # this worker group's models by status
        self.metrics: dict[str, Any] = {}

    def finished(self, result: TrainResult) -> None:
        self.done.add(result.model)
        self.pending += 1
        self.counts[result.status] = self.counts.get(result.status, 0) + 1
        self.metrics = {
            "models_done": len(self.done),
            **{f"models_{status}": n for status, n in self.counts.items()},
            "last_model": result.model,
            "last_status": result.status,
            "last_val_loss_after": result.val_loss_after,
            "last_tokens_per_s": result.tokens_per_s,
        }
        due = time.monotonic() - self.last >= CHECKPOINT_EVERY_S
        if _broadcast(due, self.rank, self.world):
            self.report()

    def report(self) -> None:
        if not self.pending:
            return
        import ray.train

        with tempfile.TemporaryDirectory() as d:
            checkpoint = None
            if self.rank == 0:
                with open(os.path.join(d, "done.json"), "w", encoding="utf-8") as f:
                    json.dump({"done": sorted(self.done)}, f)
                checkpoint = ray.train.Checkpoint.from_directory(d)
            ray.train.report(self.metrics, checkpoint=checkpoint)
        self.pending = 0
        self.last = time.monotonic()


def _broadcast(obj: Any, rank: int, world: int) -> Any:
    """Rank 0's `obj` on every rank (a no-op with one worker)."""
    if world == 1:
        return obj
    import torch.distributed as dist

    box = [obj if rank == 0 else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def _all_gather(obj: Any, world: int) -> list[Any]:
    if world == 1:
        return [obj]
    import torch.distributed as dist

    out: list[Any] = [None] * world
    dist.all_gather_object(out, obj)
    return out


def _load_base(config: TrainConfig) -> _Base:
    """Load the base model and tokenizer once per worker and keep the weights on the CPU."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.generation import eos_token_id
    from murmur.models.base import resolve_base_model

    path = resolve_base_model(config.base_model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise TrainingError(
            f"cannot load base model {config.base_model!r}: {_first_line(e)}. Give a model id "
            "transformers can download, a local folder, or `tiny` for the offline preset"
        ) from e
    eos_id = eos_token_id(tokenizer)
    n_positions: Any = getattr(model.config, "n_positions", None) or getattr(
        model.config, "max_position_embeddings", config.block_size
    )
    return _Base(
        path=str(path),
        tokenizer=tokenizer,
        model_config=model.config,
        state=_copy_state(model.state_dict()),
        buffers={k: v.detach().clone() for k, v in model.named_buffers()},
        block_size=min(config.block_size, int(n_positions)),
        eos_id=int(eos_id),
    )


def _copy_state(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Clone a state dict, keeping tensors that share memory (tied embeddings) shared."""
    copies: dict[tuple[int, Any, Any], torch.Tensor] = {}
    out = {}
    for k, v in state.items():
        key = (v.data_ptr(), v.dtype, tuple(v.shape))
        if key not in copies:
            copies[key] = v.detach().clone()
        out[k] = copies[key]
    return out


def _fresh_model(base: _Base) -> Any:
    """A new module holding the base weights: built on the meta device (no random init), then
    given clones of the resident CPU copy. Costs one memory copy of the weights."""
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(base.model_config, dtype=torch.float32)
    model.load_state_dict(_copy_state(base.state), assign=True, strict=True)
    for name, buf in list(model.named_buffers()):
        if buf.is_meta:  # a non-persistent buffer (not in state dicts): copy it too
            owner, _, leaf = name.rpartition(".")
            model.get_submodule(owner)._buffers[leaf] = base.buffers[name].clone()
    model.tie_weights()
    leftover = [n for n, p in model.named_parameters() if p.is_meta]
    if leftover:
        raise TrainingError(f"base model weights missing after loading: {', '.join(leftover[:5])}")
    return model


def _deepspeed_config(config: TrainConfig, world: int) -> dict[str, Any]:
    zero: dict[str, Any] = {"stage": config.zero_stage}
    if config.cpu_offload:
        zero["offload_optimizer"] = {"device": "cpu", "pin_memory": True}
    ds: dict[str, Any] = {
        "train_micro_batch_size_per_gpu": config.micro_batch,
        "gradient_accumulation_steps": config.grad_accum,
        "train_batch_size": config.micro_batch * config.grad_accum * world,
        "gradient_clipping": config.max_grad_norm,
        "zero_optimization": zero,
        "bf16": {"enabled": config.use_gpu},
        "steps_per_print": 10**9,  # progress is ours to print
        "wall_clock_breakdown": False,
    }
    if config.cpu_offload:  # ZeRO-Offload wants DeepSpeed's own CPU Adam
        ds["optimizer"] = {"type": "AdamW", "params": _adam_params(config)}
    return ds


def _adam_params(config: TrainConfig) -> dict[str, Any]:
    # HF Trainer's AdamW defaults, as huggingtweets used them.
    return {
        "lr": config.lr,
        "betas": (0.9, 0.999),
        "eps": 1e-8,
        "weight_decay": config.weight_decay,
    }


def _new_engine(base: _Base, config: TrainConfig, world: int, steps: int) -> Any:
    """A DeepSpeed engine around a fresh module: new weights, optimizer state and schedule."""
    import deepspeed
    import torch
    from transformers import get_cosine_schedule_with_warmup

    model = _fresh_model(base)
    optimizer = (
        None
        if config.cpu_offload
        else torch.optim.AdamW(model.parameters(), **_adam_params(config))
    )

    def schedule(opt: Any) -> Any:  # cosine from lr to zero over the run, no warmup
        return get_cosine_schedule_with_warmup(opt, num_warmup_steps=0, num_training_steps=steps)

    engine, _, _, _ = deepspeed.initialize(
        model=model,
        optimizer=optimizer,
        model_parameters=model.parameters() if optimizer is None else None,
        lr_scheduler=schedule,
        config=_deepspeed_config(config, world),
    )
    return engine


def _release_engine(engine: Any, config: TrainConfig) -> None:
    """Free an engine and its module. `destroy()` removes DeepSpeed's hooks; ZeRO-3 also keeps
    every module it saw in a module-level stack and a class-level lru_cache (DeepSpeed 0.19),
    which would otherwise keep one model (weights, gradients, optimizer state) alive per account."""
    import torch

    module = engine.module
    engine.destroy()
    if config.zero_stage == 3:
        from deepspeed.runtime.zero import parameter_offload, partitioned_param_coordinator

        stack = parameter_offload.FWD_MODULE_STACK
        stack[:] = [m for m in stack if m is not module]
        coordinator = partitioned_param_coordinator.PartitionedParameterCoordinator
        cached = coordinator.__dict__.get("_PartitionedParameterCoordinator__params_to_release")
        cells = getattr(cached, "__closure__", None) or ()
        for obj in (
            cached,
            getattr(cached, "__wrapped__", None),
            *(c.cell_contents for c in cells),
        ):
            if hasattr(obj, "cache_clear"):
                obj.cache_clear()
    del module, engine
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def tokenize(tokenizer: Any, text: str) -> list[int]:
    """Token ids of a training or validation text (`<|endoftext|>` is one token).

    The text is 4 epochs of the same tweets joined by `<|endoftext|>`, which the tokenizer splits
    out before anything else, so each distinct tweet is encoded once, in one batch, and the ids
    reassembled: the same ids as encoding the whole text, ~30x faster (2.9 s -> 0.1 s for 1 MB).
    """
    from murmur.generation import EOS, eos_token_id

    pieces = text.split(EOS)
    distinct = list(dict.fromkeys(p for p in pieces if p))
    encoded = (
        tokenizer(distinct, add_special_tokens=False, verbose=False)["input_ids"]
        if distinct
        else []
    )
    ids_of = dict(zip(distinct, encoded, strict=True))
    eos_id = eos_token_id(tokenizer)
    ids: list[int] = []
    for i, piece in enumerate(pieces):
        if i:
            ids.append(eos_id)
        ids.extend(ids_of.get(piece, ()))
    return ids


def evaluate(engine: Any, blocks: list[list[int]], micro_batch: int) -> float:
    """Mean loss per predicted token over `blocks` (each block predicts its len-1 last tokens).

    Every rank evaluates every block: the validation text is small next to the training text,
    and under ZeRO-3 all ranks must run the same forward passes anyway.
    """
    import torch

    total, count = 0.0, 0
    engine.eval()
    with torch.no_grad():
        i = 0
        while i < len(blocks):
            size = len(blocks[i])
            batch = [blocks[i]]
            i += 1
            while i < len(blocks) and len(batch) < micro_batch and len(blocks[i]) == size:
                batch.append(blocks[i])
                i += 1
            ids = torch.tensor(batch, dtype=torch.long, device=engine.device)
            loss = engine(input_ids=ids, labels=ids).loss
            n = ids.shape[0] * (ids.shape[1] - 1)
            total += float(loss.float().item()) * n
            count += n
    engine.train()
    if count == 0:
        raise DataError("no validation tokens to score")
    return total / count


@dataclass
class _Data:
    train: torch.Tensor  # (n_blocks, block_size) in a seeded random order
    val: list[list[int]]
    steps: int
    tokens: int  # tokens trained, all ranks together


def _load_data(prepared: PreparedModel, base: _Base, config: TrainConfig, world: int) -> _Data:
    import torch

    train_ids = tokenize(base.tokenizer, prepared.train_text)
    val_ids = tokenize(base.tokenizer, prepared.val_text)
    train_blocks = pack_blocks(train_ids, base.block_size, keep_remainder=False)
    val_blocks = pack_blocks(val_ids, base.block_size, keep_remainder=True)
    if not val_blocks:
        raise DataError(
            f"{prepared.name}: the validation text has {len(val_ids)} tokens, too few to score: "
            "add tweets or combine the account with another (a+b)"
        )
    steps, used = plan_steps(len(train_blocks), config.micro_batch, config.grad_accum, world)
    if steps == 0:
        raise DataError(
            f"{prepared.name}: {len(train_ids):,} training tokens make {len(train_blocks)} blocks "
            f"of {base.block_size}, fewer than one step of {config.micro_batch} x "
            f"{config.grad_accum} x {world} workers: lower --block-size or --micro-batch"
        )
    if config.max_steps:  # the schedule then decays over the capped steps, as HF's max_steps
        steps = min(steps, config.max_steps)
        used = steps * config.micro_batch * config.grad_accum * world
    order = list(range(len(train_blocks)))
    random.Random(f"blocks:{config.seed}").shuffle(order)  # HF Trainer's seeded random sampler
    ordered = torch.tensor([train_blocks[i] for i in order[:used]], dtype=torch.long)
    return _Data(ordered, val_blocks, steps, used * ordered.shape[1])


def _train_one(
    name: str,
    config: TrainConfig,
    base: _Base,
    run: RunFiles,
    store: Store,
    rank: int,
    world: int,
) -> TrainResult:
    """Train, evaluate and publish one model. Every rank returns the same result (rank 0's)."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(phase: str, since: float) -> float:
        now = time.perf_counter()
        timings[phase] = round(timings.get(phase, 0.0) + now - since, 4)
        return now

    # The attempt number lives in the status file; rank 0 reads it and tells the others.
    previous = run.read_status(name) if rank == 0 else None
    attempt = _broadcast((previous.attempt if previous else 0) + 1, rank, world)
    if attempt > MAX_ATTEMPTS:
        last = ""
        if previous is not None:
            last = f" (last at step {previous.step}/{previous.steps}"
            last += f": {previous.error})" if previous.error else ")"
        return TrainResult(
            name,
            FAILED,
            error=f"training crashed the workers {MAX_ATTEMPTS} times{last}; not trying again",
            attempt=MAX_ATTEMPTS,
        )
    if rank == 0:
        run.write_status(TrainProgress(name, TRAINING, attempt))

    # Phase 1, no collective: read and pack the data. Its errors are the same on every rank.
    t = time.perf_counter()
    try:
        prepared = run.read_input(name)
        data = _load_data(prepared, base, config, world)
    except MurmurError as e:
        return _failed(name, str(e), attempt, t0, timings)
    except Exception as e:
        return _failed(name, f"reading its data failed: {_describe(e)}", attempt, t0, timings)
    t = lap("data", t)

    # Phase 2: train. Our own errors (DataError, TrainingError) and running out of memory fail
    # the model alone. With several workers any other error is raised instead: the other ranks
    # may be waiting in a collective, so Ray Train restarts the group and the model is retried.
    error: str | None = None
    state: dict[str, torch.Tensor] | None = None
    tracker = _Tracker(config, name, prepared, base, rank, store)
    t = lap("tracking", t)
    result = TrainResult(
        name, PUBLISHED, train_tokens=data.tokens, steps=data.steps, attempt=attempt
    )
    engine = None
    try:
        engine = _new_engine(base, config, world, data.steps)
        t = lap("engine_init", t)
        val_before = evaluate(engine, data.val, config.micro_batch)
        t = lap("eval_before", t)
        train_seconds = _train_steps(engine, data, config, name, rank, world, run, attempt, tracker)
        timings["train"] = round(train_seconds, 4)
        t = time.perf_counter()
        val_after = evaluate(engine, data.val, config.micro_batch)
        t = lap("eval_after", t)
        if not (math.isfinite(val_before) and math.isfinite(val_after)):
            raise TrainingError(
                f"validation loss is not finite ({val_before} before, {val_after} after): "
                "lower --lr"
            )
        result.val_loss_before = round(val_before, 5)
        result.val_loss_after = round(val_after, 5)
        result.tokens_per_s = round(data.tokens / train_seconds, 1) if train_seconds > 0 else 0.0
        state = _consolidated_state(engine, config, rank)
        t = lap("gather", t)
    except (MurmurError, MemoryError) as e:
        error = _describe(e)
    except Exception as e:
        if world > 1:
            if rank == 0:
                run.write_status(TrainProgress(name, TRAINING, attempt, error=_describe(e)))
            raise
        error = _describe(e)
    finally:
        if engine is not None:
            t = time.perf_counter()
            _release_engine(engine, config)
            t = lap("release", t)

    # Every rank agrees before rank 0 publishes: one rank's failure fails the model.
    errors = [e for e in _all_gather(error, world) if e]
    if errors:
        result = _failed(name, errors[0], attempt, t0, timings)
    elif rank == 0:
        try:
            result.timings = timings
            result.path = _publish(
                name, prepared, base, config, state, result, store, world, tracker
            )
        except Exception as e:  # rank 0 alone: the others learn it from the broadcast below
            log.exception("%s: publishing failed", name)
            result = _failed(name, f"publishing failed: {_describe(e)}", attempt, t0, timings)
        t = lap("publish", t)
    tracker.finish()
    del state
    result = _broadcast(result, rank, world)
    result.seconds = round(time.perf_counter() - t0, 3)
    result.timings = timings
    if rank == 0:
        _log_result(result)
    return result


def _log_result(result: TrainResult) -> None:
    if result.status != PUBLISHED:
        log.error("%s failed: %s", result.model, result.error)
        return
    log.info(
        "%s published: val loss %.3f -> %.3f, %s tokens in %.1f s (%s tok/s), %.1f s in all",
        result.model,
        result.val_loss_before,
        result.val_loss_after,
        f"{result.train_tokens:,}",
        result.timings.get("train", 0.0),
        f"{result.tokens_per_s:,.0f}",
        result.seconds,
    )


def _describe(e: BaseException) -> str:
    """An error as a one-line reason; out-of-memory says what to change."""
    if _is_out_of_memory(e):
        return f"out of memory: {_first_line(e)}; lower --micro-batch or --block-size"
    if isinstance(e, MurmurError):
        return str(e)
    return f"{type(e).__name__}: {_first_line(e)}"


def _failed(
    name: str, error: str, attempt: int, t0: float, timings: dict[str, float]
) -> TrainResult:
    return TrainResult(
        name,
        FAILED,
        error=error,
        attempt=attempt,
        seconds=round(time.perf_counter() - t0, 3),
        timings=dict(timings),
    )


def _is_out_of_memory(e: BaseException) -> bool:
    return "out of memory" in str(e).lower() or type(e).__name__ == "OutOfMemoryError"


def _train_steps(
    engine: Any,
    data: _Data,
    config: TrainConfig,
    name: str,
    rank: int,
    world: int,
    run: RunFiles,
    attempt: int,
    tracker: _Tracker,
) -> float:
    """One pass over the blocks. Returns the seconds spent in steps (devices synchronised)."""
    import torch

    micro, accum = config.micro_batch, config.grad_accum
    block = data.train.shape[1]
    per_step = micro * accum * world
    engine.train()
    running = torch.zeros((), device=engine.device)
    since_log, t_log = 0, time.perf_counter()
    t_start = t_log
    for step in range(1, data.steps + 1):
        for m in range(accum):
            first = (step - 1) * per_step + (m * world + rank) * micro
            ids = data.train[first : first + micro].to(engine.device, non_blocking=True)  # (B, T)
            loss = engine(input_ids=ids, labels=ids).loss
            engine.backward(loss)
            engine.step()
            running += loss.detach().float()
        since_log += 1
        if step % config.log_every == 0 or step == data.steps:
            mean_loss = float(running.item()) / (since_log * accum)  # .item() syncs the device
            elapsed = time.perf_counter() - t_log
            tok_s = since_log * per_step * block / elapsed if elapsed > 0 else 0.0
            lr = float(engine.get_lr()[0])
            if rank == 0:
                log.info(
                    "%s step %d/%d loss %.2f lr %.1e tok/s %s",
                    name,
                    step,
                    data.steps,
                    mean_loss,
                    lr,
                    f"{tok_s:,.0f}",
                )
                run.write_status(
                    TrainProgress(
                        name,
                        TRAINING,
                        attempt,
                        step,
                        data.steps,
                        round(mean_loss, 4),
                        round(tok_s, 1),
                    )
                )
                tracker.log_step(step, mean_loss, lr, tok_s)
            running.zero_()
            since_log, t_log = 0, time.perf_counter()
    return time.perf_counter() - t_start


def _consolidated_state(
    engine: Any, config: TrainConfig, rank: int
) -> dict[str, torch.Tensor] | None:
    """The full weights on rank 0 (None elsewhere). ZeRO-0/1/2 keep whole weights on every rank;
    ZeRO-3 shards them, so every rank joins the gather (16-bit weights on a GPU run)."""
    if config.zero_stage == 3:
        state: dict[str, torch.Tensor] | None = engine._zero3_consolidated_16bit_state_dict()
        return state
    return (
        {k: v.detach().cpu() for k, v in engine.module.state_dict().items()} if rank == 0 else None
    )


def _publish(
    name: str,
    prepared: PreparedModel,
    base: _Base,
    config: TrainConfig,
    state: dict[str, torch.Tensor] | None,
    result: TrainResult,
    store: Store,
    world: int,
    tracker: _Tracker,
) -> str:
    from murmur.models import publish

    if state is None:
        raise TrainingError("rank 0 has no consolidated weights to publish")
    manifest = publish.build_manifest(
        prepared,
        base_model=config.base_model,
        hyperparameters=hyperparameters(config, world, base.block_size, result.steps),
        val_loss_before=result.val_loss_before,
        val_loss_after=result.val_loss_after,
        train_tokens=result.train_tokens,
        train_seconds=result.timings.get("train", 0.0) if result.timings else 0.0,
        wandb=tracker.links(),
    )
    with tempfile.TemporaryDirectory(prefix=f"murmur-{name}-") as tmp:
        folder = publish.build_model_folder(
            tmp,
            state_dict=state,
            model_config=base.model_config,
            tokenizer=base.tokenizer,
            manifest=manifest,
            model_ref=publish.model_ref(store, name),
        )
        tracker.log_model(name, folder)
        return publish.publish_folder(store, name, folder)


class _Tracker:
    """One W&B train run per model, on rank 0 (does nothing when W&B is off)."""

    def __init__(
        self,
        config: TrainConfig,
        name: str,
        prepared: PreparedModel,
        base: _Base,
        rank: int,
        store: Store,
    ) -> None:
        from murmur import tracking

        self.run: Any = None
        self._cm: Any = None
        if not config.wandb or rank != 0 or tracking.wandb_mode() is None:
            return
        from murmur.models.publish import package_versions

        self._cm = tracking.wandb_run(
            enabled=True,
            job_type="train",
            name=f"train-{name}",
            group=name,
            directory=f"{store.root}/wandb" if store.is_local else None,
            config={
                "model": name,
                "handles": list(prepared.spec.handles),
                "train": config.to_json(),
                "versions": package_versions(),
                "model_config": base.model_config.to_dict(),
            },
        )
        self.run = self._cm.__enter__()
        if self.run is not None:
            config_file = os.path.join(base.path, "config.json")
            files = {"config.json": config_file} if os.path.isfile(config_file) else {}
            tracking.log_artifact(
                self.run,
                f"base-model-{_artifact_slug(config.base_model)}",
                "model",
                files=files,
                metadata={"base_model": config.base_model},
                use=True,
            )

    def log_step(self, step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        if self.run is None:
            return
        try:
            self.run.log(
                {"train/loss": loss, "train/lr": lr, "train/tokens_per_s": tokens_per_s}, step=step
            )
        except Exception as e:
            log.warning("W&B log failed: %s", e)

    def log_model(self, name: str, folder: str) -> None:
        if self.run is None:
            return
        from murmur import tracking

        tracking.log_artifact(self.run, f"finetuned-model-{name}", "model", directory=folder)
        try:
            rows = _predictions(folder)
        except Exception as e:  # tracking never fails a model
            log.warning("%s: predictions table not logged: %s", name, e)
            return
        tracking.log_table(self.run, "predictions", ["prompt", "generation"], rows)

    def links(self) -> dict[str, str]:
        from murmur import tracking

        url = tracking.run_url(self.run)
        return {"train": url} if url else {}

    def finish(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None


def _artifact_slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:100] or "base"


def _predictions(folder: str, per_prompt: int = 3) -> list[list[Any]]:
    """huggingtweets' prompts through the just-trained model, for the W&B predictions table."""
    import torch
    from transformers import pipeline

    from murmur.generation import PROMPTS, build_prompt, cut_generation

    generator = pipeline(
        "text-generation", model=folder, device=0 if torch.cuda.is_available() else -1
    )
    rows: list[list[Any]] = []
    for prompt in PROMPTS:
        outs = generator(build_prompt(prompt), num_return_sequences=per_prompt)
        rows += [[prompt, cut_generation(o["generated_text"])] for o in outs]
    return rows


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
