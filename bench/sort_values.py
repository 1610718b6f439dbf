"""Sorting each row's scores on the CPU: torch.sort against NumPy's sort, same rows, same machine.

    python bench/sort_values.py [--rows 64] [--repeats 5]

The sampler (murmur.core.sampling) needs each row's scores in ascending order, values only (its
top_k and top_p floors are values). It is the largest part of a decode step's sampling. This
prints, for the tiny preset's vocabulary (1,024) and GPT-2's (50,257), the microseconds of one
sort of (rows, vocab) float32 scores with torch.sort and with numpy.sort at torch's thread count,
the median of `--repeats` runs of many calls each, and their ratio. Checks that both give the
same values. Writes bench/results/sort_values-<date>.json (machine, commit, command).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from result_files import result_header, spread, write_result

VOCABS = {"tiny": 1024, "gpt2": 50257}


def per_call_us(fn: object, calls: int) -> float:
    """Microseconds a call of `fn` takes, over `calls` calls after a warm-up."""
    for _ in range(max(calls // 10, 2)):
        fn()  # type: ignore[operator]
    start = time.perf_counter()
    for _ in range(calls):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=None, help="result file (default bench/results/...)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    doc = result_header()
    doc["bench"] = "sort_values"
    doc["options"] = vars(args)
    doc["vocabs"] = {}
    for name, vocab in VOCABS.items():
        scores = torch.randn(args.rows, vocab, generator=torch.Generator().manual_seed(0)) * 3
        same = torch.equal(
            torch.sort(scores, dim=-1).values, torch.from_numpy(np.sort(scores.numpy(), axis=-1))
        )
        calls = max(20, 200_000 // vocab)
        torch_us, numpy_us = [], []
        for _ in range(args.repeats):
            torch_us.append(per_call_us(lambda s=scores: torch.sort(s, dim=-1).values, calls))
            numpy_us.append(per_call_us(lambda s=scores: np.sort(s.numpy(), axis=-1), calls))
        ratios = [t / n for t, n in zip(torch_us, numpy_us, strict=True)]
        doc["vocabs"][name] = {
            "vocab": vocab,
            "same_values": same,
            "torch_sort_us": spread(torch_us),
            "numpy_sort_us": spread(numpy_us),
            "torch_over_numpy": spread(ratios),
        }
        print(
            f"{name} ({args.rows} x {vocab:,}): torch.sort {spread(torch_us)['median']:,.0f} us, "
            f"numpy.sort {spread(numpy_us)['median']:,.0f} us, "
            f"ratio {spread(ratios)['median']:.1f}x, same values: {same}"
        )
    print(write_result("sort_values", doc, args.out))


if __name__ == "__main__":
    main()
