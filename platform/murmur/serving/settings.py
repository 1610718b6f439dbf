"""How the endpoint runs: `ServeSettings` (the `args` of serve/config.yaml, the flags of
`murmur serve`) and `settings_from_config`, which reads them from a Serve config file."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from murmur.core.errors import ConfigError, validation_line
from murmur.core.store import default_store_uri
from murmur.serving.schema import MAX_N

ROWS_PER_REQUEST = 10  # huggingtweets' request: 10 choices (murmur.core.generation)


class ServeSettings(BaseModel):
    """How the endpoint runs: `args` of serve/config.yaml, flags of `murmur serve`."""

    model_config = ConfigDict(extra="forbid")

    store: str = Field(default_factory=default_store_uri)
    """Store URI: a local folder (made absolute where the app is built), s3://, gs://."""
    models_per_replica: int = Field(default=3, ge=1)
    """Full models each replica keeps loaded; the least recently used is unloaded first."""
    adapter_memory_mb: float = Field(default=8192, ge=0)
    """Memory for LoRA adapters in each replica (its GPU's, else its RAM), beside their bases:
    past it the least recently used adapters are evicted. LoRA's default GPT-2 124M adapter (rank
    16, every linear layer and the head) is ~6.4 MB in bf16 (3.2M parameters x 2 bytes), so 8 GiB
    holds ~1,300 (murmur.serving.adapters cites the measured figures)."""
    num_cpus: float = Field(default=1.0, ge=0)
    """CPUs per model replica."""
    torch_threads: int | None = Field(default=None, ge=1)
    """Threads of each replica's forwards (torch.set_num_threads); default: its num_cpus (at
    least 1). Fewer can be faster where other threads or processes share the cores: OpenMP's
    threads then wait for each other at every small op. Measured on a 2-core CPU, tiny base, 12
    LoRA bots, 16 clients: the engine gave 11,212 tokens/s (p99 0.84 s) at 1 thread and 6,497
    (p99 1.72 s) at 2 (bench/engine_decode.py --threads, bench/results/engine_decode-2026-12-07-
    threads1.json and -threads2.json)."""
    num_gpus: float = Field(default=0.0, ge=0)
    """GPUs per model replica (fractions share a GPU); 0 runs on the CPU."""
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    """Weights' dtype: auto is bf16 (fp16 without bf16) on a GPU, fp32 on the CPU."""
    min_replicas: int = Field(default=1, ge=0)
    max_replicas: int = Field(default=1, ge=1)
    target_ongoing_requests: float | None = Field(default=None, gt=0)
    """Requests per replica the autoscaler aims at; default: the engine's slots over
    huggingtweets' 10 choices a request (`replica_target_ongoing`), so it scales on rows."""
    max_ongoing_requests: int | None = Field(default=None, ge=1)
    """Requests a replica takes at once, running or waiting for slots in its engine; default: its
    engine's slots (every request takes at least one row). Past it, 503 at once."""
    max_queued_requests: int = Field(default=128, ge=-1)
    """Requests waiting for a replica beyond which the endpoint answers 503; -1: no limit."""
    max_batch_size: int = Field(default=160, ge=MAX_N)
    """Rows (sequences) each replica's engine runs at once: its KV cache's slots (a request with
    n=10 takes 10). The cache's size is logged at start; one that cannot fit is refused in one
    line. GPT-2 124M in bf16 takes 36 MiB a slot, the `tiny` base in fp32 0.25 MiB."""
    prefill_tokens: int = Field(default=1024, ge=1)
    """Prompt tokens an engine prefills per iteration of one request (longer prompts in chunks)."""
    batch_wait_timeout_s: float = Field(default=0.0, ge=0)
    """How long an idle engine lets its first request wait for company before prefilling it."""
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

    def replica_threads(self) -> int:
        """`torch_threads`, or the replica's CPUs (at least 1)."""
        return self.torch_threads or max(1, round(self.num_cpus))

    def replica_max_ongoing(self) -> int:
        """`max_ongoing_requests`, or the engine's slots."""
        return self.max_ongoing_requests or self.max_batch_size

    def replica_target_ongoing(self) -> float:
        """`target_ongoing_requests`, or the slots a replica's rows fill at huggingtweets' n=10."""
        return self.target_ongoing_requests or max(1.0, self.max_batch_size / ROWS_PER_REQUEST)

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

    def name(loc: Sequence[str | int]) -> str:
        if not loc:  # a rule across fields (min_replicas above max_replicas)
            return "invalid serve settings"
        field = str(loc[0])
        return "--" + field.replace("_", "-") if field in flags else field

    return validation_line(e.errors(), first=True, name=name, show_input=True, rules=_RULES)


def settings_from_config(path: str) -> dict[str, Any]:
    """The `args` of the first application in a Serve config file (serve/config.yaml)."""
    import yaml

    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    apps = config.get("applications") or [{}]
    args: dict[str, Any] = apps[0].get("args") or {}
    return args
