"""Base models: any causal LM that transformers loads, and the offline `tiny` preset.

`tiny` is a small GPT-2 built locally from a seeded config and a byte-level BPE tokenizer trained
locally on the bundled sample tweets, with `<|endoftext|>` as its end-of-text token, so that tests
and the offline demo need no model hub. Built once per machine into a cache folder; the same seed
and corpus give the same model on every node.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from murmur.generation import EOS

TINY = "tiny"
TINY_VERSION = "2"  # bump when the tiny recipe changes, so caches rebuild
TINY_CONFIG: dict[str, Any] = {
    "n_positions": 256,
    "n_embd": 64,
    "n_layer": 2,
    "n_head": 2,
    "n_inner": 256,
}
TINY_VOCAB_SIZE = 2048
TINY_SEED = 0
# huggingtweets' lr (1.372e-4) fine-tunes a *pre-trained* GPT-2; the tiny preset starts from random
# weights and needs a larger step to learn anything in one pass (sample_baker's validation loss:
# 7.03 -> 6.05 at 1.372e-4, 7.03 -> 1.30 at 3e-3). Used when --lr is not given.
TINY_LR = 3e-3


def cache_dir() -> Path:
    return Path(os.environ.get("MURMUR_CACHE", Path.home() / ".cache" / "murmur"))


def resolve_base_model(name: str) -> str:
    """A name or path that `from_pretrained` loads: `tiny` is built locally, the rest pass through."""
    if name == TINY:
        return str(ensure_tiny_model())
    return name


def _tiny_corpus() -> list[str]:
    """Text to train the tiny tokenizer: the bundled sample tweets plus common English words."""
    from murmur.samples import sample_corpus

    return sample_corpus()


def ensure_tiny_model(dest: Path | None = None) -> Path:
    """Build the tiny GPT-2 (tokenizer + seeded random weights) unless it is already there."""
    dest = dest or cache_dir() / "base" / f"tiny-v{TINY_VERSION}"
    if (dest / "config.json").exists() and (dest / "model.safetensors").exists():
        return dest
    import torch  # noqa: I001  (one name per line below, for the type-ignore)
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel
    from transformers import GPT2TokenizerFast  # type: ignore[attr-defined]  # (v5: an alias)

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        _tiny_corpus(), vocab_size=TINY_VOCAB_SIZE, min_frequency=2, special_tokens=[EOS]
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        tokenizer = GPT2TokenizerFast(
            tokenizer_object=bpe._tokenizer,
            bos_token=EOS,
            eos_token=EOS,
            unk_token=EOS,
            model_max_length=TINY_CONFIG["n_positions"],
        )
        eos_id = tokenizer.convert_tokens_to_ids(EOS)
        config = GPT2Config(
            vocab_size=len(tokenizer), bos_token_id=eos_id, eos_token_id=eos_id, **TINY_CONFIG
        )
        torch.manual_seed(TINY_SEED)
        model = GPT2LMHeadModel(config)
        out = Path(tmp) / "model"
        model.save_pretrained(out, safe_serialization=True)
        tokenizer.save_pretrained(out)
        try:
            os.replace(out, dest)  # atomic: concurrent builders race harmlessly
        except OSError:
            if not (dest / "config.json").exists():
                raise
    return dest
