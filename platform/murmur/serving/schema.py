"""The HTTP API's shapes: OpenAI-style requests and answers, the input limits, the errors.

Requests accept what OpenAI's API accepts (platform.openai.com/docs/api-reference/completions,
.../chat; the openai client's types): `null` for any optional field means its default (the
client and LangChain send `"temperature": null`); temperature 0-2, top_p 0-1 (`top_p` 0 keeps
only the most likely token: greedy, as temperature 0), seed any 64-bit integer, up to 4 stops,
logprobs 0-5. Beyond OpenAI's ranges murmur has its own limits, stated in every 422: n <= 20
(OpenAI 128), max_tokens <= 512, prompts' sizes below.

Every answer other than 200 is an `ApiError`, sent in OpenAI's error shape (`ErrorResponse`);
`error_responses` documents a route's errors in /openapi.json.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from murmur.core.generation import TEMPERATURE, TOP_P
from murmur.core.handles import MAX_MODEL_NAME, MODEL_NAME_RE

# Input limits, stated in every 422.
MAX_PROMPT_CHARS = 1_000  # a tweet is at most 280
MAX_N = 20
MAX_TOKENS = 512
MAX_PROMPTS = 20  # prompts in one completion request (LangChain sends up to 20 at once)
MAX_PROMPT_TOKENS = 4_096  # token ids in one prompt; the model's n_positions limits further
MAX_CHOICES = 100  # prompts x n in one request
MAX_STOPS = 4  # as OpenAI
MAX_LOGPROBS = 5  # as OpenAI's legacy completions
# A model name as /openapi.json states it; validate_model_name checks it, with its own message.
MODEL_DOC = (
    "A published model's name: 1-3 handles joined by '-' (alice, alice.bsky.social, "
    "bob@mastodon.social written bob._mastodon.social); murmur.core.handles gives the rule"
)
MODEL_SCHEMA: dict[str, Any] = {
    "pattern": f"^{MODEL_NAME_RE.pattern}$",
    "maxLength": MAX_MODEL_NAME,
    "examples": ["jack"],
}


class StreamOptions(BaseModel):
    """OpenAI's `stream_options`."""

    model_config = ConfigDict(extra="forbid")

    include_usage: bool = False
    """Send a last chunk with empty `choices` and the request's `usage`, before [DONE]."""


Stop = Annotated[str, Field(min_length=1, max_length=MAX_PROMPT_CHARS)]


NO_OP = "x-murmur-no-op"  # marks, in a field's schema, a field murmur does not implement


def not_implemented(*no_ops: Any) -> Any:
    """A field of OpenAI's that murmur does not implement: accepted at its no-op values only
    (its schema's enum); any other value is a 422 naming the field."""
    spelled = " or ".join(json.dumps(v) for v in no_ops)
    return Field(
        default=None,
        description=f"Not implemented by murmur: accepted as {spelled} only",
        json_schema_extra={"enum": list(no_ops), NO_OP: True},
    )


def _is_no_op(value: Any, allowed: tuple[Any, ...]) -> bool:
    """`value` is one of `allowed` (True is not 1, nor False 0: booleans match only booleans)."""
    for a in allowed:
        if a is None or isinstance(a, bool) or isinstance(value, bool):
            if value is a:
                return True
        elif value == a:
            return True
    return False


class SamplingRequest(BaseModel):
    """What completions and chat completions share: the model, sampling, limits, streaming, stop
    sequences, and OpenAI's fields that murmur does not implement.

    Those are accepted at their no-op value only (`not_implemented`: null, 0, {}, what LangChain
    and the openai client send by default); any other value is a 422 naming the field, never
    ignored.
    A field OpenAI does not have is a 422 naming it, as OpenAI refuses unknown arguments.
    Integer and boolean fields take JSON numbers and booleans only (`"n": "3"` is a 422, as
    OpenAI answers it), not strings that pydantic would convert.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(description=MODEL_DOC, json_schema_extra=MODEL_SCHEMA)
    max_tokens: StrictInt | None = Field(default=None, ge=0, le=MAX_TOKENS)
    """New tokens per choice; None: huggingtweets' 160 tokens in all, prompt included; 0 only
    with `echo` (scoring a prompt)."""
    temperature: float = Field(default=TEMPERATURE, ge=0, le=2)
    """0 is greedy (as OpenAI's API)."""
    top_p: float = Field(default=TOP_P, ge=0, le=1)
    """0 keeps only the most likely token: greedy, as temperature 0 (OpenAI accepts 0)."""
    n: StrictInt = Field(default=1, ge=1, le=MAX_N)
    stream: StrictBool = False
    stream_options: StreamOptions | None = None
    seed: StrictInt | None = Field(default=None, ge=-(2**63), le=2**63 - 1)
    """Any 64-bit integer, as OpenAI's API takes it."""
    stop: Stop | Annotated[list[Stop], Field(max_length=MAX_STOPS)] | None = None
    """Up to 4 strings: each choice's text ends before the first of them (finish_reason stop)."""
    user: str | None = None
    """Accepted; murmur keeps no record of it."""
    logit_bias: Any = not_implemented(None, {})
    presence_penalty: Any = not_implemented(None, 0)
    frequency_penalty: Any = not_implemented(None, 0)

    @field_validator("temperature", "top_p", "n", "stream", mode="before")
    @classmethod
    def _null_is_the_default(cls, value: Any, info: ValidationInfo) -> Any:
        """`null` is the field's default, as OpenAI's API reads it (its fields are optional)."""
        return cls.model_fields[str(info.field_name)].default if value is None else value

    @model_validator(mode="after")
    def _top_p_zero_is_greedy(self) -> SamplingRequest:
        if self.top_p == 0:  # only the most likely token is left: temperature 0's greedy path
            self.temperature, self.top_p = 0.0, 1.0
        return self

    @model_validator(mode="after")
    def _check_no_ops(self) -> SamplingRequest:
        for name, field in type(self).model_fields.items():
            extra = field.json_schema_extra
            if not (isinstance(extra, dict) and extra.get(NO_OP)):
                continue
            value, allowed = getattr(self, name), tuple(cast("list[Any]", extra["enum"]))
            if not _is_no_op(value, allowed):
                shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
                raise ValueError(
                    f"{name} {shown} is not supported: murmur's bots take only "
                    f"{' or '.join(json.dumps(a) for a in allowed)} (its no-op value); leave it out"
                )
        if self.stream_options is not None and not self.stream:
            raise ValueError(
                "stream_options is only for streaming: set stream true, or leave it out"
            )
        return self

    def stops(self) -> tuple[str, ...]:
        """`stop` as a tuple of strings (none: empty)."""
        if self.stop is None:
            return ()
        return (self.stop,) if isinstance(self.stop, str) else tuple(self.stop)

    @property
    def include_usage(self) -> bool:
        return self.stream_options is not None and self.stream_options.include_usage


PromptText = Annotated[str, Field(max_length=MAX_PROMPT_CHARS)]
TokenIds = Annotated[list[Annotated[int, Field(ge=0)]], Field(max_length=MAX_PROMPT_TOKENS)]


def _prompt_kind(value: Any) -> str | None:
    """Which of OpenAI's four prompt shapes `value` has (None: none of them)."""
    if isinstance(value, str):
        return "text"
    if not isinstance(value, list):
        return None
    if not value:  # OpenAI refuses an empty list: it is a list of no prompts (at least 1)
        return "texts"
    if isinstance(value[0], int):
        return "token_ids"
    return "texts" if isinstance(value[0], str) else "token_id_lists"


Prompt = Annotated[
    Annotated[PromptText, Tag("text")]
    | Annotated[list[PromptText], Field(min_length=1, max_length=MAX_PROMPTS), Tag("texts")]
    | Annotated[TokenIds, Tag("token_ids")]
    | Annotated[list[TokenIds], Field(min_length=1, max_length=MAX_PROMPTS), Tag("token_id_lists")],
    Discriminator(
        _prompt_kind,
        custom_error_type="prompt_shape",
        custom_error_message="prompt must be a string, a list of strings, a list of token ids "
        "or a list of token-id lists",
    ),
]


class CompletionRequest(SamplingRequest):
    """OpenAI's completion request (see SamplingRequest for the fields murmur does not use)."""

    prompt: Prompt = Field(
        default="",
        description=f"A string, a list of strings, token ids, or a list of token-id lists; up to "
        f"{MAX_PROMPTS} prompts, {MAX_PROMPT_CHARS} characters or {MAX_PROMPT_TOKENS} ids each. "
        "Prompt i's n choices are choices i*n to i*n+n-1.",
    )
    echo: bool = False
    """Each choice's text (and logprobs) starts with its prompt."""

    @field_validator("prompt", "echo", mode="before")
    @classmethod
    def _null_prompt_or_echo(cls, value: Any, info: ValidationInfo) -> Any:
        """`null` is the default ("" and false), as OpenAI's API reads it."""
        return cls.model_fields[str(info.field_name)].default if value is None else value

    logprobs: StrictInt | None = Field(default=None, ge=0, le=MAX_LOGPROBS)
    """With each token its raw logprob and the `logprobs` most likely tokens (OpenAI's legacy
    shape: tokens, token_logprobs, top_logprobs, text_offset)."""
    suffix: Any = not_implemented(None, "")
    best_of: int | None = Field(
        default=None, ge=1, le=MAX_N, description="Not implemented by murmur: null or n only"
    )

    @model_validator(mode="after")
    def _check_completion(self) -> CompletionRequest:
        if self.best_of is not None and self.best_of != self.n:
            raise ValueError(
                f"best_of {self.best_of} is not supported: murmur returns every choice it "
                f"generates; leave best_of out or set it to n ({self.n})"
            )
        if self.max_tokens == 0 and not self.echo:
            raise ValueError(
                "max_tokens 0 generates nothing: it scores a prompt, with echo true (and "
                "logprobs); otherwise set max_tokens to 1 or more"
            )
        if len(self.prompts()) * self.n > MAX_CHOICES:
            raise ValueError(
                f"{len(self.prompts())} prompts x n {self.n} is over {MAX_CHOICES} choices in "
                "one request: send fewer prompts or a smaller n"
            )
        return self

    def prompts(self) -> list[str | list[int]]:
        """The prompts: each a string or a list of token ids."""
        p = self.prompt
        if isinstance(p, str) or not p or isinstance(p[0], int):
            return [cast("str | list[int]", p)]
        return list(cast("list[str] | list[list[int]]", p))


class CompletionLogprobs(BaseModel):
    """OpenAI's legacy logprobs (see murmur.serving.events.Logprobs)."""

    tokens: list[str]
    token_logprobs: list[float]
    top_logprobs: list[dict[str, float]]
    """The `logprobs` most likely tokens at each position, and the chosen one."""
    text_offset: list[int]


class CompletionChoice(BaseModel):
    index: int
    text: str
    finish_reason: Literal["stop", "length"] | None
    logprobs: CompletionLogprobs | None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class CompletionResponse(BaseModel):
    id: str
    object: Literal["text_completion"] = "text_completion"
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage


class GenerateRequest(BaseModel):
    """huggingtweets' request: a prompt, some tweets, its sampling defaults."""

    model: str = Field(description=MODEL_DOC, json_schema_extra=MODEL_SCHEMA)
    prompt: str = Field(default="My dream is", max_length=MAX_PROMPT_CHARS)
    n: int = Field(default=1, ge=1, le=MAX_N)


class GenerateResponse(BaseModel):
    model: str
    prompt: str
    generations: list[str]


class ModelObject(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "murmur"
    handles: list[str]
    display_names: list[str]
    avatar_urls: list[str | None]


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelObject]


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: int


class ErrorResponse(BaseModel):
    """Every answer other than 200, in OpenAI's shape."""

    error: ErrorDetail


ERROR_MEANINGS = {
    400: "The body could not be read (not UTF-8)",
    401: "No API key, or one that is not valid (only where API keys are switched on)",
    404: "No model of that name is published",
    422: "Invalid input; the message states the limit",
    500: "The model could not be loaded or failed (a damaged model fails alone)",
    503: "Overloaded: retry after the Retry-After header's seconds",
    504: "The model did not answer within the request timeout",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route's errors: their shape and what each status means."""
    return {s: {"model": ErrorResponse, "description": ERROR_MEANINGS[s]} for s in statuses}


class ApiError(Exception):
    """An answer other than 200, in OpenAI's error shape."""

    def __init__(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "code": self.status}}
