"""Batched generation for the endpoint: the pending requests of one model in one `generate` call.

On a GPU, HF `generate` is launch-bound: 10 and 320 sequences of GPT-2 take about the same time
(DESIGN.md), so a model replica runs the requests it has gathered for one model as the rows of one
call, left-padded with an attention mask. Requests may differ in temperature, top_p and token
limits and still share the call: `RowSampling` applies each row's own temperature, top_p and
minimum length, and `RowLimit` stops each row at its own maximum. Only a request with a `seed` runs
in a call of its own, right after `torch.manual_seed`, so that its text depends on its seed alone,
not on whatever else was queued with it.

Text streams out as it is generated: `generate_batch` calls `on_events` with one event per request
every `interval_s` (and once at the end), each holding the new text of that request's choices.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    LogitsProcessorList,
    StoppingCriteriaList,
)

from murmur.errors import ServingError
from murmur.generation import EOS, MAX_LENGTH, TEMPERATURE, TOP_P, build_prompt, eos_token_id
from murmur.models.store import Store

log = logging.getLogger(__name__)

STOP = "stop"  # the model wrote its end-of-text token
LENGTH = "length"  # the request's token limit was reached


@dataclass(frozen=True)
class GenerationJob:
    """One request as a model replica sees it."""

    prompt: str  # as the user wrote it: huggingtweets' `<|endoftext|>` prefix is added here
    n: int = 1
    max_new_tokens: int | None = None  # None: up to huggingtweets' 160 tokens, prompt included
    min_length: int = 0  # tokens in all, prompt included (huggingtweets: 10)
    temperature: float = TEMPERATURE  # 0 is greedy
    top_p: float = TOP_P
    seed: int | None = None


def count_rows(jobs: list[GenerationJob]) -> int:
    """The size of a batch in sequences, as `@serve.batch(batch_size_fn=...)` counts it."""
    return sum(job.n for job in jobs)


@dataclass
class ChoiceDelta:
    """New text of one choice; `finish_reason` is set on the choice's last delta."""

    index: int
    text: str
    finish_reason: str | None = None


@dataclass
class GenerationEvent:
    """What one request gets from one step of its batch: new text, and its usage when done."""

    deltas: list[ChoiceDelta] = field(default_factory=list)
    done: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0  # tokens generated, end-of-text tokens included
    error: str | None = None  # an input this model cannot take; the request is done


@dataclass
class Choice:
    text: str
    finish_reason: str


@dataclass
class GenerationResult:
    """One request's whole answer."""

    choices: list[Choice]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None


def collect(events: Iterable[GenerationEvent], n: int) -> GenerationResult:
    """Fold a request's events into its result."""
    texts = [""] * n
    reasons = [LENGTH] * n
    result = GenerationResult(choices=[])
    for event in events:
        for d in event.deltas:
            texts[d.index] += d.text
            if d.finish_reason:
                reasons[d.index] = d.finish_reason
        if event.done:
            result.prompt_tokens = event.prompt_tokens
            result.completion_tokens = event.completion_tokens
            result.error = event.error
            break
    result.choices = (
        [] if result.error else [Choice(t, r) for t, r in zip(texts, reasons, strict=True)]
    )
    return result


@dataclass
class LoadedModel:
    """A published model in memory, ready to generate."""

    name: str
    version: str
    model: Any  # a transformers PreTrainedModel
    tokenizer: Any
    device: torch.device
    max_positions: int  # the longest sequence the model takes, prompt included
    eos_id: int
    load_seconds: float


def resolve_dtype(dtype: str, device: torch.device) -> torch.dtype:
    """`auto`: bf16 (or fp16 where bf16 is missing) on a GPU, fp32 on the CPU."""
    if dtype == "auto":
        if device.type != "cuda":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    table = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
    if dtype not in table:
        raise ServingError(f"unknown dtype {dtype!r}: use auto, float32, float16 or bfloat16")
    return table[dtype]


def load_model(
    store: Store, name: str, version: str = "", device: str = "cpu", dtype: str = "auto"
) -> LoadedModel:
    """Load a published model from the store (ModelNotFoundError if it is not published)."""
    start = time.perf_counter()
    path = store.local_model_dir(name)
    torch_device = torch.device(device)
    try:  # typed Any: transformers' hints are looser than what a causal LM folder gives
        tokenizer: Any = AutoTokenizer.from_pretrained(path)
        model: Any = AutoModelForCausalLM.from_pretrained(
            path, dtype=resolve_dtype(dtype, torch_device)
        )
    except Exception as e:  # whatever a damaged folder raises, say which model it was
        raise ServingError(f"model {name!r} in {store.uri} could not be loaded: {e}") from e
    model = model.to(torch_device).eval()
    tokenizer.padding_side = "left"  # generation continues every row at the same position
    eos_id = eos_token_id(tokenizer)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = EOS
    max_positions = int(
        getattr(model.config, "n_positions", 0)
        or getattr(model.config, "max_position_embeddings", 0)
        or MAX_LENGTH
    )
    seconds = time.perf_counter() - start
    log.debug("loaded %s (%s) on %s in %.2f s", name, version or "-", device, seconds)
    return LoadedModel(
        name, version, model, tokenizer, torch_device, max_positions, eos_id, seconds
    )


@dataclass
class _Plan:
    """A job after tokenizing: its prompt ids and its token limits, or why it cannot run."""

    job: GenerationJob
    prompt_ids: list[int]
    max_new: int = 0
    min_new: int = 0
    error: str | None = None


def _plan(lm: LoadedModel, job: GenerationJob) -> _Plan:
    ids: list[int] = lm.tokenizer(build_prompt(job.prompt), verbose=False)["input_ids"]
    plan = _Plan(job, ids, min_new=max(0, job.min_length - len(ids)))
    room = lm.max_positions - len(ids)
    if job.max_new_tokens is None:
        plan.max_new = min(MAX_LENGTH, lm.max_positions) - len(ids)
        if plan.max_new < 1:
            plan.error = (
                f"the prompt is {len(ids)} tokens: huggingtweets' requests take up to "
                f"{min(MAX_LENGTH, lm.max_positions)} tokens in all, prompt included; shorten the "
                "prompt or set max_tokens"
            )
    elif job.max_new_tokens > room:
        plan.error = (
            f"the prompt is {len(ids)} tokens and max_tokens is {job.max_new_tokens}: model "
            f"{lm.name!r} takes at most {lm.max_positions} tokens in all; shorten the prompt or "
            f"lower max_tokens to {max(room, 0)}"
        )
    else:
        plan.max_new = job.max_new_tokens
    plan.min_new = min(plan.min_new, plan.max_new)
    return plan


class RowSampling:
    """A logits processor applying each row's own minimum length, temperature and top_p.

    Rows with temperature 0 are greedy: every token but the best is masked, so the sampling step
    that follows picks the best.
    """

    def __init__(
        self,
        temperature: list[float],
        top_p: list[float],
        min_new: list[int],
        eos_id: int,
        prompt_len: int,
        device: torch.device,
    ) -> None:
        t = torch.tensor(temperature, dtype=torch.float32, device=device)
        self.greedy = t == 0
        self.any_greedy = bool(self.greedy.any())
        self.temperature = torch.where(self.greedy, torch.ones_like(t), t)[:, None]  # (B, 1)
        self.top_p = torch.tensor(top_p, dtype=torch.float32, device=device)[:, None]  # (B, 1)
        self.any_top_p = bool((self.top_p < 1).any())
        self.min_new = torch.tensor(min_new, device=device)  # (B,)
        self.eos_id = eos_id
        self.prompt_len = prompt_len

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        generated = input_ids.shape[1] - self.prompt_len
        too_short = self.min_new > generated  # (B,)
        if bool(too_short.any()):
            scores[too_short, self.eos_id] = -math.inf
        scores = scores / self.temperature  # (B, V)
        if self.any_top_p:
            # As transformers' TopPLogitsWarper, row by row: drop the least likely tokens whose
            # probabilities sum to at most 1 - top_p; the most likely token always stays.
            sorted_scores, order = torch.sort(scores, descending=False)
            cumulative = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
            drop_sorted = cumulative <= (1 - self.top_p)
            drop_sorted[:, -1] = False
            drop = drop_sorted.scatter(1, order, drop_sorted)
            scores = scores.masked_fill(drop, -math.inf)
        if self.any_greedy:
            best = scores.argmax(dim=-1, keepdim=True)  # (B, 1)
            only_best = torch.full_like(scores, -math.inf).scatter(1, best, 0.0)
            scores = torch.where(self.greedy[:, None], only_best, scores)
        return scores


class RowLimit:
    """A stopping criterion: each row stops after its own number of new tokens."""

    def __init__(self, max_new: list[int], prompt_len: int, device: torch.device) -> None:
        self.max_new = torch.tensor(max_new, device=device)  # (B,)
        self.prompt_len = prompt_len

    def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
        return self.max_new <= input_ids.shape[1] - self.prompt_len  # (B,) bool


class _Progress:
    """Every choice's tokens and text while a batch runs; turns them into per-job events.

    Runs in the generating thread; `on_events` hands the events to whoever waits for them.
    """

    def __init__(
        self,
        lm: LoadedModel,
        plans: list[_Plan],
        on_events: Callable[[list[GenerationEvent]], None] | None,
        interval_s: float,
    ) -> None:
        self.lm = lm
        self.plans = plans
        self.on_events = on_events
        self.interval_s = interval_s
        self.tokens: list[list[list[int]]] = [[[] for _ in range(p.job.n)] for p in plans]
        self.finish: list[list[str | None]] = [[None] * p.job.n for p in plans]
        self.sent: list[list[str]] = [[""] * p.job.n for p in plans]
        self.closed: list[list[bool]] = [[False] * p.job.n for p in plans]
        self.reported = [False] * len(plans)
        self.history: list[list[GenerationEvent]] = []
        self.last_emit = time.monotonic()

    def step(self, rows: list[tuple[int, int]], new_tokens: list[int]) -> None:
        """One decoding step of a group: `rows[r]` is (job, choice) of row r."""
        for (j, c), token in zip(rows, new_tokens, strict=True):
            if self.finish[j][c] is not None:
                continue  # a finished row is padded from here on
            self.tokens[j][c].append(token)
            if token == self.lm.eos_id:
                self.finish[j][c] = STOP
            elif len(self.tokens[j][c]) >= self.plans[j].max_new:
                self.finish[j][c] = LENGTH
        if time.monotonic() - self.last_emit >= self.interval_s:
            self.emit()

    def close(self, rows: list[tuple[int, int]]) -> None:
        """A group ended: any row not finished yet ran out of tokens."""
        for j, c in rows:
            if self.finish[j][c] is None:
                self.finish[j][c] = LENGTH
        self.emit()

    def _text(self, j: int, c: int) -> str:
        ids = [t for t in self.tokens[j][c] if t != self.lm.eos_id]
        text: str = self.lm.tokenizer.decode(ids, clean_up_tokenization_spaces=False)
        return text

    def _event(self, j: int) -> GenerationEvent:
        plan = self.plans[j]
        if plan.error:
            return GenerationEvent(done=True, prompt_tokens=len(plan.prompt_ids), error=plan.error)
        event = GenerationEvent()
        for c in range(plan.job.n):
            if self.closed[j][c]:
                continue  # its last delta went out already
            finished = self.finish[j][c]
            text = self._text(j, c)
            if not finished:
                text = text.rstrip("\ufffd")  # half a UTF-8 character: wait for the rest
            sent = self.sent[j][c]
            if text.startswith(sent):
                delta = text[len(sent) :]
            else:  # decoding changed earlier text (rare): send the rest only at the end
                delta = text[len(sent) :] if finished else ""
            self.sent[j][c] = sent + delta
            if delta or finished:
                event.deltas.append(ChoiceDelta(c, delta, finished))
            self.closed[j][c] = finished is not None
        if all(self.finish[j]):
            event.done = True
            event.prompt_tokens = len(plan.prompt_ids)
            event.completion_tokens = sum(len(t) for t in self.tokens[j])
        return event

    def emit(self) -> list[GenerationEvent]:
        """Events for every job: new text since the last emit; a bare `done` for jobs already done."""
        self.last_emit = time.monotonic()
        events = []
        for j in range(len(self.plans)):
            if self.reported[j]:
                events.append(GenerationEvent(done=True))
                continue
            event = self._event(j)
            self.reported[j] = event.done
            events.append(event)
        self.history.append(events)
        if self.on_events is not None:
            self.on_events(events)
        return events


class _Streamer:
    """A transformers streamer feeding a group's new tokens to `_Progress`."""

    def __init__(self, progress: _Progress, rows: list[tuple[int, int]]) -> None:
        self.progress = progress
        self.rows = rows
        self.seen_prompt = False

    def put(self, value: torch.Tensor) -> None:
        if not self.seen_prompt:  # the first call carries the prompts
            self.seen_prompt = True
            return
        self.progress.step(self.rows, value.reshape(-1).tolist())

    def end(self) -> None:
        pass


def _run_group(lm: LoadedModel, group: list[int], plans: list[_Plan], progress: _Progress) -> None:
    """One `generate` call for the jobs in `group`, each job's prompt repeated `n` times."""
    rows: list[tuple[int, int]] = []
    ids: list[list[int]] = []
    temperature: list[float] = []
    top_p: list[float] = []
    min_new: list[int] = []
    max_new: list[int] = []
    for j in group:
        plan = plans[j]
        for c in range(plan.job.n):
            rows.append((j, c))
            ids.append(plan.prompt_ids)
            temperature.append(plan.job.temperature)
            top_p.append(plan.job.top_p)
            min_new.append(plan.min_new)
            max_new.append(plan.max_new)
    batch = lm.tokenizer.pad({"input_ids": ids}, padding=True, return_tensors="pt")  # left
    input_ids = batch["input_ids"].to(lm.device)  # (B, T)
    prompt_len = input_ids.shape[1]
    sampling = RowSampling(temperature, top_p, min_new, lm.eos_id, prompt_len, lm.device)
    with torch.inference_mode():
        lm.model.generate(
            input_ids=input_ids,
            attention_mask=batch["attention_mask"].to(lm.device),
            do_sample=True,
            # transformers' own warpers off: RowSampling does their work, row by row
            temperature=1.0,
            top_p=1.0,
            top_k=0,
            min_length=0,
            max_length=prompt_len + max(max_new),  # not max_new_tokens: it clashes with the
            # max_length of the model's generation config (huggingtweets' 160) in a warning
            logits_processor=LogitsProcessorList([sampling]),
            stopping_criteria=StoppingCriteriaList([RowLimit(max_new, prompt_len, lm.device)]),
            pad_token_id=lm.eos_id,
            eos_token_id=lm.eos_id,
            streamer=_Streamer(progress, rows),
        )
    progress.close(rows)


def generate_batch(
    lm: LoadedModel,
    jobs: list[GenerationJob],
    on_events: Callable[[list[GenerationEvent]], None] | None = None,
    interval_s: float = math.inf,
) -> list[GenerationResult]:
    """Generate for every job of one model; call `on_events` as text arrives (see module doc).

    Jobs without a seed share one `generate` call; a seeded job runs alone after seeding torch.
    Blocking: run it in a thread, one at a time per process (the seed is process-global).
    """
    plans = [_plan(lm, job) for job in jobs]
    progress = _Progress(lm, plans, on_events, interval_s)
    runnable = [j for j, p in enumerate(plans) if p.error is None]
    shared = [j for j in runnable if jobs[j].seed is None]
    groups = ([shared] if shared else []) + [[j] for j in runnable if jobs[j].seed is not None]
    if len(runnable) < len(jobs) or not groups:
        progress.emit()  # refuse the jobs that cannot run at once
    for group in groups:
        seed = jobs[group[0]].seed
        if seed is not None:
            torch.manual_seed(seed)
        _run_group(lm, group, plans, progress)
    return [
        collect((events[j] for events in progress.history), job.n) for j, job in enumerate(jobs)
    ]
