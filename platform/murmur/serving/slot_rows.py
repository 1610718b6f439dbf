"""The engine's running rows in their KV slots: prefill, decode steps, sampling, leaving.

`SlotRows` is the half of murmur.serving.decode_loop's engine that touches tensors: the scheduler
admits requests into it (each with `n` slots taken), and each iteration it prefills a chunk of
every admitted prompt (one forward per model), copies a finished prompt's keys and values into
its other choices' slots, runs one decode step for every running row (one forward per model, the
rows of LoRA bots of one base together), samples each row's token with its own settings and
seeded numbers (murmur.core.sampling), feeds each request's `Progress` (murmur.serving.outputs:
text, stops, logprobs, events) and frees the slot of every row that ended.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from murmur.core.sampling import choice_seed, row_uniforms, sample_rows
from murmur.serving.adapter_bank import AdapterRows
from murmur.serving.budget import GenerationPlan
from murmur.serving.decode_step import forward_rows, lm_logits
from murmur.serving.events import GenerationEvent, GenerationSpec
from murmur.serving.kv_slots import KVSlots
from murmur.serving.loading import LoadedModel
from murmur.serving.outputs import Progress, prompt_logprobs
from murmur.serving.scoring import Pick, picks_of

OnEvent = Callable[[GenerationEvent | Exception], None]


@dataclass(eq=False)
class Request:
    """One spec for one bot, from its submission to its last event."""

    bot: LoadedModel
    spec: GenerationSpec
    on_event: OnEvent
    stream: bool
    arrived: float = field(default_factory=time.perf_counter)
    plan: GenerationPlan | None = None
    progress: Progress | None = None
    slots: list[int] = field(default_factory=list)
    prefilled: int = 0  # prompt positions in the cache
    prompt_picks: list[Pick] = field(default_factory=list)
    cancelled: bool = False
    finished: bool = False
    first_token_s: float | None = None


@dataclass(eq=False)
class Row:
    """One choice of a request, in its slot."""

    request: Request
    choice: int
    slot: int
    position: int  # where its next token goes (tokens in its slot so far)
    token: int = -1  # its last token, the next step's input
    generated: int = 0


@dataclass
class EngineStats:
    """Counters since the engine started (the bench and `ModelServer.stats` read them)."""

    steps: int = 0  # decode forwards
    iterations: int = 0
    admitted: int = 0  # rows
    finished: int = 0  # rows
    cancelled: int = 0  # requests
    prefill_tokens: int = 0
    decode_tokens: int = 0
    prefill_s: float = 0.0
    decode_s: float = 0.0
    row_steps: int = 0  # sum over decode forwards of their rows
    occupancy_sum: float = 0.0  # sum over iterations of used slots / slots
    bots_per_step: Counter[tuple[str, int]] = field(default_factory=Counter)  # (kind, bots)
    ttft_s: deque[float] = field(default_factory=lambda: deque(maxlen=4096))  # the latest
    ttft_total: int = 0  # requests that drew a first token


class SlotRows:
    """The admitted requests and running rows of one engine (see the module's doc).

    `prefill_tokens`: prompt tokens one iteration prefills of a request (a longer prompt takes
    several iterations). Not thread-safe: the engine's loop owns it.
    """

    def __init__(self, cache: KVSlots, device: torch.device, prefill_tokens: int) -> None:
        self.cache = cache
        self.device = device
        self.prefill_tokens = max(prefill_tokens, 1)
        positions = cache.shape.positions
        self.uniforms = torch.zeros(cache.slots, positions, dtype=torch.float64)  # (S, P)
        self.stats = EngineStats()
        self.prefilling: list[Request] = []  # admitted, their prompt not all in the cache yet
        self.rows: dict[int, Row] = {}  # slot -> its running row

    def admit(self, request: Request, slots: list[int]) -> None:
        """`request` takes `slots` (one per choice) and starts its prefill next iteration."""
        request.slots = slots
        self.prefilling.append(request)
        self.stats.admitted += len(slots)

    def requests(self) -> list[Request]:
        """Every admitted request not done."""
        running = {id(row.request): row.request for row in self.rows.values()}
        return self.prefilling + [r for r in running.values() if r not in self.prefilling]

    def chunk(self, request: Request) -> int:
        """Prompt tokens of `request` the next prefill takes."""
        return min(_prompt_len(request) - request.prefilled, self.prefill_tokens)

    def release(self, request: Request) -> None:
        """A cancelled request leaves: its rows and slots are freed now."""
        if request in self.prefilling:
            self.prefilling.remove(request)
        for slot in request.slots:
            self.rows.pop(slot, None)
        self.cache.give(request.slots)
        request.slots = []
        request.finished = True
        self.stats.cancelled += 1

    def prefill(self) -> set[int]:
        """A chunk of every admitted prompt, one forward per model; returns the slots of the
        rows that drew their first token (their prompt is done)."""
        started: set[int] = set()
        groups: dict[int, list[Request]] = {}
        for request in self.prefilling:
            groups.setdefault(id(request.bot.model), []).append(request)
        for requests in groups.values():
            started |= self._prefill_group(requests)
        self.prefilling = [r for r in self.prefilling if r.prefilled < _prompt_len(r)]
        return started

    def _prefill_group(self, requests: list[Request]) -> set[int]:
        start = time.perf_counter()
        bot = requests[0].bot
        chunks = [self.chunk(r) for r in requests]
        tokens = torch.full((len(requests), max(chunks)), bot.eos_id, dtype=torch.long)
        for i, (request, chunk) in enumerate(zip(requests, chunks, strict=True)):
            assert request.plan is not None
            ids = request.plan.prompt_ids[request.prefilled : request.prefilled + chunk]
            tokens[i, :chunk] = torch.tensor(ids)
        slots = [r.slots[0] for r in requests]
        starts = [r.prefilled for r in requests]
        adapters = _adapters([r.bot for r in requests])
        hidden = forward_rows(
            bot.model,
            self.cache,
            tokens.to(self.device),
            self._tensor(slots),
            self._tensor(starts),
            adapters,
        )  # (R, T, C)
        rows: list[Row] = []
        last: list[torch.Tensor] = []  # each new row's hidden state at its prompt's end
        for i, (request, chunk) in enumerate(zip(requests, chunks, strict=True)):
            self._score_chunk(request, hidden[i, :chunk])
            request.prefilled += chunk
            if request.prefilled == _prompt_len(request):
                for row in self._first_rows(request):
                    rows.append(row)
                    last.append(hidden[i, chunk - 1])
        self.stats.prefill_tokens += sum(chunks)
        if rows:
            bots = [row.request.bot for row in rows]
            self._sample(rows, lm_logits(bot.model, torch.stack(last), _adapters(bots)))
        self.stats.prefill_s += time.perf_counter() - start
        return {row.slot for row in rows}

    def _score_chunk(self, request: Request, hidden: torch.Tensor) -> None:
        """Raw logprobs of the prompt's tokens after this chunk's positions (echo + logprobs)."""
        plan, top = request.plan, request.spec.logprobs
        assert plan is not None
        if not (request.spec.echo and top is not None):
            return
        begin = request.prefilled
        targets = plan.prompt_ids[begin + 1 : begin + hidden.shape[0] + 1]
        if targets:
            bots = [request.bot] * len(targets)
            logits = lm_logits(request.bot.model, hidden[: len(targets)], _adapters(bots))
            chosen = torch.tensor(targets, device=logits.device)
            request.prompt_picks += picks_of(logits.float().log_softmax(dim=-1), chosen, top)

    def _first_rows(self, request: Request) -> list[Row]:
        """A prompt is in the cache: its choices' rows (none if it only scores the prompt)."""
        plan, progress = request.plan, request.progress
        assert plan is not None and progress is not None
        top, length = request.spec.logprobs, len(plan.prompt_ids)
        if request.spec.echo and top is not None:
            picks = request.prompt_picks
            plan.prompt_logprobs = prompt_logprobs(request.bot, plan.prompt_ids, picks, top)
        if plan.max_new == 0:  # scoring only: answered now
            self.cache.give(request.slots)
            progress.close([(0, c) for c in range(request.spec.n)])
            return []
        self.cache.copy_prefix(request.slots[0], request.slots[1:], length)
        seeds = [choice_seed(request.spec.seed, c) for c in range(request.spec.n)]
        numbers = row_uniforms(seeds, [plan.max_new] * len(seeds), torch.device("cpu"))
        self.uniforms[request.slots, : plan.max_new] = numbers[:, : plan.max_new]
        return [Row(request, c, slot, length) for c, slot in enumerate(request.slots)]

    def decode(self, started: set[int]) -> list[tuple[int, int]]:
        """One decode step for every running row (not those that just drew their first token),
        one forward per model; returns each forward's rows and distinct bots."""
        sizes: list[tuple[int, int]] = []
        groups: dict[int, list[Row]] = {}
        for slot, row in self.rows.items():
            if slot not in started:
                groups.setdefault(id(row.request.bot.model), []).append(row)
        for rows in groups.values():
            start = time.perf_counter()
            bots = [row.request.bot for row in rows]
            adapters = _adapters(bots)
            tokens = self._tensor([[row.token] for row in rows])  # (R, 1)
            positions = self._tensor([row.position for row in rows])
            slots = [r.slot for r in rows]
            hidden = forward_rows(
                bots[0].model,
                self.cache,
                tokens,
                self._tensor(slots),
                positions,
                adapters,
                window=(min(slots), max(slots) + 1),
            )
            for row in rows:
                row.position += 1
            self._sample(rows, lm_logits(bots[0].model, hidden[:, 0], adapters))
            s = self.stats
            s.steps += 1
            s.row_steps += len(rows)
            s.decode_tokens += len(rows)
            kind = "full" if bots[0].lora is None else "lora"
            distinct = len({(b.name, b.version) for b in bots})
            s.bots_per_step[kind, distinct] += 1
            s.decode_s += time.perf_counter() - start
            sizes.append((len(rows), distinct))
        return sizes

    def _sample(self, rows: list[Row], logits: torch.Tensor) -> None:
        """Each row's next token from `logits` (R, V): its own sampling and seeded number; then
        its text (Progress), and the rows that ended leave."""
        specs = [row.request.spec for row in rows]
        want = [i for i, spec in enumerate(specs) if spec.logprobs is not None]
        scores = logits.float()
        raw = scores[want].log_softmax(dim=-1) if want else None  # before any warping
        greedy = [spec.temperature == 0 for spec in specs]
        temperature = self._tensor(
            [1.0 if g else spec.temperature for g, spec in zip(greedy, specs, strict=True)]
        )
        top_p = self._tensor([s.top_p for s in specs]) if any(s.top_p < 1 for s in specs) else None
        top_k = self._tensor([s.top_k for s in specs]) if any(s.top_k for s in specs) else None
        min_new = [row.request.plan.min_new for row in rows]  # type: ignore[union-attr]
        too_short = self._tensor([r.generated < m for r, m in zip(rows, min_new, strict=True)])
        numbers = self.uniforms[[r.slot for r in rows], [r.generated for r in rows]]
        tokens = sample_rows(
            scores,
            temperature,
            top_p,
            self._tensor(greedy) if any(greedy) else None,
            too_short,
            rows[0].request.bot.eos_id,
            numbers.to(self.device),
            top_k,
        )
        picks: list[Pick | None] = [None] * len(rows)
        if raw is not None:
            top = max(specs[i].logprobs or 0 for i in want)
            for i, pick in zip(want, picks_of(raw, tokens[want], top), strict=True):
                picks[i] = pick
        self._advance(rows, tokens.tolist(), picks)

    def _advance(self, rows: list[Row], tokens: list[int], picks: list[Pick | None]) -> None:
        """Rows take their new tokens; ended rows free their slots, done requests their last text."""
        by_request: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            row.token, row.generated = tokens[i], row.generated + 1
            self.rows[row.slot] = row
            by_request.setdefault(id(row.request), []).append(i)
        now = time.perf_counter()
        for members in by_request.values():
            request = rows[members[0]].request
            progress = request.progress
            assert progress is not None
            if request.first_token_s is None:
                request.first_token_s = now - request.arrived
                self.stats.ttft_s.append(request.first_token_s)
                self.stats.ttft_total += 1
            mine = [p for i in members if (p := picks[i]) is not None]
            step_picks = mine if request.spec.logprobs is not None else None
            choices = [(0, rows[i].choice) for i in members]
            progress.step(choices, [tokens[i] for i in members], step_picks)
            for i in members:
                if progress.finish[0][rows[i].choice] is not None:
                    del self.rows[rows[i].slot]
                    self.cache.give([rows[i].slot])
                    self.stats.finished += 1
            if all(progress.finish[0]) and not progress.reported[0]:
                progress.emit()

    def _tensor(self, values: list[Any]) -> torch.Tensor:
        return torch.tensor(values, device=self.device)


def _prompt_len(request: Request) -> int:
    assert request.plan is not None
    return len(request.plan.prompt_ids)


def _adapters(bots: list[LoadedModel]) -> AdapterRows | None:
    """Each row's adapter (row r: `bots[r]`, bots of one base); None for a full model."""
    pool = bots[0].lora
    return None if pool is None else AdapterRows(pool, [bot.slot for bot in bots])
