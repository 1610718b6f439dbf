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
from murmur.core.sampling import RowDraw, RowLimit, RowSampling, choice_seed, row_uniforms

BATCH = 32  # rows per generate call


@torch.inference_mode()
def generate_posts(
    model: Any, tokenizer: Any, eos_id: int, k: int, seed: int, max_positions: int
) -> list[str]:
    """`k` posts from `model` (see the module docstring); a post may come out "" (a bot that
    ends at once). Rows are batched BATCH at a time."""
    from transformers import LogitsProcessorList, StoppingCriteriaList

    max_new = min(MAX_LENGTH, max_positions) - 1  # the prompt is one token
    min_new = MIN_LENGTH - 1
    posts: list[str] = []
    for start in range(0, k, BATCH):
        rows = list(range(start, min(k, start + BATCH)))
        input_ids = torch.full((len(rows), 1), eos_id, dtype=torch.long)  # (B, 1)
        sampling = RowSampling(
            [TEMPERATURE] * len(rows),
            [TOP_P] * len(rows),
            [min_new] * len(rows),
            eos_id,
            1,
            input_ids.device,
        )
        seeds = [choice_seed(seed, i) for i in rows]
        draw = RowDraw(row_uniforms(seeds, [max_new] * len(rows), input_ids.device), 1)
        out = model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,  # RowDraw has sampled: greedy takes its one token
            temperature=None,
            top_p=None,
            top_k=None,
            min_length=0,
            max_length=1 + max_new,
            logits_processor=LogitsProcessorList([sampling, draw]),
            stopping_criteria=StoppingCriteriaList(
                [RowLimit([max_new] * len(rows), 1, input_ids.device)]
            ),
            pad_token_id=eos_id,
            eos_token_id=eos_id,
        )  # (B, 1 + new)
        for row in out[:, 1:]:
            posts.append(cut_generation(tokenizer.decode(row, skip_special_tokens=False)))
    return posts
