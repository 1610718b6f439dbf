"""The HTTP API's shapes: OpenAI-style requests and answers, the input limits, the errors.

Every answer other than 200 is an `ApiError`, sent in OpenAI's error shape (`ErrorResponse`);
`error_responses` documents a route's errors in /openapi.json.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from murmur.data.handles import MODEL_NAME_RE
from murmur.generation import TEMPERATURE, TOP_P

# Input limits, stated in every 422.
MAX_PROMPT_CHARS = 1_000  # a tweet is at most 280
MAX_N = 20
MAX_TOKENS = 512
# A model name as /openapi.json states it; validate_model_name checks it, with its own message.
MODEL_DOC = "A published model's name: 1-3 handles (a-z, 0-9, _) joined by '-'"
MODEL_SCHEMA: dict[str, Any] = {"pattern": f"^{MODEL_NAME_RE.pattern}$", "examples": ["jack"]}


class CompletionRequest(BaseModel):
    """OpenAI's completion request; fields it has and murmur does not use are ignored."""

    model: str = Field(description=MODEL_DOC, json_schema_extra=MODEL_SCHEMA)
    prompt: str = Field(default="", max_length=MAX_PROMPT_CHARS)
    max_tokens: int | None = Field(default=None, ge=1, le=MAX_TOKENS)
    """New tokens per choice; None: huggingtweets' 160 tokens in all, prompt included."""
    temperature: float = Field(default=TEMPERATURE, ge=0, le=2)
    top_p: float = Field(default=TOP_P, gt=0, le=1)
    n: int = Field(default=1, ge=1, le=MAX_N)
    stream: bool = False
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)


class CompletionChoice(BaseModel):
    index: int
    text: str
    finish_reason: str | None
    logprobs: None = None


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
