"""K posts from a bot with huggingtweets' sampling (murmur.core.generation) and a fixed seed.

Each post starts from `<|endoftext|>` alone (a post as the bot would begin one, no prompt words
to steer it), samples with top_p 0.95 and temperature 1.0, no top-k, at least MIN_LENGTH and at
most MAX_LENGTH tokens in all, and is cut at its first newline (`cut_generation`). Post i draws
from its own random stream, `choice_seed(seed, i)` (murmur.core.sampling): the same seed gives
the same posts whatever the batch.
"""

from __future__ import annotations

from typing import Any

import torch

from murmur.core.generation import MAX_LENGTH, MIN_LENGTH, TEMPERATURE, TOP_P, cut_generation
from murmur.core.sampling import choice_seed, generate_seeded

BATCH = 32  # rows per generate call


def generate_posts(
    model: Any, tokenizer: Any, eos_id: int, k: int, seed: int, max_positions: int
) -> list[str]:
    """`k` posts from `model` (see the module docstring); a post may come out "" (a bot that
    ends at once). Rows are batched BATCH at a time."""
    max_new = min(MAX_LENGTH, max_positions) - 1  # the prompt is one token
    posts: list[str] = []
    for start in range(0, k, BATCH):
        rows = list(range(start, min(k, start + BATCH)))
        input_ids = torch.full((len(rows), 1), eos_id, dtype=torch.long)  # (B, 1)
        seeds = [choice_seed(seed, i) for i in rows]
        out = generate_seeded(
            model, input_ids, seeds, max_new, MIN_LENGTH - 1, eos_id, TEMPERATURE, TOP_P
        )  # (B, 1 + new)
        for row in out[:, 1:]:
            posts.append(cut_generation(tokenizer.decode(row, skip_special_tokens=False)))
    return posts
