"""The engine's KV cache: a fixed number of slots, each one row's keys and values at every position.

One tensor each for keys and values, (layers, slots, positions, heads, head_dim), allocated once
when the engine starts: a row takes a slot when it is admitted and gives it back the moment it
ends, so memory never grows with traffic and nothing is reallocated while rows run (the shapes a
captured GPU step needs stay fixed). `n` choices of one prompt share its prefill: the prompt is
run once in the first choice's slot and its positions copied into the others (`copy_prefix`).

Size: 2 x layers x slots x positions x n_embd x bytes per value. GPT-2 124M (12 layers, 768 wide,
1,024 positions) in bf16 takes 36 MiB a slot, so 192 slots are 6.8 GiB; the `tiny` base (2 x 64,
256 positions, fp32) 0.25 MiB a slot.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import torch

from murmur.core.errors import ServingError

MIB = 2**20


@dataclass(frozen=True)
class CacheShape:
    """What a model's rows need of a KV cache; models of one shape share one engine."""

    layers: int
    heads: int
    head_dim: int
    positions: int
    dtype: torch.dtype
    device: torch.device

    @classmethod
    def of(cls, model: Any, device: torch.device) -> CacheShape:
        """The shape of a transformers GPT-2 (GPT2LMHeadModel). ServingError for another kind:
        the engine's forward (murmur.serving.decode_step) is GPT-2's."""
        config = model.config
        if getattr(config, "model_type", "") != "gpt2":
            raise ServingError(
                f"the engine serves GPT-2 models; this one is {config.model_type!r}: "
                "publish a GPT-2-based model"
            )
        heads = int(config.n_head)
        dtype = next(model.parameters()).dtype
        head_dim = int(config.n_embd) // heads
        return cls(int(config.n_layer), heads, head_dim, int(config.n_positions), dtype, device)

    def slot_bytes(self) -> int:
        """Bytes one slot takes: keys and values at every position of every layer."""
        size = torch.empty((), dtype=self.dtype).element_size()
        return 2 * self.layers * self.positions * self.heads * self.head_dim * size


def free_memory(device: torch.device) -> int:
    """Bytes free for a cache on `device`: the GPU's free memory, else the machine's available."""
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free)
    import psutil

    return int(psutil.virtual_memory().available)


class KVSlots:
    """Keys and values of `slots` rows (module doc). Not thread-safe: the engine's loop owns it."""

    def __init__(self, shape: CacheShape, slots: int) -> None:
        need, free = shape.slot_bytes() * slots, free_memory(shape.device)
        if need > free * 0.9:  # leave room for the activations and the models
            raise ServingError(
                f"a KV cache of {slots} slots x {shape.positions} positions needs "
                f"{need / MIB:,.0f} MiB, but {shape.device} has {free / MIB:,.0f} MiB free: "
                "lower max_batch_size (the engine's slots)"
            )
        dims = (shape.layers, slots, shape.positions, shape.heads, shape.head_dim)
        self.shape = shape
        self.slots = slots
        self.k = torch.zeros(dims, dtype=shape.dtype, device=shape.device)  # (L, S, P, H, D)
        self.v = torch.zeros(dims, dtype=shape.dtype, device=shape.device)  # (L, S, P, H, D)
        # A heap: `take` gives the lowest free slots, so the rows of a decode step stay dense in
        # the cache's first slots (murmur.serving.decode_step reads such a window as a view).
        self.free: list[int] = list(range(slots))

    @property
    def nbytes(self) -> int:
        return self.k.nbytes + self.v.nbytes

    @property
    def used(self) -> int:
        """Slots holding a row."""
        return self.slots - len(self.free)

    def take(self, n: int) -> list[int] | None:
        """`n` free slots, or None (and none taken) when fewer are free."""
        if n > len(self.free):
            return None
        return [heapq.heappop(self.free) for _ in range(n)]

    def give(self, slots: list[int]) -> None:
        """Slots back to the free list; what they hold is overwritten by their next row."""
        for slot in slots:
            heapq.heappush(self.free, slot)

    def copy_prefix(self, source: int, targets: list[int], length: int) -> None:
        """Positions [0, length) of slot `source` into each of `targets` (a prompt's prefill)."""
        if not targets or length <= 0:
            return
        index = torch.tensor(targets, device=self.k.device)
        for cache in (self.k, self.v):
            cache[:, index, :length] = cache[:, source : source + 1, :length]

    def write(
        self,
        layer: int,
        slots: torch.Tensor,
        positions: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
    ) -> None:
        """Store one layer's new keys and values: `k`, `v` (R, T, H, D) of rows in `slots` (R,)
        at `positions` (R, T)."""
        self.k[layer][slots[:, None], positions] = k
        self.v[layer][slots[:, None], positions] = v

    def read(
        self, layer: int, slots: torch.Tensor, length: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One layer's keys and values of rows in `slots` (R,) at positions [0, length):
        (R, H, length, D) each."""
        k = self.k[layer][slots, :length].transpose(1, 2)
        v = self.v[layer][slots, :length].transpose(1, 2)
        return k, v

    def window(
        self, layer: int, lo: int, hi: int, length: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One layer's keys and values of slots [lo, hi) at positions [0, length), as views of
        the cache (no copy): (hi - lo, H, length, D) each."""
        k = self.k[layer][lo:hi, :length].transpose(1, 2)
        v = self.v[layer][lo:hi, :length].transpose(1, 2)
        return k, v
