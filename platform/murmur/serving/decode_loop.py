"""The serving engine: one decode loop over a fixed-slot KV cache, every bot of a base in each step.

    engine = DecodeEngine(base, slots=192)          # base: a LoadedModel (murmur.serving.loading)
    engine.start()                                  # the loop, in its own thread
    handle = engine.submit(bot, spec, on_event)      # bot: a LoadedModel of the base's shape
    ...                                             # on_event(GenerationEvent | Exception),
    handle.cancel()                                 #   from the loop's thread; or cancel
    engine.stats()                                  # slots, rows, steps, tokens, bots per step

`engine.step()` runs one iteration without the thread (tests, `murmur.serving.batching`).

Each iteration (continuous batching, as vLLM and TGI schedule):
1. new requests are planned (their prompt tokenized and limits fitted, murmur.serving.budget;
   one the model cannot take gets its error at once) and wait in one queue per bot;
2. waiting requests are admitted while free slots and the iteration's prefill budget last,
   taking one request from each bot in turn, so that a bot sending most requests cannot starve
   the others; a request takes `n` slots (one per choice) or waits whole;
3. admitted prompts are prefilled together, one forward per model (long ones in chunks of
   `prefill_tokens`); a finished prompt's keys and values are copied into its other choices'
   slots (`n` choices share one prefill), and each choice draws its first token;
4. one decode step for every running row, one forward per model: rows of different LoRA bots of
   a base share it, each row's adapter applied by index (murmur.serving.adapter_bank); full
   models run their own forward each, in turn;
5. a row leaves the moment it ends (end-of-text, its max tokens, a stop string) and its slot is
   free for the next iteration; a cancelled request (a client gone) leaves at the next iteration.

Sampling is murmur.core.sampling's: each row draws from its own seeded numbers, so a seed gives
the same text in any batch; text, stops, echo and logprobs are murmur.serving.outputs.Progress's,
one per request. Bounded: past `max_waiting` queued requests `submit` raises EngineOverloaded.
Not thread-safe except `submit`, `cancel` and `stats`; the weights (LoRA slots) change only under
`weights_lock`, which the loop holds around each iteration's forwards.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

import torch

from murmur.core.errors import ServingError
from murmur.serving.budget import plan_generation
from murmur.serving.events import EngineOverloaded, GenerationEvent, GenerationSpec
from murmur.serving.kv_slots import MIB, CacheShape, KVSlots
from murmur.serving.loading import LoadedModel
from murmur.serving.outputs import Progress
from murmur.serving.slot_rows import OnEvent, Request, SlotRows

log = logging.getLogger(__name__)


class Submission:
    """A submitted request: `cancel()` frees its slots at the engine's next iteration."""

    def __init__(self, engine: DecodeEngine, request: Request) -> None:
        self._engine = engine
        self._request = request

    def cancel(self) -> None:
        """The client went away: stop generating for it (no more events)."""
        self._request.cancelled = True
        self._engine._wake.set()

    @property
    def done(self) -> bool:
        return self._request.finished


class DecodeEngine:
    """The decode loop for the models of one GPT-2 shape (see the module's doc).

    `base`: a model of the shape (its cache's layers, heads and positions); `slots`: rows the
    KV cache holds; `max_waiting`: requests queued beyond the running ones before `submit`
    refuses; `prefill_tokens`: prompt tokens one iteration prefills (a longer prompt takes
    several); `interval_s`: how often a streamed request gets its new text; `admit_wait_s`: how
    long an idle engine lets its first request wait for company; `on_step(rows, bots)`: called
    after each decode forward; `meter(stats, slots used, slots, active rows, force)` after each
    iteration and every `heartbeat_s` while idle (the replica's metrics,
    murmur.serving.request_metrics.EngineMeter). Raises ServingError (one line) when the cache
    would not fit the device's free memory.
    """

    def __init__(
        self,
        base: LoadedModel,
        slots: int = 192,
        max_waiting: int = 1024,
        prefill_tokens: int = 1024,
        interval_s: float = 0.1,
        weights_lock: threading.Lock | None = None,
        admit_wait_s: float = 0.0,
        on_step: Callable[[int, int], None] | None = None,
        meter: Callable[..., None] | None = None,
        heartbeat_s: float = 2.0,
    ) -> None:
        self.shape = CacheShape.of(base.model, base.device)
        self.cache = KVSlots(self.shape, slots)
        log.info("%s", self.describe())
        self.admit_wait_s = admit_wait_s
        self.on_step = on_step
        self.meter = meter
        self.heartbeat_s = heartbeat_s
        self.batch = SlotRows(self.cache, base.device, prefill_tokens)
        self.max_waiting = max_waiting
        self.interval_s = interval_s
        self.weights_lock = weights_lock or threading.Lock()
        self.error: BaseException | None = None
        self._inbox: deque[Request] = deque()
        self._queued = 0  # requests in the inbox or waiting (bounded by max_waiting)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._waiting: OrderedDict[str, deque[Request]] = OrderedDict()  # per bot, in turn
        self._thread: threading.Thread | None = None
        self._stopping = False

    # ---- the public surface ----------------------------------------------------------------
    def submit(
        self, bot: LoadedModel, spec: GenerationSpec, on_event: OnEvent, stream: bool = True
    ) -> Submission:
        """Queue `spec` for `bot`; `on_event` gets its events from the loop's thread (streamed
        every `interval_s`, else one at the end), then nothing more. EngineOverloaded when
        `max_waiting` requests are queued already; ServingError for a bot of another shape."""
        if CacheShape.of(bot.model, bot.device) != self.shape:
            raise ServingError(f"model {bot.name!r} does not fit this engine's KV cache shape")
        request = Request(bot, spec, on_event, stream)
        with self._lock:
            if self._queued >= self.max_waiting:
                raise EngineOverloaded(
                    f"the engine has {self._queued} requests waiting (max_waiting "
                    f"{self.max_waiting}): retry in a moment"
                )
            self._queued += 1
            self._inbox.append(request)
        self._wake.set()
        return Submission(self, request)

    def start(self) -> None:
        """Run the loop in its own (daemon) thread until `stop`."""
        self._thread = threading.Thread(target=self._run, name="decode-loop", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def describe(self) -> str:
        """The KV cache's size, as the replica logs it at start."""
        shape = self.shape
        return (
            f"KV cache of {self.cache.slots} slots x {shape.positions} positions x "
            f"{shape.layers} layers ({str(shape.dtype).removeprefix('torch.')}): "
            f"{self.cache.nbytes / MIB:,.1f} MiB on {shape.device}"
        )

    @property
    def alive(self) -> bool:
        """Whether the loop runs (started and not dead)."""
        return self._thread is not None and self._thread.is_alive() and self.error is None

    @property
    def idle(self) -> bool:
        """Nothing queued, prefilling or running."""
        return not (self._queued or self.batch.prefilling or self.batch.rows)

    def stats(self) -> dict[str, Any]:
        """Slots, rows and tokens so far: what the bench and the replica's stats report."""
        s = self.batch.stats
        ttft = sorted(s.ttft_s)
        return {
            "slots": self.cache.slots,
            "slots_used": self.cache.used,
            "active_rows": len(self.batch.rows),
            "waiting": self._queued,
            "iterations": s.iterations,
            "steps": s.steps,
            "rows_admitted": s.admitted,
            "rows_finished": s.finished,
            "cancelled": s.cancelled,
            "prefill_tokens": s.prefill_tokens,
            "decode_tokens": s.decode_tokens,
            "prefill_tokens_per_s": s.prefill_tokens / s.prefill_s if s.prefill_s else 0.0,
            "decode_tokens_per_s": s.decode_tokens / s.decode_s if s.decode_s else 0.0,
            "mean_active_rows": s.row_steps / s.steps if s.steps else 0.0,
            "mean_occupancy": s.occupancy_sum / s.iterations if s.iterations else 0.0,
            "bots_per_step": {f"{k} {n}": c for (k, n), c in sorted(s.bots_per_step.items())},
            "ttft_p50_s": ttft[len(ttft) // 2] if ttft else None,
        }

    def step(self) -> bool:
        """One iteration (see the module's doc); False when there was nothing to do."""
        self._drain()
        self._admit()
        if not (self.batch.prefilling or self.batch.rows):
            return False
        with self.weights_lock, torch.inference_mode():
            started = self.batch.prefill()
            steps = self.batch.decode(started)
        if self.on_step is not None:
            for rows, bots in steps:
                self.on_step(rows, bots)
        s = self.batch.stats
        s.iterations += 1
        s.occupancy_sum += self.cache.used / self.cache.slots
        self._report()
        return True

    def _report(self, force: bool = False) -> None:
        if self.meter is not None:
            used, slots = self.cache.used, self.cache.slots
            self.meter(self.batch.stats, used, slots, len(self.batch.rows), force)

    # ---- the loop --------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            busy, beat = False, time.monotonic()
            while not self._stopping:
                if self.step():
                    busy = True
                    continue
                # Just gone idle, or idle for heartbeat_s: the metrics now (an idle engine's
                # gauges must be re-set to stay exported: EngineMeter's doc).
                if busy or time.monotonic() - beat >= self.heartbeat_s:
                    self._report(force=True)
                    busy, beat = False, time.monotonic()
                self._wake.wait(0.05)
                self._wake.clear()
        except BaseException as e:  # the replica's health check reports it
            self.error = e
            log.exception("the decode loop died")
            self._fail_all(e)

    def _fail_all(self, error: BaseException) -> None:
        failure = ServingError(f"the decode loop failed: {error!r}")
        requests = list(self._inbox) + self.batch.requests()
        requests += [r for q in self._waiting.values() for r in q]
        for request in requests:
            if not request.finished:
                request.finished = True
                request.on_event(failure)

    def _drain(self) -> None:
        """New requests into their bot's queue (refused ones answered); cancelled ones out."""
        while self._inbox:
            request = self._inbox.popleft()
            request.plan = plan = plan_generation(request.bot, request.spec)
            interval = self.interval_s if request.stream else math.inf
            request.progress = Progress(request.bot, [plan], self._forward(request), interval)
            request.progress.last_emit = -math.inf  # the first text goes out at once
            if plan.error is not None or request.cancelled:
                with self._lock:
                    self._queued -= 1
                if not request.cancelled:
                    request.progress.emit()  # the error, done
                continue
            key = f"{request.bot.name}@{request.bot.version}"
            self._waiting.setdefault(key, deque()).append(request)
        for key, queue in list(self._waiting.items()):
            kept = deque(r for r in queue if not r.cancelled)
            if len(kept) < len(queue):
                with self._lock:
                    self._queued -= len(queue) - len(kept)
                self.batch.stats.cancelled += len(queue) - len(kept)
            if kept:
                self._waiting[key] = kept
            else:
                del self._waiting[key]
        for request in self.batch.requests():
            if request.cancelled:
                self.batch.release(request)

    def _forward(self, request: Request) -> Callable[[list[GenerationEvent]], None]:
        def forward(events: list[GenerationEvent]) -> None:
            event = events[0]
            if event.done and not request.finished:
                request.finished = True
            if not request.cancelled:
                request.on_event(event)

        return forward

    def _admit(self) -> None:
        """Waiting requests into free slots, one per bot in turn, within the prefill budget."""
        if self.admit_wait_s > 0 and not (self.batch.rows or self.batch.prefilling):
            oldest = min((q[0].arrived for q in self._waiting.values()), default=math.inf)
            if time.perf_counter() - oldest < self.admit_wait_s:
                return  # an idle engine lets its first request wait for company
        budget = self.batch.prefill_tokens - sum(map(self.batch.chunk, self.batch.prefilling))
        progressed = True
        while self._waiting and progressed and budget > 0:
            progressed = False
            for key in list(self._waiting):
                queue = self._waiting[key]
                request = queue[0]
                assert request.plan is not None
                if budget <= 0:
                    break
                slots = self.cache.take(request.spec.n)
                if slots is None:
                    continue  # its bot waits for n free slots; others may fit
                queue.popleft()
                if not queue:
                    del self._waiting[key]
                else:
                    self._waiting.move_to_end(key)  # the next turn goes to the other bots
                with self._lock:
                    self._queued -= 1
                self.batch.admit(request, slots)
                budget -= self.batch.chunk(request)
                progressed = True
