"""The offline `tiny` base model: a small GPT-2 pre-trained locally on generated English-like text.

Tests, the offline demo and the benchmarks on a machine without a model hub need a base model that
already writes English, so that fine-tuning it behaves like fine-tuning GPT-2 (huggingtweets'
learning rate, the default recipe) rather than training from scratch. `build_tiny` makes one:

1. text: documents of `murmur.models.corpus` (a seeded grammar, disjoint from the synthetic
   accounts), joined by `<|endoftext|>` as tweets are;
2. a byte-level BPE tokenizer of `TINY_VOCAB_SIZE` tokens trained on the first `TOKENIZER_DOCS`
   documents, `<|endoftext|>` its only special token;
3. a GPT-2 of `TINY_CONFIG` (2 layers, n_embd 64, n_positions 256: ~182K parameters), seeded,
   pre-trained with AdamW and a cosine schedule for `PRETRAIN_STEPS` steps of
   `PRETRAIN_MICRO_BATCH` blocks of 256 tokens (~1.2M tokens), on one CPU thread;
4. its loss on held-out documents (another seed), recorded in `murmur_base.json` in the folder.

On this 2-core machine the build takes ~70 s (one thread: a second one is no faster at this size,
and much slower when another process holds the other core); the figures are in the constants'
comments. `MURMUR_TINY_PRETRAIN_STEPS` overrides the step count for
quick builds in tests; such a build gets its own folder name, so it never passes for the preset.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from murmur.core.errors import ConfigError
from murmur.core.generation import EOS, eos_token_id
from murmur.models.corpus import CORPUS_SEED, iter_corpus

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

TINY = "tiny"
TINY_VERSION = 1  # bump when the recipe below changes: the folder name changes with it
TINY_CONFIG: dict[str, Any] = {
    "n_positions": 256,
    "n_embd": 64,
    "n_layer": 2,
    "n_head": 2,
    "n_inner": 256,
}
# 1,024 tokens rather than 2,048: an account's words, never seen in pre-training, then split into
# pieces the model has practised on (sample_baker's validation loss after fine-tuning: 3.34 at
# 1,024 with 35% made-up words, 4.78 at 2,048 with 20%; cheaper steps too).
TINY_VOCAB_SIZE = 1024
TINY_SEED = 0
TOKENIZER_DOCS = 40_000  # ~3 MB of text; training the tokenizer takes ~0.3 s
HELDOUT_DOCS = 2_000  # ~44K tokens from another seed: the held-out loss
# 600 steps x 8 blocks x 256 tokens = 1.23M tokens (~7 per parameter). On the 2-core machine the
# whole build takes ~67 CPU-seconds on one thread (~70 s with a free core; 85-105 s with both
# cores busy). Of the same tokens, 600 steps of 8 beat 300 of 16 (held-out 3.04 vs 3.18; after
# fine-tuning sample_baker 3.25 vs 3.34) and 1,200 of 4 (2.93, but 3.37 after fine-tuning).
PRETRAIN_STEPS = 600
PRETRAIN_MICRO_BATCH = 8
PRETRAIN_LR = 3e-3  # peak; 5% warmup, cosine to 10% (nanoGPT's shape). 6e-3: 3.00, but 3.75 after
PRETRAIN_WEIGHT_DECAY = 0.01
STEPS_ENV = "MURMUR_TINY_PRETRAIN_STEPS"
INFO_FILE = "murmur_base.json"
LOG_EVERY_S = 5.0


class TinyInfo(BaseModel):
    """How a tiny base was built: written as `murmur_base.json` in its folder. No timings, so that
    the same build on the same machine gives the same bytes (and the same content hash)."""

    preset: str = TINY
    version: int = TINY_VERSION
    steps: int
    """Pre-training steps, each `micro_batch` blocks of `block_size` tokens."""
    micro_batch: int = PRETRAIN_MICRO_BATCH
    block_size: int = int(TINY_CONFIG["n_positions"])
    lr: float = PRETRAIN_LR
    tokens: int
    """Tokens trained on: steps x micro_batch x block_size."""
    train_loss: float
    """Mean training loss over the last 10% of steps (nats per token)."""
    heldout_loss: float
    """Loss on `HELDOUT_DOCS` documents of another corpus seed (nats per token)."""
    corpus_seed: int = CORPUS_SEED
    seed: int = TINY_SEED


def pretrain_steps() -> int:
    """The step count to build with: `PRETRAIN_STEPS`, or `$MURMUR_TINY_PRETRAIN_STEPS` (a
    positive integer; for quick builds in tests). Raises ConfigError for any other value."""
    raw = os.environ.get(STEPS_ENV, "").strip()
    if not raw:
        return PRETRAIN_STEPS
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{STEPS_ENV}={raw!r}: must be a positive whole number, or unset")
    return int(raw)


def tiny_folder_name(steps: int) -> str:
    """`tiny-v1` for the preset; `tiny-v1-steps<N>` for a quick build with another step count."""
    name = f"{TINY}-v{TINY_VERSION}"
    return name if steps == PRETRAIN_STEPS else f"{name}-steps{steps}"


def build_tiny(dest: Path, steps: int = PRETRAIN_STEPS) -> TinyInfo:
    """Build the tiny base into the new folder `dest` (a standard Hugging Face model folder plus
    `murmur_base.json`); returns what was built. Uses one CPU thread and restores torch's thread
    count after. Not atomic: callers build in a temporary folder and rename it."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    start = time.monotonic()
    threads = torch.get_num_threads()
    # One thread: at this size two were no faster (~0.3 s a step of 16 blocks either way, on free
    # cores) and 4x slower while another process used the second core (1.2 vs 0.3 s).
    torch.set_num_threads(1)
    try:
        docs = iter_corpus(CORPUS_SEED)
        head = list(itertools.islice(docs, TOKENIZER_DOCS))
        tokenizer = _train_tokenizer(head)
        eos_id = eos_token_id(tokenizer)
        block, batch = int(TINY_CONFIG["n_positions"]), PRETRAIN_MICRO_BATCH
        data = _token_stream(tokenizer, itertools.chain(head, docs), steps * batch * block)
        heldout = _token_stream(tokenizer, iter_corpus(CORPUS_SEED + 1), 0, HELDOUT_DOCS)
        config = GPT2Config(
            vocab_size=len(tokenizer), bos_token_id=eos_id, eos_token_id=eos_id, **TINY_CONFIG
        )
        torch.manual_seed(TINY_SEED)
        model = GPT2LMHeadModel(config)
        train_loss = _pretrain(model, data.view(steps, batch, block), start)
        info = TinyInfo(
            steps=steps,
            micro_batch=batch,
            lr=PRETRAIN_LR,
            tokens=int(data.numel()),
            train_loss=round(train_loss, 4),
            heldout_loss=round(_heldout_loss(model, heldout, block), 4),
        )
        model.save_pretrained(dest, safe_serialization=True)
        tokenizer.save_pretrained(dest)
        (dest / INFO_FILE).write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
    finally:
        torch.set_num_threads(threads)
    log.info(
        "tiny base: built in %.0f s, held-out loss %.3f (%d steps, %d tokens) -> %s",
        time.monotonic() - start,
        info.heldout_loss,
        steps,
        info.tokens,
        dest,
    )
    return info


def _train_tokenizer(docs: list[str]) -> Any:
    """A byte-level BPE tokenizer (GPT-2's scheme) trained on `docs`; `<|endoftext|>` is its only
    special token and its bos, eos and unk token, as in GPT-2."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2TokenizerFast  # type: ignore[attr-defined]  # (v5: an alias)

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        docs, vocab_size=TINY_VOCAB_SIZE, min_frequency=2, special_tokens=[EOS], show_progress=False
    )
    return GPT2TokenizerFast(
        tokenizer_object=bpe._tokenizer,
        bos_token=EOS,
        eos_token=EOS,
        unk_token=EOS,
        model_max_length=TINY_CONFIG["n_positions"],
    )


def _token_stream(
    tokenizer: Any, docs: Iterator[str], n_tokens: int, n_docs: int | None = None
) -> torch.Tensor:
    """Documents joined by `<|endoftext|>` (and starting with it), as token ids: exactly
    `n_tokens` of them, or all of the next `n_docs` documents. Shape (n,), int64."""
    import torch

    eos_id = eos_token_id(tokenizer)
    ids: list[int] = [eos_id]
    taken = 0
    while (len(ids) < n_tokens) if n_docs is None else (taken < n_docs):
        chunk = list(itertools.islice(docs, 5_000 if n_docs is None else n_docs - taken))
        if not chunk:
            break
        taken += len(chunk)
        for doc_ids in tokenizer(chunk, add_special_tokens=False)["input_ids"]:
            ids.extend(doc_ids)
            ids.append(eos_id)
    return torch.tensor(ids[:n_tokens] if n_docs is None else ids, dtype=torch.long)


def lr_at(step: int, steps: int, peak: float) -> float:
    """Linear warmup over the first 5% of steps, then a cosine from `peak` to `peak / 10`."""
    warmup = max(1, steps // 20)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.45 * (1 + math.cos(math.pi * progress)))


def _pretrain(model: Any, batches: torch.Tensor, start: float) -> float:
    """Train on `batches` (steps, B, T) in order, one step each; logs a line every few seconds.
    Returns the mean loss of the last 10% of steps."""
    import torch

    steps = batches.shape[0]
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=PRETRAIN_LR, betas=(0.9, 0.95), weight_decay=PRETRAIN_WEIGHT_DECAY
    )
    model.train()
    losses: list[float] = []
    last_log = -math.inf
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, steps, PRETRAIN_LR)
        x = batches[step]  # (B, T)
        loss = model(input_ids=x, labels=x).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss.item()))
        now = time.monotonic()
        if now - last_log >= LOG_EVERY_S or step == steps - 1:
            last_log = now
            log.info(
                "tiny base: step %d/%d loss %.2f, %.0f s", step + 1, steps, losses[-1], now - start
            )
    tail = losses[-max(1, steps // 10) :]
    return sum(tail) / len(tail)


def _heldout_loss(model: Any, ids: torch.Tensor, block: int) -> float:
    """Mean loss per predicted token over `ids` cut into blocks of `block` (the partial last block
    dropped); nats per token."""
    import torch

    n = len(ids) // block
    blocks = ids[: n * block].view(n, block)  # (N, T)
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, n, PRETRAIN_MICRO_BATCH):
            x = blocks[i : i + PRETRAIN_MICRO_BATCH]
            total += float(model(input_ids=x, labels=x).loss) * len(x)
    model.train()
    return total / max(1, n)
