"""core/sampling.py: the engine's sampling (`sample_rows`) draws exactly the token that warping
then drawing (`warp_rows`, `draw_rows`: what HF `generate` runs through RowSampling and RowDraw)
draws, row by row, whatever each row's settings; no draw leaves the nucleus; and logits that
differ in their last bits (as one row's do in two batches) draw the same tokens."""

from __future__ import annotations

import math

import torch

from murmur.core.sampling import ascending, draw_rows, sample_rows, warp_rows

EOS = 3


def _rows(seed: int, rows: int = 64, vocab: int = 257) -> dict[str, torch.Tensor]:
    """Random logits (some tied) and per-row settings: temperatures, top_p (1 for some rows),
    top_k (0 for some), greedy rows and rows too short for end-of-text."""
    g = torch.Generator().manual_seed(seed)
    scores = torch.randn(rows, vocab, generator=g) * torch.rand(rows, 1, generator=g) * 6
    scores[::5, 10:20] = scores[::5, 10:11]  # ties
    greedy = torch.rand(rows, generator=g) < 0.15
    temperature = torch.where(greedy, 1.0, 0.2 + 1.6 * torch.rand(rows, generator=g))
    top_p = torch.where(torch.rand(rows, generator=g) < 0.2, 1.0, torch.rand(rows, generator=g))
    top_k = torch.randint(0, 80, (rows,), generator=g) * (torch.rand(rows, generator=g) < 0.5)
    return {
        "scores": scores,
        "temperature": temperature,
        "top_p": top_p,
        "greedy": greedy,
        "too_short": torch.rand(rows, generator=g) < 0.3,
        "top_k": top_k,
        "uniforms": torch.rand(rows, generator=g, dtype=torch.float64),
    }


def test_one_sort_draws_what_warp_then_draw_draws() -> None:
    for seed in range(20):
        r = _rows(seed)
        warped = warp_rows(
            r["scores"].clone(), r["temperature"], r["top_p"], r["greedy"], r["too_short"], EOS,
            r["top_k"],
        )  # fmt: skip
        expected = draw_rows(warped, r["uniforms"])
        got = sample_rows(
            r["scores"].clone(), r["temperature"], r["top_p"], r["greedy"], r["too_short"], EOS,
            r["uniforms"], r["top_k"],
        )  # fmt: skip
        assert torch.equal(got, expected), seed
        # Every draw is a token the warpers kept; greedy rows take their best; short rows no EOS.
        assert bool((warped.gather(1, got[:, None]) > -math.inf).all()), seed
        best = warped.argmax(dim=-1)
        assert torch.equal(got[r["greedy"]], best[r["greedy"]]), seed
        assert not bool((got[r["too_short"]] == EOS).any()), seed


def test_the_draws_follow_the_nucleus_probabilities() -> None:
    """One row drawn many times with evenly spread numbers: each kept token's share of draws is
    its renormalised probability (within 1/N), and dropped tokens are never drawn."""
    logits = torch.tensor([[2.0, 1.0, 0.5, 0.0, -1.0, -3.0]])
    draws = 4000
    uniforms = (torch.arange(draws, dtype=torch.float64) + 0.5) / draws
    tokens = sample_rows(
        logits.repeat(draws, 1), torch.ones(draws), torch.full((draws,), 0.8), None,
        torch.zeros(draws, dtype=torch.bool), EOS, uniforms,
    )  # fmt: skip
    probs = logits.softmax(dim=-1)[0]
    kept = [0, 1, 2]  # 0.52 + 0.19 + 0.12 >= 0.8: token 3 and below are dropped
    share = torch.bincount(tokens, minlength=6).double() / draws
    assert share[3:].sum() == 0
    expected = probs[kept] / probs[kept].sum()
    assert torch.allclose(share[kept], expected.double(), atol=2 / draws)


def test_a_last_bit_change_of_the_logits_moves_no_draw() -> None:
    """One row's logits in two batches can differ in their last bits (the kernels a batch shape
    picks): found by test_serve_batching's property test, where a 1.5e-7 change flipped a seeded
    draw. Here every row holds pairs of near-equal scores (1e-6 apart), and a change of up to
    1e-6 reorders many pairs: a draw over a sorted order would then often swap the pair's tokens.
    In token order, a draw moves only if its number lies within ~1e-6 of a boundary, or where
    the nudge moves the edge of the nucleus."""
    g = torch.Generator().manual_seed(7)
    rows, vocab = 4000, 64
    scores = torch.randn(rows, vocab, generator=g, dtype=torch.float64)
    scores[:, 1::2] = scores[:, 0::2] + 1e-6  # near-ties
    nudged = scores + (torch.rand(rows, vocab, generator=g, dtype=torch.float64) - 0.5) * 2e-6
    uniforms = torch.rand(rows, generator=g, dtype=torch.float64)
    settings = (torch.ones(rows), torch.full((rows,), 0.9), None, torch.zeros(rows, dtype=torch.bool), EOS, uniforms)  # fmt: skip
    before = sample_rows(scores.float(), *settings)
    after = sample_rows(nudged.float(), *settings)
    # Of 4000 rows: 3 here (where the nudge moves the nucleus's edge by a token); a CDF over the
    # sorted scores (this module before 2026-12-07) moved 458.
    assert int((before != after).sum()) <= 20


def test_the_cpu_sort_gives_torch_sorts_values() -> None:
    """NumPy sorts the CPU's scores (ascending): the same values as torch.sort, with ties, -inf
    and NaN where torch puts them, for both vocabularies' sizes."""
    generator = torch.Generator().manual_seed(3)
    for vocab in (1024, 50257):
        scores = (torch.randn(7, vocab, generator=generator) * 3).round(decimals=1)  # ties
        scores[0, :100] = -math.inf
        scores[1, 5] = math.nan
        scores[2] = 0.5
        with torch.inference_mode():
            mine = ascending(scores)
        expected = torch.sort(scores, dim=-1).values
        assert mine.shape == expected.shape and mine.dtype == expected.dtype
        assert torch.equal(mine.nan_to_num(nan=123.0), expected.nan_to_num(nan=123.0))
        assert math.isnan(mine[1, -1]) and mine[0, 0] == -math.inf
