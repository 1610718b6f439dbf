"""A batch's text as it is written: every choice's tokens, turned into per-spec events.

The engine (murmur.serving.slot_rows) hands each step's new tokens of a request's choices to its
`Progress` (with their raw logprobs, where the spec asked); `Progress` decodes each choice's text
and, every `interval_s` and when the request ends, hands one `GenerationEvent` per spec to
`on_events`. Runs in the engine's thread.

Text is decoded incrementally: each token's true bytes (GPT-2's byte-level tokens mapped back
through its byte table) go through one UTF-8 decoder per choice, so a step costs its own token,
bytes that make no character (an emoji cut by max_tokens, a stop or end-of-text) are dropped
rather than written U+FFFD (a choice's text is whole characters, streamed or not; its logprobs'
`tokens` show each token alone, a part of a character as OpenAI's `bytes:\\xNN...`, and
`token_bytes` its true bytes),
streamed text never holds half a character or has to be taken back, and each token's
`text_offset` is the character of the final text where its first byte lies (ollama#13497 and
standardcompletions/rfcs#2: offsets from tokens decoded alone drift after `é`). A character split
over tokens starts at the first of them; the end-of-text token adds nothing to the text.

Stop sequences: a choice ends (finish_reason "stop") as soon as its text holds one of its spec's
`stop` strings, and its text is cut before the first of them. While a choice runs, text that may
be the start of a stop is held back, so no streamed text ever has to be taken back. Echo: a
choice's first delta starts with the prompt's text (and its tokens' logprobs). Logprobs go out
with the text they cover: a token once all its text was sent (at the end, every token the final
text starts in, end-of-text included).
"""

from __future__ import annotations

import codecs
import functools
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from murmur.serving.budget import GenerationPlan
from murmur.serving.events import LENGTH, STOP, ChoiceDelta, GenerationEvent, Logprobs

if TYPE_CHECKING:
    from murmur.serving.loading import LoadedModel
    from murmur.serving.scoring import Pick

Row = tuple[int, int]  # (spec index, choice) of one row of a generate call


def token_text(lm: LoadedModel, token: int) -> str:
    """One token alone, as `Logprobs.tokens` shows it: its text, or, for bytes that make no whole
    character alone (a part of an emoji), `bytes:` and each byte as `\\xNN`, as OpenAI's API
    writes such tokens (`bytes:\\xf0\\x9f`) rather than U+FFFD."""
    raw = token_bytes(lm, token)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "bytes:" + "".join(f"\\x{b:02x}" for b in raw)


def _decoded(lm: LoadedModel, token: int) -> str:
    """The tokenizer's own decoding of one token (a token that is no byte-level piece)."""
    text: str = lm.tokenizer.decode([token], clean_up_tokenization_spaces=False)
    return text


_tables: weakref.WeakKeyDictionary[Any, dict[int, bytes]] = weakref.WeakKeyDictionary()


@functools.cache
def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level BPE alphabet back to bytes (built once: the engine asks per token)."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return {c: b for b, c in bytes_to_unicode().items()}


def token_bytes(lm: LoadedModel, token: int) -> bytes:
    """The token's own bytes: a byte-level BPE token (GPT-2's) mapped back through its byte
    table (`bytes_to_unicode`, openai/gpt-2 encoder.py); another token's text as UTF-8."""
    table = _tables.setdefault(lm.tokenizer, {})
    found = table.get(token)
    if found is None:
        decoder = _byte_decoder()
        piece = lm.tokenizer.convert_ids_to_tokens(token)
        if isinstance(piece, str) and all(ch in decoder for ch in piece):
            found = bytes(decoder[ch] for ch in piece)
        else:
            found = _decoded(lm, token).encode()
        table[token] = found
    return found


class TextDecoder:
    """Tokens to text one at a time: each token's offset (the character of the text where its
    first byte lies) and end (one past the character of its last byte)."""

    def __init__(self, lm: LoadedModel) -> None:
        self.lm = lm
        # "ignore": bytes that form no character (a sequence cut by the row's end, by a stop or
        # by a byte that cannot continue it) are dropped, never shown as U+FFFD.
        self.utf8 = codecs.getincrementaldecoder("utf-8")("ignore")
        self.text = ""
        self.offsets: list[int] = []
        self.ends: list[int] = []

    def add(self, token: int) -> None:
        self.offsets.append(len(self.text))  # a half character pending starts at len(text)
        if token != self.lm.eos_id:
            self.text += self.utf8.decode(token_bytes(self.lm, token))
        self.ends.append(len(self.text) + self._pending_chars())

    def finish(self) -> None:
        """The row ended: the last bytes of a half character, if any, are dropped (as tokenizers'
        DecodeStream never emits half a character; tokenizer.decode would write U+FFFD)."""
        self.text += self.utf8.decode(b"", final=True)

    def _pending_chars(self) -> int:
        return 1 if self.utf8.getstate()[0] else 0


def as_logprobs(
    lm: LoadedModel, ids: list[int], picks: list[Pick], top: int, offsets: list[int]
) -> Logprobs:
    """`ids` with their picks in OpenAI's legacy shape, token i starting at `offsets[i]`."""
    return Logprobs(
        tokens=[token_text(lm, t) for t in ids],
        token_logprobs=[lp for lp, _ in picks],
        top_logprobs=[[(token_text(lm, t), v) for t, v in best[:top]] for _, best in picks],
        text_offset=offsets,
        token_bytes=[list(token_bytes(lm, t)) for t in ids],
        top_bytes=[[list(token_bytes(lm, t)) for t, _ in best[:top]] for _, best in picks],
    )


def prompt_logprobs(lm: LoadedModel, ids: list[int], picks: list[Pick], top: int) -> Logprobs:
    """The prompt's tokens after the end-of-text prefix (`ids[1:]`), offsets in its text."""
    decoder = TextDecoder(lm)
    for token in ids[1:]:
        decoder.add(token)
    return as_logprobs(lm, ids[1:], picks, top, decoder.offsets)


def _held_back(text: str, stops: tuple[str, ...]) -> int:
    """How many of `text`'s last characters may be the start of a stop sequence."""
    return max((k for s in stops for k in range(1, len(s)) if text.endswith(s[:k])), default=0)


class Progress:
    """Every choice's tokens and text while a batch runs; turns them into per-spec events."""

    def __init__(
        self,
        lm: LoadedModel,
        plans: list[GenerationPlan],
        on_events: Callable[[list[GenerationEvent]], None] | None,
        interval_s: float,
    ) -> None:
        self.lm = lm
        self.plans = plans
        self.on_events = on_events
        self.interval_s = interval_s
        self.tokens: list[list[list[int]]] = [[[] for _ in range(p.spec.n)] for p in plans]
        self.texts = [[TextDecoder(lm) for _ in range(p.spec.n)] for p in plans]
        self.picks: list[list[list[Pick]]] = [[[] for _ in range(p.spec.n)] for p in plans]
        self.finish: list[list[str | None]] = [[None] * p.spec.n for p in plans]
        self.cut: list[list[int | None]] = [[None] * p.spec.n for p in plans]  # where a stop is
        self.sent: list[list[str]] = [[""] * p.spec.n for p in plans]
        self.logprobs_sent: list[list[int]] = [[0] * p.spec.n for p in plans]
        self.started: list[list[bool]] = [[False] * p.spec.n for p in plans]
        self.closed: list[list[bool]] = [[False] * p.spec.n for p in plans]
        self.reported = [False] * len(plans)
        self.history: list[list[GenerationEvent]] = []
        self.last_emit = time.monotonic()

    def step(self, rows: list[Row], new_tokens: list[int], picks: list[Pick] | None = None) -> None:
        """One decoding step of a group: `rows[r]` is (spec index, choice) of row r; `picks[r]` its new
        token's logprob and top tokens, where the group records them."""
        for r, ((j, c), token) in enumerate(zip(rows, new_tokens, strict=True)):
            if self.finish[j][c] is not None:
                continue  # a finished row is padded from here on
            self.tokens[j][c].append(token)
            self.texts[j][c].add(token)
            if picks is not None and self.plans[j].spec.logprobs is not None:
                self.picks[j][c].append(picks[r])
            if token == self.lm.eos_id or self._stopped(j, c):
                self.finish[j][c] = STOP
            elif len(self.tokens[j][c]) >= self.plans[j].max_new:
                self.finish[j][c] = LENGTH
            if self.finish[j][c] is not None:
                self.texts[j][c].finish()
        if time.monotonic() - self.last_emit >= self.interval_s:
            self.emit()

    def close(self, rows: list[Row]) -> None:
        """A group ended (or had nothing to generate): any row not finished ran out of tokens."""
        for j, c in rows:
            if self.finish[j][c] is None:
                self.finish[j][c] = LENGTH
                self.texts[j][c].finish()
        self.emit()

    def _stopped(self, j: int, c: int) -> bool:
        """Whether the choice's text now holds a stop sequence; if so, where its text ends.
        Only the text the last token may have completed a stop in is searched."""
        stops = self.plans[j].spec.stop
        if not stops:
            return False
        decoder = self.texts[j][c]
        text, added = decoder.text, decoder.ends[-1] - decoder.offsets[-1] + 1
        since = max(0, len(text) - added - max(len(s) for s in stops))
        found = [at for at in (text.find(s, since) for s in stops) if at >= 0]
        if found:
            self.cut[j][c] = min(found)
        return bool(found)

    def _visible(self, j: int, c: int) -> str:
        """The choice's text as far as it may be sent now."""
        text = self.texts[j][c].text  # whole characters only, until the choice ends
        cut = self.cut[j][c]
        if cut is not None:
            return text[:cut]
        if self.finish[j][c] is not None:
            return text
        return text[: len(text) - _held_back(text, self.plans[j].spec.stop)]

    def _logprobs(self, j: int, c: int) -> Logprobs | None:
        """Logprobs of the generated tokens whose text went out since the last delta."""
        plan = self.plans[j]
        if plan.spec.logprobs is None:
            return None
        picks = self.picks[j][c]
        ids = self.tokens[j][c][: len(picks)]
        decoder = self.texts[j][c]
        sent = len(self.sent[j][c])
        if self.finish[j][c] is None:  # tokens whose text went out whole
            covered = sum(1 for end in decoder.ends[: len(ids)] if end <= sent)
        elif self.cut[j][c] is None:  # every token, end-of-text included
            covered = len(ids)
        else:  # the tokens the cut text starts in
            covered = sum(1 for start in decoder.offsets[: len(ids)] if start < sent)
        first = self.logprobs_sent[j][c]
        self.logprobs_sent[j][c] = max(first, covered)
        at = len(plan.prompt_text)
        offsets = [at + o for o in decoder.offsets[first:covered]]
        return as_logprobs(
            self.lm, ids[first:covered], picks[first:covered], plan.spec.logprobs, offsets
        )

    def _delta(self, j: int, c: int) -> ChoiceDelta | None:
        """The choice's news since the last delta: text, logprobs, finish; None if none."""
        plan, finished = self.plans[j], self.finish[j][c]
        text, sent = self._visible(j, c), self.sent[j][c]
        # Where decoding changed earlier text (rare), the rest goes out only at the end.
        delta = text[len(sent) :] if text.startswith(sent) or finished else ""
        self.sent[j][c] = sent + delta
        logprobs = self._logprobs(j, c)
        if not self.started[j][c] and plan.spec.echo:  # the prompt leads the first delta
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
        for c in range(plan.spec.n):
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
        """Events for every spec: new text since the last emit; a bare `done` for one already done."""
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
