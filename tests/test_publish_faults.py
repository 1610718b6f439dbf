"""The publisher never hangs fit(): a store error fails that model with its reason, a result that
cannot be recorded is logged, and the trainer's queue of finished models keeps moving."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from murmur.core.handles import parse_model_spec
from murmur.core.states import ModelState
from murmur.core.store import Store
from murmur.data.prepare import prepare_model
from murmur.train import publishing
from murmur.train.config import TrainConfig
from murmur.train.publishing import Finished, Publisher
from murmur.train.records import TrainResult
from murmur.train.training_run import train_models


class _Run:
    """RunFiles' write of a result, which fails as a store that stays down would."""

    def __init__(self) -> None:
        self.recorded: list[str] = []

    def write_result(self, result: TrainResult) -> None:
        if result.model == "unrecordable":
            raise OSError("the store went away")
        self.recorded.append(result.model)


def test_an_unrecordable_result_does_not_stop_the_publisher() -> None:
    run = _Run()
    publisher = Publisher(SimpleNamespace(run=run, queue=None))  # type: ignore[arg-type]
    t0 = time.perf_counter()
    for name in ("unrecordable", "weightless", "after"):
        # FAILED results are recorded without publishing; "weightless" claims PUBLISHED but
        # has no weights: it fails with that reason instead of ending the thread.
        status = ModelState.PUBLISHED if name == "weightless" else ModelState.FAILED
        publisher.submit(Finished(TrainResult(model=name, status=status)))
    publisher.close()
    assert time.perf_counter() - t0 < 5
    assert run.recorded == ["weightless", "after"]


def test_a_dead_publisher_fails_submit_in_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishing, "WAIT_S", 0.5)
    publisher = Publisher(SimpleNamespace(run=_Run(), queue=None))  # type: ignore[arg-type]
    publisher.close()  # the thread ends: nothing takes from the queue any more
    with pytest.raises(publishing.TrainingError, match="publisher took no model"):
        for _ in range(publishing.MAX_PENDING + 1):
            publisher.submit(Finished(TrainResult(model="x", status=ModelState.FAILED)))


@pytest.mark.ray
@pytest.mark.slow
def test_a_store_error_fails_that_model_and_the_run_finishes(
    ray_cluster: None, samples: Path, store_dir: Path
) -> None:
    store = Store(str(store_dir))
    prepared = [
        prepare_model(parse_model_spec(h), tweets_dir=samples, store=store).prepared
        for h in ("sample_baker", "sample_hiker")
    ]
    assert all(p is not None for p in prepared)
    # A real store error: a file where sample_baker's version folder goes (ENOTDIR on publish).
    (store_dir / ".versions").mkdir()
    (store_dir / ".versions" / "sample_baker").write_text("in the way")
    config = TrainConfig(base_model="tiny", block_size=128, micro_batch=8, max_steps=3, wandb=False)
    baker, hiker = train_models(prepared, config, store, run_name="store-error")  # type: ignore[arg-type]
    assert baker.status == ModelState.FAILED
    assert (baker.error or "").startswith("publishing failed: NotADirectoryError")
    assert hiker.status == ModelState.PUBLISHED and store.has_model("sample_hiker")
    assert not store.has_model("sample_baker")
