"""The run's queue of models: the driver puts a model's name in once its prepared input is in the
store; each trainer (a model group's leader) takes the next name when it finishes a model. Models
differ in size, so there is no static split: a trainer that drew small models just takes more.

    ModelQueue    held by an async Ray actor that the driver creates (`new_queue`); it outlives
                  the worker group, so a restarted group finds the models still to do

It is also the run's control plane: each trainer's leader reports its model's progress here
(`report`, a bounded actor call: never a file), the driver follows the changes (`changes`, a long
poll) and turns them into the job's records, and a cancel is one `stop` call. The queue outlives
the worker group, so a model's attempt number survives a restart (`record`).

It also decides what a crash costs. When Ray Train restarts the worker group (a rank died), the
new group's rank 0 calls `restart` first: every model still held goes back to the front of the
queue, and counts an attempt only if its own trainer crashed: a rank of its group raised and said
so (`crashed`), or its process died on its own. A rank that Ray Train stopped on purpose (because
another rank died) dies "killed by `ray.kill`" (Ray 2.60's ActorDiedError text), and its model
goes back without an attempt.

There is no run-wide crash budget (Ray Train restarts the group as often as it fails): crashes
blamed on a model end on their own, since a model's attempts are bounded (per_model.MAX_ATTEMPTS).
A restart that blames no model and follows no finished model is idle; after
`TrainConfig.max_idle_restarts` idle restarts in a row the queue gives up (`gave_up` says why):
it gives out no more models, and the next group's ranks return at once (worker.py), so that the
run ends instead of restarting for ever.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from murmur.train.records import TrainProgress

log = logging.getLogger(__name__)

STOPPED_ON_PURPOSE = "killed by `ray.kill`"  # Ray's reason for an actor it was asked to kill
PING_TIMEOUT_S = 10.0
REPORT_TIMEOUT_S = 5.0  # a progress report that cannot reach the queue by then is dropped


@dataclass(frozen=True)
class Taken:
    """A model a trainer took, and whether its previous trainer (in this run) crashed on it."""

    model: str
    crashed: bool = False


class ModelQueue:
    """Model names in the order they were put; what each trainer holds; crashes.

    Every method is a coroutine, so that `take` can wait for a name (or the end) without blocking
    the actor: Ray runs an actor with async methods as an asyncio actor. `max_idle_restarts` is
    the run's TrainConfig.max_idle_restarts.
    """

    def __init__(self, max_idle_restarts: int) -> None:
        self._max_idle_restarts = max_idle_restarts
        self._starts = 0  # worker groups started in this run (the first is no restart)
        self._idle_restarts = 0  # restarts in a row that blamed no model, none finished between
        self._gave_up: str | None = None
        self._waiting: deque[str] = deque()
        self._holding: dict[str, list[Any]] = {}  # model -> actor handles of the ranks on it
        self._crashed: set[str] = set()  # the next `take` of these says `crashed`
        self._closed = False  # no more names will come
        self._stopped = False  # give out no more names
        self._changed = asyncio.Condition()
        # model -> (the version of its last report, that report); dicts keep insertion order,
        # so popping before setting keeps them in the order of their last change
        self._records: dict[str, tuple[int, TrainProgress]] = {}
        self._version = 0  # bumped by every report

    async def report(self, progress: TrainProgress) -> None:
        """A trainer's leader: `progress` is now its model's record (the driver follows it)."""
        async with self._changed:
            self._version += 1
            self._records.pop(progress.model, None)
            self._records[progress.model] = (self._version, progress)
            self._changed.notify_all()

    async def record(self, model: str) -> TrainProgress | None:
        """The model's latest progress in this run, None before any."""
        entry = self._records.get(model)
        return entry[1] if entry else None

    async def changes(self, after: int, timeout_s: float = 1.0) -> tuple[int, list[TrainProgress]]:
        """The records changed since version `after`, in the order they changed, and the version
        they bring it to; waits up to `timeout_s` seconds for one (else returns none)."""
        async with self._changed:
            if self._version <= after and timeout_s > 0:
                try:
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: self._version > after), timeout_s
                    )
                except asyncio.TimeoutError:  # (not TimeoutError: Python 3.10's differs)
                    return after, []
            changed = [progress for version, progress in self._records.values() if version > after]
            return max(self._version, after), changed

    async def stopped(self) -> bool:
        """Whether a stop (a cancel) was asked."""
        return self._stopped

    async def put(self, model: str) -> None:
        """Queue `model` (its input must be in the store already)."""
        async with self._changed:
            self._waiting.append(model)
            self._changed.notify_all()

    async def close(self) -> None:
        """No more names will come: trainers that find the queue empty stop."""
        async with self._changed:
            self._closed = True
            self._changed.notify_all()

    async def stop(self) -> None:
        """Give out no more names (a cancel): every trainer stops after its model."""
        async with self._changed:
            self._stopped = True
            self._changed.notify_all()

    async def take(self, holders: list[Any]) -> Taken | None:
        """The next model, held by the ranks `holders` (their actor handles) until `done`; waits
        while the queue is empty but open. None once stopped, or closed and empty."""
        async with self._changed:
            await self._changed.wait_for(
                lambda: bool(self._waiting) or self._closed or self._stopped or bool(self._gave_up)
            )
            if self._stopped or self._gave_up or not self._waiting:
                return None
            model = self._waiting.popleft()
            self._holding[model] = list(holders)
            crashed = model in self._crashed
            self._crashed.discard(model)
            return Taken(model, crashed)

    async def done(self, model: str) -> None:
        """`model` is finished (published or failed, its result in the store)."""
        self._holding.pop(model, None)
        self._idle_restarts = 0

    async def crashed(self, model: str) -> None:
        """A rank training `model` raised and is about to take its worker group down."""
        self._crashed.add(model)

    async def restart(self) -> list[str]:
        """A new worker group starts: the models still held go back to the front of the queue, in
        the order they were taken; those whose own trainer crashed are marked. Returns them."""
        interrupted = list(self._holding)
        for model in interrupted:
            holders = self._holding.pop(model)
            if model not in self._crashed and await _any_died_on_its_own(holders):
                self._crashed.add(model)
        self._starts += 1
        blamed = any(model in self._crashed for model in interrupted)
        self._idle_restarts = 0 if blamed or self._starts == 1 else self._idle_restarts + 1
        async with self._changed:
            self._waiting.extendleft(reversed(interrupted))
            if self._idle_restarts > self._max_idle_restarts:
                times = f"{self._idle_restarts} time{'s' if self._idle_restarts > 1 else ''}"
                self._gave_up = (
                    f"the worker group crashed {times} in a row with no model's training to "
                    "blame and no model finished in between (see the trainers' logs above)"
                )
                log.error("giving up: %s", self._gave_up)
            self._changed.notify_all()
        if interrupted:
            log.info(
                "worker group restarted: %s back in the queue (own trainer crashed: %s)",
                ", ".join(interrupted),
                ", ".join(m for m in interrupted if m in self._crashed) or "none",
            )
        return interrupted

    async def gave_up(self) -> str | None:
        """Why the queue gave up on the run (too many idle restarts), None while it has not."""
        return self._gave_up

    async def counts(self) -> dict[str, int]:
        """How many models wait and how many are held (for progress and tests)."""
        return {"waiting": len(self._waiting), "holding": len(self._holding)}


async def _any_died_on_its_own(holders: list[Any]) -> bool:
    """True when one of the actors died other than by `ray.kill` (a crash, the OOM killer)."""
    import ray

    for holder in holders:
        try:
            await asyncio.wait_for(holder.__ray_ready__.remote(), PING_TIMEOUT_S)
        except ray.exceptions.RayActorError as e:
            if STOPPED_ON_PURPOSE not in str(e):
                return True
        except Exception:  # alive but slow, or unknown: not counted against the model
            continue
    return False


def report_progress(queue: Any, progress: TrainProgress) -> None:
    """Report `progress` to the run's queue (`queue` None: nowhere), stamped with this process
    (its pid; `worker` when it has none). Waits at most REPORT_TIMEOUT_S seconds: a report that
    cannot reach the queue is logged and dropped, never blocks training (the model's result is
    still stored at its end)."""
    if queue is None:
        return
    progress = progress.model_copy(
        update={
            "worker": progress.worker or f"pid {os.getpid()}",
            "pid": os.getpid(),
            "updated": time.time(),
        }
    )
    _ask(queue.report, progress, what=f"{progress.model}: progress not reported to the queue")


def last_progress(queue: Any, model: str) -> TrainProgress | None:
    """The model's latest progress in this run (the queue's record); None before any, without a
    queue (`queue` None), or when the queue does not answer within REPORT_TIMEOUT_S seconds."""
    if queue is None:
        return None
    answer: TrainProgress | None = _ask(
        queue.record, model, what=f"{model}: the queue did not say its last attempt"
    )
    return answer


def _ask(method: Any, arg: Any, what: str) -> Any:
    """`method.remote(arg)` on the queue actor, waited for at most REPORT_TIMEOUT_S seconds; None
    (with `what` and the reason logged) when it fails or times out: a trainer never blocks on
    the queue's bookkeeping."""
    import ray

    try:
        return ray.get(method.remote(arg), timeout=REPORT_TIMEOUT_S)
    except Exception as e:  # the queue is busy or gone (the run is ending)
        log.warning("%s: %s", what, e)
        return None


def new_queue(max_idle_restarts: int) -> Any:
    """A ModelQueue (giving up after `max_idle_restarts` idle restarts in a row) in a Ray actor
    owned by this process (no CPU: it only waits), on this
    process's node: a 0-CPU actor may otherwise land on any node, and a lost worker node would
    take the run's queue with it (Ray Train V2 keeps its controller on the driver's node too)."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
    return (
        ray.remote(num_cpus=0)(ModelQueue)
        .options(scheduling_strategy=here)
        .remote(max_idle_restarts)
    )


def current_actor() -> Any:
    """This Ray worker's own actor handle (a Ray Train rank is an actor), None outside one."""
    import ray

    try:
        return ray.get_runtime_context().current_actor
    except Exception:
        return None
