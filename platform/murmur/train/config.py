"""How to fine-tune: `TrainConfig` (a recipe, and how the cluster runs it) and what a model's card
and manifest say about it (`hyperparameters`).

A recipe fixes what a model learns from: micro-batch x accumulation (the global batch), the
learning rate, and so the number of steps. Nothing about the cluster changes it: `--workers N` runs
N trainers side by side, each training its own models, and `--workers-per-model K` splits each
step's micro-batches over K ranks, so a model trains the same whatever the cluster.

Every problem of a configuration is reported at once, in one ConfigError naming each flag:

    invalid training configuration: --lr 0: must be between 0 and 1; --micro-batch 0: must be ...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from murmur.core.errors import ConfigError, shown, validation_line
from murmur.core.seeds import DEFAULT_SEED
from murmur.data.rules import EPOCHS

# The command-line flag of each field whose flag is not `--` + its name with dashes.
_FLAGS = {"num_workers": "workers"}

HUGGINGTWEETS_LR = 1.372e-4
"""huggingtweets' learning rate (its notebook's HF Trainer arguments), at batch 1."""
FAST_BATCH = 8
"""The fast recipe's sequences per step."""


@dataclass(frozen=True)
class Recipe:
    """A named recipe: what a model learns from, whatever the cluster runs it on. A step trains
    `micro_batch` x `grad_accum` blocks (of `block_size` tokens) at peak learning rate `lr`."""

    name: str
    micro_batch: int
    grad_accum: int
    lr: float

    def values(self) -> dict[str, Any]:
        """The TrainConfig fields this recipe sets."""
        return {"micro_batch": self.micro_batch, "grad_accum": self.grad_accum, "lr": self.lr}


# huggingtweets' notebook: HF Trainer, one block per step, lr 1.372e-4, cosine, no warmup.
HUGGINGTWEETS = Recipe("huggingtweets", micro_batch=1, grad_accum=1, lr=HUGGINGTWEETS_LR)
# FAST_BATCH blocks per step (FAST_BATCH x fewer, larger steps: a launch-bound GPU runs one at
# nearly the cost of a 1-block step), the lr scaled linearly with the batch from huggingtweets'
# batch 1 (the linear scaling rule: Goyal et al., "Accurate, Large Minibatch SGD", 2017):
# 1.372e-4 x 8 = 1.0976e-3. Adam's square-root rule (Malladi et al., NeurIPS 2022; 3.88e-4) left
# the validation loss 54% above huggingtweets' on bench/train_many.py's 8 accounts with the
# pre-trained tiny; the linear rule's was below it.
FAST = Recipe("fast", micro_batch=FAST_BATCH, grad_accum=1, lr=HUGGINGTWEETS_LR * FAST_BATCH)
RECIPES: dict[str, Recipe] = {r.name: r for r in (HUGGINGTWEETS, FAST)}
RecipeName = Literal["huggingtweets", "fast"]  # RECIPES' names (a test checks they agree)
DEFAULT_RECIPE = FAST
Method = Literal["full", "lora"]

# LoRA's defaults: chosen on bench/lora_quality.py's tuning accounts (the pre-trained `tiny`, the
# fast recipe, this 2-core CPU), then reported once on its validation accounts (README, LoRA
# bots; bench/results/lora_quality-2026-12-06-*.json); not yet measured on gpt2 on a GPU. Small
# data wants about 10x the full fine-tune's lr, every linear layer and the output head.
LORA_RANK = 16
"""LoRA's default rank: ~3.2M parameters with the head (2.4M without), ~6.4 MB in bf16 for GPT-2
124M."""
LORA_ALPHA = 32
"""LoRA's default alpha: the update is scaled by alpha / rank = 2."""
LORA_LR_SCALE = 10.0
"""A LoRA run's default lr is its recipe's x this: the fast recipe's 1.0976e-3
becomes 1.0976e-2."""


def flag(field: str) -> str:
    """The command-line flag of a TrainConfig field: `micro_batch` -> `--micro-batch`."""
    return "--" + _FLAGS.get(field, field.replace("_", "-"))


class TrainConfig(BaseModel):
    """How to fine-tune. The default recipe is `fast` (8 blocks per step, lr 1.0976e-3): on
    bench/train_many.py --compare-recipes (8 synthetic accounts of ~2,300 kept tweets, the
    pre-trained tiny, this 2-core CPU) its validation loss was 13% *below* `huggingtweets`'
    (1.160 against 1.335; below on every account), at twice the accounts/hour. The rule was
    "within 3% of huggingtweets'"; gpt2 on a GPU has not been measured yet. `--recipe
    huggingtweets` is huggingtweets' notebook exactly (HF Trainer, micro-batch 1, lr 1.372e-4).

    `recipe` fills `micro_batch`, `grad_accum` and `lr` when they are not given (RECIPES); a value
    given explicitly wins. Raises ConfigError for an unknown option (naming the known ones) or for bad values, every
    problem in one message, each naming its flag: wrong types first (all of them), then, once
    every value has its type, every value out of range.
    """

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    recipe: RecipeName = "fast"  # DEFAULT_RECIPE's name (a test checks they agree)
    """`huggingtweets` (1 block per step, lr 1.372e-4) or `fast` (8 blocks per step, lr x 8).
    RECIPES holds them; each model's hyperparameters record its recipe."""
    base_model: str = "gpt2"
    """A causal LM id or local path that transformers loads; `tiny` builds the offline preset."""
    block_size: int = 1024
    """Tokens per training block (huggingtweets: 1,024); capped at the model's n_positions."""
    lr: float = DEFAULT_RECIPE.lr
    """Peak learning rate (the recipe's unless given), decayed by a cosine to zero, no warmup."""
    weight_decay: float = 0.0
    """AdamW weight decay (HF Trainer's default: none)."""
    max_grad_norm: float = 1.0
    """Gradient clipping norm (HF Trainer's default)."""
    seed: int = DEFAULT_SEED
    """The job's seed, from which each model's own seed derives. With the model's name it makes
    that seed (murmur.core.seeds.model_seed), which seeds its data split and shuffles, block
    order and torch."""
    micro_batch: int = DEFAULT_RECIPE.micro_batch
    """Blocks per rank per forward pass (the recipe's unless given; huggingtweets: 1)."""
    grad_accum: int = DEFAULT_RECIPE.grad_accum
    """Micro-batches per optimizer step, all ranks of a model together (the recipe's unless
    given): a step trains micro_batch x grad_accum blocks (the global batch) whatever the cluster."""
    zero_stage: int = 2
    """DeepSpeed ZeRO stage: 0, 1, 2, or 3 (3 shards the weights too, for gpt2-xl)."""
    cpu_offload: bool = False
    """Keep the optimizer state in CPU memory (ZeRO-Offload); only useful on GPUs."""
    num_workers: int = 1
    """Independent trainers: each takes the next model from the run's queue when it finishes one,
    so N trainers train N models at a time."""
    workers_per_model: int = 1
    """Ranks that train one model together (data parallel, e.g. ZeRO-3 for gpt2-xl): the worker
    group has num_workers x workers_per_model ranks. Must divide grad_accum."""
    gpus_per_worker: float = 0
    """GPUs per rank: 0 trains on CPUs in fp32, >0 on GPUs in bf16. A fraction puts several
    trainers on one GPU; only with workers_per_model 1 (ranks sharing a GPU never talk over NCCL)."""
    cpus_per_worker: int = 1
    """CPUs per rank (torch's thread count on a CPU run)."""
    log_every: int = 50
    """Optimizer steps between progress lines."""
    max_idle_restarts: int = 3
    """Worker-group restarts in a row that no model's crash explains (a rank dies before it takes a
    model, say), with no model finished in between, before the run gives up and fails the models
    left. There is no run-wide crash budget: a crash that a model's own trainer caused counts an
    attempt of that model alone, and a model whose training crashed its trainer twice is failed
    and skipped (per_model.MAX_ATTEMPTS), so crashes blamed on models end on their own."""
    max_start_retries: int = 30
    """Times Ray Train retries starting the worker group when the cluster lacks its resources (a
    lost node not yet replaced), over the run; each try waits Ray Train's worker-group start
    timeout (RAY_TRAIN_WORKER_GROUP_START_TIMEOUT_S, 60 s by default). -1 waits for ever (a
    cluster whose autoscaler adds nodes)."""
    max_steps: int = 0
    """Cap on each model's optimizer steps (0: one full pass, as huggingtweets); for quick runs."""
    wandb: bool = True
    """Track each model's training as a W&B run (offline without an API key)."""
    method: Method = "full"
    """`full` fine-tunes every weight; `lora` trains a LoRA adapter (PEFT) over the frozen base,
    which each trainer loads once and shares between its models. LoRA's default lr is the
    recipe's x LORA_LR_SCALE."""
    lora_rank: int = LORA_RANK
    """LoRA's rank r (`--method lora` only)."""
    lora_alpha: int = LORA_ALPHA
    """LoRA's alpha: the adapter's update is scaled by alpha / r (`--method lora` only)."""
    lora_targets: list[str] = []
    """Names of the layers LoRA adapts (`c_attn`, ..., `lm_head`, `wte`); empty: every linear
    layer, attention and MLP (GPT-2: c_attn, c_proj, c_fc), and the output head (`lm_head`)
    (`--method lora` only)."""

    @model_validator(mode="before")
    @classmethod
    def _recipe_values(cls, values: Any) -> Any:
        """The recipe's micro_batch, grad_accum and lr, where not given."""
        if not isinstance(values, dict):
            return values
        recipe = RECIPES.get(values.get("recipe", DEFAULT_RECIPE.name))
        if recipe is None:  # the field's own check names the bad recipe
            return values
        filled = recipe.values()
        if values.get("method") == "lora":
            filled["lr"] = recipe.lr * LORA_LR_SCALE
        return {**filled, **values}

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
            problems = validation_line(e.errors(), name=_flag_of, show_input=True)
            raise ConfigError(f"invalid training configuration: {problems}") from None

    @model_validator(mode="after")
    def _check_values(self) -> TrainConfig:
        problems = _value_problems(self)
        if problems:  # pydantic wraps this ValueError; __init__ unwraps it into a ConfigError
            raise ValueError("; ".join(problems))
        return self

    @property
    def ranks(self) -> int:
        """Ranks in the worker group: num_workers x workers_per_model."""
        return self.num_workers * self.workers_per_model

    @property
    def accum_per_rank(self) -> int:
        """Micro-batches each rank of a model runs per step: grad_accum / workers_per_model."""
        return self.grad_accum // self.workers_per_model

    @property
    def global_batch(self) -> int:
        """Blocks per optimizer step: micro_batch x grad_accum, whatever the cluster."""
        return self.micro_batch * self.grad_accum

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


def _flag_of(loc: Sequence[str | int]) -> str:
    """The flag of a field's error; "" for _check_values' own message (it names each flag)."""
    return flag(str(loc[0])) if loc else ""


def _value_problems(c: TrainConfig) -> list[str]:
    """Every out-of-range value of `c`, each as `--flag value: rule`."""
    problems: list[str] = []

    def need(ok: bool, field: str, rule: str) -> None:
        if not ok:
            problems.append(f"{flag(field)} {shown(getattr(c, field))}: {rule}")

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
    need(c.workers_per_model >= 1, "workers_per_model", "must be at least 1")
    if c.workers_per_model >= 1 and c.grad_accum >= 1 and c.grad_accum % c.workers_per_model:
        problems.append(
            f"--grad-accum {c.grad_accum} is not a multiple of --workers-per-model "
            f"{c.workers_per_model}: the ranks of a model split each step's micro-batches, so "
            "give a --grad-accum they divide"
        )
    need(
        not (c.workers_per_model > 1 and 0 < c.gpus_per_worker < 1),
        "gpus_per_worker",
        "ranks training one model need a whole GPU each (NCCL refuses two ranks on one GPU): "
        "use --workers-per-model 1 to share GPUs",
    )
    need(
        not (c.cpu_offload and c.gpus_per_worker == 0),
        "cpu_offload",
        "offloading to the CPU only helps a GPU run; drop it or set --gpus-per-worker",
    )
    need(c.cpus_per_worker >= 1, "cpus_per_worker", "at least 1")
    need(c.log_every >= 1, "log_every", "must be at least 1")
    need(c.max_idle_restarts >= 0, "max_idle_restarts", "must be >= 0")
    need(c.max_start_retries >= -1, "max_start_retries", "must be >= 0, or -1 (for ever)")
    need(c.max_steps >= 0, "max_steps", "must be >= 0 (0: no cap)")
    problems += _lora_problems(c)
    return problems


def _lora_problems(c: TrainConfig) -> list[str]:
    """LoRA's own rules: ranks and alphas of at least 1, LoRA flags only with --method lora,
    no ZeRO-3 (it would shard a frozen base that every model of a trainer shares)."""
    if c.method != "lora":  # a LoRA flag given a value of its own (a default passes)
        defaults = {"lora_rank": LORA_RANK, "lora_alpha": LORA_ALPHA, "lora_targets": []}
        return [
            f"{flag(f)} applies to --method lora only: add it, or drop {flag(f)}"
            for f, default in defaults.items()
            if getattr(c, f) != default
        ]
    problems = [
        f"{flag(f)} {getattr(c, f)}: must be at least 1"
        for f in ("lora_rank", "lora_alpha")
        if getattr(c, f) < 1
    ]
    if c.zero_stage == 3:
        problems.append(
            "--method lora with --zero-stage 3: LoRA trains on ZeRO stages 0-2 only (the frozen "
            "base is shared, not sharded): use --zero-stage 2"
        )
    return problems


def hyperparameters(
    config: TrainConfig, *, block_size: int, steps: int, model_seed: int, worker: str
) -> dict[str, Any]:
    """What the card and the manifest say about how a model was trained: `seed` is the model's
    own seed (murmur.core.seeds.model_seed), `job_seed` the job's it derives from, `worker` the
    trainer (`host:rank`). Nothing else depends on the cluster: the same model trained with 1 or
    8 workers gets the same values apart from `worker`."""
    return {
        "recipe": config.recipe,
        "method": config.method,
        "learning_rate": config.lr,
        "lr_schedule": "cosine to zero, no warmup",
        "optimizer": "AdamW (0.9, 0.999), eps 1e-8",
        "weight_decay": config.weight_decay,
        "max_grad_norm": config.max_grad_norm,
        "epochs": EPOCHS,
        "block_size": block_size,
        "micro_batch": config.micro_batch,
        "grad_accum": config.grad_accum,
        "ranks_per_model": config.workers_per_model,
        "global_batch": config.global_batch,
        "steps": steps,
        "precision": config.precision,
        "zero_stage": config.zero_stage,
        "cpu_offload": config.cpu_offload,
        "seed": model_seed,
        "job_seed": config.seed,
        "worker": worker,
    }
