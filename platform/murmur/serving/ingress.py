"""The HTTP front: the FastAPI app (`build_api`) and the Ingress deployment that serves it.

    HTTP ──► Ingress (FastAPI): validates, looks the model up in the store (catalog), maps errors
             to 401 / 404 / 422 / 503 / 504 ──► ModelServer replicas (murmur.serving.replica)

Routes: OpenAI's `/v1/completions` (streaming too) and `/v1/models`, huggingtweets' `/generate`,
`/healthz`, and the pages (`/`, `/models/<name>`, murmur.serving.page).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from ray import serve
from ray.serve.handle import DeploymentHandle
from starlette.exceptions import HTTPException as StarletteHTTPException

from murmur.generation import MIN_LENGTH, cut_generation
from murmur.models.store import Store
from murmur.serving.auth import ApiKeys, api_router
from murmur.serving.catalog import Catalog, model_object
from murmur.serving.client import ModelClient
from murmur.serving.events import GenerationEvent, GenerationJob, GenerationResult
from murmur.serving.page import mount_pages
from murmur.serving.schema import (
    ApiError,
    CompletionChoice,
    CompletionRequest,
    CompletionResponse,
    GenerateRequest,
    GenerateResponse,
    ModelList,
    Usage,
    error_responses,
)
from murmur.serving.settings import ServeSettings

replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs

# /v1/completions' 200: JSON, or with `stream` server-sent events (one event's schema, as
# OpenAPI 3.2's itemSchema).
STREAMED: dict[int | str, dict[str, Any]] = {
    200: {
        "model": CompletionResponse,
        "description": "The completion; with `stream`, server-sent events ending [DONE]",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "data": {
                            "type": "string",
                            "description": "a completion chunk or an error, as JSON; [DONE] last",
                        }
                    },
                    "required": ["data"],
                }
            }
        },
    }
}


def _completion_response(
    req: CompletionRequest, result: GenerationResult, completion_id: str
) -> CompletionResponse:
    return CompletionResponse(
        id=completion_id,
        created=int(time.time()),
        model=req.model,
        choices=[
            CompletionChoice(index=i, text=c.text, finish_reason=c.finish_reason)
            for i, c in enumerate(result.choices)
        ],
        usage=Usage(
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            total_tokens=result.prompt_tokens + result.completion_tokens,
        ),
    )


def _sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"


async def _completion_chunks(
    req: CompletionRequest, first: GenerationEvent, rest: AsyncIterator[GenerationEvent], cid: str
) -> AsyncIterator[str]:
    """Server-sent events in OpenAI's shape: one chunk per choice's new text, then [DONE]."""
    created = int(time.time())

    async def events() -> AsyncIterator[GenerationEvent]:
        yield first
        async for event in rest:
            yield event

    try:
        async for event in events():
            for d in event.deltas:
                choice = {"index": d.index, "text": d.text, "finish_reason": d.finish_reason}
                chunk = {"id": cid, "object": "text_completion", "created": created}
                yield _sse({**chunk, "model": req.model, "choices": [{**choice, "logprobs": None}]})
    except ApiError as e:  # the status line is sent already: the error goes in the stream
        yield _sse(e.body())
    yield _sse("[DONE]")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def _add_error_handlers(api: FastAPI) -> None:
    """Every error in OpenAI's shape: ours, FastAPI's and Starlette's own (400, 404, 405, 422)."""

    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        error = ApiError(exc.status_code, kind, str(exc.detail))
        return JSONResponse(error.body(), status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        error = ApiError(422, "invalid_request_error", _validation_message(exc))
        return JSONResponse(error.body(), status_code=422)


def build_api(
    catalog: Catalog, models: ModelClient, store_uri: str, keys: ApiKeys | None = None
) -> FastAPI:
    """The HTTP API. With `keys`, the API's routes need a key; /healthz and the page do not."""
    api = FastAPI(title="murmur", description="Many tweet bots, one endpoint.")
    _add_error_handlers(api)
    router = api_router(keys)
    auth = (401,) if keys is not None else ()
    generation_errors = error_responses(400, *auth, 404, 422, 500, 503, 504)

    async def model_id(name: str) -> str:
        return await asyncio.to_thread(catalog.model_id, name)

    async def answer(name: str, job: GenerationJob) -> GenerationResult:
        result = await models.complete(await model_id(name), job)
        if result.error:
            raise ApiError(422, "invalid_request_error", result.error)
        return result

    @router.post(
        "/v1/completions", response_model=None, responses={**STREAMED, **generation_errors}
    )
    async def completions(req: CompletionRequest) -> CompletionResponse | StreamingResponse:
        """OpenAI's completions; the prompt is prefixed with `<|endoftext|>` as in training."""
        job = GenerationJob(
            prompt=req.prompt,
            n=req.n,
            max_new_tokens=req.max_tokens,
            temperature=req.temperature,
            top_p=req.top_p,
            seed=req.seed,
            # Without max_tokens, huggingtweets' defaults apply whole: at least 10 tokens too.
            min_length=MIN_LENGTH if req.max_tokens is None else 0,
        )
        cid = f"cmpl-{uuid.uuid4().hex}"
        if not req.stream:
            return _completion_response(req, await answer(req.model, job), cid)
        events = models.stream(await model_id(req.model), job)
        first = await anext(events)  # errors before the first event still get their status
        if first.error:
            raise ApiError(422, "invalid_request_error", first.error)
        return StreamingResponse(
            _completion_chunks(req, first, events, cid), media_type="text/event-stream"
        )

    @router.post("/generate", responses=generation_errors)
    async def generate(req: GenerateRequest) -> GenerateResponse:
        """huggingtweets' request: its sampling defaults, tweets cut as it cuts them."""
        job = GenerationJob(prompt=req.prompt, n=req.n, min_length=MIN_LENGTH, route="/generate")
        result = await answer(req.model, job)
        texts = [cut_generation(req.prompt + c.text) for c in result.choices]
        return GenerateResponse(model=req.model, prompt=req.prompt, generations=texts)

    @router.get("/v1/models", responses=error_responses(*auth))
    async def list_models() -> ModelList:
        manifests = await asyncio.to_thread(catalog.list)
        return ModelList(data=[model_object(m) for m in manifests])

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
