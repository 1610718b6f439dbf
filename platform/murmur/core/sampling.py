"""Each row of a batch sampled with its own settings and its own random stream.

The functions are the API (the serving engine and training's W&B predictions call them):
`choice_seed` (a choice's stream from a request's seed), `row_uniforms` (each row's numbers),
`warp_rows` (each row's minimum length, temperature, top_k, top_p), `draw_rows` (each row's
token from its number) and `sample_rows` (both at once: the engine's). `RowSampling`,
`RowDraw` and `RowLimit` wrap them as transformers logits processors and a stopping criterion,
for HF `generate` calls.

Rows of one call may differ in temperature, top_p and token limits: `RowSampling` applies each
row's minimum length, temperature and top_p to the scores (as transformers' warpers would, row by
row), `RowDraw` then picks each row's token, and `RowLimit` stops each row at its own maximum.

Why `RowDraw`: transformers' sampling draws every row from one global random stream, so a row's
text would depend on what else shared its call. Instead each row gets its own `torch.Generator`,
seeded from the request's seed and the choice's index (from fresh entropy for a request without a
seed), from which it draws one uniform number per token up front. At each step `RowDraw` picks
the token whose cumulative probability (in token order) first passes the row's number
(inverse-CDF sampling) and returns scores that are 0 for that token and -inf elsewhere, so
`generate` runs greedy (`do_sample=False`) and its argmax takes exactly the drawn token. A row's
tokens then depend only on its prompt, settings, seed and the model's logits. The kernels a batch
shape picks can change a row's logits in their last bits (1.5e-7 was seen on the CPU in fp32);
a draw in token order then moves only where its number lies that close to a boundary of the CDF,
so the same seed gives the same text in any batch but for such rare draws
(tests/test_sampling.py measures it).
"""

from __future__ import annotations

import hashlib
import math
import secrets

import numpy as np
import torch

_SEED_BITS = 63


def choice_seed(seed: int | None, choice: int) -> int:
    """The random stream of choice `choice` of a request: derived from its seed, else fresh."""
    if seed is None:
        return secrets.randbits(_SEED_BITS)
    digest = hashlib.sha256(f"murmur-choice:{seed}:{choice}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _SEED_BITS)


def row_uniforms(seeds: list[int], steps: list[int], device: torch.device) -> torch.Tensor:
    """(B, max(steps)) float64: row r's first `steps[r]` numbers from its own generator."""
    width = max(steps, default=0)
    uniforms = torch.zeros(len(seeds), max(width, 1), dtype=torch.float64)
    for r, (seed, count) in enumerate(zip(seeds, steps, strict=True)):
        generator = torch.Generator().manual_seed(seed)
        uniforms[r, :count] = torch.rand(count, generator=generator, dtype=torch.float64)
    return uniforms.to(device)


def warp_rows(
    scores: torch.Tensor,
    temperature: torch.Tensor,
    top_p: torch.Tensor | None,
    greedy: torch.Tensor | None,
    too_short: torch.Tensor,
    eos_id: int,
    top_k: torch.Tensor | None = None,
) -> torch.Tensor:
    """Each row's scores (B, V) after its minimum length, temperature, top_k and top_p, as
    transformers' warpers would do them row by row, in its order (MinNewTokensLength,
    Temperature, TopK, TopP: generation/utils.py `_get_logits_processor`).

    `temperature` (B,): rows that are greedy must hold 1 there and True in `greedy` (B,) (None:
    no row is greedy); `top_p` (B,) or None (every row 1); `too_short` (B,) bool: end-of-text
    (`eos_id`) is masked; `top_k` (B,) long or None: 0 keeps every token. A greedy row keeps its
    best token only. Returns new scores; `scores` may be changed in place.
    """
    scores = _warped(scores, temperature, top_p, too_short, eos_id, top_k)
    if greedy is not None:
        best = scores.argmax(dim=-1, keepdim=True)  # (B, 1)
        only_best = torch.full_like(scores, -math.inf).scatter(1, best, 0.0)
        scores = torch.where(greedy[:, None], only_best, scores)
    return scores


def draw_rows(scores: torch.Tensor, uniforms: torch.Tensor) -> torch.Tensor:
    """(B,) long: each row's token drawn by inverse CDF from its warped `scores` (B, V) with its
    own number `uniforms` (B,) float64 in [0, 1) (see the module's doc). The CDF runs in token
    order, so a change in the last bits of the logits (another batch's kernels) moves a draw only
    when its number lies within that change of a boundary (tests/test_sampling.py); a CDF over
    sorted scores would reorder two near-equal tokens, and swap which of them is drawn."""
    probs = scores.float().softmax(dim=-1).double()  # (B, V)
    cdf = probs.cumsum(dim=-1)  # (B, V)
    target = uniforms[:, None] * cdf[:, -1:]  # (B, 1), below the total
    token = torch.searchsorted(cdf, target, right=True).clamp_(max=probs.shape[1] - 1)
    # Rounding at the very top can land on a token of probability 0: take the best instead.
    token = torch.where(probs.gather(1, token) > 0, token, probs.argmax(dim=-1, keepdim=True))
    return token[:, 0]


def sample_rows(
    scores: torch.Tensor,
    temperature: torch.Tensor,
    top_p: torch.Tensor | None,
    greedy: torch.Tensor | None,
    too_short: torch.Tensor,
    eos_id: int,
    uniforms: torch.Tensor,
    top_k: torch.Tensor | None = None,
) -> torch.Tensor:
    """(B,) long: `draw_rows(warp_rows(scores, ...), uniforms)`, the same token for every row,
    with no (B, V) mask built for greedy rows: the serving engine's sampling step. Arguments as
    `warp_rows` and `draw_rows`; `scores` may be changed in place. tests/test_sampling.py checks
    the equality on random rows."""
    scores = _warped(scores, temperature, top_p, too_short, eos_id, top_k)
    token = draw_rows(scores, uniforms)
    if greedy is not None:  # the best token (the first of equals, as argmax after warp_rows)
        token = torch.where(greedy, scores.argmax(dim=-1), token)
    return token


def _warped(
    scores: torch.Tensor,
    temperature: torch.Tensor,
    top_p: torch.Tensor | None,
    too_short: torch.Tensor,
    eos_id: int,
    top_k: torch.Tensor | None,
) -> torch.Tensor:
    """transformers' warpers in their order (MinNewTokensLength, Temperature, TopK, TopP) over
    one sort of the values: (B, V) scores in token order, the dropped ones -inf. Each of top_k
    and top_p keeps the tokens scoring at least a floor, found in the ascending sort: the k-th
    best score (ties at it stay, as in TopKLogitsWarper), and the lowest score the nucleus keeps
    (ties at it stay too; TopPLogitsWarper's own sort splits them arbitrarily). A floor is a
    value, so it does not depend on how the sort orders near-equal scores."""
    if bool(too_short.any()):
        scores[too_short, eos_id] = -math.inf
    scores = scores / temperature[:, None]  # (B, V)
    if top_k is None and top_p is None:
        return scores
    vocab = scores.shape[1]
    sorted_scores = ascending(scores)  # (B, V)
    floor = torch.full_like(scores[:, :1], -math.inf)  # (B, 1)
    if top_k is not None:
        k = top_k.clamp(max=vocab)  # (B,)
        kth = sorted_scores.gather(1, (vocab - k).clamp(max=vocab - 1)[:, None])  # (B, 1)
        floor = torch.where(k[:, None] > 0, kth, floor)
        sorted_scores = sorted_scores.masked_fill(sorted_scores < floor, -math.inf)
    if top_p is not None:
        dropped = _nucleus_drop(sorted_scores, top_p).sum(dim=-1, keepdim=True)  # (B, 1): a prefix
        floor = torch.maximum(floor, sorted_scores.gather(1, dropped))
    return scores.masked_fill(scores < floor, -math.inf)


def ascending(scores: torch.Tensor) -> torch.Tensor:
    """The values of each row of `scores` (B, V) sorted ascending (B, V), NaN last as in
    torch.sort. On the CPU NumPy sorts them: torch.sort took 11-14x as long there for 64 rows of
    1,024 or 50,257 scores (measured: bench/sort_values.py, bench/results/sort_values-*.json)."""
    if scores.device.type != "cpu" or scores.dtype == torch.bfloat16:  # NumPy has no bf16
        return torch.sort(scores, dim=-1).values
    return torch.from_numpy(np.sort(scores.detach().contiguous().numpy(), axis=-1))


def _nucleus_drop(sorted_scores: torch.Tensor, top_p: torch.Tensor) -> torch.Tensor:
    """(B, V) bool over scores sorted ascending: transformers' TopPLogitsWarper, row by row,
    drops the least likely tokens whose probabilities sum to at most 1 - top_p (B,); the most
    likely token always stays (generation/logits_process.py). The cumulative sum only grows, so
    the dropped tokens are a prefix of the sort."""
    cumulative = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
    drop = cumulative <= (1 - top_p[:, None])
    drop[:, -1] = False
    return drop


class RowSampling:
    """A logits processor applying each row's own minimum length, temperature and top_p.

    Rows with temperature 0 are greedy: every token but the best is masked, so the draw that
    follows picks the best.
    """

    def __init__(
        self,
        temperature: list[float],
        top_p: list[float],
        min_new: list[int],
        eos_id: int,
        prompt_len: int,
        device: torch.device,
    ) -> None:
        t = torch.tensor(temperature, dtype=torch.float32, device=device)
        self.greedy = t == 0
        self.any_greedy = bool(self.greedy.any())
        self.temperature = torch.where(self.greedy, torch.ones_like(t), t)[:, None]  # (B, 1)
        self.top_p = torch.tensor(top_p, dtype=torch.float32, device=device)[:, None]  # (B, 1)
        self.any_top_p = bool((self.top_p < 1).any())
        self.min_new = torch.tensor(min_new, device=device)  # (B,)
        self.eos_id = eos_id
        self.prompt_len = prompt_len

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        generated = input_ids.shape[1] - self.prompt_len
        too_short = self.min_new > generated  # (B,)
        greedy = self.greedy if self.any_greedy else None
        top_p = self.top_p[:, 0] if self.any_top_p else None
        return warp_rows(scores, self.temperature[:, 0], top_p, greedy, too_short, self.eos_id)


class RowDraw:
    """A logits processor drawing each row's token from its own numbers (see the module's doc).

    `uniforms` (B, S): row r's number for its k-th new token is `uniforms[r, k]`. Returns (B, V)
    scores of 0 for the drawn token and -inf elsewhere, for `generate(do_sample=False)`.
    """

    def __init__(self, uniforms: torch.Tensor, prompt_len: int) -> None:
        self.uniforms = uniforms
        self.prompt_len = prompt_len

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        step = min(input_ids.shape[1] - self.prompt_len, self.uniforms.shape[1] - 1)
        token = draw_rows(scores, self.uniforms[:, step])[:, None]  # (B, 1)
        return torch.full_like(scores, -math.inf).scatter_(1, token, 0.0)


class RowLimit:
    """A stopping criterion: each row stops after its own number of new tokens."""

    def __init__(self, max_new: list[int], prompt_len: int, device: torch.device) -> None:
        self.max_new = torch.tensor(max_new, device=device)  # (B,)
        self.prompt_len = prompt_len

    def __call__(self, input_ids: torch.Tensor, scores: object, **kwargs: object) -> torch.Tensor:
        return self.max_new <= input_ids.shape[1] - self.prompt_len  # (B,) bool


def generate_seeded(
    model: object,
    input_ids: torch.Tensor,
    seeds: list[int],
    max_new: int,
    min_new: int,
    eos_id: int,
    temperature: float,
    top_p: float,
    top_k: int | None = None,
) -> torch.Tensor:
    """HF `generate` on `input_ids` (B, T) of one prompt length, row r drawing from its own
    stream `seeds[r]` (RowSampling, RowDraw, RowLimit above) with `temperature`, `top_p` and, where
    given, transformers' `top_k` warper first: at least `min_new` and at most `max_new` new tokens
    a row. Returns (B, T + new) token ids; rows that end early are padded with `eos_id`."""
    from transformers import LogitsProcessorList, StoppingCriteriaList, TopKLogitsWarper

    rows, prompt_len = input_ids.shape
    device = input_ids.device
    warp = RowSampling([temperature] * rows, [top_p] * rows, [min_new] * rows, eos_id, prompt_len, device)  # fmt: skip
    draw = RowDraw(row_uniforms(seeds, [max_new] * rows, device), prompt_len)
    processors = [warp, draw] if top_k is None else [TopKLogitsWarper(top_k), warp, draw]
    with torch.inference_mode():
        out: torch.Tensor = model.generate(  # type: ignore[attr-defined]
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,  # RowDraw has sampled: greedy takes its one token
            temperature=None,
            top_p=None,
            top_k=None,
            min_length=0,
            max_length=prompt_len + max_new,
            logits_processor=LogitsProcessorList(processors),
            stopping_criteria=StoppingCriteriaList(
                [RowLimit([max_new] * rows, prompt_len, device)]
            ),
            pad_token_id=eos_id,
            eos_token_id=eos_id,
        )
    return out
