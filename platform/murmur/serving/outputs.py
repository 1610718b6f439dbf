"""A batch's text as it is written: every choice's tokens, turned into per-job events.

`generate` hands each decoding step's new tokens to a `Streamer`, which passes them to `Progress`
(with their raw logprobs, where a job asked); `Progress` decodes each choice's text and, every
`interval_s` and when a group of rows ends, hands one `GenerationEvent` per job to `on_events`.
Runs in the generating thread.

Stop sequences: a choice ends (finish_reason "stop") as soon as its text holds one of its job's
`stop` strings, and its text is cut before the first of them. While a choice runs, text that may
be the start of a stop is held back, so no streamed text ever has to be taken back. Echo: a
choice's first delta starts with the prompt's text (and its tokens' logprobs). Logprobs go out
with the text they cover: a token once all its text was sent (at the end, every token the final
text starts in, end-of-text included).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import accumulate
from typing import TYPE_CHECKING

from murmur.serving.budget import JobPlan
from murmur.serving.events import LENGTH, STOP, ChoiceDelta, GenerationEvent, Logprobs

if TYPE_CHECKING:
    import torch

    from murmur.serving.loading import LoadedModel
    from murmur.serving.scoring import Pick, RawLogprobs

Row = tuple[int, int]  # (job, choice) of one row of a generate call


def token_text(lm: LoadedModel, token: int) -> str:
    """One token decoded alone, as `Logprobs.tokens` shows it."""
    text: str = lm.tokenizer.decode([token], clean_up_tokenization_spaces=False)
    return text


def as_logprobs(lm: LoadedModel, ids: list[int], picks: list[Pick], top: int, at: int) -> Logprobs:
    """`ids` with their picks in OpenAI's legacy shape, the first token's text starting at `at`."""
    texts = [token_text(lm, t) for t in ids]
    return Logprobs(
        tokens=texts,
        token_logprobs=[lp for lp, _ in picks],
        top_logprobs=[[(token_text(lm, t), v) for t, v in best[:top]] for _, best in picks],
        text_offset=[at + o for o in accumulate((len(t) for t in texts), initial=0)][: len(ids)],
    )


def _held_back(text: str, stops: tuple[str, ...]) -> int:
    """How many of `text`'s last characters may be the start of a stop sequence."""
    return max((k for s in stops for k in range(1, len(s)) if text.endswith(s[:k])), default=0)


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
        self.picks: list[list[list[Pick]]] = [[[] for _ in range(p.job.n)] for p in plans]
        self.finish: list[list[str | None]] = [[None] * p.job.n for p in plans]
        self.cut: list[list[int | None]] = [[None] * p.job.n for p in plans]  # where a stop is
        self.sent: list[list[str]] = [[""] * p.job.n for p in plans]
        self.logprobs_sent: list[list[int]] = [[0] * p.job.n for p in plans]
        self.started: list[list[bool]] = [[False] * p.job.n for p in plans]
        self.closed: list[list[bool]] = [[False] * p.job.n for p in plans]
        self.reported = [False] * len(plans)
        self.history: list[list[GenerationEvent]] = []
        self.last_emit = time.monotonic()

    def step(self, rows: list[Row], new_tokens: list[int], picks: list[Pick] | None = None) -> None:
        """One decoding step of a group: `rows[r]` is (job, choice) of row r; `picks[r]` its new
        token's logprob and top tokens, where the group records them."""
        for r, ((j, c), token) in enumerate(zip(rows, new_tokens, strict=True)):
            if self.finish[j][c] is not None:
                continue  # a finished row is padded from here on
            self.tokens[j][c].append(token)
            if picks is not None and self.plans[j].job.logprobs is not None:
                self.picks[j][c].append(picks[r])
            if token == self.lm.eos_id or self._stopped(j, c):
                self.finish[j][c] = STOP
            elif len(self.tokens[j][c]) >= self.plans[j].max_new:
                self.finish[j][c] = LENGTH
        if time.monotonic() - self.last_emit >= self.interval_s:
            self.emit()

    def close(self, rows: list[Row]) -> None:
        """A group ended (or had nothing to generate): any row not finished ran out of tokens."""
        for j, c in rows:
            if self.finish[j][c] is None:
                self.finish[j][c] = LENGTH
        self.emit()

    def _text(self, j: int, c: int) -> str:
        ids = [t for t in self.tokens[j][c] if t != self.lm.eos_id]
        text: str = self.lm.tokenizer.decode(ids, clean_up_tokenization_spaces=False)
        return text

    def _stopped(self, j: int, c: int) -> bool:
        """Whether the choice's text now holds a stop sequence; if so, where its text ends."""
        stops = self.plans[j].job.stop
        if not stops:
            return False
        text = self._text(j, c)
        found = [at for at in (text.find(s) for s in stops) if at >= 0]
        if found:
            self.cut[j][c] = min(found)
        return bool(found)

    def _visible(self, j: int, c: int) -> str:
        """The choice's text as far as it may be sent now."""
        text = self._text(j, c)
        cut = self.cut[j][c]
        if cut is not None:
            return text[:cut]
        if self.finish[j][c] is not None:
            return text
        text = text.rstrip("\ufffd")  # half a UTF-8 character: wait for the rest
        return text[: len(text) - _held_back(text, self.plans[j].job.stop)]

    def _logprobs(self, j: int, c: int) -> Logprobs | None:
        """Logprobs of the generated tokens whose text went out since the last delta."""
        plan = self.plans[j]
        if plan.job.logprobs is None:
            return None
        picks = self.picks[j][c]
        ids = self.tokens[j][c][: len(picks)]
        starts = list(accumulate((len(token_text(self.lm, t)) for t in ids), initial=0))
        sent = len(self.sent[j][c])
        if self.finish[j][c] is None:  # tokens whose text went out whole
            covered = sum(1 for end in starts[1:] if end <= sent)
        elif self.cut[j][c] is None:  # every token, end-of-text included
            covered = len(ids)
        else:  # the tokens the cut text starts in
            covered = sum(1 for start in starts[:-1] if start < sent)
        first = self.logprobs_sent[j][c]
        self.logprobs_sent[j][c] = max(first, covered)
        at = len(plan.prompt_text) + starts[first]
        return as_logprobs(self.lm, ids[first:covered], picks[first:covered], plan.job.logprobs, at)

    def _delta(self, j: int, c: int) -> ChoiceDelta | None:
        """The choice's news since the last delta: text, logprobs, finish; None if none."""
        plan, finished = self.plans[j], self.finish[j][c]
        text, sent = self._visible(j, c), self.sent[j][c]
        # Where decoding changed earlier text (rare), the rest goes out only at the end.
        delta = text[len(sent) :] if text.startswith(sent) or finished else ""
        self.sent[j][c] = sent + delta
        logprobs = self._logprobs(j, c)
        if not self.started[j][c] and plan.job.echo:  # the prompt leads the first delta
            delta = plan.prompt_text + delta
            if logprobs is not None and plan.prompt_logprobs is not None:
                merged = Logprobs()  # its own lists: the prompt's are every choice's
                merged.extend(plan.prompt_logprobs)
                merged.extend(logprobs)
                logprobs = merged
        if not (delta or finished or (logprobs is not None and logprobs.tokens)):
            return None
        self.started[j][c] = True
        return ChoiceDelta(c, delta, finished, logprobs)

    def _event(self, j: int) -> GenerationEvent:
        plan = self.plans[j]
        if plan.error:
            return GenerationEvent(done=True, prompt_tokens=len(plan.prompt_ids), error=plan.error)
        event = GenerationEvent()
        for c in range(plan.job.n):
            if self.closed[j][c]:
                continue  # its last delta went out already
            delta = self._delta(j, c)
            if delta is not None:
                event.deltas.append(delta)
            self.closed[j][c] = self.finish[j][c] is not None
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
    """A transformers streamer feeding a group's new tokens to `Progress`, with their raw
    logprobs where the group records them (`recorder`)."""

    def __init__(
        self, progress: Progress, rows: list[Row], recorder: RawLogprobs | None = None
    ) -> None:
        self.progress = progress
        self.rows = rows
        self.recorder = recorder
        self.seen_prompt = False

    def put(self, value: torch.Tensor) -> None:
        if not self.seen_prompt:  # the first call carries the prompts
            self.seen_prompt = True
            return
        tokens = value.reshape(-1)  # (B,)
        picks = self.recorder.picks(tokens) if self.recorder is not None else None
        self.progress.step(self.rows, tokens.tolist(), picks)

    def end(self) -> None:
        pass
