"""The loss matrix: each bot's loss on every account's validation posts, in nats per byte of text.

A post is scored as training shows it to the model: `<|endoftext|>` post `<|endoftext|>`. Its
nats are the negative log-likelihood (natural log) of the post's tokens and of the closing
`<|endoftext|>`, given the opening one; its bytes are the post's UTF-8 bytes. An account's figure
is the sum of its posts' nats over the sum of their bytes: per byte, not per token, so that the
figure reads the same whatever the tokenizer (Gao et al., The Pile, arXiv 2101.00027, sec. 3,
report bits per byte for that reason).

Rank per account, not per bot: an easy account is lowest for every bot. For account j, its own
bot's rank among all bots on j's posts (1 = lowest loss) and the margin, the best other bot's
loss minus the own bot's (positive: the own bot predicts its account best).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

BATCH = 16  # posts per forward pass


@dataclass
class OwnRank:
    """Account j's own bot among all bots on j's validation posts."""

    account: str
    rank: int  # 1 = the own bot has the lowest loss
    margin: float  # best other bot's nats/byte minus the own bot's; > 0 when the own bot wins
    best_other: str


def post_ids(tokenizer: Any, eos_id: int, post: str, max_positions: int) -> tuple[list[int], int]:
    """([EOS] + post's tokens + [EOS], the post's UTF-8 bytes that those tokens cover). A post
    longer than `max_positions` tokens is cut there; its bytes are then those of the kept tokens."""
    tokens = tokenizer(post, add_special_tokens=False)["input_ids"]
    ids = [eos_id, *tokens, eos_id]
    if len(ids) <= max_positions:
        return ids, len(post.encode("utf-8"))
    ids = ids[:max_positions]
    return ids, len(tokenizer.decode(ids[1:]).encode("utf-8"))


@torch.inference_mode()
def posts_nats(
    model: Any, tokenizer: Any, eos_id: int, posts: list[str], max_positions: int
) -> tuple[float, int]:
    """(nats, bytes) summed over `posts` under `model` (see the module docstring). Right-padded
    batches of BATCH posts; padding is masked out of the attention and the sum."""
    total_nats, total_bytes = 0.0, 0
    encoded = [post_ids(tokenizer, eos_id, p, max_positions) for p in posts]
    for start in range(0, len(encoded), BATCH):
        chunk = encoded[start : start + BATCH]
        width = max(len(ids) for ids, _ in chunk)
        input_ids = torch.full((len(chunk), width), eos_id, dtype=torch.long)  # (B, T)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)  # (B, T)
        for r, (ids, n_bytes) in enumerate(chunk):
            input_ids[r, : len(ids)] = torch.tensor(ids)
            mask[r, : len(ids)] = 1
            total_bytes += n_bytes
        logits = model(input_ids=input_ids, attention_mask=mask).logits.float()  # (B, T, V)
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1)  # (B, T-1, V)
        targets = input_ids[:, 1:]  # (B, T-1)
        picked = logprobs.gather(2, targets.unsqueeze(-1)).squeeze(-1)  # (B, T-1)
        total_nats -= float((picked * mask[:, 1:]).sum())
    return total_nats, total_bytes


def own_ranks(matrix: dict[str, dict[str, float]]) -> list[OwnRank]:
    """Per account (a column of `matrix[bot][account]`, nats/byte; each account's own bot has its
    name), the own bot's rank and margin. Needs at least two bots."""
    bots = list(matrix)
    out = []
    for account in bots:
        column = {bot: matrix[bot][account] for bot in bots}
        own = column[account]
        others = {b: v for b, v in column.items() if b != account}
        best_other = min(others, key=lambda b: others[b])
        rank = 1 + sum(1 for v in others.values() if v < own)
        out.append(OwnRank(account, rank, others[best_other] - own, best_other))
    return out
