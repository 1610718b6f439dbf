"""This machine's files outside the store: murmur's cache folder, and locks on local files.

cache_dir()      $MURMUR_CACHE, else ~/.cache/murmur (built base models, models copied from
                 an object store)
file_lock(path)  an exclusive lock between processes of this machine (filelock)
extensions_dir() where torch builds DeepSpeed's JIT ops for this Python environment
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import FileLock

CACHE_ENV = "MURMUR_CACHE"


def cache_dir() -> Path:
    """The machine's murmur cache: `$MURMUR_CACHE`, else `~/.cache/murmur` (the XDG habit of
    huggingface_hub and torch). Not created here."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "murmur")


def file_lock(path: str | Path) -> FileLock:
    """An exclusive lock on the local file `path` (created with its folder), held in a `with`
    block; processes of this machine that take it take turns (https://py-filelock.readthedocs.io).
    It is advisory: it orders murmur's own writers, nothing else."""
    from filelock import FileLock

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return FileLock(str(path))


def extensions_dir() -> str:
    """Where torch builds JIT extensions (DeepSpeed's ops) for this Python environment:
    $TORCH_EXTENSIONS_DIR, else `<torch's default root>/py311_cpu-<hash of sys.prefix>` and the
    like. torch's own default (`py311_cpu`) is one folder for every environment of a machine, and
    torch rebuilds an op there whose build names another environment's paths: a second checkout
    did so while a job of the first loaded the op, which then failed with "module
    'deepspeed_shm_comm' has no attribute 'vector_kernel_level'" (measured on this project's
    machine). The trainers set TORCH_EXTENSIONS_DIR to it (train.engine.import_deepspeed)."""
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
    environment = hashlib.sha256(sys.prefix.encode()).hexdigest()[:8]
    return os.path.join(get_default_build_root(), f"{python}_{accelerator}-{environment}")
