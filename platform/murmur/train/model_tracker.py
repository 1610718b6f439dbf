"""W&B off the critical path: one train run per model (its config naming the base model by name
and content hash, the base-model artifact it uses when online, its data's figures per handle, its
step metrics, its validation loss before and after, the fine-tuned model artifact, a predictions
table), all done by one background thread per trainer, so that a slow `wandb.init` or artifact
upload never stalls a step. W&B's settings (WANDB_MODE, WANDB_DIR, ...) are murmur.core.tracking's.

    Tracker(config, base, store, enabled)   one per trainer (its group leader); close() at the end
    tracker.start(prepared) -> ModelRun     one per model: log_step, links, log_model, finish

Bounds: at most MAX_PENDING calls wait for the thread (a step's metrics are dropped when it is
full, anything else waits at most PUT_TIMEOUT_S and is then dropped); `links` waits at most
LINKS_TIMEOUT_S for the run's URL; `close` waits at most CLOSE_TIMEOUT_S for the thread to finish.
The low-level W&B helpers are murmur.core.tracking; tracking never fails a model.

Cost: a few milliseconds per model on the critical path, but the thread's CPU work (runs,
artifacts, the predictions table: 6 prompts x 3 generations of up to 160 tokens on the CPU)
competes with training; `bench/train_many.py --wandb-modes off,offline` measures what it costs
(no stored result yet: the figure quoted before, 321 -> 222 accounts/hour, was never stored).

The thread never draws from torch's global generator, which the next model's dropout draws from
while the thread works: the predictions table samples with murmur's seeded per-row sampler
(murmur.core.sampling), seeded from the model's own seed, and a LoRA bot is loaded without
initialising adapter weights that its file then replaces (PEFT's `low_cpu_mem_usage`). So a model
trains the same with W&B on or off, whatever model's table is being written meanwhile
(tests/test_training.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from murmur.core.clock import utc_stamp
from murmur.core.manifest import ModelManifest
from murmur.train.config import TrainConfig

if TYPE_CHECKING:
    from murmur.core.store import Store
    from murmur.data.prepare import PreparedModel
    from murmur.train.engine import Base

log = logging.getLogger(__name__)

MAX_PENDING = 1000
PUT_TIMEOUT_S = 5.0
LINKS_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 120.0


class Tracker:
    """One trainer's W&B work, done in order by one background thread (started on first use).
    Does nothing when `enabled` is False or W&B is off."""

    def __init__(self, config: TrainConfig, base: Base, store: Store, *, enabled: bool) -> None:
        from murmur.core import tracking

        self.config = config
        self.base = base
        self.directory = f"{store.root}/wandb" if store.is_local else None  # unless WANDB_DIR
        self.enabled = enabled and config.wandb and tracking.wandb_mode() is not None
        self.dropped = 0
        self.busy_s = 0.0  # seconds the thread spent on W&B calls
        self._calls: queue.Queue[Callable[[], None] | None] = queue.Queue(MAX_PENDING)
        self._thread: threading.Thread | None = None

    def start(self, prepared: PreparedModel) -> ModelRun:
        """A W&B run for one model, created in the background."""
        run = ModelRun(self, prepared)
        if self.enabled:
            self.submit(lambda: run.open(self._run_config(prepared)), droppable=False)
        else:
            run.ready.set()
        return run

    def submit(self, call: Callable[[], None], *, droppable: bool) -> bool:
        """Queue `call` for the thread. False when tracking is off, or the call was dropped (and
        counted) because the queue stayed full."""
        if not self.enabled:
            return False
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="murmur-wandb", daemon=True)
            self._thread.start()
        try:
            if droppable:
                self._calls.put_nowait(call)
            else:
                self._calls.put(call, timeout=PUT_TIMEOUT_S)
            return True
        except queue.Full:
            self.dropped += 1
            return False

    def close(self, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
        """Let the thread finish what is queued, waiting at most `timeout_s`."""
        if self._thread is None:
            return
        with contextlib.suppress(queue.Full):
            self._calls.put(None, timeout=timeout_s)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.warning("W&B: gave up waiting after %.0f s; some tracking is lost", timeout_s)
        if self.dropped:
            log.warning("W&B: %d calls dropped (the tracking thread fell behind)", self.dropped)

    def _work(self) -> None:
        while (call := self._calls.get()) is not None:
            t0 = time.perf_counter()
            try:
                call()
            except Exception as e:  # tracking never fails a model
                log.warning("W&B call failed: %s", e)
            self.busy_s += time.perf_counter() - t0

    def _run_config(self, prepared: PreparedModel) -> dict[str, Any]:
        from murmur.models.publish import package_versions

        return {
            "model": prepared.name,
            "handles": list(prepared.spec.handles),
            "seed": prepared.seed,
            "train": self.config.to_json(),
            "versions": package_versions(),
            "model_config": self.base.model_config.to_dict(),
            # The base model by name and content hash: a reference that works offline too.
            "base_model": {
                "name": self.config.base_model,
                "hash": self.base.hash,
                "description": self.base.description,
            },
            "stats": [s.to_json() for s in prepared.stats],
        }


class ModelRun:
    """One model's W&B run; every method returns at once (the tracker's thread does the work)."""

    def __init__(self, tracker: Tracker, prepared: PreparedModel) -> None:
        self.tracker = tracker
        self.name = prepared.name
        self.seed = prepared.seed  # the predictions' seed: the model's own
        self.stats = [s.to_json() for s in prepared.stats]
        self.data_links = dict(prepared.wandb)  # the preprocess run's, when it had one
        self.run: Any = None
        self.ready = threading.Event()  # set once the run exists (or failed to)
        self._cm: Any = None

    def open(self, run_config: dict[str, Any]) -> None:
        """In the thread: create the run, log its data's figures and use the base model."""
        from murmur.core import tracking

        try:
            self._cm = tracking.wandb_run(
                enabled=True,
                job_type="train",
                name=f"train-{self.name}",
                group=self.name,
                directory=self.tracker.directory,
                config=run_config,
            )
            self.run = self._cm.__enter__()
            tracking.log_handle_stats(self.run, self.stats)
            if self.run is not None and not tracking.is_offline(self.run):
                self._use_base()
        finally:
            self.ready.set()

    def _use_base(self) -> None:
        """Online: the base model as the run's input artifact (its config.json, its name and
        hash). An offline run cannot use an artifact; its config names the base instead."""
        from murmur.core import tracking

        base, name = self.tracker.base, self.tracker.config.base_model
        config_file = os.path.join(base.path, "config.json")
        files = {"config.json": config_file} if os.path.isfile(config_file) else {}
        tracking.log_artifact(
            self.run,
            f"base-model-{_artifact_slug(name)}",
            "model",
            files=files,
            metadata={"base_model": name, "hash": base.hash},
            use=True,
        )

    def log_step(self, step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        """One log interval's metrics: mean loss (nats/token), lr, training tokens/s."""

        def call() -> None:
            if self.run is not None:
                metrics = {"train/loss": loss, "train/lr": lr, "train/tokens_per_s": tokens_per_s}
                self.run.log(metrics, step=step)

        self.tracker.submit(call, droppable=True)

    def links(self, timeout_s: float = LINKS_TIMEOUT_S) -> dict[str, str]:
        """The model's W&B runs by name -> URL, for its manifest and card: "preprocess" (when
        its data was tracked online) and "train" (once the run exists, waiting at most
        `timeout_s`, and when online)."""
        from murmur.core import tracking

        links = dict(self.data_links)
        online = self.tracker.enabled and self.ready.wait(timeout_s)
        if online and (url := tracking.run_url(self.run)):
            links["train"] = url
        return links

    def log_model(self, folder: str, then: Callable[[], None]) -> None:
        """The model's local folder (a copy of what was published) as an artifact, the figures
        its manifest records (validation loss before and after) in the run's summary, and
        huggingtweets' prompts through it; then `then()` (which removes the folder), also when
        tracking is off or the call is dropped."""

        def call() -> None:
            try:
                if self.run is not None:
                    self._log_model(folder)
            finally:
                then()

        if not self.tracker.submit(call, droppable=False):
            then()

    def _log_model(self, folder: str) -> None:
        from murmur.core import tracking

        try:
            tracking.log_summary(self.run, _manifest_figures(folder))
        except (OSError, ValueError) as e:  # tracking never fails a model
            log.warning("%s: validation losses not logged: %s", self.name, e)
        tracking.log_artifact(self.run, f"finetuned-model-{self.name}", "model", directory=folder)
        started, t0 = utc_stamp(), time.perf_counter()
        try:
            rows = _predictions(folder, self.seed)
        except Exception as e:  # tracking never fails a model
            log.warning("%s: predictions table not logged: %s", self.name, e)
            return
        tracking.log_table(self.run, "predictions", ["prompt", "generation"], rows)
        # When the table was sampled (UTC) and for how long: it runs beside the next model.
        timing = {"predictions/started": started, "predictions/seconds": time.perf_counter() - t0}
        tracking.log_summary(self.run, timing)

    def finish(self) -> None:
        def call() -> None:
            if self._cm is not None:
                self._cm.__exit__(None, None, None)
                self._cm = None

        self.tracker.submit(call, droppable=False)


def _artifact_slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:100] or "base"


def _manifest_figures(folder: str) -> dict[str, Any]:
    """The published manifest's losses (nats/token) and training figures, as summary keys."""
    from murmur.core.store import MANIFEST

    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
        manifest = ModelManifest.from_json(json.load(f))
    figures = {
        "val/loss_before": manifest.val_loss_before,
        "val/loss_after": manifest.val_loss_after,
        "train/tokens": manifest.train_tokens,
        "train/seconds": manifest.train_seconds,
    }
    return {k: v for k, v in figures.items() if v is not None}


def _predictions(folder: str, seed: int, per_prompt: int = 3) -> list[list[Any]]:
    """huggingtweets' prompts through the just-trained model, `per_prompt` generations each, for
    the W&B predictions table: rows [prompt, generation]. On the CPU (the trainer's GPU is busy
    with the next model), with huggingtweets' sampling (top_k, top_p, temperature, lengths:
    murmur.core.generation); generation i of prompt p draws from its own stream,
    `choice_seed(seed, p * per_prompt + i)`, never from torch's global generator."""
    from murmur.core import generation as g
    from murmur.core.sampling import choice_seed, generate_seeded

    model, tokenizer = _load_for_predictions(folder)
    eos = g.eos_token_id(tokenizer)
    rows: list[list[Any]] = []
    for p, prompt in enumerate(g.PROMPTS):
        ids = tokenizer(g.build_prompt(prompt), return_tensors="pt").input_ids  # (1, T)
        input_ids = ids.repeat(per_prompt, 1)  # (per_prompt, T)
        prompt_len = input_ids.shape[1]
        max_new = max(1, min(g.MAX_LENGTH, model.config.n_positions) - prompt_len)
        min_new = max(0, g.MIN_LENGTH - prompt_len)
        seeds = [choice_seed(seed, p * per_prompt + i) for i in range(per_prompt)]
        out = generate_seeded(
            model, input_ids, seeds, max_new, min_new, eos, g.TEMPERATURE, g.TOP_P, g.TOP_K
        )  # (per_prompt, prompt_len + new)
        for row in out:
            text = tokenizer.decode(row, skip_special_tokens=False)
            rows.append([prompt, g.cut_generation(text)])
    return rows


def _load_for_predictions(folder: str) -> tuple[Any, Any]:
    """(model in eval mode, tokenizer) of a published folder, a LoRA adapter folder included.
    Loading draws nothing from torch's global generator: a full model's weights all come from
    its file, and a LoRA adapter's layers are made empty (PEFT's `low_cpu_mem_usage`) rather
    than initialised at random and then overwritten (measured: PEFT 0.21 otherwise draws)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    adapter_config = os.path.join(folder, "adapter_config.json")
    if not os.path.isfile(adapter_config):
        return AutoModelForCausalLM.from_pretrained(folder).eval(), tokenizer
    from peft import PeftModel

    from murmur.models.base import quiet_loads

    with open(adapter_config, encoding="utf-8") as f:
        base_path = json.load(f)["base_model_name_or_path"]
    base = AutoModelForCausalLM.from_pretrained(base_path)
    with quiet_loads():
        model = PeftModel.from_pretrained(base, folder, low_cpu_mem_usage=True)
    return model.eval(), tokenizer
