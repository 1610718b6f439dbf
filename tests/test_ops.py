"""A DeepSpeed op build killed half-way never hangs a later one (murmur.train.ops): torch waits
without end on the `lock` file a killed build leaves, and on a fresh CI machine one such lock held
every later training test until the run's limit."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from murmur.core.paths import extensions_dir

HOLD = """
import time
from murmur.core.paths import file_lock
from murmur.train.ops import build_lock_path
with file_lock(build_lock_path("deepspeed_shm_comm")):
    print("held", flush=True)
    time.sleep(600)
"""

BUILD = """
from murmur.train.config import TrainConfig
from murmur.train.engine import import_deepspeed
from murmur.train.ops import build_ops
config = TrainConfig(base_model="tiny")
deepspeed = import_deepspeed(config)
print("imported", flush=True)
build_ops(config, deepspeed)
print("built", flush=True)
"""


def test_a_live_build_is_waited_for_and_a_killed_ones_lock_removed() -> None:
    """A builder waits while another murmur process builds (holds murmur's build lock), and
    leaves torch's lock alone. That process is then SIGKILLed half-way, leaving torch's lock
    behind as a killed build does: the kernel frees murmur's lock, and the waiting builder
    removes torch's and builds (or loads) the op."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True)
    builder = None
    torch_lock = Path(extensions_dir()) / "deepspeed_shm_comm" / "lock"
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        torch_lock.parent.mkdir(parents=True, exist_ok=True)
        torch_lock.write_text("")  # what the holder's build would hold; left when it is killed
        builder = subprocess.Popen(
            [sys.executable, "-c", BUILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert builder.stdout is not None
        assert "imported\n" in iter(builder.stdout.readline, "")  # DeepSpeed may print first
        time.sleep(2.0)
        assert builder.poll() is None, builder.communicate()  # waits for the live build
        assert torch_lock.exists()  # and leaves the live build's lock alone
        holder.kill()  # SIGKILL: no cleanup, torch's lock stays
        holder.wait()
        out, err = builder.communicate(timeout=600)  # a first build compiles (~100 s)
        assert builder.returncode == 0, err[-3000:]
        assert out.splitlines()[-1:] == ["built"]
        assert not torch_lock.exists()
        assert "was killed half-way" in err
    finally:
        holder.kill()
        if builder is not None and builder.poll() is None:
            builder.kill()
        torch_lock.unlink(missing_ok=True)
