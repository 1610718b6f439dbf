"""This machine's files outside the store: murmur's cache folder, and locks on local files.

cache_dir()      $MURMUR_CACHE, else ~/.cache/murmur (built base models, models copied from
                 an object store)
file_lock(path)  an exclusive lock between processes of this machine (filelock)
"""

from __future__ import annotations

import os
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
