"""What training reports about one model: its final `TrainResult`, and `TrainProgress` on the way.

Two records, not one, because they answer different questions. A result is written once, when the
model is published or failed, and `train_models` returns it; progress is rank 0's running status,
rewritten at every log interval (step, loss, tokens/s, which worker), and carries the result once
there is one. Merging them would give every result fields that only mean something mid-training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from murmur.core.states import ModelState


class TrainResult(BaseModel):
    """One model's outcome, as the driver returns it and the store keeps it (results/<model>.json)."""

    model: str
    status: ModelState
    """PUBLISHED or FAILED."""
    error: str | None = None
    """Why it failed, in one line."""
    path: str | None = None
    """models/<name> in the store, once published."""
    val_loss_before: float | None = None
    """Mean loss per validation token of the base model (nats)."""
    val_loss_after: float | None = None
    """The same after fine-tuning."""
    train_tokens: int = 0
    """Tokens trained, all ranks together."""
    steps: int = 0
    """Optimizer steps."""
    seconds: float = 0.0
    """This model's wall time in the worker, fixed costs included."""
    tokens_per_s: float = 0.0
    """Training throughput, while in steps only."""
    attempt: int = 1
    """1, or 2 when its own worker crashed while training it and it started over (a restart
    caused by another model's crash does not count)."""
    worker: str | None = None
    """The trainer that trained it: `<node IP>/<node id>:<rank>` of its group's leader
    (worker._trainer_name)."""
    training_started: str | None = None
    """When that trainer took it from the queue (ISO 8601 UTC, `Z`)."""
    training_ended: str | None = None
    """When its steps and evaluations ended, before publishing (ISO 8601 UTC, `Z`)."""
    timings: dict[str, float] = Field(default_factory=dict)
    """Seconds per phase: queue_wait, data, tracking, engine_init, eval_before, train, eval_after,
    gather, release, publish (in the background), ..."""
    wandb: dict[str, str] = Field(default_factory=dict)
    """W&B run URLs by kind (`train`)."""

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TrainResult:
        """The record of `to_json`'s dict (keys it does not know are ignored)."""
        return cls.model_validate(d)


class TrainProgress(BaseModel):
    """A change in one model's training, as its group leader reports it to the run's queue and
    `on_progress` receives it."""

    model: str
    state: ModelState
    """TRAINING, then PUBLISHED or FAILED."""
    attempt: int
    """Which try this is (0 for a model the run never reached)."""
    step: int = 0
    """The last optimizer step logged."""
    steps: int = 0
    """Steps this model takes in all."""
    loss: float | None = None
    """Mean training loss since the previous log line."""
    tokens_per_s: float | None = None
    """Training throughput since the previous log line."""
    error: str | None = None
    """Why the last attempt stopped, when it crashed."""
    worker: str | None = None
    """The trainer training it: `<node IP>/<node id>:<rank>` of its group's leader
    (worker._trainer_name)."""
    pid: int | None = None
    """That leader's process id (model_queue.report_progress stamps it)."""
    updated: float | None = None
    """When it was reported (Unix seconds)."""
    training_started: str | None = None
    """When that trainer took it from the queue (ISO 8601 UTC, `Z`)."""
    result: TrainResult | None = None
    """The final result, once there is one."""


ProgressFn = Callable[[TrainProgress], None]
