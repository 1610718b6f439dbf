"""A batch's text as it is written: every choice's tokens, turned into per-job events.

`generate` hands each decoding step's new tokens to a `Streamer`, which passes them to `Progress`;
`Progress` decodes each choice's text and, every `interval_s` and when a group of rows ends, hands
one `GenerationEvent` per job to `on_events`. Runs in the generating thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from murmur.serving.budget import JobPlan
from murmur.serving.events import LENGTH, STOP, ChoiceDelta, GenerationEvent

if TYPE_CHECKING:
    import torch

    from murmur.serving.loading import LoadedModel

Row = tuple[int, int]  # (job, choice) of one row of a generate call


class Progress:
    """Every choice's tokens and text while a batch runs; turns them into per-job events."""

    def __init__(
        self,
        lm: LoadedModel,
        plans: list[JobPlan],
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

    def step(self, rows: list[Row], new_tokens: list[int]) -> None:
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

    def close(self, rows: list[Row]) -> None:
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
            event.choice_tokens = [len(t) for t in self.tokens[j]]
            event.completion_tokens = sum(event.choice_tokens)
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


class Streamer:
    """A transformers streamer feeding a group's new tokens to `Progress`."""

    def __init__(self, progress: Progress, rows: list[Row]) -> None:
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
