"""What a training job is asked to do (JobRequest) and how it ended (JobOutcome).

A JobRequest is one JSON document: `murmur train` (or `murmur refresh`) builds it, job.json keeps it as the job's
`args`, and a job submitted to a cluster receives it whole as its entry point's argument
(`python -m murmur.jobs.run --request JSON`). It holds no secret: tokens and keys come from the
environment of the processes that need them.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from murmur.core.errors import ConfigError, dotted, validation_line
from murmur.core.seeds import DEFAULT_SEED
from murmur.core.states import JobStatus
from murmur.data.sources import DEFAULT_MAX_POSTS
from murmur.jobs.state import AccountRecord
from murmur.train import TrainConfig


class RefreshOptions(BaseModel):
    """What makes a job a refresh (`murmur refresh`): its prepare step reads each bot's new posts
    (murmur.data.refresh_plan) and its trainers start from the bot's published version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_base: bool = False
    """`--from-base`: train from the base model on every post, as `murmur train --force` does,
    instead of continuing from the published weights (or adapter)."""
    check_deleted: bool = False
    """`--check-deleted`: look for deleted posts where that costs a request per post (Mastodon)."""


class JobRequest(BaseModel):
    """Everything one training job needs, as `murmur train` (or `murmur refresh`) asks for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    handles: list[str] = Field(min_length=1)
    """Handles as typed (`@name`, `a+b+c` for a combined model); the driver refuses bad ones."""
    tweets_dir: str | None = None
    """A folder of archive exports / JSONL files read by the job's tasks; None: the store's raw
    tweets, else the X API. A job submitted to a cluster never has one (see `staging_errors`)."""
    base_model: str | None = None
    """A model id, path or preset (`tiny`); None: TrainConfig's default."""
    force: bool = False
    """Train again models already published."""
    redownload: bool = False
    """Download every post again instead of using the store's copy (`--redownload`; a request
    written before the rename says `"refresh": true`, read as this)."""
    refresh: RefreshOptions | None = None
    """Set for a `murmur refresh` job: every model is a published bot to bring up to date."""
    max_posts: int = Field(default=DEFAULT_MAX_POSTS, ge=1)
    """Most recent posts read per account from its network (X, Bluesky, Mastodon): 3,200."""
    seed: int = DEFAULT_SEED
    use_wandb: bool = True
    eval: bool = False
    """`murmur train --eval`: judge the job's published models together at its end
    (murmur.evals.fidelity.evaluate_after_job); skipped with fewer than 2."""
    train: dict[str, Any] = Field(default_factory=dict)
    """TrainConfig fields other than base_model, seed and wandb (murmur train gives them all)."""
    staging_errors: dict[str, str] = Field(default_factory=dict)
    """Handle -> why its tweets could not be staged from the submitter's --tweets folder: the job
    fails those handles' models with that reason instead of fetching them elsewhere."""
    job_id: str | None = None
    """The job's id; set for a submitted job (its entry point runs that job)."""
    store: str | None = None
    """The store's URI; set for a submitted job."""

    @model_validator(mode="before")
    @classmethod
    def _legacy_refresh(cls, data: Any) -> Any:
        """job.json of a job made before `--refresh` became `--redownload`: its boolean
        `refresh` is `redownload` (a resumed old job keeps its meaning)."""
        if isinstance(data, dict) and isinstance(data.get("refresh"), bool):
            data = dict(data)
            data["redownload"] = data.pop("refresh") or bool(data.get("redownload"))
        return data

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, doc: str | dict[str, Any]) -> JobRequest:
        """A request from its JSON text or parsed document. Raises ConfigError, in one line
        naming each bad field, for anything that is not a valid request."""
        try:
            if isinstance(doc, str):
                return cls.model_validate_json(doc)
            return cls.model_validate(doc)
        except ValidationError as e:
            errors = e.errors()
            problems = validation_line(errors, name=lambda loc: dotted(loc) or "document")
            if any(err["type"] == "extra_forbidden" for err in errors):
                problems += f" (known fields: {', '.join(cls.model_fields)})"
            raise ConfigError(f"invalid job request: {problems}") from None

    def dumps(self) -> str:
        """The request as compact JSON text (what the entry point takes)."""
        return json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False)

    def train_config(self) -> TrainConfig:
        """The TrainConfig of this request: its explicit `train` fields over its base model, seed
        and W&B choice. Raises ConfigError naming any bad value or unknown field."""
        base = {} if self.base_model is None else {"base_model": self.base_model}
        return TrainConfig.from_json(
            {**base, "seed": self.seed, "wandb": self.use_wandb, **self.train}
        )


class JobOutcome(BaseModel):
    """How a job ended: its id, its status and every model's final record; `refused` holds the
    handles refused before any I/O (dicts of handle and reason, as job.json has them)."""

    job_id: str
    status: JobStatus
    accounts: list[AccountRecord]
    refused: list[dict[str, str]] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == JobStatus.SUCCEEDED
