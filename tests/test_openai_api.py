"""OpenAI's completions and chat completions as real clients send them : every prompt shape, stop sequences, the usage chunk, echo and logprobs (checked against
a forward pass of the bot), models.retrieve, the fields murmur does not implement, and the official
`openai` client and LangChain's OpenAI LLM driving the app.

In-process and without Ray: the FastAPI app (murmur.serving.ingress.build_api) in Starlette's
TestClient, whose model client runs the replica's batched generator (generate_batch) in this
process; the openai client and LangChain take the TestClient as their `http_client`. The bots are
the session's store of distinct tiny bots (test_serve.bots_store). tests/test_serve.py drives the
same clients against the app on Ray.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest
import torch
from fastapi.testclient import TestClient
from test_serve import bots_store, greedy_reference

from murmur.core.generation import EOS
from murmur.core.store import Store
from murmur.serving.batching import generate_batch
from murmur.serving.catalog import Catalog
from murmur.serving.client import ModelClient
from murmur.serving.events import GenerationEvent, GenerationResult, GenerationSpec
from murmur.serving.ingress import build_api
from murmur.serving.loading import LoadedModel, load_model

PROMPTS = ["I like", "My dream is"]
MAX_TOKENS = 8


class LocalModels(ModelClient):
    """The replica's generator in this process, in place of the Ray deployment: each spec alone,
    its text streamed at every decoding step (so that streaming's hold-back is exercised)."""

    def __init__(self, store: Store) -> None:  # no Ray handle, no deadline
        self.store = store
        self.loaded: dict[str, LoadedModel] = {}

    def model(self, model_id: str) -> LoadedModel:
        name = model_id.partition("@")[0]
        if name not in self.loaded:
            self.loaded[name] = load_model(self.store, name)
        return self.loaded[name]

    async def complete(self, model_id: str, spec: GenerationSpec) -> GenerationResult:
        (result,) = await asyncio.to_thread(generate_batch, self.model(model_id), [spec])
        return result

    async def stream(self, model_id: str, spec: GenerationSpec) -> AsyncIterator[GenerationEvent]:
        lm = self.model(model_id)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[GenerationEvent | None] = asyncio.Queue()

        def on_events(events: list[GenerationEvent]) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, events[0])

        future = loop.run_in_executor(None, generate_batch, lm, [spec], on_events, 0.0)
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(queue.put_nowait, None))
        while (event := await queue.get()) is not None:
            yield event
            if event.done:
                break
        await future


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return bots_store(tmp_path_factory)


@pytest.fixture(scope="module")
def http(store: Store) -> Iterator[TestClient]:
    api = build_api(Catalog(store, cache_s=1.0), LocalModels(store), store.uri)
    with TestClient(api, base_url="http://murmur.test") as client:
        yield client


@pytest.fixture(scope="module")
def client(http: TestClient) -> openai.OpenAI:
    return openai.OpenAI(
        base_url="http://murmur.test/v1", api_key="x", http_client=http, max_retries=0
    )


@pytest.fixture(scope="module")
def alice(store: Store) -> Any:
    """alice's weights and tokenizer as plain transformers loads them (fp32, CPU)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = store.local_model_dir("alice")
    return AutoModelForCausalLM.from_pretrained(folder).eval(), AutoTokenizer.from_pretrained(
        folder
    )


@pytest.fixture(scope="module")
def expected(store: Store) -> dict[str, str]:
    """alice's greedy text for each of PROMPTS, as a plain transformers pipeline writes it."""
    return {p: greedy_reference(store, "alice", p, MAX_TOKENS) for p in PROMPTS}


def ids_of(tokenizer: Any, text: str) -> list[int]:
    """`text`'s token ids, which follow the end-of-text id in what the bot reads."""
    ids: list[int] = tokenizer(text)["input_ids"]
    assert tokenizer(EOS + text)["input_ids"] == [tokenizer.convert_tokens_to_ids(EOS), *ids]
    return ids


def log_softmax(model: Any, ids: list[int]) -> torch.Tensor:
    """(len(ids), V): the bot's raw log-softmax after each of `ids` (a direct forward pass)."""
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0]
    return logits.float().log_softmax(dim=-1)


def greedy(client: openai.OpenAI, prompt: Any, **extra: Any) -> Any:
    return client.completions.create(
        model="alice", prompt=prompt, max_tokens=MAX_TOKENS, temperature=0, **extra
    )


# ---- prompts ------------------------------------------------------------------------------------
def test_every_prompt_shape_indexes_choices_as_openai(
    client: openai.OpenAI, alice: Any, expected: dict[str, str]
) -> None:
    _, tokenizer = alice
    token_ids = [ids_of(tokenizer, p) for p in PROMPTS]
    for prompts in (PROMPTS, token_ids):  # LangChain's list of strings; lm-eval's token lists
        r = greedy(client, prompts, n=2)
        assert [c.index for c in r.choices] == [0, 1, 2, 3]  # prompt i's n choices at i*n
        assert [c.text for c in r.choices] == [expected[p] for p in PROMPTS for _ in range(2)]
        assert r.usage is not None
        assert r.usage.prompt_tokens == sum(len(ids) + 1 for ids in token_ids)  # with the prefix
    for one, text in ((PROMPTS[1], PROMPTS[1]), (token_ids[1], PROMPTS[1])):  # one string, ids
        assert [c.text for c in greedy(client, one).choices] == [expected[text]]


def test_a_token_id_outside_the_vocabulary_is_422(
    client: openai.OpenAI, http: TestClient, alice: Any
) -> None:
    _, tokenizer = alice
    vocabulary = len(tokenizer)
    for prompt, bad in (([5, vocabulary], vocabulary), ([[5], [vocabulary + 7]], vocabulary + 7)):
        with pytest.raises(openai.UnprocessableEntityError) as e:
            greedy(client, prompt)
        assert f"token id {bad} is outside the vocabulary of model 'alice'" in e.value.message
        assert f"its ids run from 0 to {vocabulary - 1}" in e.value.message
    with pytest.raises(
        openai.UnprocessableEntityError, match=re.escape("prompt.1: at least 0 (got -1)")
    ):
        greedy(client, [5, -1])
    # Streamed: refused before any text, though the other prompt could run.
    body = {"model": "alice", "prompt": [[5], [vocabulary]], "max_tokens": 2, "stream": True}
    r = http.post("/v1/completions", json=body)
    assert r.status_code == 422 and "outside the vocabulary" in r.json()["error"]["message"]


# ---- stop sequences -----------------------------------------------------------------------------
def test_stop_cuts_the_text_before_the_first_stop(
    client: openai.OpenAI, expected: dict[str, str]
) -> None:
    prompt = max(PROMPTS, key=lambda p: len(expected[p].replace("\ufffd", "")))
    full = expected[prompt]
    at = next(i for i in range(1, len(full) - 1) if "\ufffd" not in full[i : i + 2])
    stop = full[at : at + 2]
    cut = full[: full.find(stop)]
    never = "§never§"
    stopped = greedy(client, prompt, stop=[never, stop]).choices[0]
    assert (stopped.text, stopped.finish_reason) == (cut, "stop")
    assert greedy(client, prompt, stop=never).choices[0].text == full
    chunks = list(greedy(client, prompt, stop=stop, stream=True))
    assert "".join(c.choices[0].text for c in chunks) == cut  # never a character past the cut
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"


def test_streaming_holds_back_what_may_start_a_stop(store: Store) -> None:
    """Every streamed prefix of the text is a prefix of the final text: the first " dream" goes
    out only once " is" shows it is no stop; the second is the stop, and never goes out."""
    from murmur.serving.budget import plan_generation
    from murmur.serving.outputs import Progress

    lm = load_model(store, "alice")
    tokens = lm.tokenizer(" my dream is a dream on the sea")["input_ids"]
    spec = GenerationSpec("I", max_new_tokens=len(tokens), stop=(" dream on", "zzz"))
    events: list[list[GenerationEvent]] = []
    progress = Progress(lm, [plan_generation(lm, spec)], events.append, 0)
    for token in tokens:
        if progress.finish[0][0] is None:
            progress.step([(0, 0)], [token])
    progress.close([(0, 0)])
    texts = [d.text for step in events for d in step[0].deltas]
    sent = ["".join(texts[: k + 1]) for k in range(len(texts))]
    assert sent[-1] == " my dream is a"
    assert all(" my dream is a".startswith(s) for s in sent)
    assert [d.finish_reason for step in events for d in step[0].deltas][-1] == "stop"


# ---- streaming's usage chunk ------------------------------------------------------------------
def test_include_usage_sends_a_last_chunk_with_the_usage(client: openai.OpenAI) -> None:
    ask: dict[str, Any] = {"prompt": PROMPTS, "n": 2, "max_tokens": 6, "seed": 5}
    whole = client.completions.create(model="alice", **ask)
    chunks = list(
        client.completions.create(
            model="alice", stream=True, stream_options={"include_usage": True}, **ask
        )
    )
    *text_chunks, last = chunks
    assert last.choices == [] and last.usage == whole.usage
    assert all(c.usage is None and len(c.choices) == 1 for c in text_chunks)
    texts = [""] * 4
    for c in text_chunks:
        texts[c.choices[0].index] += c.choices[0].text
    assert texts == [c.text for c in whole.choices]  # the same seed, streamed or not
    plain = list(client.completions.create(model="alice", stream=True, **ask))
    assert all(c.usage is None and c.choices for c in plain)  # no usage chunk unless asked


# ---- echo and logprobs --------------------------------------------------------------------------
def test_scoring_a_prompt_gives_the_bots_own_logprobs(client: openai.OpenAI, alice: Any) -> None:
    """lm-evaluation-harness's scoring request (echo, max_tokens 0, logprobs): every prompt token
    with its logprob given those before it, after the end-of-text prefix (never echoed itself)."""
    model, tokenizer = alice
    prompt = "My dream is a garden"
    ids = ids_of(tokenizer, prompt)
    expected = log_softmax(model, [tokenizer.convert_tokens_to_ids(EOS), *ids])[:-1]  # (L, V)
    r = client.completions.create(model="alice", prompt=prompt, max_tokens=0, echo=True, logprobs=2)
    (choice,) = r.choices
    assert (choice.text, choice.finish_reason) == (prompt, "length")
    assert r.usage is not None and r.usage.completion_tokens == 0
    lp = choice.logprobs
    assert lp is not None and lp.tokens == [tokenizer.decode([i]) for i in ids]
    assert lp.token_logprobs == pytest.approx(
        [expected[k, i].item() for k, i in enumerate(ids)], abs=1e-4
    )
    assert lp.text_offset == [len(tokenizer.decode(ids[:k])) for k in range(len(ids))]
    assert lp.top_logprobs is not None
    for k, (token, top) in enumerate(zip(ids, lp.top_logprobs, strict=True)):
        best = expected[k].topk(2)
        wanted = {
            tokenizer.decode([t]): v
            for t, v in zip(best.indices.tolist(), best.values.tolist(), strict=True)
        }
        assert top == pytest.approx(
            {**wanted, tokenizer.decode([token]): expected[k, token].item()}, abs=1e-4
        )


def test_lm_eval_harness_scores_token_prompts_with_one_new_token(
    client: openai.OpenAI, alice: Any
) -> None:
    """Its loglikelihood request today: token-id prompts, echo, max_tokens 1, logprobs 1,
    temperature 0; it sums token_logprobs[ctxlen:-1] and checks each is the top one."""
    model, tokenizer = alice
    eos = tokenizer.convert_tokens_to_ids(EOS)
    contexts, continuations = ["I like", "My dream is"], [" the sea", " to fly"]
    prompts = [
        ids_of(tokenizer, c) + ids_of(tokenizer, x)
        for c, x in zip(contexts, continuations, strict=True)
    ]
    r = client.completions.create(
        model="alice", prompt=prompts, max_tokens=1, echo=True, logprobs=1, temperature=0, seed=1234
    )
    for choice, ids, context in zip(r.choices, prompts, contexts, strict=True):
        ctxlen = len(ids_of(tokenizer, context))
        expected = log_softmax(model, [eos, *ids])  # (L+1, V): the last row scores the new token
        lp = choice.logprobs
        assert lp is not None and lp.token_logprobs is not None and lp.top_logprobs is not None
        assert len(lp.token_logprobs) == len(ids) + 1
        score = sum(lp.token_logprobs[ctxlen:-1])
        assert score == pytest.approx(
            sum(expected[k, i].item() for k, i in enumerate(ids) if k >= ctxlen), abs=1e-3
        )
        new = lp.token_logprobs[-1]  # greedy: the best token, with its raw logprob
        assert (
            new
            == pytest.approx(expected[-1].max().item(), abs=1e-4)
            == max(lp.top_logprobs[-1].values())
        )
        assert choice.text.startswith(tokenizer.decode(ids))


def test_generated_logprobs_are_raw_whatever_the_sampling(
    client: openai.OpenAI, alice: Any, expected: dict[str, str]
) -> None:
    model, tokenizer = alice
    prompt = PROMPTS[0]
    context = [tokenizer.convert_tokens_to_ids(EOS), *ids_of(tokenizer, prompt)]
    first = log_softmax(model, context)[-1]  # (V,): the first new token's distribution
    r = greedy(client, prompt, logprobs=3)  # the bot's own greedy path, scored step by step
    assert r.choices[0].text == expected[prompt]
    lp = r.choices[0].logprobs
    assert lp is not None and lp.tokens and lp.token_logprobs and lp.text_offset
    for token, logprob in zip(lp.tokens, lp.token_logprobs, strict=True):
        scores = log_softmax(model, context)[-1]
        best = int(scores.argmax())
        assert token == tokenizer.decode([best])
        assert logprob == pytest.approx(scores[best].item(), abs=1e-4)
        context.append(best)
    assert lp.text_offset[0] == len(prompt)  # offsets run over the prompt, then the completion
    for temperature, top_p in ((0.3, 1.0), (1.5, 0.5)):  # sampled: still the bot's own logprob
        sampled = client.completions.create(
            model="alice",
            prompt=prompt,
            max_tokens=1,
            temperature=temperature,
            top_p=top_p,
            seed=9,
            logprobs=0,
        )
        lp = sampled.choices[0].logprobs
        assert lp is not None and lp.tokens and lp.token_logprobs
        raw = [first[i].item() for i in range(len(first)) if tokenizer.decode([i]) == lp.tokens[0]]
        assert any(lp.token_logprobs[0] == pytest.approx(v, abs=1e-4) for v in raw)


def test_echo_puts_the_prompt_before_each_choice(client: openai.OpenAI) -> None:
    ask: dict[str, Any] = {"model": "alice", "prompt": PROMPTS, "n": 2, "max_tokens": 5, "seed": 3}
    plain = client.completions.create(**ask)
    echoed = client.completions.create(echo=True, **ask)
    assert [c.text for c in echoed.choices] == [
        PROMPTS[c.index // 2] + c.text for c in plain.choices
    ]
    streamed = [""] * 4
    for chunk in client.completions.create(echo=True, stream=True, **ask):
        streamed[chunk.choices[0].index] += chunk.choices[0].text
    assert streamed == [c.text for c in echoed.choices]


# ---- models, and fields murmur does not implement ------------------------------------------------
def test_models_retrieve_gives_the_model_or_openais_404(client: openai.OpenAI) -> None:
    model = client.models.retrieve("alice")
    assert (model.id, model.object, model.owned_by) == ("alice", "model", "murmur")
    assert model.created > 1_600_000_000
    listed = {m.id: m for m in client.models.list()}
    assert listed["alice"] == model
    with pytest.raises(openai.NotFoundError) as e:
        client.models.retrieve("nobody")
    assert e.value.body == {
        "message": "no model 'nobody' is published: GET /v1/models lists the models served",
        "type": "not_found_error",
        "code": 404,
    }


NO_OPS = [
    {"suffix": None},
    {"suffix": ""},
    {"best_of": 1},
    {"best_of": 2, "n": 2},
    {"logit_bias": {}},
    {"presence_penalty": 0},
    {"frequency_penalty": 0.0},
    {"logit_bias": None, "presence_penalty": None, "frequency_penalty": None},
    {"user": "someone@example.com"},
    {
        "temperature": 0.7,
        "top_p": 1,
        "frequency_penalty": 0,
        "presence_penalty": 0,
        "n": 1,
        "seed": None,
        "logprobs": None,
    },  # what LangChain's OpenAI LLM sends by default
]
# What pydantic's own messages name: its types, union members and sentences.
PYDANTIC_WORDS = re.compile(
    r"Input should|constrained-|\[str\]|List should|Extra inputs|Value error"
)
REFUSED = [
    ({"suffix": " the end"}, "suffix ' the end' is not supported"),
    ({"best_of": 3}, "best_of 3 is not supported"),
    ({"best_of": 2, "n": 1}, "set it to n (1)"),
    ({"logit_bias": {"50": 5}}, "logit_bias {'50': 5} is not supported"),
    ({"presence_penalty": 0.5}, "presence_penalty 0.5 is not supported"),
    ({"frequency_penalty": -1}, "frequency_penalty -1 is not supported"),
    ({"top_k": 5}, "top_k: not an argument of this API: leave it out (got 5)"),
    ({"repetition_penalty": 1.1}, "repetition_penalty: not an argument of this API"),
    ({"logprobs": 6}, "logprobs: at most 5 (got 6)"),
    ({"stop": ["a", "b", "c", "d", "e"]}, "invalid request: stop: at most 4 sequences (got 5)"),
    ({"max_tokens": 0}, "max_tokens 0 generates nothing"),
    ({"stream_options": {"include_usage": True}}, "stream_options is only for streaming"),
    ({"prompt": [["a"]]}, "prompt.0.0: an integer (got 'a')"),
    ({"prompt": []}, "invalid request: prompt: at least 1 prompt (got 0)"),  # as OpenAI
    ({"prompt": "x" * 5000}, "invalid request: prompt: at most 1000 characters (got 5000)"),
    ({"prompt": {"text": "I"}}, "prompt: a string, a list of strings, a list of token ids or"),
    ({"prompt": ["I"] * 21}, "prompt: at most 20 prompts (got 21)"),
    ({"prompt": ["I"] * 20, "n": 6}, "20 prompts x n 6 is over 100 choices"),
]


@pytest.mark.parametrize("fields", NO_OPS)
def test_fields_at_their_no_op_value_are_accepted(http: TestClient, fields: dict[str, Any]) -> None:
    r = http.post("/v1/completions", json={"model": "alice", "max_tokens": 2, **fields})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("fields", "says"), REFUSED)
def test_any_other_value_is_a_422_naming_the_field(
    http: TestClient, fields: dict[str, Any], says: str
) -> None:
    r = http.post("/v1/completions", json={"model": "alice", "max_tokens": 2, **fields})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["type"] == "invalid_request_error"
    assert says in r.json()["error"]["message"]
    assert not PYDANTIC_WORDS.search(r.json()["error"]["message"])


# ---- LangChain's OpenAI LLM ---------------------------------------------------------------------
def test_langchain_openai_llm_talks_to_a_bot(http: TestClient, expected: dict[str, str]) -> None:
    from langchain_openai import OpenAI as LangChainOpenAI

    llm = LangChainOpenAI(
        model="alice",
        base_url="http://murmur.test/v1",
        api_key="x",  # type: ignore[arg-type]
        max_tokens=MAX_TOKENS,
        temperature=0,
        max_retries=0,
        http_client=http,
    )
    assert llm.invoke(PROMPTS[0]) == expected[PROMPTS[0]]
    result = llm.generate(PROMPTS)  # one request, its prompt a list of strings
    assert [g[0].text for g in result.generations] == [expected[p] for p in PROMPTS]
    assert result.llm_output is not None and result.llm_output["token_usage"]["total_tokens"] > 0
    assert "".join(llm.stream(PROMPTS[1])) == expected[PROMPTS[1]]
    full = expected[PROMPTS[1]]
    stop = next(full[i : i + 2] for i in range(1, len(full) - 1) if "\ufffd" not in full[i : i + 2])
    assert llm.invoke(PROMPTS[1], stop=[stop]) == full[: full.find(stop)]


# ---- chat completions ----------------------------------------------------------
CHAT = [
    {"role": "system", "content": "You are a tweet bot."},
    {"role": "user", "content": "My dream is"},
    {"role": "assistant", "content": "to fly"},
    {"role": "user", "content": PROMPTS[0]},
]


def test_chat_continues_the_last_user_message(
    client: openai.OpenAI, expected: dict[str, str]
) -> None:
    ask: dict[str, Any] = {"model": "alice", "max_tokens": MAX_TOKENS, "temperature": 0}
    r = client.chat.completions.create(messages=CHAT, n=2, **ask)  # type: ignore[arg-type]
    assert r.object == "chat.completion" and r.id.startswith("chatcmpl-")
    assert [c.index for c in r.choices] == [0, 1]
    for c in r.choices:
        assert (c.message.role, c.message.content) == ("assistant", expected[PROMPTS[0]])
        assert c.finish_reason in ("stop", "length")
    parts = [{"type": "text", "text": "I"}, {"type": "text", "text": "like"}]
    as_parts = client.chat.completions.create(messages=[{"role": "user", "content": parts}], **ask)  # type: ignore[misc,list-item]
    text_of_parts = client.completions.create(prompt="I\nlike", **ask).choices[0].text
    assert as_parts.choices[0].message.content == text_of_parts

    one = client.chat.completions.create(messages=CHAT, **ask)  # type: ignore[arg-type]
    chunks = list(
        client.chat.completions.create(
            messages=CHAT,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
            **ask,
        )
    )
    *deltas, last = chunks
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert deltas[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in deltas) == expected[PROMPTS[0]]
    assert deltas[-1].choices[0].finish_reason == one.choices[0].finish_reason
    assert last.choices == [] and last.usage == one.usage


def test_chat_logprobs_are_the_bots_own(client: openai.OpenAI, alice: Any) -> None:
    model, tokenizer = alice
    context = [tokenizer.convert_tokens_to_ids(EOS), *ids_of(tokenizer, PROMPTS[0])]
    r = client.chat.completions.create(
        model="alice",
        messages=CHAT,  # type: ignore[arg-type]
        max_tokens=4,
        temperature=0,
        logprobs=True,
        top_logprobs=2,
    )
    content = r.choices[0].logprobs.content if r.choices[0].logprobs else None
    assert content
    for item in content:
        scores = log_softmax(model, context)[-1]
        best = scores.topk(2)
        assert item.token == tokenizer.decode([int(best.indices[0])])
        assert item.bytes == list(item.token.encode())
        assert [t.logprob for t in item.top_logprobs] == pytest.approx(
            best.values.tolist(), abs=1e-4
        )
        assert item.logprob == pytest.approx(best.values[0].item(), abs=1e-4)
        context.append(int(best.indices[0]))


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"messages": [{"role": "system", "content": "hi"}]}, "no message has role user"),
        ({"messages": []}, "messages: at least 1 message (got 0)"),
        (
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
            "a part of type 'image_url': murmur's bots read text only",
        ),
        ({"messages": [{"role": "user", "content": "x" * 1001}]}, "at most 1000 characters"),
        ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools [{'type'"),
        ({"response_format": {"type": "json_object"}}, "response_format {'type': 'json_object'}"),
        ({"top_logprobs": 2}, "top_logprobs needs logprobs true"),
        ({"max_tokens": 3, "max_completion_tokens": 4}, "differ: send one of them"),
        ({"echo": True}, "echo: not an argument of this API: leave it out (got True)"),
        (
            {"messages": [{"role": "user", "content": " the" * 199}], "max_tokens": 100},
            "takes at most 256 tokens in all, prompt included; lower max_tokens to 56 or less",
        ),
    ],
)
def test_chat_refuses_what_it_cannot_do(
    http: TestClient, fields: dict[str, Any], says: str
) -> None:
    body = {"model": "alice", "messages": [{"role": "user", "content": "I like"}], **fields}
    r = http.post("/v1/chat/completions", json=body)
    assert r.status_code == 422, r.text
    assert says in r.json()["error"]["message"]
    assert not PYDANTIC_WORDS.search(r.json()["error"]["message"])


def test_chat_accepts_what_chat_clients_send_by_default(http: TestClient) -> None:
    body = {
        "model": "alice",
        "messages": [
            {"role": "developer", "content": "be brief"},
            {"role": "user", "content": "I"},
        ],
        "max_completion_tokens": 3,
        "tools": [],
        "tool_choice": "none",
        "parallel_tool_calls": True,
        "response_format": {"type": "text"},
        "store": False,
        "metadata": {},
        "service_tier": "auto",
        "user": "someone",
        "stream": False,
    }
    r = http.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["usage"]["completion_tokens"] <= 3


# ---- in one batch ---------------------------------------------------------------------------------
def test_logprobs_stops_and_scoring_share_a_batch_with_plain_requests(store: Store) -> None:
    """Specs asking for logprobs, echo, stops or nothing new, batched with plain ones: each gets
    what it gets alone (greedy; the same seed where sampled)."""
    lm = load_model(store, "alice")
    specs = [
        GenerationSpec("I like", n=2, max_new_tokens=6, temperature=0, logprobs=2, echo=True),
        GenerationSpec("My dream is", n=3, max_new_tokens=9, seed=4),
        GenerationSpec("I want", max_new_tokens=0, echo=True, logprobs=1),
        GenerationSpec("Today I", max_new_tokens=7, temperature=0, stop=(" ", "e")),
        GenerationSpec("", prompt_ids=(5, 6, 7), max_new_tokens=5, seed=2, logprobs=0),
    ]
    together = generate_batch(lm, specs)
    for spec, result in zip(specs, together, strict=True):
        (alone,) = generate_batch(lm, [spec])
        assert result.error is None and len(result.choices) == spec.n
        assert [c.text for c in result.choices] == [c.text for c in alone.choices]
        assert [c.finish_reason for c in result.choices] == [c.finish_reason for c in alone.choices]
        for got, want in zip(result.choices, alone.choices, strict=True):
            assert (got.logprobs is None) == (spec.logprobs is None)
            if got.logprobs is not None and want.logprobs is not None:
                assert got.logprobs.tokens == want.logprobs.tokens
                assert got.logprobs.text_offset == want.logprobs.text_offset
                assert got.logprobs.token_logprobs == pytest.approx(
                    want.logprobs.token_logprobs, abs=1e-4
                )
    scored = together[2].choices[0]
    assert (scored.text, scored.finish_reason, scored.tokens) == ("I want", "length", 0)
    assert scored.logprobs is not None and "".join(scored.logprobs.tokens) == "I want"
    for choice in together[3].choices:
        assert " " not in choice.text and "e" not in choice.text


@pytest.mark.parametrize("field", ["n", "max_tokens", "seed", "logprobs", "stream"])
def test_a_number_or_boolean_sent_as_a_string_is_a_422(http: TestClient, field: str) -> None:
    """OpenAI refuses `"n": "3"`; pydantic would convert it (new-user trial, 2026-12-07)."""
    value = "true" if field == "stream" else "3"
    r = http.post("/v1/completions", json={"model": "alice", "prompt": "x", field: value})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"].startswith(f"invalid request: {field}:")


def test_json_sent_as_text_says_which_content_type(http: TestClient) -> None:
    body = '{"model": "alice", "prompt": "x"}'
    r = http.post("/v1/completions", content=body, headers={"content-type": "text/plain"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == (
        "invalid request: the body must be JSON, sent with content-type: application/json "
        "(got text/plain)"
    )
