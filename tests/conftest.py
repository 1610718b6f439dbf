"""Shared fixtures: an offline environment, a temporary store, the tiny base model, one Ray cluster."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Never reach a hub or W&B from tests; DeepSpeed on the CPU.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("WANDB_MODE", "disabled")
os.environ.setdefault("DS_ACCELERATOR", "cpu")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    d = tmp_path / "store"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """The pre-trained `tiny` preset (murmur.models.tiny) in the machine cache: built once a
    machine (~80 s on 2 free cores), then read from `$MURMUR_CACHE` or ~/.cache/murmur."""
    from murmur.models.base import ensure_tiny_model

    return ensure_tiny_model()


@pytest.fixture(scope="session")
def samples() -> Path:
    from murmur.samples import sample_dir

    return sample_dir()


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """One local Ray for the whole session (ray.init takes 6-9 s): every Ray test shares it."""
    import ray

    if not ray.is_initialized():
        ray.init(
            num_cpus=max(4, os.cpu_count() or 2),
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={
                "env_vars": {
                    "DS_ACCELERATOR": "cpu",
                    "WANDB_MODE": "disabled",
                    "HF_HUB_OFFLINE": "1",
                    "TOKENIZERS_PARALLELISM": "false",
                }
            },
        )
    yield
    try:
        from ray import serve

        serve.shutdown()
    except Exception:
        pass
    ray.shutdown()
