"""Batched generation: the pending requests of one model in as few `generate` calls as fit.

On a GPU, HF `generate` is launch-bound: 10 and 320 sequences of GPT-2 take about the same time
(DESIGN.md), so a model replica runs the requests it has gathered for one model as the rows of
one call, left-padded with an attention mask. Requests may differ in temperature, top_p, token
limits and seed and still share the call (murmur.core.sampling gives each row its settings and
its own random stream).

A call's rows are left-padded to its longest prompt and it runs for its largest `max_new`, since a
finished row keeps decoding (padding) until the last row ends; so a call needs (longest prompt +
largest max_new) positions, which two requests that each fit can exceed together ("index out of
range", on CUDA a device-side assert that poisons the replica). `fit_groups` therefore splits the
jobs into calls that each fit `n_positions`: any mix of requests that each fit is served.

Text streams out as it is generated: `generate_batch` calls `on_events` with one event per request
every `interval_s` (and when each call ends), each holding the new text of that request's choices.

Logprobs (murmur.serving.scoring): a job with `echo` and `logprobs` has its prompt scored by one
forward pass first; a call with any job asking for logprobs records each step's raw log-softmax.
A job with `max_tokens` 0 (scoring only, with echo) takes no part in any call.

LoRA bots (murmur.serving.adapters): bots over one base share its model, so `generate_mixed` runs
their jobs as rows of the same calls, each row with its own adapter (`LoraPool.use`); every rule
above holds row by row. Jobs of different models run one model after another.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import torch
from transformers import LogitsProcessorList, StoppingCriteriaList

from murmur.core.errors import ServingError
from murmur.core.sampling import RowDraw, RowLimit, RowSampling, choice_seed, row_uniforms
from murmur.serving.budget import JobPlan, plan_job
from murmur.serving.events import GenerationEvent, GenerationJob, GenerationResult, collect
from murmur.serving.loading import LoadedModel
from murmur.serving.outputs import Progress, Row, Streamer, as_logprobs
from murmur.serving.scoring import RawLogprobs, score_prompt


@dataclass
class _Group:
    """Jobs sharing one generate call, and the positions that call needs."""

    longest_prompt: int
    largest_max_new: int
    jobs: list[int] = field(default_factory=list)


def fit_groups(plans: list[JobPlan], jobs: list[int], max_positions: int) -> list[list[int]]:
    """Split `jobs` (indices into `plans`, each fitting alone) into generate calls that fit.

    A call fits when its longest prompt plus its largest `max_new` is at most `max_positions`.
    First fit, longest prompt first: each job joins the first call it fits, else opens one. Jobs
    keep their order within a call. ServingError if a job does not fit even alone.
    """
    groups: list[_Group] = []
    for j in sorted(jobs, key=lambda j: len(plans[j].prompt_ids), reverse=True):
        prompt, max_new = len(plans[j].prompt_ids), plans[j].max_new
        if prompt + max_new > max_positions:
            raise ServingError(f"a job of {prompt} + {max_new} tokens exceeds {max_positions}")
        for group in groups:  # longest prompt first: no later job is longer than the group's
            if group.longest_prompt + max(group.largest_max_new, max_new) <= max_positions:
                group.largest_max_new = max(group.largest_max_new, max_new)
                group.jobs.append(j)
                break
        else:
            groups.append(_Group(prompt, max_new, [j]))
    return [sorted(group.jobs) for group in groups]


def _adapters(bots: list[LoadedModel]) -> AbstractContextManager[None]:
    """Row r of the forward passes inside runs with `bots[r]`'s adapter (LoRA bots of one base);
    nothing to do for a full model."""
    pool = bots[0].lora
    return nullcontext() if pool is None else pool.use([bot.slot for bot in bots])


def _run_group(
    bots: list[LoadedModel], group: list[int], plans: list[JobPlan], progress: Progress
) -> None:
    """One `generate` call for the jobs in `group` (job j for `bots[j]`, all of one model), each
    job's prompt repeated `n` times."""
    lm = bots[group[0]]
    rows: list[Row] = [(j, c) for j in group for c in range(plans[j].job.n)]
    ids = [plans[j].prompt_ids for j, _ in rows]
    max_new = [plans[j].max_new for j, _ in rows]
    batch = lm.tokenizer.pad({"input_ids": ids}, padding=True, return_tensors="pt")  # left
    input_ids = batch["input_ids"].to(lm.device)  # (B, T)
    prompt_len = input_ids.shape[1]
    sampling = RowSampling(
        [plans[j].job.temperature for j, _ in rows],
        [plans[j].job.top_p for j, _ in rows],
        [plans[j].min_new for j, _ in rows],
        lm.eos_id,
        prompt_len,
        lm.device,
    )
    seeds = [choice_seed(plans[j].job.seed, c) for j, c in rows]
    draw = RowDraw(row_uniforms(seeds, max_new, lm.device), prompt_len)
    tops = [top for j in group if (top := plans[j].job.logprobs) is not None]
    recorder = RawLogprobs(max(tops)) if tops else None  # first: it sees the raw scores
    processors = [recorder, sampling, draw] if recorder is not None else [sampling, draw]
    with torch.inference_mode(), _adapters([bots[j] for j, _ in rows]):
        lm.model.generate(
            input_ids=input_ids,
            attention_mask=batch["attention_mask"].to(lm.device),
            do_sample=False,  # RowDraw has sampled: greedy takes its one token
            # transformers' own warpers off: RowSampling does their work, row by row
            temperature=None,
            top_p=None,
            top_k=None,
            min_length=0,
            max_length=prompt_len + max(max_new),  # not max_new_tokens: it clashes with the
            # max_length of the model's generation config (huggingtweets' 160) in a warning
            logits_processor=LogitsProcessorList(processors),
            stopping_criteria=StoppingCriteriaList([RowLimit(max_new, prompt_len, lm.device)]),
            pad_token_id=lm.eos_id,
            eos_token_id=lm.eos_id,
            streamer=Streamer(progress, rows, recorder),
        )
    progress.close(rows)


def _score_prompt(lm: LoadedModel, plan: JobPlan) -> None:
    """The prompt's tokens with their raw logprobs, where the job echoes them with logprobs."""
    top = plan.job.logprobs
    if plan.job.echo and top is not None:
        with _adapters([lm]):
            picks = score_prompt(lm, plan.prompt_ids, top)
        plan.prompt_logprobs = as_logprobs(lm, plan.prompt_ids[1:], picks, top, 0)


def generate_batch(
    lm: LoadedModel,
    jobs: list[GenerationJob],
    on_events: Callable[[list[GenerationEvent]], None] | None = None,
    interval_s: float = math.inf,
) -> list[GenerationResult]:
    """Generate for every job of one model; call `on_events` as text arrives (see module doc).

    Returns one result per job, in order; a job the model cannot take gets a result with its
    `error` (a 422's message) and no choices. Blocking: run it in a thread.
    """
    return _generate_shared([lm] * len(jobs), jobs, on_events, interval_s)


def generate_mixed(
    bots: list[LoadedModel],
    jobs: list[GenerationJob],
    on_events: Callable[[list[GenerationEvent]], None] | None = None,
    interval_s: float = math.inf,
) -> list[GenerationResult]:
    """`generate_batch` for job j on `bots[j]`: bots that share a model (LoRA bots of one base)
    share its calls; models take turns. `on_events` gets one event per job each time, empty for
    a job whose model has not started and a bare `done` for one whose model has finished."""
    by_model: dict[int, list[int]] = {}
    for j, bot in enumerate(bots):
        by_model.setdefault(id(bot.model), []).append(j)
    if len(by_model) <= 1:
        return _generate_shared(bots, jobs, on_events, interval_s)
    results: list[GenerationResult] = [GenerationResult(choices=[])] * len(jobs)
    finished: set[int] = set()
    for part in by_model.values():

        def forward(events: list[GenerationEvent], part: list[int] = part) -> None:
            assert on_events is not None
            whole = [GenerationEvent(done=j in finished) for j in range(len(jobs))]
            for j, event in zip(part, events, strict=True):
                whole[j] = event
            on_events(whole)

        sub = [bots[j] for j in part], [jobs[j] for j in part]
        answers = _generate_shared(*sub, forward if on_events else None, interval_s)
        for j, answer in zip(part, answers, strict=True):
            results[j] = answer
        finished.update(part)
    return results


def _generate_shared(
    bots: list[LoadedModel],
    jobs: list[GenerationJob],
    on_events: Callable[[list[GenerationEvent]], None] | None,
    interval_s: float,
) -> list[GenerationResult]:
    """`generate_mixed` for bots that all share one model (and so its tokenizer and limits)."""
    if not jobs:
        return []
    plans = [plan_job(bot, job) for bot, job in zip(bots, jobs, strict=True)]
    progress = Progress(bots[0], plans, on_events, interval_s)
    runnable = [j for j, p in enumerate(plans) if p.error is None]
    for j in runnable:
        _score_prompt(bots[j], plans[j])
    generating = [j for j in runnable if plans[j].max_new > 0]
    groups = fit_groups(plans, generating, bots[0].max_positions)
    if len(generating) < len(jobs) or not groups:
        # Refuse the jobs that cannot run, and answer those with nothing to generate, at once.
        progress.close(
            [(j, c) for j in runnable if plans[j].max_new == 0 for c in range(jobs[j].n)]
        )
    for group in groups:
        _run_group(bots, group, plans, progress)
    return [
        collect((events[j] for events in progress.history), job.n) for j, job in enumerate(jobs)
    ]
