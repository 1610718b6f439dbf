"""The HTTP front: the FastAPI app (`build_api`) and the Ingress deployment that serves it.

    HTTP ──► Ingress (FastAPI): validates, looks the model up in the store (catalog), maps errors
             to 401 / 404 / 422 / 503 / 504 ──► ModelServer replicas (murmur.serving.replica)

Routes: OpenAI's `/v1/completions` and `/v1/chat/completions` (streaming too; murmur.serving.
completions, murmur.serving.chat), `/v1/models` and `/v1/models/<name>`, huggingtweets'
`/generate`, `/healthz`, and the pages (`/`, `/models/<name>`, murmur.serving.page).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from ray import serve
from ray.serve.handle import DeploymentHandle
from starlette.exceptions import HTTPException as StarletteHTTPException

from murmur.core.generation import MIN_LENGTH, TOP_K, cut_generation
from murmur.core.store import Store
from murmur.serving.auth import ApiKeys, api_router
from murmur.serving.catalog import Catalog, model_object
from murmur.serving.chat import ChatChunks, ChatCompletionResponse, ChatRequest, chat_response
from murmur.serving.client import ModelClient
from murmur.serving.completions import (
    Chunk,
    answer_all,
    completion_chunk,
    completion_response,
    completion_specs,
    merge_streams,
    open_streams,
    sampling_spec,
    sse_stream,
)
from murmur.serving.events import ChoiceDelta, GenerationSpec
from murmur.serving.page import mount_pages
from murmur.serving.request_errors import request_error_line
from murmur.serving.request_metrics import RequestMetrics, name_request_model
from murmur.serving.schema import (
    MODEL_DOC,
    MODEL_SCHEMA,
    ApiError,
    CompletionRequest,
    CompletionResponse,
    GenerateRequest,
    GenerateResponse,
    ModelList,
    ModelObject,
    SamplingRequest,
    error_responses,
)
from murmur.serving.settings import ServeSettings

replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs


def _streamed(model: type, what: str) -> dict[int | str, dict[str, Any]]:
    """A route's 200: JSON, or with `stream` server-sent events (one event's schema, as OpenAPI
    3.2's itemSchema)."""
    event = {
        "type": "object",
        "properties": {
            "data": {"type": "string", "description": f"a {what} or an error, as JSON; [DONE] last"}
        },
        "required": ["data"],
    }
    return {
        200: {
            "model": model,
            "description": f"The answer; with `stream`, server-sent events of {what}s ending [DONE]",
            "content": {"text/event-stream": {"schema": event}},
        }
    }


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one sentence: each field's path and what is wrong."""
    errors = exc.errors()
    if any(err.get("type") == "json_invalid" for err in errors):  # its loc ("body", 0): no field
        return "invalid request: the body is not valid JSON"
    return "invalid request: " + request_error_line(errors)


def _add_error_handlers(api: FastAPI, name_model: Callable[[Any], Awaitable[None]]) -> None:
    """Every error in OpenAI's shape: ours, FastAPI's and Starlette's own (400, 404, 405, 422).
    A request that fails validation is counted under the model its body names (`name_model`):
    the ones that pass are named where the route finds their model."""

    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        error = ApiError(exc.status_code, kind, str(exc.detail))
        return JSONResponse(error.body(), status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        await name_model(exc.body)
        message = _validation_message(exc)
        kind = request.headers.get("content-type", "")
        if isinstance(exc.body, bytes) and "json" not in kind:  # FastAPI read it as text
            message = (
                "invalid request: the body must be JSON, sent with content-type: "
                f"application/json (got {kind or 'no content-type'})"
            )
        error = ApiError(422, "invalid_request_error", message)
        return JSONResponse(error.body(), status_code=422)


def build_api(
    catalog: Catalog, models: ModelClient, store_uri: str, keys: ApiKeys | None = None
) -> FastAPI:
    """The HTTP API. With `keys`, the API's routes need a key; /healthz and the page do not."""
    api = FastAPI(title="murmur", description="Many tweet bots, one endpoint.")
    api.add_middleware(
        RequestMetrics
    )  # murmur_requests_total{model,status} (serving.request_metrics)
    router = api_router(keys)
    auth = (401,) if keys is not None else ()
    generation_errors = error_responses(400, *auth, 404, 422, 500, 503, 504)

    async def model_id(name: str) -> str:
        found = await asyncio.to_thread(catalog.model_id, name)
        name_request_model(name)  # a published model: the request's metrics carry its name
        return found

    async def name_model(body: Any) -> None:
        """Name the model an invalid request's JSON `body` asks for in its metrics, where that
        model is published; names nobody published stay out of the labels (NO_MODEL)."""
        name = body.get("model") if isinstance(body, dict) else None
        if isinstance(name, str):
            with suppress(ApiError):
                await model_id(name)

    _add_error_handlers(api, name_model)

    async def stream(
        req: SamplingRequest,
        specs: list[GenerationSpec],
        head: Chunk,
        choice_chunk: Callable[[int, ChoiceDelta], Chunk],
    ) -> StreamingResponse:
        firsts, streams = await open_streams(models, await model_id(req.model), specs)
        events = sse_stream(req, merge_streams(firsts, streams), head, choice_chunk)
        return StreamingResponse(events, media_type="text/event-stream")

    def head(req: SamplingRequest, kind: str, prefix: str) -> Chunk:
        """What every chunk of an answer starts with (the answer's id, kind, time, model)."""
        created = int(time.time())
        return {
            "id": f"{prefix}-{uuid.uuid4().hex}",
            "object": kind,
            "created": created,
            "model": req.model,
        }

    @router.post(
        "/v1/completions",
        response_model=None,
        responses={**_streamed(CompletionResponse, "completion chunk"), **generation_errors},
    )
    async def completions(req: CompletionRequest) -> CompletionResponse | StreamingResponse:
        """OpenAI's completions. Each prompt is prefixed with `<|endoftext|>` as in training
        (a token-id prompt with its id): context only, never echoed nor scored. Prompt i's n
        choices are choices i*n onward. Logprobs are the model's raw log-softmax."""
        specs = completion_specs(req)
        chunk_head = head(req, "text_completion", "cmpl")
        if req.stream:
            return await stream(req, specs, chunk_head, completion_chunk)
        results = await answer_all(models, await model_id(req.model), specs)
        return completion_response(req, results, chunk_head["id"])

    @router.post(
        "/v1/chat/completions",
        response_model=None,
        responses={
            **_streamed(ChatCompletionResponse, "chat.completion.chunk"),
            **generation_errors,
        },
    )
    async def chat_completions(req: ChatRequest) -> ChatCompletionResponse | StreamingResponse:
        """OpenAI's chat completions. GPT-2 has no chat template: the prompt is the last user
        message's text, and every other message is ignored. The same fields, limits and errors as
        completions, streaming included (no echo; chat's logprobs and top_logprobs)."""
        spec = sampling_spec(req, req.prompt(), logprobs=req.top(), route="/v1/chat/completions")
        chunk_head = head(req, "chat.completion.chunk", "chatcmpl")
        if req.stream:
            return await stream(req, [spec], chunk_head, ChatChunks())
        (result,) = await answer_all(models, await model_id(req.model), [spec])
        return chat_response(req, result, chunk_head["id"])

    @router.post("/generate", responses=generation_errors)
    async def generate(req: GenerateRequest) -> GenerateResponse:
        """huggingtweets' request: its sampling defaults, tweets cut as it cuts them."""
        spec = GenerationSpec(
            prompt=req.prompt, n=req.n, min_length=MIN_LENGTH, top_k=TOP_K, route="/generate"
        )
        (result,) = await answer_all(models, await model_id(req.model), [spec])
        texts = [cut_generation(req.prompt + c.text) for c in result.choices]
        return GenerateResponse(model=req.model, prompt=req.prompt, generations=texts)

    @router.get("/v1/models", responses=error_responses(*auth))
    async def list_models() -> ModelList:
        manifests = await asyncio.to_thread(catalog.list)
        return ModelList(data=[model_object(m) for m in manifests])

    @router.get("/v1/models/{model}", responses=error_responses(*auth, 404, 422, 500))
    async def retrieve_model(
        model: str = Path(description=MODEL_DOC, json_schema_extra=MODEL_SCHEMA),
    ) -> ModelObject:
        """One published model, as /v1/models lists it (the openai client's models.retrieve)."""
        return model_object(await asyncio.to_thread(catalog.manifest, model))

    @api.get("/healthz")  # open: load balancers and probes carry no key
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    api.include_router(router)
    mount_pages(api, store_uri)
    return api


@serve.ingress()
class Ingress:
    """The HTTP front: FastAPI, built in the replica (`__serve_build_asgi_app__`)."""

    def __init__(self, model_server: DeploymentHandle, settings: dict[str, Any]) -> None:
        self.settings = ServeSettings.model_validate(settings)
        self.catalog = Catalog(Store(self.settings.store), self.settings.store_cache_s)
        self.models = ModelClient(model_server, self.settings.request_timeout_s)
        # Read here, in the replica: the keys themselves never pass through Serve's config.
        self.keys = ApiKeys.load(self.settings.api_keys_file)
        if self.keys is not None:
            replica_log.info("API keys on: %d keys", self.keys.count)

    def __serve_build_asgi_app__(self) -> FastAPI:
        return build_api(self.catalog, self.models, self.settings.store, self.keys)


IngressDeployment = serve.deployment(name="Ingress")(Ingress)
