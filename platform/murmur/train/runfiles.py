"""A training run's files in the store, so that every worker of a cluster reads them:

<store>/train/<run>/inputs/<model>.json    a prepared model (texts and figures), written by
                                           whoever prepared it (a prepare task, the driver)
<store>/train/<run>/results/<model>.json   the model's TrainResult, once published or failed
<store>/checkpoints/<run>/                 Ray Train's run folder (no checkpoints: the results
                                           above say which models are done)

A model's progress while it trains is not a file: its trainer reports it to the run's queue
(model_queue.py), and the job's record of the model (jobs/<job>/accounts/) is the one copy in the
store. A stop (`murmur cancel`) is the queue's `stop`, also not a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from murmur.core.errors import MurmurError
from murmur.core.handles import ModelSpec, validate_model_name
from murmur.core.job_ids import check_job_id
from murmur.core.manifest import HandleStats
from murmur.core.seeds import DEFAULT_SEED
from murmur.train.records import TrainResult

if TYPE_CHECKING:
    from murmur.core.store import Store
    from murmur.data.prepare import PreparedModel


class RunFiles:
    """Paths and records of one training run in the store (see the module docstring).

    A run's name is its job's id, checked by the job id's rule (ConfigError otherwise).
    """

    def __init__(self, store: Store, run_name: str) -> None:
        self.store = store
        self.run_name = check_job_id(run_name)

    def _path(self, kind: str, model: str) -> str:
        return self.store.path("train", self.run_name, kind, f"{validate_model_name(model)}.json")

    def write_input(self, prepared: PreparedModel) -> None:
        """Store a prepared model for the workers (its seed is the model's own)."""
        self.store.write_json(
            self._path("inputs", prepared.name),
            {
                "handles": list(prepared.spec.handles),
                "stats": [s.to_json() for s in prepared.stats],
                "train_text": prepared.train_text,
                "val_text": prepared.val_text,
                "seed": prepared.seed,
                "warnings": list(prepared.warnings),
                "wandb": dict(prepared.wandb),
                "posts_read_at": dict(prepared.posts_read_at),
                "refresh": prepared.refresh.to_json() if prepared.refresh else None,
            },
        )

    def read_input(self, model: str) -> PreparedModel:
        """The prepared model `write_input` stored. Raises FileNotFoundError without one."""
        from murmur.data.prepare import PreparedModel, RefreshPlan

        d = self.store.read_json(self._path("inputs", model))
        refresh = d.get("refresh")
        return PreparedModel(
            spec=ModelSpec(tuple(d["handles"])),
            stats=[HandleStats(**s) for s in d["stats"]],
            train_text=d["train_text"],
            val_text=d["val_text"],
            seed=d.get("seed", DEFAULT_SEED),
            warnings=list(d.get("warnings", [])),
            wandb=dict(d.get("wandb", {})),
            posts_read_at=dict(d.get("posts_read_at", {})),
            refresh=RefreshPlan.from_json(refresh) if refresh else None,
        )

    def remove_input(self, model: str) -> None:
        path = self._path("inputs", model)
        if self.store.exists(path):
            self.store.fs.rm(path)

    def write_result(self, result: TrainResult) -> None:
        self.store.write_json(self._path("results", result.model), result.to_json())

    def read_result(self, model: str) -> TrainResult | None:
        """The model's final result, or None before there is one."""
        try:
            return TrainResult.from_json(self.store.read_json(self._path("results", model)))
        except (FileNotFoundError, MurmurError):
            return None


def checkpoint_storage_path(store: Store) -> str:
    """Ray Train's storage_path: `<store>/checkpoints`, as a path or URI Ray understands."""
    return store.path("checkpoints") if store.is_local else f"{store.uri.rstrip('/')}/checkpoints"
