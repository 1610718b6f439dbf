"""DeepSpeed's JIT-built ops: which ones a run needs, and building them so that a killed build
can never hang a later one.

torch builds a JIT extension under a `lock` file in its build folder (torch.utils.file_baton) and
waits without end while that file exists. A build killed half-way (Ctrl-C, a lost node, a
timeout, a SIGKILLed driver) leaves the file behind, and every later DeepSpeed start in that
environment then hangs in deepspeed.initialize: on a fresh CI machine, one killed first build
held every later training test until the run's 90-minute limit.

murmur builds each op itself before DeepSpeed asks for it, under a lock of its own
(murmur.core.paths.file_lock: an OS lock on a file, which the kernel releases when its
holder dies).
Whoever holds that lock is the only murmur process building the op, so a torch `lock` found then
was left by a killed build: it is removed, with a warning, and the op is built. DeepSpeed's own
load later finds the op loaded (its OpBuilder caches loaded ops per process).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from murmur.core.paths import extensions_dir, file_lock
from murmur.train.config import TrainConfig

log = logging.getLogger(__name__)

# Op name (its folder under the extensions folder) -> DeepSpeed's op builder for it.
BUILDERS = {"deepspeed_shm_comm": "ShareMemCommBuilder", "cpu_adam": "CPUAdamBuilder"}


def ops_needed(config: TrainConfig) -> list[str]:
    """The JIT ops a run of `config` loads before its first step: `deepspeed_shm_comm` on the CPU
    accelerator (deepspeed.comm builds it on its first init, DeepSpeed 0.19), `cpu_adam` with
    --cpu-offload (DeepSpeedCPUAdam)."""
    names = [] if config.use_gpu else ["deepspeed_shm_comm"]
    if config.cpu_offload:
        names.append("cpu_adam")
    return names


def build_lock_path(name: str) -> str:
    """murmur's lock for building op `name`: `<extensions folder>/<name>.murmur-build.lock`."""
    return os.path.join(extensions_dir(), f"{name}.murmur-build.lock")


def build_ops(config: TrainConfig, deepspeed: Any) -> None:
    """Build (or load, when built) every op of `ops_needed(config)`, one murmur process of this
    machine at a time per op, removing a torch build lock that a killed build left (see the
    module's docstring). `deepspeed` is the imported module (train.engine.import_deepspeed), which
    picked its accelerator. An op DeepSpeed marks incompatible here is left to DeepSpeed, as
    deepspeed.comm does. Raises nothing: a failed build (no compiler, say) is logged, and
    DeepSpeed's own load raises its error where it did before, in each model's training."""
    from deepspeed.accelerator import get_accelerator
    from torch.utils.cpp_extension import _get_build_directory

    for name in ops_needed(config):
        builder = get_accelerator().create_op_builder(BUILDERS[name])
        compatible = getattr(deepspeed.ops, "__compatible_ops__", {})  # DeepSpeed 0.19's record
        if builder is None or not compatible.get(builder.NAME, False):
            continue
        with file_lock(build_lock_path(name)):
            torch_lock = os.path.join(_get_build_directory(builder.NAME, verbose=False), "lock")
            if os.path.exists(torch_lock):
                log.warning("removing %s: a build of %s was killed half-way", torch_lock, name)
                os.unlink(torch_lock)
            try:
                builder.load(verbose=False)
            except Exception as e:  # DeepSpeed's own load raises it again, in each model
                log.warning("building %s failed (%s): DeepSpeed will try again", name, e)
