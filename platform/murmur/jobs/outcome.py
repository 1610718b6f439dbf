"""What `murmur train` reports: one outcome per model asked for, read from its job's records.

The work itself is `murmur.jobs.driver.run_job` (one Ray job: prepare tasks, then ONE training
run); this module turns the job's per-model records into the outcomes `murmur train` prints as a
table or as JSON: a model is "published" (newly, or already and skipped) or "failed" with its
reason. Invalid handles come first, as refused before any I/O, then the models in the order asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from murmur.jobs.state import FAILED, PUBLISHED, SKIPPED, AccountRecord
from murmur.models.manifest import HandleStats

FIGURES = ("tweets_downloaded", "retweets", "short_tweets", "tweets_kept")


@dataclass
class ModelOutcome:
    """One model's end state, as `murmur train` prints it."""

    model: str  # the model name, or the refused text of an invalid handle
    handles: list[str]
    stats: list[HandleStats]
    status: str  # "published" or "failed"
    error: str | None = None
    path: str | None = None
    val_loss_before: float | None = None
    val_loss_after: float | None = None
    skipped: bool = False  # already published: not trained again (without --force)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == PUBLISHED

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "handles": [
                {"handle": s.handle, **{f: getattr(s, f) for f in FIGURES}} for s in self.stats
            ],
            "status": self.status,
            "error": self.error,
            "path": self.path,
            "val_loss_before": self.val_loss_before,
            "val_loss_after": self.val_loss_after,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


def outcome_of(record: AccountRecord) -> ModelOutcome:
    """A model's outcome from its job record (failed, cancelled and unfinished count as failed)."""
    r = record.result
    ok = record.state in (PUBLISHED, SKIPPED)
    return ModelOutcome(
        model=record.model,
        handles=list(record.handles),
        stats=[HandleStats(**s) for s in r.get("stats", [])],
        status=PUBLISHED if ok else FAILED,
        error=None if ok else (record.reason or f"the job left this model {record.state}"),
        path=r.get("path") if ok else None,
        val_loss_before=r.get("val_loss_before"),
        val_loss_after=r.get("val_loss_after"),
        skipped=record.state == SKIPPED,
        warnings=list(r.get("warnings", [])),
    )


def job_outcomes(
    accounts: list[AccountRecord], refused: list[dict[str, str]]
) -> list[ModelOutcome]:
    """Every model a job was asked for: refused handles first, then the models in order."""
    outcomes = [ModelOutcome(r["handle"], [], [], FAILED, error=r["reason"]) for r in refused]
    return outcomes + [outcome_of(a) for a in accounts]
