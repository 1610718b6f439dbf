"""One W&B train run per model, on rank 0: the base-model artifact it uses, its step metrics, the
fine-tuned model artifact and a predictions table. The low-level W&B helpers are murmur.tracking;
tracking never fails a model.
"""

from __future__ import annotations

import logging
import os
import re
from typing import TYPE_CHECKING, Any

from murmur.train.config import TrainConfig

if TYPE_CHECKING:
    from murmur.data.prepare import PreparedModel
    from murmur.models.store import Store
    from murmur.train.engine import Base

log = logging.getLogger(__name__)


class ModelTracker:
    """One W&B train run for one model, on rank 0 (does nothing when W&B is off or elsewhere)."""

    def __init__(
        self,
        config: TrainConfig,
        prepared: PreparedModel,
        base: Base,
        rank: int,
        store: Store,
    ) -> None:
        from murmur import tracking

        self.run: Any = None
        self._cm: Any = None
        if not config.wandb or rank != 0 or tracking.wandb_mode() is None:
            return
        from murmur.models.publish import package_versions

        name = prepared.name
        self._cm = tracking.wandb_run(
            enabled=True,
            job_type="train",
            name=f"train-{name}",
            group=name,
            directory=f"{store.root}/wandb" if store.is_local else None,
            config={
                "model": name,
                "handles": list(prepared.spec.handles),
                "seed": prepared.seed,
                "train": config.to_json(),
                "versions": package_versions(),
                "model_config": base.model_config.to_dict(),
            },
        )
        self.run = self._cm.__enter__()
        if self.run is not None:
            self._use_base(config, base)

    def _use_base(self, config: TrainConfig, base: Base) -> None:
        from murmur import tracking

        config_file = os.path.join(base.path, "config.json")
        files = {"config.json": config_file} if os.path.isfile(config_file) else {}
        tracking.log_artifact(
            self.run,
            f"base-model-{_artifact_slug(config.base_model)}",
            "model",
            files=files,
            metadata={"base_model": config.base_model},
            use=True,
        )

    def log_step(self, step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        """One log interval's metrics: mean loss (nats/token), lr, training tokens/s."""
        if self.run is None:
            return
        try:
            self.run.log(
                {"train/loss": loss, "train/lr": lr, "train/tokens_per_s": tokens_per_s}, step=step
            )
        except Exception as e:
            log.warning("W&B log failed: %s", e)

    def log_model(self, name: str, folder: str) -> None:
        """The published folder as an artifact, and huggingtweets' prompts through it."""
        if self.run is None:
            return
        from murmur import tracking

        tracking.log_artifact(self.run, f"finetuned-model-{name}", "model", directory=folder)
        try:
            rows = _predictions(folder)
        except Exception as e:  # tracking never fails a model
            log.warning("%s: predictions table not logged: %s", name, e)
            return
        tracking.log_table(self.run, "predictions", ["prompt", "generation"], rows)

    def links(self) -> dict[str, str]:
        """{"train": the run's URL} when there is a run with a URL, else {}."""
        from murmur import tracking

        url = tracking.run_url(self.run)
        return {"train": url} if url else {}

    def finish(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None


def _artifact_slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:100] or "base"


def _predictions(folder: str, per_prompt: int = 3) -> list[list[Any]]:
    """huggingtweets' prompts through the just-trained model, for the W&B predictions table."""
    import torch
    from transformers import pipeline

    from murmur.generation import PROMPTS, build_prompt, cut_generation

    generator = pipeline(
        "text-generation", model=folder, device=0 if torch.cuda.is_available() else -1
    )
    rows: list[list[Any]] = []
    for prompt in PROMPTS:
        outs = generator(build_prompt(prompt), num_return_sequences=per_prompt)
        rows += [[prompt, cut_generation(o["generated_text"])] for o in outs]
    return rows
