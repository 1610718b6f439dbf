"""A heartbeat names its PID namespace: a driver in another container with the same host name is
not judged dead by a PID that only exists over there."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from murmur.jobs.leases import Heartbeat, pid_space


def _gone_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_a_pid_is_checked_only_in_its_own_namespace() -> None:
    here = pid_space()
    assert here and here.count(":") == 1  # boot id : namespace inode (Linux)
    beat = Heartbeat(
        job="train-x",
        renewed=time.time(),
        timeout_s=60,
        host=socket.gethostname(),
        pid=_gone_pid(),
        pid_space=here,
    )
    assert beat.alive(time.time()) is False  # this namespace, a process that is gone: dead
    twin = beat.model_copy(update={"pid_space": "other-boot:4026531836"})
    assert twin.alive(time.time()) is True  # a same-named container's live driver
    assert twin.alive(time.time() + 61) is False  # ... until its heartbeat times out
    old = beat.model_copy(update={"pid_space": ""})  # written by a murmur before this field
    assert old.alive(time.time()) is False
