"""Task parallelism: N trainers take models from one queue and train different models at once,
and a model trains the same whatever the number of trainers."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from murmur.core.handles import parse_model_spec
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.prepare import PreparedModel, prepare_model
from murmur.train import TrainConfig, TrainProgress, TrainResult, train_models
from murmur.train.model_queue import Taken

# Six small models (four accounts, two combined), a few steps each.
MODELS = [
    "sample_baker",
    "sample_hiker",
    "sample_coder",
    "sample_gardener",
    "sample_baker+sample_hiker",
    "sample_coder+sample_gardener",
]
TINY = {
    "base_model": "tiny",
    "block_size": 128,
    "micro_batch": 4,
    "lr": 2e-3,
    "max_steps": 6,
    "log_every": 3,
    "wandb": False,
}


def _prepared(samples: Path, store: Store) -> list[PreparedModel]:
    out = []
    for raw in MODELS:
        outcome = prepare_model(parse_model_spec(raw), tweets_dir=samples, store=store)
        assert outcome.prepared is not None, outcome.error
        out.append(outcome.prepared)
    return out


# ---- the queue, without Ray: order, the end, and what a crash costs ------------------------------
class _Holder:
    """A stand-in for a rank's actor handle: `__ray_ready__.remote()` answers or raises."""

    def __init__(self, death: str | None) -> None:
        self.death = death
        self.__ray_ready__ = self

    def remote(self) -> Any:
        async def ready() -> None:
            if self.death is not None:
                from ray.exceptions import RayActorError

                raise RayActorError(error_msg=self.death)

        return ready()


def test_the_queue_gives_models_in_order_until_closed_or_stopped() -> None:
    from murmur.train.model_queue import ModelQueue

    async def scenario() -> list[Any]:
        q = ModelQueue(max_idle_restarts=3)
        await q.put("a")
        await q.put("b")
        first = await q.take([])
        waiting = asyncio.ensure_future(q.take([]))  # gets "b"
        late = asyncio.ensure_future(q.take([]))  # waits: the queue is empty but open
        await asyncio.sleep(0.01)
        assert not late.done()
        await q.close()
        return [first, await waiting, await late]

    assert asyncio.run(scenario()) == [Taken("a"), Taken("b"), None]

    async def stopped() -> Taken | None:
        q = ModelQueue(max_idle_restarts=3)
        await q.put("a")
        await q.stop()
        return await q.take([])

    assert asyncio.run(stopped()) is None


def test_a_restart_counts_a_crash_only_for_the_model_whose_own_worker_crashed() -> None:
    """Ray Train stops the other ranks with ray.kill: their models go back without a crash."""
    from murmur.train.model_queue import STOPPED_ON_PURPOSE, ModelQueue

    async def scenario() -> list[Taken | None]:
        q = ModelQueue(max_idle_restarts=3)
        for m in ("crashed", "innocent", "raised", "next"):
            await q.put(m)
        await q.take([_Holder("worker process has died: SYSTEM_ERROR")])
        await q.take([_Holder(f"The actor is dead because it was {STOPPED_ON_PURPOSE}.")])
        await q.take([_Holder(f"it was {STOPPED_ON_PURPOSE}")])
        await q.crashed("raised")  # a rank of its group raised and said so
        assert await q.restart() == ["crashed", "innocent", "raised"]
        await q.close()
        return [await q.take([]) for _ in range(5)]

    assert asyncio.run(scenario()) == [
        Taken("crashed", crashed=True),
        Taken("innocent", crashed=False),
        Taken("raised", crashed=True),
        Taken("next"),
        None,
    ]


def test_idle_restarts_in_a_row_make_the_queue_give_up_and_a_finished_model_resets_them() -> None:
    """No run-wide crash budget, but no endless restarts either: restarts that blame no model and
    follow no finished model end the run after `max_idle_restarts` in a row."""
    from murmur.train.model_queue import ModelQueue

    async def scenario() -> tuple[list[str | None], Taken | None]:
        q = ModelQueue(max_idle_restarts=2)
        for m in ("a", "b"):
            await q.put(m)
        await q.restart()  # the first group's start: no restart
        said = [await q.gave_up()]
        await q.restart(), await q.restart()  # two idle restarts: still within the bound
        said.append(await q.gave_up())
        taken = await q.take([])  # "a", finished: the count starts again
        assert taken == Taken("a")
        await q.done("a")
        await q.restart(), await q.restart()
        said.append(await q.gave_up())
        await q.restart()  # the third in a row
        said.append(await q.gave_up())
        return said, await q.take([])

    said, after = asyncio.run(scenario())
    assert said[:3] == [None, None, None]
    assert said[3] is not None and "3 times in a row" in said[3]
    assert after is None  # it gives out no more models ("b" is failed by the driver)


# ---- Ray Train + DeepSpeed -----------------------------------------------------------------------
def _interval(r: TrainResult) -> tuple[float, float]:
    assert r.training_started and r.training_ended, r
    assert r.training_started.endswith("Z") and r.training_ended.endswith("Z")
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
    start = datetime.strptime(r.training_started, fmt).timestamp()
    return start, datetime.strptime(r.training_ended, fmt).timestamp()


def _overlapping_pairs(results: list[TrainResult]) -> list[tuple[str, str]]:
    """Pairs of models trained at the same time by different workers."""
    pairs = []
    for i, a in enumerate(results):
        for b in results[i + 1 :]:
            (a0, a1), (b0, b1) = _interval(a), _interval(b)
            if a.worker != b.worker and a0 < b1 and b0 < a1:
                pairs.append((a.model, b.model))
    return pairs


@pytest.mark.ray
@pytest.mark.slow
def test_two_trainers_train_models_at_once_and_as_one_trainer_does(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    prepared = _prepared(samples, Store(str(store_dir / "prep")))
    two, one = Store(str(store_dir / "two")), Store(str(store_dir / "one"))
    events: list[TrainProgress] = []
    parallel = train_models(
        prepared,
        TrainConfig(**TINY, num_workers=2),
        two,
        run_name="two-trainers",
        on_progress=events.append,
        poll_s=0.2,
    )
    assert [r.model for r in parallel] == [p.name for p in prepared]
    assert all(r.status == ModelState.PUBLISHED for r in parallel), [r.error for r in parallel]
    assert all(two.has_model(r.model) for r in parallel)
    workers = {r.worker for r in parallel}
    assert len(workers) == 2 and all(w and ":" in w for w in workers), workers
    assert _overlapping_pairs(parallel), [(r.model, r.worker, _interval(r)) for r in parallel]
    assert {e.worker for e in events if e.state == ModelState.TRAINING} == workers
    assert all({"queue_wait", "train", "publish"} <= set(r.timings) for r in parallel)

    serial = train_models(prepared, TrainConfig(**TINY), one, run_name="one-trainer")
    for a, b in zip(parallel, serial, strict=True):
        assert b.status == ModelState.PUBLISHED, b.error
        hp = [s.load_manifest(a.model).hyperparameters for s in (two, one)]
        assert hp[0].pop("worker") == a.worker and hp[1].pop("worker") == b.worker
        assert hp[0] == hp[1], a.model
        assert a.val_loss_after == pytest.approx(b.val_loss_after, abs=1e-4), a.model
        assert a.steps == b.steps == 6

    # The same run again: every model has its result, nothing is trained (no worker group).
    assert (
        train_models(prepared, TrainConfig(**TINY, num_workers=2), two, run_name="two-trainers")
        == parallel
    )
