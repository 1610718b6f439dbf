"""Raw log-probabilities: of a prompt's tokens (one forward pass) and of each generated token.

Both are the model's own log-softmax over its logits, before any temperature, top_p or minimum
length is applied: OpenAI's `logprobs` describe the model's distribution, not the sampler's. A
prompt's first token is scored given huggingtweets' `<|endoftext|>` prefix, which is context only
and never scored itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from murmur.serving.loading import LoadedModel

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


def score_prompt(lm: LoadedModel, ids: list[int], top: int) -> list[Pick]:
    """The raw logprob of each of `ids[1:]` given the ids before it, with the `top` most likely
    tokens at each position. `ids[0]` is the end-of-text prefix: context, not scored. One forward
    pass of len(ids) positions (at most n_positions, which the job's budget checked)."""
    if len(ids) < 2:
        return []
    with torch.inference_mode():
        inputs = torch.tensor([ids], device=lm.device)  # (1, L)
        logits = lm.model(input_ids=inputs).logits[0, :-1].float()  # (L-1, V)
        logprobs = logits.log_softmax(dim=-1)
        return picks_of(logprobs, inputs[0, 1:], top)


class RawLogprobs:
    """A logits processor, first of a `generate` call's: keeps the step's raw log-softmax (B, V).

    The processors after it change the scores (temperature, top_p, the draw), so the chosen
    token's logprob is read afterwards, when the streamer gets the step's tokens (`picks`).
    """

    def __init__(self, top: int) -> None:
        self.top = top
        self.last: torch.Tensor | None = None

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        self.last = scores.float().log_softmax(dim=-1)  # a new tensor: later edits miss it
        return scores

    def picks(self, tokens: torch.Tensor) -> list[Pick]:
        """Each row's logprob of its new token (B,) at the last step, and its top tokens."""
        assert self.last is not None, "picks before the first step"
        return picks_of(self.last, tokens.to(self.last.device), self.top)
