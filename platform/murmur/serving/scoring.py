"""Raw log-probabilities of a prompt's tokens and of each generated token (the engine's picks).

Both are the model's own log-softmax over its logits, before any temperature, top_p or minimum
length is applied: OpenAI's `logprobs` describe the model's distribution, not the sampler's. A
prompt's first token is scored given huggingtweets' `<|endoftext|>` prefix, which is context only
and never scored itself.
"""

from __future__ import annotations

import torch

Pick = tuple[float, list[tuple[int, float]]]  # a token's logprob; the top (id, logprob), best first
# JSON has no -Infinity: a token of probability 0 (or below float32's least) gets this instead.
LOGPROB_FLOOR = -9999.0


def picks_of(logprobs: torch.Tensor, chosen: torch.Tensor, top: int) -> list[Pick]:
    """(N, V) log-softmax rows and (N,) chosen ids -> each row's chosen logprob and top ids."""
    chosen_lp = logprobs.gather(1, chosen[:, None])[:, 0].clamp(min=LOGPROB_FLOOR).tolist()  # (N,)
    if top == 0:
        return [(lp, []) for lp in chosen_lp]
    values, ids = logprobs.topk(top, dim=-1)  # (N, top) each
    values = values.clamp(min=LOGPROB_FLOOR)
    return [
        (lp, list(zip(row_ids, row_values, strict=True)))
        for lp, row_ids, row_values in zip(chosen_lp, ids.tolist(), values.tolist(), strict=True)
    ]
