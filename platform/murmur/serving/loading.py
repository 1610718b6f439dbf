"""A published model in a replica's memory: `load_model` reads a full model from the store,
`load_folder` any model folder (a LoRA bot's base, murmur.serving.adapters)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from murmur.core.errors import ServingError
from murmur.core.generation import EOS, MAX_LENGTH, context_length, eos_token_id
from murmur.core.store import Store

if TYPE_CHECKING:
    from murmur.serving.lora_pool import LoraPool

log = logging.getLogger(__name__)
# One load at a time in a process: transformers builds a model on the meta device first, and two
# loads in two threads (a replica's full model and a LoRA base) left one of them on it ("Cannot
# copy out of meta tensor", measured with transformers 5.24).
_LOADING = threading.Lock()


@dataclass
class LoadedModel:
    """A published model in memory, ready to generate."""

    name: str
    version: str
    model: Any  # a transformers PreTrainedModel
    tokenizer: Any
    device: torch.device
    max_positions: int  # the longest sequence the model takes, prompt included (n_positions)
    vocab_size: int  # token ids below this are the bot's vocabulary (its tokenizer's and model's)
    eos_id: int
    load_seconds: float
    # A LoRA bot: the base's model, tokenizer and limits, with its adapter in `slot` of `lora`
    # (murmur.serving.lora_pool); bots of one base share `model` and so share generate calls.
    lora: LoraPool | None = None
    slot: int = 0


def resolve_dtype(dtype: str, device: torch.device) -> torch.dtype:
    """`auto`: bf16 (or fp16 where bf16 is missing) on a GPU, fp32 on the CPU."""
    if dtype == "auto":
        if device.type != "cuda":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    table = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
    if dtype not in table:
        raise ServingError(f"unknown dtype {dtype!r}: use auto, float32, float16 or bfloat16")
    return table[dtype]


def load_model(
    store: Store, name: str, version: str = "", device: str = "cpu", dtype: str = "auto"
) -> LoadedModel:
    """Load `version` of a published model from the store (its current one where `version` is
    ""): the version in the model id, copied to this node once (`Store.download_version`, hash
    checked). Raises ModelNotFoundError if that version is not in the store (deleted, or replaced
    and collected), ServingError if its folder cannot be loaded.
    """
    version = version or store.resolve_version(name)
    folder = str(store.download_version(name, version))
    return load_folder(folder, name, version, device, dtype, store.uri)


def load_folder(
    path: str,
    name: str,
    version: str = "",
    device: str = "cpu",
    dtype: str = "auto",
    where: str = "",
) -> LoadedModel:
    """Load a Hugging Face causal LM folder (or cached hub id) as `name`, ready to generate.

    Raises ServingError (naming `name` and `where` it came from) if it cannot be loaded.
    """
    start = time.perf_counter()
    torch_device = torch.device(device)
    try:  # typed Any: transformers' hints are looser than what a causal LM folder gives
        with _LOADING:
            tokenizer: Any = AutoTokenizer.from_pretrained(path)
            model: Any = AutoModelForCausalLM.from_pretrained(
                path, dtype=resolve_dtype(dtype, torch_device)
            )
            model = model.to(torch_device)
    except Exception as e:  # whatever a damaged folder raises, say which model it was
        raise ServingError(f"model {name!r} in {where or path} could not be loaded: {e}") from e
    model = model.eval()
    tokenizer.padding_side = "left"  # generation continues every row at the same position
    eos_id = eos_token_id(tokenizer)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = EOS
    max_positions = context_length(model.config) or MAX_LENGTH
    vocab_size = min(len(tokenizer), model.get_input_embeddings().num_embeddings)
    seconds = time.perf_counter() - start
    log.debug("loaded %s (%s) on %s in %.2f s", name, version or "-", device, seconds)
    return LoadedModel(
        name, version, model, tokenizer, torch_device, max_positions, vocab_size, eos_id, seconds
    )
