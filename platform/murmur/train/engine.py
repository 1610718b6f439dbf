"""The model side of a worker: the base model loaded once, a fresh module per model (a full
fine-tune) or a fresh LoRA adapter over the one frozen base (`--method lora`: train/lora.py), its
DeepSpeed engine (new, released, its weights or adapter gathered).

Why a new engine per model instead of resetting one: DeepSpeed keeps fp32 partitions, gradient
hooks and (ZeRO-3) partitioned parameters inside the engine, and no public call resets them.
Building an engine around a fresh module costs ~0.02 s (ZeRO-2) or ~0.5 s (ZeRO-3) for the tiny
model on this CPU, once DeepSpeed's leaks are plugged (`release_engine`).
"""

from __future__ import annotations

import gc
import logging
import os
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from murmur.core.errors import TrainingError, first_line
from murmur.core.paths import extensions_dir
from murmur.train.collectives import ModelGroup
from murmur.train.config import TrainConfig

if TYPE_CHECKING:
    import torch

    from murmur.core.store import Store


@dataclass
class Base:
    """What a worker loads once and reuses for every model."""

    path: str  # where from_pretrained found it
    hash: str  # the base's content hash (murmur.models.base.resolve_base), for manifests
    description: str  # one line for the card
    tokenizer: Any
    model_config: Any
    state: dict[str, torch.Tensor]  # resident CPU copy of the weights (tied ones shared)
    buffers: dict[str, torch.Tensor]  # every buffer, non-persistent ones included
    block_size: int  # the config's block size, capped at the model's n_positions
    eos_id: int
    ref: str = ""  # what a LoRA adapter names as its base (lora.base_ref): a folder or a hub id
    module: Any = None  # LoRA: the frozen base module every model of the trainer shares
    adapter: dict[str, Any] | None = None  # LoRA: LoraConfig's fields, set by fresh_adapter


def import_deepspeed(config: TrainConfig) -> Any:
    """Import DeepSpeed quietly. Raises TrainingError if it picked the wrong accelerator (it picks
    one when first imported, from DS_ACCELERATOR: the worker sets it before importing). Its ops
    are built in this environment's own folder (murmur.core.paths.extensions_dir)."""
    os.environ.setdefault("TORCH_EXTENSIONS_DIR", extensions_dir())
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


def seed_everything(seed: int) -> None:
    """Seed torch (every device), Python's `random` and numpy: called at the start of each model
    with the model's own seed, so that its dropout and anything else random depend on nothing
    trained before it in the worker."""
    import numpy as np
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)


def load_base(config: TrainConfig, store: Store) -> Base:
    """Load the base model and tokenizer once per worker (resolved through the store, where the
    `tiny` preset lives). A full fine-tune keeps a CPU copy of the weights (each model starts from
    a clone); LoRA keeps the loaded module itself, frozen, and shares it between models.
    Raises TrainingError when transformers cannot load `config.base_model`."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from murmur.core.generation import context_length, eos_token_id
    from murmur.models.base import resolve_base
    from murmur.train.lora import base_ref, frozen_base

    resolved = resolve_base(config.base_model, store)
    path = resolved.path
    try:
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise TrainingError(
            f"cannot load base model {config.base_model!r}: {first_line(e)}. Give a model id "
            "transformers can download, a local folder, or `tiny` for the offline preset"
        ) from e
    n_positions = context_length(model.config) or config.block_size
    lora = config.method == "lora"
    return Base(
        path=str(path),
        hash=resolved.hash,
        description=resolved.description,
        tokenizer=tokenizer,
        model_config=model.config,
        state={} if lora else _copy_state(model.state_dict()),
        buffers={} if lora else {k: v.detach().clone() for k, v in model.named_buffers()},
        block_size=min(config.block_size, int(n_positions)),
        eos_id=int(eos_token_id(tokenizer)),
        ref=base_ref(config.base_model, str(path), resolved.hash),
        module=frozen_base(model) if lora else None,
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


def fresh_model(base: Base) -> Any:
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


def fresh_adapter(base: Base, config: TrainConfig) -> Any:
    """A fresh LoRA adapter over the trainer's shared frozen base (a PeftModel wrapping
    `base.module`). Its config is worked out once, while no adapter is attached, and kept in
    `base.adapter` for publishing. Raises ConfigError for unknown --lora-targets."""
    from murmur.train.lora import adapter_config, attach_adapter

    if base.adapter is None:
        base.adapter = adapter_config(base.module, config, base.ref)
    return attach_adapter(base.module, base.adapter)


def published_module(base: Base, config: TrainConfig, folder: str) -> Any:
    """A module holding a published bot's weights, to continue training from (`murmur refresh`)
    or to score: a full model's model.safetensors in a fresh module, or (LoRA) its
    adapter_model.safetensors in a fresh adapter over the shared base, trainable. `folder` is a
    local copy of the version (Store.download_version). Raises TrainingError when the bot was
    trained otherwise than this trainer (another base, method or adapter shape): refresh it with
    --from-base."""
    import json
    from pathlib import Path

    from safetensors.torch import load_file

    manifest = json.loads((Path(folder) / "murmur.json").read_text(encoding="utf-8"))
    problem = _start_mismatch(manifest, base, config)
    if problem:
        raise TrainingError(f"{manifest.get('name')}: {problem}: refresh it with --from-base")
    if config.method == "lora":
        from peft import set_peft_model_state_dict

        model = fresh_adapter(base, config)
        state = load_file(str(Path(folder) / "adapter_model.safetensors"))
        extra = getattr(set_peft_model_state_dict(model, state), "unexpected_keys", None)
        if extra:
            raise TrainingError(f"its adapter has weights this one lacks: {list(extra)[:3]}")
        return model
    model = fresh_model(base)
    state = load_file(str(Path(folder) / "model.safetensors"))
    missing, unexpected = model.load_state_dict(state, strict=False)
    model.tie_weights()  # GPT-2's head is the embeddings: saved once (publish._own_tensors)
    loaded = {t.data_ptr() for k, t in model.state_dict().items() if k in state}
    untied = [k for k in missing if model.state_dict()[k].data_ptr() not in loaded]
    if unexpected or untied:
        raise TrainingError(f"its weights do not fit the base: {(unexpected or untied)[:3]}")
    return model


def _start_mismatch(manifest: dict[str, Any], base: Base, config: TrainConfig) -> str | None:
    """Why a published bot cannot continue on this trainer, or None."""
    method = manifest.get("method", "full")
    if method != config.method:
        return f"it was trained with --method {method}, this job trains {config.method}"
    if manifest.get("base_model_hash") and manifest["base_model_hash"] != base.hash:
        return f"its base {manifest.get('base_model')} is not this job's {config.base_model}"
    lora = manifest.get("lora") or {}
    if method == "lora" and base.adapter is not None and lora.get("rank") != base.adapter["r"]:
        return f"its adapter has rank {lora.get('rank')}, this job's {base.adapter['r']}"
    return None


def deepspeed_config(config: TrainConfig) -> dict[str, Any]:
    """DeepSpeed's config for one model's group of `workers_per_model` ranks: the global batch
    (micro_batch x grad_accum) whatever the group's size, each rank accumulating its share;
    clipping, ZeRO stage, bf16 on GPUs."""
    zero: dict[str, Any] = {"stage": config.zero_stage}
    if config.cpu_offload:
        zero["offload_optimizer"] = {"device": "cpu", "pin_memory": True}
    ds: dict[str, Any] = {
        "train_micro_batch_size_per_gpu": config.micro_batch,
        "gradient_accumulation_steps": config.accum_per_rank,
        "train_batch_size": config.global_batch,
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


def new_engine(
    base: Base, config: TrainConfig, group: ModelGroup, steps: int, start: Any = None
) -> Any:
    """A DeepSpeed engine around a fresh module (or a fresh LoRA adapter over the shared base),
    or around `start` (a module from `published_module`: a refresh continues a bot), data
    parallel over `group` only: new optimizer state and schedule (cosine from `config.lr` to zero
    over `steps`, no warmup). The optimizer sees trainable weights only."""
    import deepspeed
    import torch
    from transformers import get_cosine_schedule_with_warmup

    if start is not None:
        model = start
    else:
        model = fresh_adapter(base, config) if config.method == "lora" else fresh_model(base)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = None if config.cpu_offload else torch.optim.AdamW(trainable, **_adam_params(config))

    def schedule(opt: Any) -> Any:
        return get_cosine_schedule_with_warmup(opt, num_warmup_steps=0, num_training_steps=steps)

    engine, _, _, _ = deepspeed.initialize(
        model=model,
        optimizer=optimizer,
        model_parameters=trainable if optimizer is None else None,
        lr_scheduler=schedule,
        config=deepspeed_config(config),
        mpu=group.mpu,
    )
    return engine


def release_engine(engine: Any, config: TrainConfig) -> None:
    """Free an engine and its module. `destroy()` removes DeepSpeed's hooks; ZeRO-3 also keeps
    every module it saw in a module-level stack and a class-level lru_cache (DeepSpeed 0.19),
    which would otherwise keep one model (weights, gradients, optimizer state) alive per account.
    The CUDA caching allocator keeps the freed blocks for the next model, which has the same
    shapes: no `torch.cuda.empty_cache()` (a device sync) per model. LoRA: the adapter comes
    off the shared base, which stays loaded for the next model."""
    module = engine.module
    engine.destroy()
    if config.method == "lora":
        from murmur.train.lora import detach_adapter

        detach_adapter(module)
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


def consolidated_state(
    engine: Any, config: TrainConfig, group: ModelGroup
) -> dict[str, torch.Tensor] | None:
    """The full weights on the group's leader, on the CPU (None on the other ranks); with LoRA,
    the adapter's weights (every rank holds them whole: ZeRO 0-2).

    ZeRO-0/1/2 keep whole weights on every rank. ZeRO-3 shards them over the group, so every rank
    of the group joins a gather, one module at a time (DeepSpeed's own
    `_zero3_consolidated_16bit_state_dict` keeps the result on *global* rank 0 only, which is in
    one model group alone). Tied weights stay one tensor under both names."""
    if config.zero_stage != 3:
        if not group.leader:
            return None
        if config.method == "lora":
            from murmur.train.lora import adapter_state

            return adapter_state(engine.module)
        return {k: v.detach().cpu() for k, v in engine.module.state_dict().items()}
    import deepspeed

    state: dict[str, torch.Tensor] = {}
    seen: dict[int, str] = {}  # a ZeRO-3 parameter's ds_id -> its first name (tied weights)
    for prefix, module in engine.module.named_modules():
        params = list(module.parameters(recurse=False))
        with deepspeed.zero.GatheredParameters(params, modifier_rank=None):
            if not group.leader:
                continue
            for name, param in module.named_parameters(recurse=False):
                key = f"{prefix}.{name}" if prefix else name
                ds_id = getattr(param, "ds_id", id(param))
                state[key] = state[seen[ds_id]] if ds_id in seen else param.detach().cpu().clone()
                seen.setdefault(ds_id, key)
            for name, buf in module.named_buffers(recurse=False):
                if name not in module._non_persistent_buffers_set:
                    state[f"{prefix}.{name}" if prefix else name] = buf.detach().cpu().clone()
    return state if group.leader else None
