"""The run's queue as its control plane (train/model_queue.py), without Ray: trainers report
progress to it, the driver follows the changes by a long poll, and a stop ends every `take`."""

from __future__ import annotations

import asyncio
import time

from murmur.core.states import ModelState
from murmur.train.model_queue import ModelQueue
from murmur.train.records import TrainProgress


def _progress(model: str, step: int) -> TrainProgress:
    return TrainProgress(model=model, state=ModelState.TRAINING, attempt=1, step=step)


def test_changes_give_each_models_latest_record_in_the_order_they_changed() -> None:
    async def run() -> None:
        queue = ModelQueue(max_idle_restarts=3)
        assert await queue.changes(0, 0.0) == (0, [])  # nothing yet, no wait
        await queue.report(_progress("a", 1))
        await queue.report(_progress("b", 1))
        await queue.report(_progress("a", 2))  # a's newer record replaces its first
        version, changed = await queue.changes(0, 0.0)
        assert version == 3
        assert [(p.model, p.step) for p in changed] == [("b", 1), ("a", 2)]
        assert await queue.changes(version, 0.0) == (version, [])  # nothing new since
        record = await queue.record("a")
        assert record is not None and record.step == 2
        assert await queue.record("c") is None

    asyncio.run(run())


def test_a_long_poll_returns_as_soon_as_a_report_comes_and_times_out_without() -> None:
    async def run() -> None:
        queue = ModelQueue(max_idle_restarts=3)
        t0 = time.perf_counter()
        assert await queue.changes(0, 0.2) == (0, [])
        assert time.perf_counter() - t0 >= 0.19  # it waited for a change that did not come

        async def later() -> None:
            await asyncio.sleep(0.05)
            await queue.report(_progress("a", 7))

        t0 = time.perf_counter()
        task = asyncio.create_task(later())
        version, changed = await queue.changes(0, 10.0)
        await task
        assert time.perf_counter() - t0 < 5.0  # woken by the report, not by the timeout
        assert version == 1 and [p.step for p in changed] == [7]

    asyncio.run(run())


def test_a_stop_ends_waiting_takes_and_says_so() -> None:
    async def run() -> None:
        queue = ModelQueue(max_idle_restarts=3)
        waiting = asyncio.create_task(queue.take([]))
        await asyncio.sleep(0.01)
        assert not await queue.stopped()
        await queue.stop()
        assert await asyncio.wait_for(waiting, 5.0) is None
        assert await queue.stopped()
        await queue.put("late")
        assert await queue.take([]) is None  # a stopped queue gives out nothing

    asyncio.run(run())
