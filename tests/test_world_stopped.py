"""A rank whose torch.distributed world was destroyed under it (what Ray Train's group restart does
to the surviving ranks, ray/train/torch/config.py `_shutdown_torch`) says so: the error that
follows is collectives.WorldStopped, never its model's failure."""

from __future__ import annotations

import secrets
import time

import pytest
import torch.distributed as dist

from murmur.train.collectives import WorldStopped, raise_if_world_stopped, world_stopped


@pytest.fixture
def world_of_one() -> None:
    if dist.is_initialized():
        pytest.skip("this process already has a torch.distributed world")
    port = 20000 + secrets.randbelow(40000)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=0, world_size=1)


def test_an_error_after_the_world_is_destroyed_is_world_stopped(world_of_one: None) -> None:
    dist.new_group([0], backend="gloo")  # a model group, as form_groups makes
    assert not world_stopped()
    t0 = time.monotonic()
    raise_if_world_stopped(ValueError("the model's own"), settle_s=0.3)  # alive: its own error
    assert time.monotonic() - t0 >= 0.3  # it waited for a teardown that never came
    dist.destroy_process_group()  # Ray Train stopping the group, while this rank trains
    assert world_stopped()
    cause = AssertionError("DeepSpeed backend not set, please initialize it using ...")
    with pytest.raises(WorldStopped, match="Ray Train is restarting") as raised:
        raise_if_world_stopped(cause)
    assert raised.value.__cause__ is cause
    with pytest.raises(WorldStopped):  # and before taking a model: no error needed
        raise_if_world_stopped()
