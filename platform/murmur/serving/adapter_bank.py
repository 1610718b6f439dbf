"""Rows of many LoRA bots in one forward pass: each row's adapter applied by index, by rank.

The adapters live in their base's `LoraPool` (murmur.serving.lora_pool): per wrapped layer,
A (S, in, R) and B (S, R, out) stacked by pool slot. For one forward of rows with pool slots
`slots` (0: the base alone), `AdapterRows` groups the rows by their adapter's own rank (LoRAX's
rank buckets) and, within a bucket of rank r, lays the rows of each distinct adapter side by side:

    x (rows, T, in) --gather--> (U, M, T*in)   U distinct adapters, M rows of the busiest
    @ A[u][:, :r]  (U, in, r)   gathered by distinct adapter, never by row
    @ B[u][:r]     (U, r, out)  --scatter--> delta (rows, T, out)

so a step costs two batched matmuls per layer and rank bucket, whatever its mix of bots, and a
bot of rank 8 beside one of rank 64 pays for 8 (Punica's SGMV, in plain torch). The gathered A
and B of a set of adapters are kept while that set and the pool stay the same (`pool.version`),
so steady decode steps gather nothing. A faster kernel replaces `delta` alone.

Adapter forms: the pool takes LoRA on Linear and Conv1D layers; an adapter with keys it cannot
apply (an embedding LoRA, DoRA, ...) is refused in one line by `read_adapter` before it serves.
An embedding LoRA would add a bucketed `embed_delta` here: A[u][token] @ B[u].
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from murmur.serving.lora_pool import LoraPool, SlotLayer


@dataclass
class _Bucket:
    """The rows of one rank: their adapters' pool slots and where each row sits."""

    rank: int
    key: tuple[int, ...]  # the adapters' pool slots
    adapters: torch.Tensor  # (U,) the same, on the device
    take: torch.Tensor  # (U, M) row index per place (padding repeats a real row)
    put: torch.Tensor  # (U * M,) row index per place (padding goes to the spare row)


class AdapterRows:
    """Each row's adapter for one forward pass over a pool's base (see the module's doc).

    `slots[r]`: row r's pool slot (0: the base alone). Rows with slot 0 take no LoRA math.
    """

    def __init__(self, pool: LoraPool, slots: list[int]) -> None:
        self.pool = pool
        self.rows = len(slots)
        device = pool.device
        by_rank: dict[int, dict[int, list[int]]] = {}
        for row, slot in enumerate(slots):
            if slot:
                by_rank.setdefault(pool.ranks[slot], {}).setdefault(slot, []).append(row)
        self.buckets: list[_Bucket] = []
        for rank, members in sorted(by_rank.items()):
            width = max(len(rows) for rows in members.values())
            take = [rows + [rows[0]] * (width - len(rows)) for rows in members.values()]
            put = [rows + [self.rows] * (width - len(rows)) for rows in members.values()]
            self.buckets.append(
                _Bucket(
                    rank,
                    tuple(members),
                    torch.tensor(list(members), device=device),
                    torch.tensor(take, device=device),
                    torch.tensor([r for p in put for r in p], device=device),
                )
            )

    @property
    def empty(self) -> bool:
        return not self.buckets

    def delta(self, layer: SlotLayer, x: torch.Tensor) -> torch.Tensor | None:
        """The rows' LoRA update of `layer` for its input `x` (rows, T, in): (rows, T, out), or
        None where no row has an adapter on it."""
        if not self.buckets:
            return None
        rows, steps, _ = x.shape
        out = x.new_zeros(rows + 1, steps, layer.out_features)  # + the spare row
        for bucket in self.buckets:
            a, b = _gathered(self.pool, layer, bucket)  # (U, in, r), (U, r, out)
            u, m = bucket.take.shape
            xs = x[bucket.take.reshape(-1)].reshape(u, m * steps, -1)  # (U, M*T, in)
            ys = torch.bmm(torch.bmm(xs, a), b)  # (U, M*T, out)
            # A row sits in one place of one bucket (its adapter's rank), so a copy, not an
            # add: only the spare row takes several (padding), and it is dropped. index_add_ cost
            # 3x index_copy_ here (2-core CPU, 60 rows).
            out.index_copy_(0, bucket.put, ys.reshape(u * m, steps, -1))
        return out[:rows]


# (id(layer), adapters, rank) -> A and B gathered; valid while pool.version is `_version[pool]`
_cache: dict[tuple[int, tuple[int, ...], int], tuple[torch.Tensor, torch.Tensor]] = {}
_version: dict[int, int] = {}
_CACHE_ENTRIES = 512


def _gathered(
    pool: LoraPool, layer: SlotLayer, bucket: _Bucket
) -> tuple[torch.Tensor, torch.Tensor]:
    """A[u][:, :r] and B[u][:r] of the bucket's adapters for `layer`, gathered once per set."""
    if _version.get(id(pool)) != pool.version or len(_cache) > _CACHE_ENTRIES:
        _cache.clear()
        _version[id(pool)] = pool.version
    key = (id(layer), bucket.key, bucket.rank)
    found = _cache.get(key)
    if found is None:
        r = bucket.rank
        found = _cache[key] = (
            layer.a[bucket.adapters, :, :r].contiguous(),
            layer.b[bucket.adapters, :r, :].contiguous(),
        )
    return found
