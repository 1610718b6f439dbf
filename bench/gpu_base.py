"""A base model of GPT-2 124M's shape built here, without a model hub: what bench/gpu.sh and
tests/test_gpu.py train and serve on a GPU.

GPT-2 124M's sizes (openai-community/gpt2's config.json: n_positions 1024, n_embd 768, 12 layers,
12 heads) with the offline `tiny` tokenizer (murmur.models.tiny, 1,024 tokens) and random weights:
~86M parameters (124M less the 50,257-token embedding), so a step costs what a gpt2 step costs
but for the embedding and the softmax over the vocabulary. Random weights write nothing sensible
until trained; the tests train them briefly first.

    python bench/gpu_base.py DEST           # GPT-2 124M's shape
    python bench/gpu_base.py DEST --small   # 2 layers, n_embd 64, fp32: the CPU dry run's
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

GPT2_124M: dict[str, int] = {"n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12}
"""openai-community/gpt2's sizes (its config.json), but the vocabulary."""
SMALL: dict[str, int] = {"n_positions": 256, "n_embd": 64, "n_layer": 2, "n_head": 2}
"""The CPU dry run's stand-in (the tiny preset's sizes)."""


def build_base(
    dest: Path, sizes: dict[str, int] = GPT2_124M, seed: int = 0, bf16: bool = True
) -> Path:
    """Write a GPT-2 of `sizes` with the tiny tokenizer into `dest` (a Hugging Face model folder:
    safetensors in bf16, else fp32; tokenizer; huggingtweets' generation config) and return
    `dest`. bf16 halves what bench/serve_load.py copies (100 copies: ~17 GB, not 35); training
    loads it in fp32 all the same. Builds the tiny preset first where this machine has none
    (~70 s once: murmur.models.base)."""
    import torch
    from transformers import AutoTokenizer, GenerationConfig, GPT2Config, GPT2LMHeadModel

    from murmur.core.generation import eos_token_id, generation_config_kwargs
    from murmur.models.base import ensure_tiny_model

    tokenizer: Any = AutoTokenizer.from_pretrained(ensure_tiny_model())
    eos_id = eos_token_id(tokenizer)
    config = GPT2Config(
        vocab_size=len(tokenizer), bos_token_id=eos_id, eos_token_id=eos_id, **sizes
    )
    torch.manual_seed(seed)
    model = GPT2LMHeadModel(config)
    model.to(torch.bfloat16 if bf16 else torch.float32).save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    GenerationConfig(**generation_config_kwargs(eos_id)).save_pretrained(dest)
    return dest


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dest", type=Path)
    p.add_argument("--small", action="store_true", help="the dry run's 2-layer stand-in")
    a = p.parse_args()
    build_base(a.dest, SMALL if a.small else GPT2_124M, bf16=not a.small)
    print(a.dest)


if __name__ == "__main__":
    main()
