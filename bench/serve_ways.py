"""The ways bench/serve_load.py serves the same requests in its own process, and what they share:
the draws (which bot, prompt and seed each request has), the samples and the closed loop of
clients against a server that answers one request at a time.

- `ResidentServer`: every bot in memory (each LoRA merged into its own copy of the base), HF
  `generate` with huggingtweets' request (core/generation.py), one request at a time: what a
  plain server does, and what huggingtweets did with the model it had just trained.
- `PipelinePerRequest`: a transformers text-generation pipeline built for each request (base
  and adapter loaded from the store each time), then huggingtweets' request.
- `decode_loop`: the bare KV-cache loop, `model(input_ids=next, past_key_values=past)`, over
  the base with each row's bot applied by index (serve_bots.AdapterBank): the machine's limit for
  those rows, every row busy at every step (rows run their steps past an end-of-text).
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from murmur.core.generation import (
    NUM_SEQUENCES,
    PROMPTS,
    TEMPERATURE,
    TOP_P,
    build_prompt,
    eos_token_id,
    huggingtweets_generate_kwargs,
)
from murmur.core.store import Store


@dataclass(frozen=True)
class Draw:
    """One request's draw: its bot, its prompt (before the end-of-text prefix) and its seed."""

    bot: str
    prompt: str
    seed: int


@dataclass
class Sample:
    """One answered (or failed) request as its client saw it; seconds from when it was sent."""

    bot: str
    status: int  # 200, an HTTP error status, 0 for no answer
    latency_s: float
    tokens: int  # generated tokens, end-of-text included, over the request's sequences
    ttft_s: float | None = None  # to its first token, where the way can stream; else None
    streamed: bool = False  # the client asked for a stream
    rows: int = NUM_SEQUENCES  # its sequences


def make_draws(bots: list[str], zipf_s: float, count: int, seed: int) -> list[Draw]:
    """`count` draws: bots with Zipf popularity (the first bot the most asked for, weight
    1/rank**s), prompts from huggingtweets' PROMPTS, seeds from one seeded stream."""
    rng = random.Random(seed)
    weights = [1 / rank**zipf_s for rank in range(1, len(bots) + 1)]
    return [
        Draw(rng.choices(bots, weights)[0], rng.choice(PROMPTS), rng.randrange(2**31))
        for _ in range(count)
    ]


class DrawFeed:
    """The draws in order, to any number of clients (thread-safe); starts over at the end."""

    def __init__(self, draws: list[Draw]) -> None:
        self.draws = draws
        self.next_index = 0
        self.lock = threading.Lock()

    def take(self) -> Draw:
        with self.lock:
            draw = self.draws[self.next_index % len(self.draws)]
            self.next_index += 1
            return draw


def new_tokens(sequences: Any, prompt_len: int, eos_id: int) -> int:
    """Generated tokens in `sequences` ((rows, length) ids), each row's first end-of-text
    included and the padding after it not."""
    total = 0
    for row in sequences[:, prompt_len:].tolist():
        total += row.index(eos_id) + 1 if eos_id in row else len(row)
    return total


class FirstToken:
    """A `generate` streamer noting when the first new token came (its first `put` is the
    prompt); `first_s` is seconds since it was made, None until then."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.puts = 0
        self.first_s: float | None = None

    def put(self, value: Any) -> None:
        self.puts += 1
        if self.puts == 2:
            self.first_s = time.perf_counter() - self.start

    def end(self) -> None:
        pass


Serve = Callable[[Draw], tuple[int, float]]  # a draw -> (tokens, seconds to its first token)


def closed_loop(
    serve: Serve, feed: DrawFeed, clients: int, duration_s: float
) -> tuple[list[Sample], float]:
    """`clients` threads, each sending its next draw and waiting for the answer until
    `duration_s` is up, to one server thread that answers one request at a time, first come
    first served. Returns the samples and the seconds until the last answer."""
    inbox: queue.Queue[tuple[Draw, float, queue.Queue[Sample]] | None] = queue.Queue()
    samples: list[Sample] = []
    start = time.perf_counter()
    deadline = start + duration_s

    def server() -> None:
        while (item := inbox.get()) is not None:
            draw, sent, reply = item
            began = time.perf_counter()
            try:
                tokens, first = serve(draw)
                status = 200
            except Exception as e:  # a way that fails says so in its errors, the bench goes on
                print(f"  {draw.bot}: {type(e).__name__}: {e}")
                tokens, first, status = 0, 0.0, 500
            done = time.perf_counter()
            reply.put(Sample(draw.bot, status, done - sent, tokens, began - sent + first))

    def client() -> None:
        reply: queue.Queue[Sample] = queue.Queue()
        while time.perf_counter() < deadline:
            inbox.put((feed.take(), time.perf_counter(), reply))
            samples.append(reply.get())

    worker = threading.Thread(target=server, daemon=True)
    worker.start()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    inbox.put(None)
    worker.join()
    return samples, time.perf_counter() - start


class ResidentServer:
    """Every bot in memory, each a merged model (the fastest a plain HF server can be), answering
    huggingtweets' request with `generate`: the notebook's own call (torch's global generator,
    seeded with the draw's seed)."""

    def __init__(self, store: Store, bots: list[str], base: str, device: str = "cpu") -> None:
        import torch
        from peft import PeftModel
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.tokenizer: Any = AutoTokenizer.from_pretrained(base)
        self.eos_id = eos_token_id(self.tokenizer)
        self.device = device
        dtype = torch.float32 if device == "cpu" else torch.bfloat16  # the endpoint's `auto`
        self.models: dict[str, Any] = {}
        for bot in bots:
            model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
            peft = PeftModel.from_pretrained(model, store.local_model_dir(bot))
            self.models[bot] = peft.merge_and_unload().to(device, dtype).eval()
        self.kwargs = huggingtweets_generate_kwargs(self.eos_id)

    def __call__(self, draw: Draw) -> tuple[int, float]:
        import torch

        ids = self.tokenizer(build_prompt(draw.prompt), return_tensors="pt").input_ids
        ids = ids.to(self.device)
        torch.manual_seed(draw.seed)
        first = FirstToken()
        with torch.inference_mode():
            out = self.models[draw.bot].generate(
                ids, attention_mask=torch.ones_like(ids), streamer=first, **self.kwargs
            )
        return new_tokens(out, ids.shape[1], self.eos_id), first.first_s or 0.0


class PipelinePerRequest:
    """A text-generation pipeline built for every request from the bot's folder in the store
    (the base and the adapter read again each time), then huggingtweets' request."""

    def __init__(self, store: Store, device: str = "cpu") -> None:
        self.store = store
        self.device = device

    def __call__(self, draw: Draw) -> tuple[int, float]:
        import torch
        from transformers import pipeline

        first = FirstToken()
        generator: Any = pipeline(
            "text-generation", model=self.store.local_model_dir(draw.bot), device=self.device
        )
        eos_id = eos_token_id(generator.tokenizer)
        prompt = build_prompt(draw.prompt)
        torch.manual_seed(draw.seed)
        kwargs = huggingtweets_generate_kwargs(eos_id)
        outputs = generator(prompt, streamer=first, return_tensors=True, **kwargs)
        prompt_len = len(generator.tokenizer(prompt)["input_ids"])
        ids = torch.tensor([[int(t) for t in o["generated_token_ids"]] for o in outputs])
        return new_tokens(ids, prompt_len, eos_id), first.first_s or 0.0


@dataclass
class LoopRun:
    """What `decode_loop` measured: one entry per episode (its rows start and end together)."""

    rows: int
    steps: int
    seconds: list[float]
    ttft_s: list[float]
    distinct_bots: list[int]
    requests_per_episode: float

    @property
    def samples(self) -> list[Sample]:
        """Each episode's requests as samples (n rows each, the last one's cut to fit), all
        answered when the episode ends, their first tokens after its first step."""
        n = round(self.rows / self.requests_per_episode)
        sizes = [min(n, self.rows - start) for start in range(0, self.rows, n)]
        return [
            Sample("", 200, seconds, size * self.steps, ttft, rows=size)
            for seconds, ttft in zip(self.seconds, self.ttft_s, strict=True)
            for size in sizes
        ]


class NoAdapters:
    """A bank that adds nothing: the decode loop of the bare base."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def attach(self, model: Any, rows: Any) -> list[Any]:
        return []


def decode_loop(
    model: Any,
    tokenizer: Any,
    bank: Any,
    feed: DrawFeed,
    rows: int,
    steps: int,
    duration_s: float,
    greedy: bool = False,
    n: int = 10,
) -> LoopRun:
    """Episodes of `rows` rows (the draws' requests, `n` rows each, the last one cut to fit) for
    `duration_s`: prefill every row's prompt, then `steps` decode steps of the bare call,
    `model(input_ids=next, past_key_values=past)`, with each row's bot added by `bank`. Sampling
    is the engine's (core/sampling.py's sample_rows) at huggingtweets' temperature
    and top_p, seeded as the endpoint seeds the draw's choices; `greedy` takes the argmax.
    Shorter prompts are left-padded with end-of-text and, as the bare call has no mask, attend
    to it: the cost is an exact loop's, the text not quite the endpoint's."""
    import torch

    from murmur.core.sampling import choice_seed, row_uniforms, sample_rows

    eos_id = eos_token_id(tokenizer)
    run = LoopRun(rows, steps, [], [], [], rows / n)
    start = time.perf_counter()
    while time.perf_counter() - start < duration_s or not run.seconds:
        draws = [feed.take() for _ in range(-(-rows // n))]
        prompts = [(d, c) for d in draws for c in range(n)][:rows]
        ids = [tokenizer(build_prompt(d.prompt)).input_ids for d, _ in prompts]
        width = max(len(i) for i in ids)
        tokens = torch.full((rows, width + steps), eos_id)  # (B, prompt + steps), left-padded
        for r, row in enumerate(ids):
            tokens[r, width - len(row) : width] = torch.tensor(row)
        tokens = tokens.to(model.device)
        bots = torch.tensor([bank.names.index(d.bot) for d, _ in prompts], device=model.device)
        seeds = [choice_seed(d.seed, c) for d, c in prompts]
        temperature = torch.full((rows,), TEMPERATURE, device=model.device)  # (B,)
        top_p = torch.full((rows,), TOP_P, device=model.device)
        keep_eos = torch.zeros(rows, dtype=torch.bool, device=model.device)
        uniforms = row_uniforms(seeds, [steps] * rows, tokens.device)  # (B, steps)
        hooks = bank.attach(model, bots)
        t0 = time.perf_counter()
        with torch.inference_mode():
            past, step_ids = None, tokens[:, :width]
            for k in range(steps):
                seen = width + k
                out = model(input_ids=step_ids, past_key_values=past, use_cache=True)
                past, logits = out.past_key_values, out.logits[:, -1]  # (B, V)
                if greedy:
                    chosen = logits.argmax(-1)  # (B,)
                else:  # the engine's own sampling: warp each row, draw with its own number
                    chosen = sample_rows(
                        logits, temperature, top_p, None, keep_eos, eos_id, uniforms[:, k]
                    )
                tokens[:, seen], step_ids = chosen, chosen[:, None]
                if k == 0:
                    _sync(model.device)
                    run.ttft_s.append(time.perf_counter() - t0)
        _sync(model.device)
        run.seconds.append(time.perf_counter() - t0)
        run.distinct_bots.append(len(set(bots.tolist())))
        for h in hooks:
            h.remove()
    return run


def _sync(device: Any) -> None:
    """Wait for the device's queued work (a GPU's kernels run after the call returns)."""
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)
