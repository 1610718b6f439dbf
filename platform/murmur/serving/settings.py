"""How the endpoint runs: `ServeSettings` (the `args` of serve/config.yaml, the flags of
`murmur serve`) and `settings_from_config`, which reads them from a Serve config file."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from murmur.core.errors import ConfigError
from murmur.core.store import default_store_uri
from murmur.serving.schema import MAX_N


class ServeSettings(BaseModel):
    """How the endpoint runs: `args` of serve/config.yaml, flags of `murmur serve`."""

    model_config = ConfigDict(extra="forbid")

    store: str = Field(default_factory=default_store_uri)
    """Store URI: a local folder (made absolute where the app is built), s3://, gs://."""
    models_per_replica: int = Field(default=3, ge=1)
    """Full models each replica keeps loaded; the least recently used is unloaded first."""
    adapter_memory_mb: float = Field(default=8192, ge=0)
    """Memory for LoRA adapters in each replica (its GPU's, else its RAM), beside their bases:
    past it the least recently used adapters are evicted. A rank-16 all-linear GPT-2 124M adapter
    is ~4.7 MB in bf16 (DESIGN.md), so 8 GiB holds ~1,700."""
    num_cpus: float = Field(default=1.0, ge=0)
    """CPUs per model replica."""
    num_gpus: float = Field(default=0.0, ge=0)
    """GPUs per model replica (fractions share a GPU); 0 runs on the CPU."""
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    """Weights' dtype: auto is bf16 (fp16 without bf16) on a GPU, fp32 on the CPU."""
    min_replicas: int = Field(default=1, ge=0)
    max_replicas: int = Field(default=1, ge=1)
    target_ongoing_requests: float = Field(default=16, gt=0)
    """Requests per replica the autoscaler aims at: high, since a replica batches them."""
    max_ongoing_requests: int = Field(default=64, ge=1)
    """Requests a replica takes at once (all may share its batches)."""
    max_queued_requests: int = Field(default=128, ge=-1)
    """Requests waiting for a replica beyond which the endpoint answers 503; -1: no limit."""
    max_batch_size: int = Field(default=64, ge=MAX_N)
    """Sequences per `generate` call (a request with n=10 counts 10)."""
    batch_wait_timeout_s: float = Field(default=0.01, ge=0)
    """How long a replica waits for more requests of a model before generating."""
    stream_interval_s: float = Field(default=0.1, gt=0)
    """How often streamed text is sent."""
    request_timeout_s: float = Field(default=60.0, gt=0)
    """A request still unanswered after this long gets 504."""
    store_cache_s: float = Field(default=1.0, ge=0)
    """How long the ingress trusts what it read from the store (manifests, the model list)."""
    ingress_replicas: int = Field(default=1, ge=1)
    ingress_max_ongoing_requests: int = Field(default=1_000, ge=1)
    api_keys_file: str | None = None
    """A file of API keys, one per line (`#` comments): with it, or with $MURMUR_API_KEYS set
    where the ingress runs, every API route needs `Authorization: Bearer <key>` (murmur.serving.auth).
    """
    allow_unauthenticated: bool = False
    """Serve without API keys: anyone who reaches the port may call the API. Off, a Serve config's
    app (`murmur.serving.app:app`) refuses to start without keys; `murmur serve` needs no keys on
    127.0.0.1 and refuses another --host without them. Only behind your own authentication."""

    @model_validator(mode="after")
    def _check(self) -> ServeSettings:
        if self.min_replicas > self.max_replicas:
            raise ValueError(
                f"min_replicas ({self.min_replicas}) is above max_replicas ({self.max_replicas})"
            )
        return self


# pydantic's error types (pydantic_core's ErrorType) whose rule reads better as our words.
_RULES = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be above {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be below {lt}",
    "extra_forbidden": "is not a setting of murmur's endpoint",
}


def check_settings(args: dict[str, Any], flags: Collection[str] = ()) -> ServeSettings:
    """`args` as ServeSettings; ConfigError in one line naming the first invalid setting and its
    rule: `--max-replicas 0 must be at least 1` where a flag of `murmur serve` gave it (its field
    name in `flags`), `max_replicas 0 ...` (a Serve config's args) otherwise."""
    try:
        return ServeSettings.model_validate(args)
    except ValidationError as e:
        raise ConfigError(settings_error(e, flags)) from None


def settings_error(e: ValidationError, flags: Collection[str] = ()) -> str:
    """The first error of a ServeSettings validation as one line (see `check_settings`)."""
    err = e.errors()[0]
    ctx = {k: _shown(v) for k, v in err.get("ctx", {}).items()}
    rule = _RULES.get(err["type"], "").format(**ctx)
    if not rule:  # pydantic's "Input should be a valid integer, ..." as "must be a valid ..."
        msg = str(err["msg"]).removeprefix("Value error, ")
        should = "Input should be "
        rule = f"must be {msg[len(should) :]}" if msg.startswith(should) else msg
    if not err["loc"]:  # a rule across fields (min_replicas above max_replicas)
        return f"invalid serve settings: {err['msg'].removeprefix('Value error, ')}"
    field = str(err["loc"][0])
    name = "--" + field.replace("_", "-") if field in flags else field
    sep = ": " if rule[:1].isupper() else " "  # pydantic's own sentence, else our rule
    return f"{name} {_shown(err.get('input'))}{sep}{rule}"


def _shown(value: Any) -> str:
    """A value as a user typed it: 1 rather than 1.0, quotes around text."""
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


def settings_from_config(path: str) -> dict[str, Any]:
    """The `args` of the first application in a Serve config file (serve/config.yaml)."""
    import yaml

    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    apps = config.get("applications") or [{}]
    args: dict[str, Any] = apps[0].get("args") or {}
    return args
