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

    @property
    def display_names(self) -> list[str]:
        return [s.display_name or s.handle for s in self.stats]

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["display_names"] = self.display_names
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ModelManifest:
        """A manifest from its JSON; unknown keys are ignored, missing ones take their defaults.
        Raises TypeError where `d` is not a manifest (not an object, no name, wrong fields)."""
        if not isinstance(d, dict):
            raise TypeError(f"a manifest is a JSON object, not {type(d).__name__}")
        d = dict(d)
        d.pop("display_names", None)
        d["stats"] = [HandleStats(**s) for s in d.get("stats", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})
