"""The Ray a job runs on: the one this process has, the cluster at $RAY_ADDRESS, or an embedded
local one (`ensure_ray`)."""

from __future__ import annotations

import logging
import os

from murmur.errors import ConfigError
from murmur.train import TrainConfig

# Settings a local Ray's workers need from this process's environment (DeepSpeed on the CPU,
# W&B and the hub offline, where to cache the tiny base model).
FORWARDED_ENV = ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "MURMUR_CACHE")


def ensure_ray(config: TrainConfig | None = None, *, verbose: bool = False) -> None:
    """Use the Ray this process already has (a test's shared cluster, the cluster a Ray job runs
    in), else connect to $RAY_ADDRESS, else start an embedded local one whose workers get the
    environment training needs. Never starts a second Ray, never shuts one down. A local Ray
    cannot grow, so a worker group (`config`) that does not fit it raises ConfigError now rather
    than waiting forever. A local Ray keeps its workers' output and its own INFO lines off this
    terminal unless `verbose` (-v): they stay in Ray's session logs, and murmur's workers write
    their lines to the job's log in the store (`murmur logs JOB`)."""
    import ray

    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        # A cluster (or the Ray job we run in, whose runtime env already holds the job's
        # settings: a second one here would conflict). A cluster may autoscale: no size check.
        ray.init(log_to_driver=True)
        return
    env_vars = {"TOKENIZERS_PARALLELISM": "false"}
    env_vars.update({name: os.environ[name] for name in FORWARDED_ENV if name in os.environ})
    ray.init(
        runtime_env={"env_vars": env_vars},
        include_dashboard=False,
        log_to_driver=verbose,
        logging_level=logging.INFO if verbose else logging.ERROR,
    )
    if config is None:
        return
    have = ray.cluster_resources()
    cpus = config.ranks * config.cpus_per_worker
    gpus = config.ranks * config.gpus_per_worker
    if have.get("CPU", 0) < cpus or have.get("GPU", 0) < gpus:
        ray.shutdown()
        raise ConfigError(
            f"--workers {config.num_workers} x --workers-per-model {config.workers_per_model} "
            f"with --cpus-per-worker {config.cpus_per_worker} and --gpus-per-worker "
            f"{config.gpus_per_worker:g} needs {cpus} CPUs and {gpus:g} GPUs; this machine's Ray "
            f"has {have.get('CPU', 0):g} CPUs and {have.get('GPU', 0):g} GPUs: ask for fewer"
        )
