"""The Ray a job runs on: the one this process has, the cluster at $RAY_ADDRESS, or an embedded
local one (`ensure_ray`, by murmur.core.ray_init); the check before a local one
(`check_local_gpus`); and what the machine compiles before the first step (`ops_to_build`).

Beside `murmur serve` (which starts its own embedded Ray), `murmur train` keeps its Ray apart on
purpose: it shares no CPUs with the replicas' reservations, and stopping the server never stops a
training. Ray Train's helper actors look for "the" local Ray when they query Ray's state; with two
on one machine they would fail with "Found multiple active Ray instances", so the local Ray's
processes get $RAY_ADDRESS naming their own cluster.
"""

from __future__ import annotations

import ast
import importlib.util
import math
import os

from murmur.core.errors import ConfigError
from murmur.core.paths import extensions_dir
from murmur.core.ray_init import init_ray, local_ray_needed
from murmur.train import TrainConfig
from murmur.train.ops import ops_needed

# Settings a local Ray's workers need from this process's environment (DeepSpeed on the CPU,
# W&B and the hub offline, where to cache the tiny base model).
FORWARDED_ENV = ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "MURMUR_CACHE")


def ensure_ray(config: TrainConfig | None = None, *, verbose: bool = False) -> None:
    """Use the Ray this process already has (a test's shared cluster, the cluster a Ray job runs
    in), else connect to $RAY_ADDRESS, else start an embedded local one whose workers get the
    environment training needs. Never starts a second Ray in this process, never shuts one down.
    A local Ray cannot grow, so a worker group (`config`) that does not fit it raises ConfigError
    now rather than waiting forever. A local Ray keeps its workers' output and its own INFO lines
    off this terminal unless `verbose` (-v): they stay in Ray's session logs, and murmur's workers
    write their lines to the job's log in the store (`murmur logs JOB`)."""
    import ray

    if config is not None:
        check_local_gpus(config.gpus_per_worker, "--gpus-per-worker")
    env_vars = {"TOKENIZERS_PARALLELISM": "false"}
    env_vars.update({name: os.environ[name] for name in FORWARDED_ENV if name in os.environ})
    # On a cluster (or in the Ray job we run in) the workers' lines are the job's log. A cluster
    # may autoscale, and its runtime env already holds the job's settings: no size check here.
    started = init_ray(
        worker_logs=verbose or bool(os.environ.get("RAY_ADDRESS")),
        verbose=verbose,
        env_vars=env_vars,
    )
    if config is None or not started:
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


def check_local_gpus(gpus: float, flag: str) -> None:
    """Raise ConfigError in one line where murmur is about to start a local Ray (none in this
    process, no $RAY_ADDRESS) and one model replica or trainer asks for `gpus` GPUs (given by
    `flag`, e.g. --num-gpus) that this machine does not have (torch.cuda.device_count(); a
    fraction needs one GPU): a local Ray cannot grow, so Serve or Train would wait forever."""
    if gpus <= 0 or not local_ray_needed():
        return
    import torch

    have = torch.cuda.device_count()
    if have < math.ceil(gpus):
        raise ConfigError(
            f"{flag} {gpus:g} asks for {gpus:g} GPU(s) but this machine has {have}: use {flag} 0 "
            "(or run on a GPU machine / a cluster via RAY_ADDRESS)"
        )


def ops_to_build(config: TrainConfig) -> list[str]:
    """DeepSpeed ops this machine compiles (JIT, into torch's extension cache) before the first
    model's first step, of train.ops.ops_needed. Measured 45-60 s on this
    project's 2-core machine; once per machine and Python environment. An op counts as built when
    DeepSpeed ships it prebuilt, or when the cache holds its library built from this
    environment's DeepSpeed (another environment's build is rebuilt: its paths differ). Reads
    files only: imports torch, never DeepSpeed (whose import prints to the terminal)."""
    names = ops_needed(config)
    spec = importlib.util.find_spec("deepspeed")
    if not names or spec is None or not spec.submodule_search_locations:
        return []
    deepspeed_dir = next(iter(spec.submodule_search_locations))
    prebuilt = _prebuilt_ops(deepspeed_dir)
    root = extensions_dir()
    return [n for n in names if not prebuilt.get(n) and not _built(root, n, deepspeed_dir)]


def _built(root: str, name: str, deepspeed_dir: str) -> bool:
    folder = os.path.join(root, name)
    try:
        with open(os.path.join(folder, "build.ninja"), encoding="utf-8") as f:
            from_here = deepspeed_dir in f.read()
    except OSError:
        return False
    return from_here and os.path.isfile(os.path.join(folder, f"{name}.so"))


def _prebuilt_ops(deepspeed_dir: str) -> dict[str, bool]:
    """`installed_ops` of DeepSpeed's install record (ops built when it was installed)."""
    try:
        with open(os.path.join(deepspeed_dir, "git_version_info_installed.py")) as f:
            for line in f:
                if line.startswith("installed_ops="):
                    ops = ast.literal_eval(line.split("=", 1)[1].strip())
                    return {str(k): bool(v) for k, v in ops.items()}
    except (OSError, ValueError, SyntaxError):
        pass
    return {}
