"""Starting or joining Ray, in one place: the Ray this process already has, else the cluster at
$RAY_ADDRESS, else an embedded local one (`init_ray`). Imports Ray only when called.

Every murmur process that needs Ray comes here: a training job (murmur.jobs.cluster.ensure_ray),
`murmur serve` and the Serve app's `start_local`, a training run started without a job, and the
benchmarks. A cluster that cannot be reached fails in one line within CONNECT_TIMEOUT_S instead
of ray.init's minute of retries.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from typing import Any

from murmur.core.errors import ConfigError

# How long a cluster's head has to accept a TCP connection before `join_ray` gives up (Ray's own
# ray.init retries an unreachable GCS for a minute and more).
CONNECT_TIMEOUT_S = 5.0
ADDRESS_HELP = "--address takes http://HEAD:8265 (submit a job) or a Ray address (HEAD:6379)"


def local_ray_needed() -> bool:
    """True where `init_ray` would start a local Ray: none in this process, no $RAY_ADDRESS."""
    import ray

    return not ray.is_initialized() and not os.environ.get("RAY_ADDRESS")


def init_ray(
    *,
    worker_logs: bool = False,
    verbose: bool = False,
    env_vars: Mapping[str, str] | None = None,
    num_cpus: int | None = None,
    metrics_port: int | None = None,
    node_ip: str | None = None,
) -> bool:
    """Make sure this process is connected to Ray; True where this call started a local one.

    Uses the Ray this process already has (a test's shared cluster, the cluster a Ray job runs
    in); else joins $RAY_ADDRESS (`join_ray`; a cluster's runtime env and size are its own);
    else starts an embedded local Ray without a dashboard. `worker_logs`: Ray workers' output on
    this terminal (else it stays in Ray's session logs). `verbose`: a local Ray's own INFO lines
    too (-v). `env_vars`: given to every process of a local Ray, together with $RAY_ADDRESS
    naming that Ray (its GCS on a port chosen here), so that Ray Train's helper actors find their
    own cluster while another local Ray runs on the machine ("Found multiple active Ray
    instances" otherwise); None leaves Ray's defaults. `num_cpus`: a local Ray's logical CPUs
    (None: the machine's). `metrics_port`: where a local Ray exports metrics (None: a free port
    Ray picks; https://docs.ray.io/en/latest/cluster/metrics.html). `node_ip`: the address a
    local Ray's node binds its ports to (127.0.0.1 keeps them, metrics included, on loopback).

    Raises ConfigError in one line where $RAY_ADDRESS cannot be reached. Never shuts Ray down.
    """
    import ray

    if ray.is_initialized():
        return False
    if os.environ.get("RAY_ADDRESS"):
        join_ray(os.environ["RAY_ADDRESS"], log_to_driver=worker_logs)
        return False
    args: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": worker_logs,
        "logging_level": logging.INFO if verbose else logging.ERROR,
    }
    if num_cpus is not None:
        args["num_cpus"] = num_cpus
    if metrics_port is not None:
        args["_metrics_export_port"] = metrics_port
    if node_ip is not None:
        args["_node_ip_address"] = node_ip
    if env_vars is None:
        ray.init(**args)
    else:
        _start_own_address(dict(env_vars), args)
    return True


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


def _start_own_address(env_vars: dict[str, str], init_args: dict[str, Any]) -> None:
    """A local Ray whose GCS listens on a port chosen here, so that every process of it (Ray
    Train's controller and placement-group cleaner included) gets $RAY_ADDRESS naming this
    cluster, even while another local Ray (`murmur serve`) runs on the machine."""
    import ray

    port = _free_port()
    env_vars["RAY_ADDRESS"] = f"127.0.0.1:{port}"
    before = os.environ.get("RAY_GCS_SERVER_PORT")
    os.environ["RAY_GCS_SERVER_PORT"] = str(port)  # read by Ray's head node when it starts
    try:
        ray.init(runtime_env={"env_vars": env_vars}, **init_args)
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
