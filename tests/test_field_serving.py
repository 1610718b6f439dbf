"""Field reports on serving: request errors in plain words, text never cut mid-character."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import torch
from pydantic import BaseModel, ValidationError

from murmur.core.generation import EOS
from murmur.serving.budget import plan_generation
from murmur.serving.chat import ChatRequest
from murmur.serving.events import GenerationSpec, collect
from murmur.serving.loading import LoadedModel
from murmur.serving.outputs import Progress, token_bytes
from murmur.serving.request_errors import request_error_line
from murmur.serving.schema import CompletionRequest

# What pydantic's own messages name: its types, union members and sentences.
PYDANTIC_WORDS = re.compile(
    r"Input should|constrained-|\[str|List should|String should|Extra inputs|Value error|"
    r"token_id_lists|\.texts|\.text\b|\.str\b|\.list\b"
)
WRONG: list[tuple[dict[str, Any], str]] = [
    ({"prompt": []}, "prompt: at least 1 prompt (got 0)"),
    ({"prompt": "x" * 5000}, "prompt: at most 1000 characters (got 5000)"),
    ({"prompt": ["I"] * 21}, "prompt: at most 20 prompts (got 21)"),
    ({"prompt": [[1] * 5000]}, "prompt.0: at most 4096 token ids (got 5000)"),
    ({"prompt": [1, "a"]}, "prompt.1: an integer (got 'a')"),
    ({"prompt": [["a"]]}, "prompt.0.0: an integer (got 'a')"),
    ({"stop": list("abcde")}, "stop: at most 4 sequences (got 5)"),
    ({"stop": 5}, "stop: a string or a list of up to 4 strings (got 5)"),
    ({"stop": ["a", ""]}, "stop.1: at least 1 character (got 0)"),
    ({"stop": ["a", 5]}, "stop.1: a string (got 5)"),
    ({"logprobs": 6}, "logprobs: at most 5 (got 6)"),
    ({"n": 0}, "n: at least 1 (got 0)"),
    ({"temperature": "hot"}, "temperature: a number (got 'hot')"),
    ({"seed": 1.5}, "seed: an integer (got 1.5)"),
    ({"top_k": 3}, "top_k: not an argument of this API: leave it out (got 3)"),
]
CHAT_WRONG: list[tuple[dict[str, Any], str]] = [
    ({"messages": []}, "messages: at least 1 message (got 0)"),
    ({"messages": "hi"}, "messages: a list (got 'hi')"),
    ({"messages": [{"role": "bot"}]}, "messages.0.role: one of 'developer', 'system'"),
    ({"messages": [{"role": "user", "content": 5}]}, "messages.0.content: a string or a list"),
    ({"messages": [{"role": "user"}], "stop": list("abcde")}, "stop: at most 4 sequences"),
    (
        {"messages": [{"role": "user"}], "max_completion_tokens": 0},
        "max_completion_tokens: at least 1",
    ),
]


def _line(model: type[BaseModel], body: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as e:
        model.model_validate({"model": "alice", **body})
    return request_error_line(e.value.errors())


@pytest.mark.parametrize(("body", "says"), WRONG)
def test_completion_errors_name_the_field_and_what_it_takes(
    body: dict[str, Any], says: str
) -> None:
    line = _line(CompletionRequest, body)
    assert line == says
    assert not PYDANTIC_WORDS.search(line)


@pytest.mark.parametrize(("body", "says"), CHAT_WRONG)
def test_chat_errors_name_the_field_and_what_it_takes(body: dict[str, Any], says: str) -> None:
    line = _line(ChatRequest, body)
    assert line.startswith(says) and "\n" not in line
    assert not PYDANTIC_WORDS.search(line)


def test_several_wrong_fields_in_one_line_and_our_own_sentences_kept() -> None:
    line = _line(CompletionRequest, {"n": 0, "logprobs": 9})
    assert line == "n: at least 1 (got 0); logprobs: at most 5 (got 9)"
    assert _line(CompletionRequest, {"max_tokens": 0}).startswith("max_tokens 0 generates nothing")


# ---- text cut mid-character ------------------------------------------------------------------

TEXT = "at the 😀 🎉 café"  # emoji of 4 bytes, é of 2: GPT-2 splits them over byte tokens


@pytest.fixture(scope="module")
def lm(tiny_model_dir: Path) -> LoadedModel:
    """The tiny preset's byte-level GPT-2 tokenizer (Progress decodes; it runs no model)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    eos = tokenizer.convert_tokens_to_ids(EOS)
    cpu = torch.device("cpu")
    return LoadedModel("t", "1", None, tokenizer, cpu, 256, len(tokenizer), eos, 0.0)


def _run(lm: LoadedModel, ids: list[int], stop: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """Feed `ids` to one choice as the engine does, one a step; its streamed deltas (an event
    every step) and its whole text (`collect`, as a completion without `stream` answers)."""
    plan = plan_generation(lm, GenerationSpec("x", max_new_tokens=len(ids), stop=stop))
    events: list[Any] = []
    progress = Progress(lm, [plan], events.append, 0)
    for token in ids:
        progress.step([(0, 0)], [token])
    progress.close([(0, 0)])
    spec_events = [e[0] for e in events]
    deltas = [d.text for e in spec_events for d in e.deltas]
    return deltas, collect(spec_events, 1).choices[0].text


def test_text_cut_mid_character_ends_with_whole_characters(lm: LoadedModel) -> None:
    ids = lm.tokenizer(TEXT)["input_ids"]
    raw = [token_bytes(lm, t) for t in ids]
    cuts = 0
    for k in range(1, len(ids) + 1):
        whole = b"".join(raw[:k])
        expected = whole.decode("utf-8", "ignore")  # the trailing half character dropped
        cuts += expected.encode() != whole
        for tail in ([], [lm.eos_id]):  # cut by max_tokens, then by end-of-text
            deltas, text = _run(lm, ids[:k] + tail)
            assert text == "".join(deltas) == expected, (k, tail)
            assert "\ufffd" not in text
    assert cuts >= 3  # the row's end fell inside a character several times


def test_bytes_that_make_no_character_are_dropped_before_a_stop_or_a_space(
    lm: LoadedModel,
) -> None:
    emoji = lm.tokenizer("😀")["input_ids"]
    assert len(emoji) > 1  # split over byte tokens
    half, rest = emoji[:1], lm.tokenizer(" ok then")["input_ids"]
    deltas, text = _run(lm, half + rest)  # half an emoji, then a space: no character
    assert text == "".join(deltas) == " ok then"
    deltas, text = _run(lm, half + rest, stop=(" then",))  # cut by a stop
    assert text == "".join(deltas) == " ok"
    deltas, text = _run(lm, half + rest, stop=(" ok",))  # the stop right after the half
    assert text == "".join(deltas) == ""
