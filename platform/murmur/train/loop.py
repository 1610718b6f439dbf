"""One model's data and steps: tokenize its texts, pack them into blocks, plan the steps, run them,
and score the validation blocks.

Blocks follow HF's `group_texts` (which huggingtweets used): consecutive, fixed size, in a seeded
random order (HF Trainer's seeded sampler), seeded by the model's own seed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from murmur.core.errors import ConfigError, DataError
from murmur.train.collectives import ModelGroup
from murmur.train.config import TrainConfig

if TYPE_CHECKING:
    import torch

    from murmur.data.prepare import PreparedModel

# Called at each log interval, on every rank: (step, mean loss, lr, tokens/s).
StepLogFn = Callable[[int, float, float, float], None]


def tokenize(tokenizer: Any, text: str) -> list[int]:
    """Token ids of a training or validation text (`<|endoftext|>` is one token).

    The text is 4 epochs of the same tweets joined by `<|endoftext|>`, which the tokenizer splits
    out before anything else, so each distinct tweet is encoded once, in one batch, and the ids
    reassembled: the same ids as encoding the whole text, ~30x faster (2.9 s -> 0.1 s for 1 MB).
    """
    from murmur.core.generation import EOS, eos_token_id

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


def pack_blocks(ids: Sequence[int], block_size: int, *, keep_remainder: bool) -> list[list[int]]:
    """Cut a token stream into consecutive blocks of `block_size`.

    Training drops the last partial block (as HF's `group_texts`, which huggingtweets used): every
    micro-batch then has one shape, with no padding to mask. Validation keeps it as a shorter
    last block, so that every held-out token is scored (`evaluate` weights blocks by tokens).
    A stream shorter than one block gives one short block either way, so a small account still
    trains; under 2 tokens there is nothing to predict and nothing is returned.
    Raises ConfigError for a block size under 2.
    """
    if block_size < 2:
        raise ConfigError(f"block size {block_size} is too small: at least 2 tokens")
    blocks = [list(ids[i : i + block_size]) for i in range(0, len(ids), block_size)]
    if not keep_remainder and len(blocks) > 1 and len(blocks[-1]) < block_size:
        blocks.pop()
    return [b for b in blocks if len(b) >= 2]


def plan_steps(n_blocks: int, micro_batch: int, grad_accum: int) -> tuple[int, int]:
    """(optimizer steps, blocks used) for one pass over `n_blocks`.

    A step takes micro_batch x grad_accum blocks (the global batch), however many ranks share
    it; the few left over (fewer than one step's worth) are dropped. For an account of 254
    blocks: 254 steps at huggingtweets' batch 1, 31 at the fast recipe's 8.
    """
    per_step = micro_batch * grad_accum
    steps = n_blocks // per_step
    return steps, steps * per_step


@dataclass
class Data:
    """One model's data, ready for the steps."""

    train: torch.Tensor  # (n_blocks, block_size), in the model's seeded random order
    val: list[list[int]]  # validation blocks, the last one maybe shorter
    steps: int  # optimizer steps to take
    tokens: int  # tokens trained, all ranks together
    seed: int  # the model's own seed: its block order, and each micro-batch's dropout


def load_data(
    prepared: PreparedModel, tokenizer: Any, block_size: int, config: TrainConfig
) -> Data:
    """Tokenize and pack a prepared model's texts; order its blocks by the model's seed.
    Raises DataError when there is nothing to score or less than one step of blocks."""
    import torch

    train_ids = tokenize(tokenizer, prepared.train_text)
    val_ids = tokenize(tokenizer, prepared.val_text)
    train_blocks = pack_blocks(train_ids, block_size, keep_remainder=False)
    val_blocks = pack_blocks(val_ids, block_size, keep_remainder=True)
    if not val_blocks:
        raise DataError(
            f"{prepared.name}: the validation text has {len(val_ids)} tokens, too few to score: "
            "add tweets or combine the account with another (a+b)"
        )
    steps, used = plan_steps(len(train_blocks), config.micro_batch, config.grad_accum)
    if steps == 0:
        raise DataError(
            f"{prepared.name}: {len(train_ids):,} training tokens make {len(train_blocks)} blocks "
            f"of {block_size}, fewer than one step of {config.micro_batch} x "
            f"{config.grad_accum}: use --recipe huggingtweets (1 block a step) or lower "
            "--block-size"
        )
    if config.max_steps:  # the schedule then decays over the capped steps, as HF's max_steps
        steps = min(steps, config.max_steps)
        used = steps * config.global_batch
    order = list(range(len(train_blocks)))
    random.Random(f"blocks:{prepared.seed}").shuffle(order)
    ordered = torch.tensor([train_blocks[i] for i in order[:used]], dtype=torch.long)
    return Data(ordered, val_blocks, steps, used * ordered.shape[1], prepared.seed)


def train_steps(
    engine: Any, data: Data, config: TrainConfig, group: ModelGroup, on_log: StepLogFn
) -> float:
    """One pass over the blocks, this rank's share of each step: of a step's grad_accum
    micro-batches, group rank r of K runs r, r + K, r + 2K, ... Each micro-batch's dropout is
    seeded from the model's seed, the step and the micro-batch's place in the step, so that the
    model trains the same however many ranks share the step. Calls `on_log` every
    `config.log_every` steps and at the last. Returns the seconds spent in steps (synchronised)."""
    import torch

    micro, accum, ranks = config.micro_batch, config.accum_per_rank, group.size
    block = data.train.shape[1]
    per_step = config.global_batch
    engine.train()
    running = torch.zeros((), device=engine.device)
    since_log, t_log = 0, time.perf_counter()
    t_start = t_log
    for step in range(1, data.steps + 1):
        for m in range(accum):
            index = m * ranks + group.rank  # this micro-batch's place in the step
            torch.manual_seed(_micro_batch_seed(data.seed, step, index))
            first = (step - 1) * per_step + index * micro
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
            on_log(step, mean_loss, float(engine.get_lr()[0]), tok_s)
            running.zero_()
            since_log, t_log = 0, time.perf_counter()
    return time.perf_counter() - t_start


def _micro_batch_seed(seed: int, step: int, index: int) -> int:
    """A 63-bit seed for one micro-batch of a model's step (torch.manual_seed takes it)."""
    return (seed * 1_000_003 + step * 4_099 + index) % (1 << 63)


def evaluate(engine: Any, blocks: list[list[int]], micro_batch: int) -> float:
    """Mean loss per predicted token over `blocks` (each block predicts its len-1 last tokens).

    Every rank evaluates every block: the validation text is small next to the training text,
    and under ZeRO-3 all ranks must run the same forward passes anyway. Raises DataError when
    there is no token to score.
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
            ids = torch.tensor(batch, dtype=torch.long, device=engine.device)  # (B, T)
            loss = engine(input_ids=ids, labels=ids).loss
            n = ids.shape[0] * (ids.shape[1] - 1)
            total += float(loss.float().item()) * n
            count += n
    engine.train()
    if count == 0:
        raise DataError("no validation tokens to score")
    return total / count


def text_loss(model: Any, tokenizer: Any, text: str, block_size: int, batch: int = 8) -> float:
    """Mean loss per predicted token of `text` (a validation text: tweets joined by
    `<|endoftext|>`) under `model`, scored as training scores validation: blocks of `block_size`,
    the last one shorter, weighted by tokens. `model` is any causal LM (a published folder loaded
    by `AutoModelForCausalLM.from_pretrained`, a LoRA bot's too when peft is installed).
    Raises DataError when the text has no token to score."""
    blocks = pack_blocks(tokenize(tokenizer, text), block_size, keep_remainder=True)
    loss = evaluate(model, blocks, batch)
    model.eval()  # evaluate leaves a model training (an engine's mode); a loaded one infers
    return loss
