"""The Ray a job runs on: the one this process has, the cluster at $RAY_ADDRESS, or an embedded
local one (`ensure_ray`); the checks before either (`check_ray_address`, `check_local_gpus`);
and what the machine compiles before the first step (`ops_to_build`).

Beside `murmur serve` (which starts its own embedded Ray), `murmur train` keeps its Ray apart on
purpose: it shares no CPUs with the replicas' reservations, and stopping the server never stops a
training. Ray Train's helper actors look for "the" local Ray when they query Ray's state; with two
on one machine they would fail with "Found multiple active Ray instances", so the local Ray's
processes get $RAY_ADDRESS naming their own cluster.
"""

from __future__ import annotations

import ast
import importlib.util
import logging
import math
import os
import socket
import sys
from typing import Any

from murmur.core.errors import ConfigError
from murmur.train import TrainConfig

# Settings a local Ray's workers need from this process's environment (DeepSpeed on the CPU,
# W&B and the hub offline, where to cache the tiny base model).
FORWARDED_ENV = ("DS_ACCELERATOR", "WANDB_MODE", "HF_HUB_OFFLINE", "MURMUR_CACHE")
# How long a cluster's head has to accept a TCP connection before `join_ray` gives up (Ray's own
# ray.init retries an unreachable GCS for a minute and more).
CONNECT_TIMEOUT_S = 5.0
ADDRESS_HELP = "--address takes http://HEAD:8265 (submit a job) or a Ray address (HEAD:6379)"


def ensure_ray(config: TrainConfig | None = None, *, verbose: bool = False) -> None:
    """Use the Ray this process already has (a test's shared cluster, the cluster a Ray job runs
    in), else connect to $RAY_ADDRESS, else start an embedded local one whose workers get the
    environment training needs. Never starts a second Ray in this process, never shuts one down.
    A local Ray cannot grow, so a worker group (`config`) that does not fit it raises ConfigError
    now rather than waiting forever. A local Ray keeps its workers' output and its own INFO lines
    off this terminal unless `verbose` (-v): they stay in Ray's session logs, and murmur's workers
    write their lines to the job's log in the store (`murmur logs JOB`)."""
    import ray

    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        # A cluster (or the Ray job we run in, whose runtime env already holds the job's
        # settings: a second one here would conflict). A cluster may autoscale: no size check.
        join_ray(os.environ["RAY_ADDRESS"], log_to_driver=True)
        return
    if config is not None:
        check_local_gpus(config.gpus_per_worker, "--gpus-per-worker")
    _start_local_ray(verbose)
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


def join_ray(address: str, **init_args: Any) -> None:
    """Connect this process to the Ray cluster at `address` (HEAD:6379, ray://HEAD:10001, auto)
    with ray.init's `init_args`; ConfigError in one line where it cannot be reached
    (`check_ray_address`) or ray.init refuses it."""
    import ray

    check_ray_address(address)
    try:
        ray.init(address=address, **init_args)
    except (ConnectionError, ValueError) as e:
        raise _unreachable(address, e) from None


def check_ray_address(address: str) -> None:
    """Raise ConfigError in one line where `address` is not [scheme://]HOST:PORT (or auto), or
    its head refuses a TCP connection within CONNECT_TIMEOUT_S: ray.init would retry an
    unreachable GCS for a minute and more."""
    if address in ("auto", "local"):
        return
    host, sep, port = address.split("://", 1)[-1].rpartition(":")
    try:
        if not sep or not host or not port.isdigit():
            raise ValueError("not a HOST:PORT address")
        socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S).close()
    except (OSError, ValueError) as e:
        raise _unreachable(address, e) from None


def _unreachable(address: str, e: Exception) -> ConfigError:
    reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e) or type(e).__name__
    return ConfigError(f"cannot reach the Ray cluster at {address}: {reason}; {ADDRESS_HELP}")


def check_local_gpus(gpus: float, flag: str) -> None:
    """Raise ConfigError in one line where murmur is about to start a local Ray (none in this
    process, no $RAY_ADDRESS) and one model replica or trainer asks for `gpus` GPUs (given by
    `flag`, e.g. --num-gpus) that this machine does not have (torch.cuda.device_count(); a
    fraction needs one GPU): a local Ray cannot grow, so Serve or Train would wait forever."""
    import ray

    if gpus <= 0 or ray.is_initialized() or os.environ.get("RAY_ADDRESS"):
        return
    import torch

    have = torch.cuda.device_count()
    if have < math.ceil(gpus):
        raise ConfigError(
            f"{flag} {gpus:g} asks for {gpus:g} GPU(s) but this machine has {have}: use {flag} 0 "
            "(or run on a GPU machine / a cluster via RAY_ADDRESS)"
        )


def _start_local_ray(verbose: bool) -> None:
    """An embedded local Ray whose GCS listens on a port chosen here, so that every process of
    it (Ray Train's controller and placement-group cleaner included) gets $RAY_ADDRESS naming
    this cluster, even while another local Ray (`murmur serve`) runs on the machine."""
    import ray

    port = _free_port()
    env_vars = {"TOKENIZERS_PARALLELISM": "false", "RAY_ADDRESS": f"127.0.0.1:{port}"}
    env_vars.update({name: os.environ[name] for name in FORWARDED_ENV if name in os.environ})
    before = os.environ.get("RAY_GCS_SERVER_PORT")
    os.environ["RAY_GCS_SERVER_PORT"] = str(port)  # read by Ray's head node when it starts
    try:
        ray.init(
            runtime_env={"env_vars": env_vars},
            include_dashboard=False,
            log_to_driver=verbose,
            logging_level=logging.INFO if verbose else logging.ERROR,
        )
    finally:
        if before is None:
            os.environ.pop("RAY_GCS_SERVER_PORT", None)
        else:
            os.environ["RAY_GCS_SERVER_PORT"] = before


def _free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ops_to_build(config: TrainConfig) -> list[str]:
    """DeepSpeed ops this machine compiles (JIT, into torch's extension cache) before the first
    model's first step: `deepspeed_shm_comm` on the CPU accelerator (deepspeed.comm builds it on
    its first init, DeepSpeed 0.19), `cpu_adam` with --cpu-offload. Measured 45-60 s on this
    project's 2-core machine; once per machine and Python environment. An op counts as built when
    DeepSpeed ships it prebuilt, or when the cache holds its library built from this
    environment's DeepSpeed (another environment's build is rebuilt: its paths differ). Reads
    files only: imports torch, never DeepSpeed (whose import prints to the terminal)."""
    names = [] if config.use_gpu else ["deepspeed_shm_comm"]
    if config.cpu_offload:
        names.append("cpu_adam")
    spec = importlib.util.find_spec("deepspeed")
    if not names or spec is None or not spec.submodule_search_locations:
        return []
    deepspeed_dir = next(iter(spec.submodule_search_locations))
    prebuilt = _prebuilt_ops(deepspeed_dir)
    root = extensions_dir()
    return [n for n in names if not prebuilt.get(n) and not _built(root, n, deepspeed_dir)]


def extensions_dir() -> str:
    """Where torch builds JIT extensions for this Python and torch: $TORCH_EXTENSIONS_DIR, else
    `<cache>/torch_extensions/py311_cpu` and the like (torch.utils.cpp_extension's rule)."""
    if os.environ.get("TORCH_EXTENSIONS_DIR"):
        return os.environ["TORCH_EXTENSIONS_DIR"]
    import torch
    from torch.utils.cpp_extension import get_default_build_root

    if torch.version.hip is not None:
        accelerator = f"rocm{torch.version.hip.replace('.', '')}"
    elif torch.version.cuda is not None:
        accelerator = f"cu{torch.version.cuda.replace('.', '')}"
    else:
        accelerator = "cpu"
    python = f"py{sys.version_info.major}{sys.version_info.minor}{sys.abiflags}"
    return os.path.join(get_default_build_root(), f"{python}_{accelerator}")


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
