"""What every rank of the worker group does together (torch.distributed, already set up by Ray
Train): rank 0 decides and tells the others, or every rank reports to every rank. Each call is a
no-op with one worker; with several, every rank must make the same calls in the same order.
"""

from __future__ import annotations

from typing import Any


def broadcast(obj: Any, rank: int, world: int) -> Any:
    """Rank 0's `obj` (any picklable object) on every rank."""
    if world == 1:
        return obj
    import torch.distributed as dist

    box = [obj if rank == 0 else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def all_gather(obj: Any, world: int) -> list[Any]:
    """Every rank's `obj`, in rank order, on every rank."""
    if world == 1:
        return [obj]
    import torch.distributed as dist

    out: list[Any] = [None] * world
    dist.all_gather_object(out, obj)
    return out
