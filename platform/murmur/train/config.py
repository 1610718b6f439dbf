"""How to fine-tune: `TrainConfig` (defaults reproduce huggingtweets' recipe) and what a model's
card and manifest say about it (`hyperparameters`).

Every problem of a configuration is reported at once, in one ConfigError naming each flag:

    invalid training configuration: --lr 0: must be between 0 and 1; --micro-batch 0: must be ...
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from murmur.data.rules import EPOCHS
from murmur.errors import ConfigError
from murmur.seeds import DEFAULT_SEED

# The command-line flag of each field whose flag is not `--` + its name with dashes.
_FLAGS = {"num_workers": "workers"}


def flag(field: str) -> str:
    """The command-line flag of a TrainConfig field: `micro_batch` -> `--micro-batch`."""
    return "--" + _FLAGS.get(field, field.replace("_", "-"))


class TrainConfig(BaseModel):
    """How to fine-tune. Defaults reproduce huggingtweets' recipe (HF Trainer on one GPU).

    Raises ConfigError for an unknown option (naming the known ones) or for bad values, every
    problem in one message, each naming its flag: wrong types first (all of them), then, once
    every value has its type, every value out of range.
    """

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    base_model: str = "gpt2"
    """A causal LM id or local path that transformers loads; `tiny` builds the offline preset."""
    block_size: int = 1024
    """Tokens per training block (huggingtweets: 1,024); capped at the model's n_positions."""
    lr: float = 1.372e-4
    """Peak learning rate (huggingtweets'), decayed by a cosine to zero, no warmup."""
    weight_decay: float = 0.0
    """AdamW weight decay (HF Trainer's default: none)."""
    max_grad_norm: float = 1.0
    """Gradient clipping norm (HF Trainer's default)."""
    seed: int = DEFAULT_SEED
    """The job's seed. Each model's own seed derives from it and the model's name
    (murmur.seeds.model_seed) and seeds its data split and shuffles, block order and torch."""
    micro_batch: int = 1
    """Blocks per worker per forward pass (huggingtweets: 1)."""
    grad_accum: int = 1
    """Micro-batches per optimizer step."""
    zero_stage: int = 2
    """DeepSpeed ZeRO stage: 0, 1, 2, or 3 (3 shards the weights too, for gpt2-xl)."""
    cpu_offload: bool = False
    """Keep the optimizer state in CPU memory (ZeRO-Offload); only useful on GPUs."""
    num_workers: int = 1
    """Ray Train workers (data-parallel ranks) in the one worker group."""
    gpus_per_worker: float = 0
    """GPUs per worker: 0 trains on CPUs in fp32, >0 on GPUs in bf16."""
    cpus_per_worker: int = 1
    """CPUs per worker (torch's thread count on a CPU run)."""
    log_every: int = 50
    """Optimizer steps between progress lines."""
    max_failures: int = 2
    """Times Ray Train restarts a crashed worker group (for the whole run) before it gives up;
    a model whose training crashed it twice is failed and skipped (per_model.MAX_ATTEMPTS)."""
    max_steps: int = 0
    """Cap on each model's optimizer steps (0: one full pass, as huggingtweets); for quick runs."""
    wandb: bool = True
    """Track each model's training as a W&B run (offline without an API key)."""

    def __init__(self, **values: Any) -> None:
        known = type(self).model_fields
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown training option(s) {', '.join(unknown)}: "
                f"known are {', '.join(sorted(known))}"
            )
        try:
            super().__init__(**values)
        except ValidationError as e:
            problems = "; ".join(_problem(err) for err in e.errors())
            raise ConfigError(f"invalid training configuration: {problems}") from None

    @model_validator(mode="after")
    def _check_values(self) -> TrainConfig:
        problems = _value_problems(self)
        if problems:  # pydantic wraps this ValueError; __init__ unwraps it into a ConfigError
            raise ValueError("; ".join(problems))
        return self

    @property
    def use_gpu(self) -> bool:
        """True when the workers train on GPUs (`gpus_per_worker` > 0)."""
        return self.gpus_per_worker > 0

    @property
    def precision(self) -> str:
        """bf16 on GPUs (with fp32 master weights in DeepSpeed), fp32 on CPUs."""
        return "bf16" if self.use_gpu else "fp32"

    def to_json(self) -> dict[str, Any]:
        """Every field, JSON-ready (what the workers receive and a job records)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TrainConfig:
        """The config of `to_json`'s dict. Raises ConfigError as the constructor does."""
        return cls(**d)


def _problem(err: Any) -> str:
    """One pydantic error as `--flag value: what is wrong`."""
    if not err["loc"]:  # _check_values' own message, already naming each flag
        return str(err.get("ctx", {}).get("error", err["msg"]))
    return f"{flag(str(err['loc'][0]))} {_shown(err['input'])}: {err['msg'].lower()}"


def _shown(value: Any) -> str:
    """A value as its flag would take it: `0`, `0.002`, `nan`, `'abc'`."""
    return format(value, "g") if isinstance(value, float) else repr(value)


def _value_problems(c: TrainConfig) -> list[str]:
    """Every out-of-range value of `c`, each as `--flag value: rule`."""
    problems: list[str] = []

    def need(ok: bool, field: str, rule: str) -> None:
        if not ok:
            problems.append(f"{flag(field)} {_shown(getattr(c, field))}: {rule}")

    need(bool(c.base_model), "base_model", "give a model id or path")
    need(c.block_size >= 8, "block_size", "must be at least 8 tokens")
    need(math.isfinite(c.lr) and 0 < c.lr < 1, "lr", "must be between 0 and 1")
    need(c.weight_decay >= 0, "weight_decay", "must be >= 0")
    need(c.max_grad_norm > 0, "max_grad_norm", "must be > 0")
    need(c.micro_batch >= 1, "micro_batch", "must be at least 1")
    need(c.grad_accum >= 1, "grad_accum", "must be at least 1")
    need(c.zero_stage in (0, 1, 2, 3), "zero_stage", "use 0, 1, 2 or 3")
    need(
        c.num_workers >= 1,
        "num_workers",
        "must be at least 1 (Ray Train has no in-process mode for DeepSpeed)",
    )
    need(c.gpus_per_worker >= 0, "gpus_per_worker", "must be >= 0")
    need(
        not (c.num_workers > 1 and 0 < c.gpus_per_worker < 1),
        "gpus_per_worker",
        "several workers need whole GPUs each (NCCL refuses two ranks on one GPU)",
    )
    need(
        not (c.cpu_offload and c.gpus_per_worker == 0),
        "cpu_offload",
        "offloading to the CPU only helps a GPU run; drop it or set --gpus-per-worker",
    )
    need(c.cpus_per_worker >= 1, "cpus_per_worker", "at least 1")
    need(c.log_every >= 1, "log_every", "must be at least 1")
    need(c.max_failures >= 0, "max_failures", "must be >= 0")
    need(c.max_steps >= 0, "max_steps", "must be >= 0 (0: no cap)")
    return problems


def hyperparameters(
    config: TrainConfig, *, world: int, block_size: int, steps: int, model_seed: int
) -> dict[str, Any]:
    """What the card and the manifest say about how a model was trained: `seed` is the model's
    own seed (murmur.seeds.model_seed), `job_seed` the job's it derives from."""
    return {
        "learning_rate": config.lr,
        "lr_schedule": "cosine to zero, no warmup",
        "optimizer": "AdamW (0.9, 0.999), eps 1e-8",
        "weight_decay": config.weight_decay,
        "max_grad_norm": config.max_grad_norm,
        "epochs": EPOCHS,
        "block_size": block_size,
        "micro_batch": config.micro_batch,
        "grad_accum": config.grad_accum,
        "workers": world,
        "global_batch": config.micro_batch * config.grad_accum * world,
        "steps": steps,
        "precision": config.precision,
        "zero_stage": config.zero_stage,
        "cpu_offload": config.cpu_offload,
        "seed": model_seed,
        "job_seed": config.seed,
    }
