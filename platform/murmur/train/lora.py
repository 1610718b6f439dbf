"""LoRA: a fresh adapter for each model over one frozen base that a trainer loads once (PEFT).

    frozen_base(model)                  the base module every model of the trainer shares
    adapter_config(module, config, ref) the PEFT LoraConfig fields (adapter_config.json)
    attach_adapter(module, fields)      a new adapter over it (seeded by the caller)
    adapter_state(peft_model)           the adapter's weights on the CPU (what publishing writes)
    detach_adapter(peft_model)          the base module as it was, ready for the next model

By default LoRA adapts every linear layer and the output head (GPT-2: c_attn, c_fc, c_proj and
lm_head), all of them Linear or Conv1D, so the adapter folder holds only LoRA A and B weights:
`base_model.model.<module>.lora_A.weight` (r, in) and `.lora_B.weight` (out, r), for the head
`base_model.model.lm_head.lora_A.weight` (r, n_embd) and `base_model.model.lm_head.lora_B.weight`
(vocab, r). The head is tied to the token embeddings in GPT-2: its LoRA changes the output logits
only (the input embeddings stay the base's), and the serving pool serves it as any Linear layer
(checked against PEFT's output: identical logits). Why the head: on bench/lora_quality.py's
tuning accounts (tiny base) LoRA without it ended 5.8% above full fine-tuning's validation loss
(+64% on the largest account), with it 40.7% below (below on every account); the validation
accounts' figure is in the README (LoRA bots). The embeddings (`wte`) are adapted only when asked
(`--lora-targets ...,wte`); their keys, `...wte.lora_embedding_A` / `lora_embedding_B`, are refused
by serving today.

The base never changes: its weights do not train (requires_grad False), and `detach_adapter`
unloads the adapter's layers without merging them. Only the adapter and its optimizer state are
new for each model. GPT-2 keeps its linear layers as `Conv1D` (weights stored in x out), which
PEFT adapts with `fan_in_fan_out=True` (PEFT >= 0.10; checked here with 0.21).

Importing this module imports neither torch nor PEFT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from murmur.core.errors import ConfigError
from murmur.train.config import TrainConfig

if TYPE_CHECKING:
    import torch

DEFAULT_HEAD = True
"""Whether LoRA adapts the output head when no --lora-targets are given (module doc: why)."""
LORA_DROPOUT = 0.0
"""Dropout on the adapter's input: none, the base's own dropout (GPT-2: 0.1) already acts."""


def linear_layers(model: Any) -> list[str]:
    """The distinct leaf names of `model`'s linear layers (torch Linear and transformers' Conv1D),
    the output head excluded (tied to the embeddings in GPT-2): GPT-2 gives
    ['c_attn', 'c_fc', 'c_proj'] (attention in and out, MLP in and out)."""
    import torch
    from transformers.pytorch_utils import Conv1D

    head = model.get_output_embeddings()
    return sorted(
        {
            name.rsplit(".", 1)[-1]
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear | Conv1D) and module is not head
        }
    )


def extra_layers(model: Any) -> list[str]:
    """The layers LoRA adapts only when asked by name: the output head (GPT-2: `lm_head`, a
    Linear tied to the embeddings) and the token embeddings (`wte`, an Embedding)."""
    head = model.get_output_embeddings()
    embeddings = model.get_input_embeddings()
    names = {
        name.rsplit(".", 1)[-1]
        for name, module in model.named_modules()
        if module is head or module is embeddings
    }
    return sorted(names)


def _embedding_names(model: Any) -> set[str]:
    embeddings = model.get_input_embeddings()
    return {name.rsplit(".", 1)[-1] for name, m in model.named_modules() if m is embeddings}


def resolve_targets(model: Any, asked: list[str]) -> tuple[list[str], bool]:
    """(the layer names LoRA adapts, whether they are Conv1D, i.e. PEFT's `fan_in_fan_out`).
    `asked` empty means every linear layer and the output head (DEFAULT_HEAD); the embeddings are
    adapted only when named. Raises ConfigError for a name that is neither a linear layer nor one
    of extra_layers, naming the ones the base has."""
    from transformers.pytorch_utils import Conv1D

    known = linear_layers(model)
    extra = extra_layers(model)
    unknown = [t for t in asked if t not in known and t not in extra]
    if unknown:
        raise ConfigError(
            f"--lora-targets {','.join(unknown)}: no linear layer of that name in the base model; "
            f"its linear layers are {', '.join(known)} (and, named alone, {', '.join(extra)})"
        )
    head = [name for name in extra if name not in _embedding_names(model)]
    targets = sorted(set(asked)) if asked else sorted(known + (head if DEFAULT_HEAD else []))
    conv1d = any(
        isinstance(module, Conv1D)
        for name, module in model.named_modules()
        if name.rsplit(".", 1)[-1] in targets
    )
    return targets, conv1d


def frozen_base(model: Any) -> Any:
    """`model` with every weight frozen: the base a trainer's LoRA models share."""
    model.requires_grad_(False)
    return model


def adapter_config(module: Any, config: TrainConfig, base_ref: str) -> dict[str, Any]:
    """PEFT LoraConfig's fields for `config` over the base `module` (no adapter attached),
    JSON-ready: what adapter_config.json holds; `base_ref` is its `base_model_name_or_path`
    (see `base_ref`). Raises ConfigError for unknown --lora-targets."""
    targets, conv1d = resolve_targets(module, config.lora_targets)
    return {
        "r": config.lora_rank,
        "lora_alpha": config.lora_alpha,
        "lora_dropout": LORA_DROPOUT,
        "target_modules": targets,
        "fan_in_fan_out": conv1d,
        "bias": "none",
        "task_type": "CAUSAL_LM",
        "base_model_name_or_path": base_ref,
    }


def base_ref(base_model: str, path: str, base_hash: str) -> str:
    """What an adapter names as its base so that it resolves on any node: the hub id for a hub
    model (`hub:` hashes), else the folder (the store's base folder for `tiny`: resolve_base)."""
    return base_model if base_hash.startswith("hub:") else path


def attach_adapter(module: Any, fields: dict[str, Any]) -> Any:
    """A fresh LoRA adapter (LoraConfig `fields`, from adapter_config) over the shared base
    `module`, which the returned PeftModel wraps in place: lora_A random (torch's RNG: seed
    first), lora_B zero, so that it starts as the base."""
    from peft import LoraConfig, get_peft_model

    from murmur.models.base import quiet_loads

    fields = {k: v for k, v in fields.items() if k != "base_model_name_or_path"}
    with quiet_loads():
        return get_peft_model(module, LoraConfig(**fields))


def adapter_state(peft_model: Any) -> dict[str, torch.Tensor]:
    """The adapter's weights as PEFT saves them (keys without the adapter's name), cloned to the
    CPU: the next model's adapter may reuse the module while publishing writes these. Only the
    LoRA weights: never a copy of the frozen base's embeddings, which PEFT would otherwise add
    when the head or the embeddings are adapted (`save_embedding_layers`)."""
    from peft import get_peft_model_state_dict

    state = get_peft_model_state_dict(peft_model, save_embedding_layers=False)
    return {k: v.detach().cpu().clone() for k, v in state.items()}


def detach_adapter(peft_model: Any) -> None:
    """Remove the adapter's layers (unmerged) from the shared base, and what PEFT left on it."""
    module = peft_model.unload()
    for attr in ("peft_config", "_hf_peft_config_loaded"):
        if attr in module.__dict__:
            delattr(module, attr)
