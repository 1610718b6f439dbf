"""The worker group's ranks split into model groups: K consecutive ranks (`workers_per_model`)
train one model together; the groups train different models at the same time.

    form_groups(rank, world, per_model, backend) -> ModelGroup    every rank, once, together
    broadcast(obj, group) / all_gather(obj, group)                 within one model group
    raise_if_world_stopped(error)                                  an error's cause: a lost rank

With one rank per group (the default) the calls are no-ops and the ranks never talk to each other
while training: `form_groups` is the only collective on the whole worker group, at the start.
DeepSpeed gets the group through `ModelGroup.mpu` (what `deepspeed.initialize(mpu=...)` reads in
DeepSpeed 0.19: `deepspeed.utils.groups._get_data_parallel_group` and `runtime/config.py`), so its
collectives (gradient reduction, ZeRO-3 gathers) stay inside the group; without one it would clone
the whole world's group (`groups._clone_world_group`), a collective over every rank.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

# How long an error waits for a teardown under way to finish: torch's destroy_process_group
# removes the model groups before the world, and the error can fire in between.
SETTLE_S = 1.0


class WorldStopped(RuntimeError):
    """Ray Train is stopping this worker group (another rank died): it destroyed this rank's
    process groups while the rank trained. The error that followed says nothing about the model:
    nothing is recorded, the model stays held, and the restarted group trains it again without
    counting an attempt (model_queue.ModelQueue.restart)."""


@dataclass
class ModelGroup:
    """This rank's model group: `ranks` (global ranks, consecutive), this rank's place in it, and
    the torch.distributed process group (None when the group is this rank alone)."""

    index: int
    """Which group: 0 .. world / per_model - 1."""
    ranks: list[int]
    rank: int
    """This rank's rank inside the group (0 is the group's leader)."""
    process_group: Any = None

    @property
    def size(self) -> int:
        return len(self.ranks)

    @property
    def leader(self) -> bool:
        """True on the rank that takes models from the queue and publishes them."""
        return self.rank == 0

    @property
    def mpu(self) -> GroupMPU:
        """The model-parallel unit DeepSpeed takes: data parallel over this group only."""
        return GroupMPU(self)


class GroupMPU:
    """What DeepSpeed 0.19 asks an `mpu` for (Megatron's names): data parallelism over one model
    group, no tensor or pipeline parallelism."""

    def __init__(self, group: ModelGroup) -> None:
        self._group = group

    def get_data_parallel_group(self) -> Any:
        return self._group.process_group

    def get_data_parallel_world_size(self) -> int:
        return self._group.size

    def get_data_parallel_rank(self) -> int:
        return self._group.rank

    def get_data_parallel_group_ranks(self) -> list[int]:
        return list(self._group.ranks)

    def get_model_parallel_world_size(self) -> int:
        return 1

    def get_model_parallel_rank(self) -> int:
        return 0

    def get_model_parallel_group(self) -> Any:
        return None

    def get_tensor_model_parallel_world_size(self) -> int:
        return 1

    def get_tensor_model_parallel_rank(self) -> int:
        return 0

    def get_tensor_model_parallel_group(self) -> Any:
        return None

    def get_pipeline_model_parallel_world_size(self) -> int:
        return 1


def form_groups(rank: int, world: int, per_model: int, backend: str | None) -> ModelGroup:
    """Split `world` ranks into groups of `per_model` consecutive ranks and return this rank's.

    Every rank must call it, at the same time: torch.distributed.new_group is collective over the
    whole world, even for groups a rank is not in. `backend` is the groups' ("gloo", "nccl"; None:
    the world's). Each group gets its own process group, also a group of one rank, because
    DeepSpeed needs one to reduce over. Raises ValueError when `per_model` does not divide `world`
    (TrainConfig makes world = workers x workers_per_model).
    """
    if per_model < 1 or world % per_model:
        raise ValueError(f"{world} ranks cannot form groups of {per_model}")
    import torch.distributed as dist

    mine = None
    for index in range(world // per_model):
        ranks = list(range(index * per_model, (index + 1) * per_model))
        process_group = dist.new_group(ranks, backend=backend)
        if rank in ranks:
            mine = ModelGroup(index, ranks, ranks.index(rank), process_group)
    assert mine is not None  # every rank below `world` is in one group
    return mine


def broadcast(obj: Any, group: ModelGroup) -> Any:
    """The group leader's `obj` (any picklable object) on every rank of the group."""
    if group.size == 1:
        return obj
    import torch.distributed as dist

    box = [obj if group.leader else None]
    dist.broadcast_object_list(box, src=group.ranks[0], group=group.process_group)
    return box[0]


def all_gather(obj: Any, group: ModelGroup) -> list[Any]:
    """Every group rank's `obj`, in group-rank order, on every rank of the group."""
    if group.size == 1:
        return [obj]
    import torch.distributed as dist

    out: list[Any] = [None] * group.size
    dist.all_gather_object(out, obj, group=group.process_group)
    return out


def world_stopped() -> bool:
    """True once this rank's torch.distributed world is gone. Only Ray Train destroys it while
    the training function runs: its TorchConfig backend's on_shutdown (`_shutdown_torch`,
    ray/train/torch/config.py, Ray 2.60) runs on the surviving ranks when it restarts the group,
    and their training thread goes on until the rank is killed."""
    import torch.distributed as dist

    return not dist.is_initialized()


def raise_if_world_stopped(error: BaseException | None = None, settle_s: float = SETTLE_S) -> None:
    """Raise WorldStopped (from `error`) when this rank's world is gone: DeepSpeed's calls then
    fail with "DeepSpeed backend not set" (its `cdb` checks torch.distributed.is_initialized),
    a torch call with "Group ... is not registered". Given an `error`, waits up to `settle_s`
    for a teardown in progress to finish before deciding it was the model's own."""
    deadline = time.monotonic() + (settle_s if error is not None else 0.0)
    while True:
        if world_stopped():
            raise WorldStopped(
                "this rank's process group was destroyed: Ray Train is restarting the worker "
                "group (another rank or its node was lost)"
            ) from error
        if time.monotonic() >= deadline:
            return
        time.sleep(0.1)
