"""Publishing a trained model: a standard Hugging Face folder plus its card and manifest.

    model.safetensors, config.json       the weights (as trained: fp32 on CPU, bf16 on GPU)
    or, for a LoRA bot (`--method lora`), a PEFT adapter folder:
    adapter_config.json                  PEFT's LoraConfig; `base_model_name_or_path` is the
                                         base's Hub id where it has one, else its folder (the
                                         store's base: the card loads it by path, see card.py)
    adapter_model.safetensors            the adapter's weights (as trained: fp32 / bf16)
    tokenizer files                      the base model's tokenizer, padding with end-of-text
                                         on the left (batched pipelines: `portable_tokenizer`)
    generation_config.json               huggingtweets' sampling defaults (murmur.core.generation)
    README.md                            the model card (murmur.models.card)
    posts.json                           the training and validation posts (write_posts)
    murmur.json                          the manifest (murmur.core.manifest), written last

The folder is built in a temporary directory and handed to `Store.publish_model`, which makes it
visible atomically: a reader sees the previous model or this one, never a half-written folder.
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from murmur.core.clock import new_version_id, utc_stamp
from murmur.core.manifest import ModelManifest
from murmur.core.store import MANIFEST, Store
from murmur.models.card import hub_base_id, render_card

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel

_PACKAGES = ("murmur", "torch", "transformers", "tokenizers", "deepspeed", "ray", "peft")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shaped a model, for its manifest and W&B config."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def build_manifest(
    prepared: PreparedModel,
    *,
    base_model: str,
    hyperparameters: dict[str, Any],
    val_loss_before: float | None,
    val_loss_after: float | None,
    train_tokens: int,
    train_seconds: float,
    wandb: dict[str, str] | None = None,
    base_model_hash: str = "",
    base_model_description: str = "",
    method: str = "full",
    lora: dict[str, Any] | None = None,
) -> ModelManifest:
    """Everything the card and `murmur models` say about a model, stamped now. The base model's
    name, hash and description come from `murmur.models.base.resolve_base`; `method` is "full" or
    "lora", `lora` LoRA's {"rank", "alpha", "targets"} (build_adapter_folder adds its size).
    When its posts were read comes from `prepared`, and for a refresh (`prepared.refresh`) its
    record (figures and the losses its trainer filled in) and the versions kept before it."""
    plan = prepared.refresh
    return ModelManifest(
        name=prepared.name,
        handles=list(prepared.spec.handles),
        stats=list(prepared.stats),
        base_model=base_model,
        base_model_hash=base_model_hash,
        base_model_description=base_model_description,
        hyperparameters=dict(hyperparameters),
        val_loss_before=val_loss_before,
        val_loss_after=val_loss_after,
        wandb=dict(wandb or {}),
        created=utc_stamp(),
        version=new_version_id(),
        versions=package_versions(),
        train_tokens=train_tokens,
        train_seconds=round(train_seconds, 3),
        method=method,
        lora=dict(lora) if lora is not None else None,
        posts_read_at=dict(prepared.posts_read_at),
        refresh=plan.record if plan is not None else None,
        history=list(plan.history) if plan is not None else [],
    )


def model_ref(store: Store, name: str) -> str:
    """What the card's `pipeline(model=...)` loads: the model's folder in a local store, else its
    name (a model in an object store is loaded from a local copy, `Store.local_model_dir`)."""
    return store.model_path(name) if store.is_local else name


def build_model_folder(
    folder: str | Path,
    *,
    state_dict: dict[str, torch.Tensor],
    model_config: Any,
    tokenizer: Any,
    manifest: ModelManifest,
    model_ref: str,
) -> str:
    """Write a complete model folder (weights, tokenizer, generation config, card, manifest)."""
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, GenerationConfig

    from murmur.core.generation import eos_token_id, generation_config_kwargs

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dtype = next(iter(state_dict.values())).dtype
    with torch.device("meta"):  # no random init: the weights come from `state_dict`
        model = AutoModelForCausalLM.from_config(model_config, dtype=dtype)
    model.load_state_dict(state_dict, assign=True, strict=True)
    model.tie_weights()
    eos_id = eos_token_id(tokenizer)
    model.generation_config = GenerationConfig(**generation_config_kwargs(eos_id))
    # Not model.save_pretrained: transformers (>= 5) writes files only on torch.distributed's
    # rank 0, and every trainer of a parallel job publishes its own models, whatever its rank.
    model.config.save_pretrained(folder)
    model.generation_config.save_pretrained(folder)
    save_file(_own_tensors(model.state_dict()), folder / "model.safetensors", {"format": "pt"})
    return _finish_folder(folder, tokenizer, manifest, model_ref)


def _own_tensors(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """`state_dict` with one copy of each tied weight (GPT-2's lm_head is wte: transformers ties
    it again on load), each tensor in storage of its own: a trainer's weights may be views into
    one flat buffer, which safetensors refuses to save."""
    tensors: dict[str, torch.Tensor] = {}
    seen: set[tuple[int, tuple[int, ...], tuple[int, ...]]] = set()
    for key, value in state_dict.items():
        ident = (value.data_ptr(), tuple(value.shape), value.stride())
        if ident not in seen:
            seen.add(ident)
            tensors[key] = value.detach().clone().contiguous()
    return tensors


ADAPTER_WEIGHTS = "adapter_model.safetensors"


def build_adapter_folder(
    folder: str | Path,
    *,
    adapter_state: dict[str, torch.Tensor],
    adapter_config: dict[str, Any],
    tokenizer: Any,
    manifest: ModelManifest,
    model_ref: str,
) -> str:
    """Write a complete LoRA bot folder: PEFT's adapter_config.json (from `adapter_config`,
    LoraConfig's fields) and adapter_model.safetensors (`adapter_state`, keys as PEFT saves them),
    the tokenizer, the generation config, the card and the manifest, whose `adapter_bytes` is set
    here. `AutoPeftModelForCausalLM.from_pretrained(folder)` loads it, and so does
    `pipeline("text-generation", model=folder)` when peft is installed. A base with a Hub id is
    named by it (card.hub_base_id), whatever `adapter_config` says; any other base's folder is
    what the card loads before the adapter."""
    from peft import LoraConfig
    from safetensors.torch import save_file
    from transformers import GenerationConfig

    from murmur.core.generation import eos_token_id, generation_config_kwargs

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    hub_base = hub_base_id(manifest)
    if hub_base is not None:  # a Hub id resolves anywhere; a local snapshot path does not
        adapter_config = {**adapter_config, "base_model_name_or_path": hub_base}
    LoraConfig(**adapter_config).save_pretrained(str(folder))
    weights = folder / ADAPTER_WEIGHTS
    save_file({k: v.contiguous() for k, v in adapter_state.items()}, weights, {"format": "pt"})
    manifest.adapter_bytes = weights.stat().st_size
    GenerationConfig(**generation_config_kwargs(eos_token_id(tokenizer))).save_pretrained(folder)
    base_ref = adapter_config.get("base_model_name_or_path")
    return _finish_folder(folder, tokenizer, manifest, model_ref, base_ref)


def portable_tokenizer(tokenizer: Any) -> Any:
    """A copy of `tokenizer` that pads with the end-of-text token on the left, as published
    folders carry it: a pipeline refuses `batch_size` > 1 without a pad token ("Pipeline with
    tokenizer without pad_token cannot do batching", transformers#3021), and a decoder-only model
    continues every row of a batch at the same position only when padded on the left
    (https://huggingface.co/docs/transformers/llm_tutorial#wrong-padding-side). A copy: the
    trainer's tokenizer is shared and stays as it is."""
    import copy

    from murmur.core.generation import eos_token_id

    out = copy.deepcopy(tokenizer)
    out.pad_token_id = eos_token_id(tokenizer)
    out.padding_side = "left"
    out.init_kwargs["padding_side"] = "left"  # what save_pretrained writes (transformers 5)
    for machine_only in ("local_files_only", "is_local"):  # how this process loaded it
        out.init_kwargs.pop(machine_only, None)
    return out


def _finish_folder(
    folder: Path,
    tokenizer: Any,
    manifest: ModelManifest,
    model_ref: str,
    base_ref: str | None = None,
) -> str:
    """The tokenizer (`portable_tokenizer`), the card and (last) the manifest into `folder`;
    every file readable."""
    portable_tokenizer(tokenizer).save_pretrained(folder)
    card = render_card(manifest, model_ref, base_ref)
    (folder / "README.md").write_text(card, encoding="utf-8")
    (folder / MANIFEST).write_text(
        json.dumps(manifest.to_json(), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    for f in folder.iterdir():  # safetensors writes 0600: let a server under another user read
        f.chmod(0o644)
    return str(folder)


POSTS = "posts.json"  # the training and validation posts (write_posts); kept off the Hub


def write_posts(folder: str | Path, prepared: PreparedModel, manifest: ModelManifest) -> None:
    """Write `posts.json` into `folder` and name it in `manifest.posts`: the model's distinct
    training posts (in first-seen order; the training text repeats them over epochs) and its
    validation posts, exactly the split it was trained and scored on, so that `murmur eval`
    never re-derives them from the raw cache (a refresh or --max-posts changes that). A refreshed
    version's `train` holds every post the bot has trained on in all its versions (the next
    refresh draws old posts from it: murmur.data.refresh_plan), its `validation` both sets it
    was scored on (the new posts' held-back part, then the previous version's)."""
    from murmur.core.generation import EOS

    train = list(dict.fromkeys(p for p in prepared.train_text.split(EOS) if p))
    if prepared.refresh is not None:
        train = list(prepared.refresh.trained_posts)
    validation = [p for p in prepared.val_text.split(EOS) if p]
    doc = {"handles": list(prepared.spec.handles), "train": train, "validation": validation}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / POSTS).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    manifest.posts = POSTS


def publish_folder(store: Store, name: str, folder: str | Path) -> str:
    """Make a complete folder `models/<name>` in the store, atomically; returns its path."""
    return store.publish_model(name, folder)
