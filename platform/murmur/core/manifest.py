"""The manifest (`murmur.json`) published beside every model: what it was trained on and how."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class HandleStats:
    """huggingtweets' four figures for one handle (tweets_downloaded = the other three summed)."""

    handle: str
    tweets_downloaded: int
    retweets: int
    short_tweets: int
    tweets_kept: int
    kept_chars: int = 0  # characters of the kept tweets joined by <|endoftext|>
    display_name: str | None = None
    avatar_url: str | None = None
    source: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RefreshRecord:
    """How a refreshed version was made from the one before it (`murmur refresh`): what was
    read, what it trained on, and its validation losses (mean nats per token) on two sets, each
    scored before training (the previous version, or for `--from-base` the previous version
    loaded for scoring) and after: the new posts' held-back part and the previous version's own
    validation posts (its posts.json `validation`)."""

    from_version: str  # the version it was made from (the current one when the refresh began)
    mode: str  # "continued" (from the published weights or adapter) or "from_base"
    new_posts: dict[str, int] = field(default_factory=dict)  # handle -> posts not cached before
    deleted_posts: dict[str, int] = field(default_factory=dict)  # handle -> posts gone since
    deletions: dict[str, str] = field(default_factory=dict)  # handle -> how they were looked for
    reads: dict[str, int] = field(default_factory=dict)  # handle -> requests made to its network
    previous_stats: list[HandleStats] = field(default_factory=list)  # the figures before
    train_new: int = 0  # new posts trained on (the kept new posts minus the held-back part)
    train_old: int = 0  # old training posts replayed, drawn by the model's seed
    validation_new: int = 0  # new posts held back for validation
    validation_old: int = 0  # the previous version's validation posts
    val_loss_new_before: float | None = None
    val_loss_new_after: float | None = None
    val_loss_old_before: float | None = None
    val_loss_old_after: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> RefreshRecord:
        """A record from its JSON; unknown keys ignored. TypeError where `d` is not one."""
        d = dict(d)
        d["previous_stats"] = [HandleStats(**s) for s in d.get("previous_stats", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class ModelManifest:
    """Everything known about a published model; written as `models/<name>/murmur.json`.
    Manifests written before a field existed read with its default (e.g. `method` "full")."""

    name: str
    handles: list[str]
    stats: list[HandleStats]
    base_model: str  # as given: `tiny`, a hub id, a folder (models.base.resolve_base)
    base_model_hash: str = ""  # `sha256:<hex>` (a folder, the tiny preset) or `hub:<id>@<rev>`
    base_model_description: str = ""  # one line for the card; "" in manifests before it existed
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    val_loss_before: float | None = None
    val_loss_after: float | None = None
    wandb: dict[str, str] = field(default_factory=dict)  # run name -> URL
    created: str = ""  # ISO 8601 UTC, when published
    version: str = ""  # unique per publish
    versions: dict[str, str] = field(default_factory=dict)  # package -> version
    train_tokens: int = 0
    train_seconds: float = 0.0
    method: str = "full"  # "full" (a whole model folder) or "lora" (a PEFT adapter folder)
    adapter_bytes: int = 0  # LoRA: the size of adapter_model.safetensors; 0 for a full model
    lora: dict[str, Any] | None = None  # LoRA: {"rank": int, "alpha": int, "targets": [str]}
    # The file in the model folder holding the exact training and validation posts it was
    # trained and scored on (models.publish.write_posts); "" for models published before it.
    posts: str = ""
    # When each handle's posts were last read from its source (UTC ISO 8601 `Z`): what
    # `murmur refresh --older-than` counts from; {} in manifests before it (then `created`).
    posts_read_at: dict[str, str] = field(default_factory=dict)
    refresh: RefreshRecord | None = None  # set on a version `murmur refresh` made
    # The versions the store kept when this one was published, newest first, as the card's
    # "Versions" section shows them (models.card.version_summary): a version's folder never
    # changes, so this is what was known then.
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def display_names(self) -> list[str]:
        return [s.display_name or s.handle for s in self.stats]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["display_names"] = self.display_names
        return d

    def summary(self) -> dict[str, Any]:
        """This version as the card's "Versions" section lists it (and `history` keeps it):
        {"version", "published", "posts_read_at" {handle: stamp}, "tweets_kept" {handle: n},
        "new_posts" {handle: n} (a refresh's; {} otherwise), "val_loss_after", and a refresh's
        losses after training on the new posts' held-back part and the old validation posts}."""
        r = self.refresh
        return {
            "version": self.version,
            "published": self.created,
            "posts_read_at": dict(self.posts_read_at),
            "tweets_kept": {s.handle: s.tweets_kept for s in self.stats},
            "new_posts": dict(r.new_posts) if r else {},
            "val_loss_after": self.val_loss_after,
            "val_loss_new_after": r.val_loss_new_after if r else None,
            "val_loss_old_after": r.val_loss_old_after if r else None,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ModelManifest:
        """A manifest from its JSON; unknown keys are ignored, missing ones take their defaults.
        Raises TypeError where `d` is not a manifest (not an object, no name, wrong fields)."""
        if not isinstance(d, dict):
            raise TypeError(f"a manifest is a JSON object, not {type(d).__name__}")
        d = dict(d)
        d.pop("display_names", None)
        d["stats"] = [HandleStats(**s) for s in d.get("stats", [])]
        if isinstance(d.get("refresh"), dict):
            d["refresh"] = RefreshRecord.from_json(d["refresh"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})
