"""The states a model and a job go through: the one place their strings are written.

A model (one handle, or up to three combined) moves through a job as

    queued -> fetching -> prepared -> training -> published
                 \\            \\           \\-> failed (with its reason)
    skipped (already published)      cancelled (the job stopped before reaching it)

and a job is `pending` (submitted to a cluster, its driver not started), `running`, then
`succeeded` (every model published or skipped), `failed` or `cancelled`.
"""

from __future__ import annotations

from enum import Enum


class _StrEnum(str, Enum):
    """A str enum whose str() and format() are its value on every Python (3.10 has no StrEnum)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class ModelState(_StrEnum):
    """Where one model stands in a job; also a training result's status (published/failed)."""

    QUEUED = "queued"
    FETCHING = "fetching"
    PREPARED = "prepared"
    TRAINING = "training"
    PUBLISHED = "published"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        """True once the model will not change again in this job."""
        return self in FINAL_STATES


class JobStatus(_StrEnum):
    """Where a whole job stands."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in FINAL_JOB_STATUSES


FINAL_STATES = frozenset(
    {ModelState.PUBLISHED, ModelState.FAILED, ModelState.SKIPPED, ModelState.CANCELLED}
)
FINAL_JOB_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})
