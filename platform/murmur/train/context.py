"""What a rank keeps for every model it trains (`WorkerContext`), and its clock for one model."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from murmur.train.collectives import ModelGroup
from murmur.train.config import TrainConfig
from murmur.train.runfiles import RunFiles

if TYPE_CHECKING:
    from murmur.core.store import Store
    from murmur.train.engine import Base
    from murmur.train.model_tracker import Tracker


@dataclass
class WorkerContext:
    """What stays the same for every model a rank trains."""

    config: TrainConfig
    base: Base
    run: RunFiles
    store: Store
    group: ModelGroup
    """This rank's model group (the ranks that train a model together)."""
    rank: int
    """The global rank in the worker group."""
    queue: Any
    """The run's ModelQueue actor (None when run without one)."""
    tracker: Tracker
    """This trainer's W&B thread (does nothing off the group leader)."""
    worker_name: str
    """`host:rank` of the group's leader: who trained a model, in records and manifests."""


@dataclass
class Clock:
    """One model's wall clock: seconds since its start, and per phase."""

    t0: float = field(default_factory=time.perf_counter)
    t: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str) -> None:
        """Add the time since the last lap (or restart) to `phase`."""
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - self.t, 4)
        self.t = now

    def restart(self) -> None:
        self.t = time.perf_counter()

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.t0, 3)
