"""Serving: every published model behind one Ray Serve endpoint.

    HTTP ──► Ingress (FastAPI): validates, looks the model up in the store, maps errors to
             404 / 422 / 503 / 504 ──► ModelServer replicas (CPU or GPU, autoscaled):
             `@serve.multiplexed` keeps up to `models_per_replica` models loaded (LRU) and
             `@serve.batch` runs the pending requests of one model as one `generate` call
             (murmur.serving.batching).

The store is read per request (through a cache of `store_cache_s`), so a model published while the
endpoint runs is served at once and a deleted one answers 404. The multiplexed model id is
`<name>@<version>`: a republished model gets a new id, so replicas load it fresh, and the stale
version falls out of their LRU cache like any model no longer asked for.

`build_app(args)` is the application builder shared by `serve run` / `serve deploy`
(serve/config.yaml's `args` are a `ServeSettings`) and `murmur serve` (`start_local`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, Literal, cast

from fastapi import APIRouter, FastAPI, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator
from ray import serve
from ray.exceptions import RayActorError
from ray.serve import Application
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError
from ray.serve.handle import DeploymentHandle, DeploymentResponseGenerator
from starlette.exceptions import HTTPException as StarletteHTTPException

from murmur.data.handles import MODEL_NAME_RE, validate_model_name
from murmur.errors import HandleError, ModelNotFoundError, StoreError
from murmur.generation import MIN_LENGTH, TEMPERATURE, TOP_P, cut_generation
from murmur.models.manifest import ModelManifest
from murmur.models.store import Store, default_store_uri
from murmur.serving.auth import ApiKeys
from murmur.serving.batching import (
    GenerationEvent,
    GenerationJob,
    GenerationResult,
    LoadedModel,
    count_rows,
    generate_batch,
    load_model,
)

log = logging.getLogger(__name__)
replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs

# Input limits, stated in every 422.
MAX_PROMPT_CHARS = 1_000  # a tweet is at most 280
MAX_N = 20
MAX_TOKENS = 512
# A model name as /openapi.json states it; validate_model_name checks it, with its own message.
MODEL_DOC = "A published model's name: 1-3 handles (a-z, 0-9, _) joined by '-'"
MODEL_SCHEMA: dict[str, Any] = {"pattern": f"^{MODEL_NAME_RE.pattern}$", "examples": ["jack"]}


class ServeSettings(BaseModel):
    """How the endpoint runs: `args` of serve/config.yaml, flags of `murmur serve`."""

    model_config = ConfigDict(extra="forbid")

    store: str = Field(default_factory=default_store_uri)
    """Store URI: a local folder (made absolute where the app is built), s3://, gs://."""
    models_per_replica: int = Field(default=3, ge=1)
    """Models each replica keeps loaded; the least recently used is unloaded first."""
    num_cpus: float = Field(default=1.0, ge=0)
    """CPUs per model replica."""
    num_gpus: float = Field(default=0.0, ge=0)
    """GPUs per model replica (fractions share a GPU); 0 runs on the CPU."""
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "auto"
    """Weights' dtype: auto is bf16 (fp16 without bf16) on a GPU, fp32 on the CPU."""
    min_replicas: int = Field(default=1, ge=0)
    max_replicas: int = Field(default=1, ge=1)
    target_ongoing_requests: float = Field(default=16, gt=0)
    """Requests per replica the autoscaler aims at: high, since a replica batches them."""
    max_ongoing_requests: int = Field(default=64, ge=1)
    """Requests a replica takes at once (all may share its batches)."""
    max_queued_requests: int = Field(default=128, ge=-1)
    """Requests waiting for a replica beyond which the endpoint answers 503; -1: no limit."""
    max_batch_size: int = Field(default=64, ge=MAX_N)
    """Sequences per `generate` call (a request with n=10 counts 10)."""
    batch_wait_timeout_s: float = Field(default=0.01, ge=0)
    """How long a replica waits for more requests of a model before generating."""
    stream_interval_s: float = Field(default=0.1, gt=0)
    """How often streamed text is sent."""
    request_timeout_s: float = Field(default=60.0, gt=0)
    """A request still unanswered after this long gets 504."""
    store_cache_s: float = Field(default=1.0, ge=0)
    """How long the ingress trusts what it read from the store (manifests, the model list)."""
    ingress_replicas: int = Field(default=1, ge=1)
    ingress_max_ongoing_requests: int = Field(default=1_000, ge=1)
    api_keys_file: str | None = None
    """A file of API keys, one per line (`#` comments): with it, or with $MURMUR_API_KEYS set
    where the ingress runs, every API route needs `Authorization: Bearer <key>` (murmur.serving.auth).
    """

    @model_validator(mode="after")
    def _check(self) -> ServeSettings:
        if self.min_replicas > self.max_replicas:
            raise ValueError(
                f"min_replicas ({self.min_replicas}) is above max_replicas ({self.max_replicas})"
            )
        return self


# ---- API schemas ------------------------------------------------------------------------------
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


# ---- the store as the endpoint sees it ----------------------------------------------------------
def model_revision(store: Store, name: str, manifest: dict[str, Any]) -> str:
    """What changes on every publish of a model: its manifest's version, else its version folder."""
    if manifest.get("version"):
        return str(manifest["version"])
    if store.is_local:
        return os.path.basename(os.path.realpath(store.model_path(name)))
    return str(manifest.get("created") or "0")


def _unix_time(iso: str) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except (TypeError, ValueError):
        return 0


def model_object(manifest: dict[str, Any]) -> ModelObject:
    m = ModelManifest.from_json(manifest)
    return ModelObject(
        id=m.name,
        created=_unix_time(m.created),
        handles=m.handles,
        display_names=m.display_names,
        avatar_urls=[s.avatar_url for s in m.stats],
    )


class Catalog:
    """The published models, re-read from the store at most every `cache_s` seconds."""

    def __init__(self, store: Store, cache_s: float) -> None:
        self.store = store
        self.cache_s = cache_s
        self._models: tuple[float, list[dict[str, Any]]] | None = None
        self._ids: dict[str, tuple[float, str | None]] = {}

    def model_id(self, name: str) -> str:
        """`<name>@<version>` of a published model; ApiError 422 (bad name) or 404 (none)."""
        try:
            validate_model_name(name)
        except HandleError as e:
            raise ApiError(422, "invalid_request_error", str(e)) from None
        now = time.monotonic()
        cached = self._ids.get(name)
        if cached is None or now - cached[0] > self.cache_s:
            try:
                manifest = self.store.load_manifest(name)
                cached = (now, f"{name}@{model_revision(self.store, name, manifest)}")
            except ModelNotFoundError:
                cached = (now, None)
            except StoreError as e:  # a damaged manifest: this model fails, the others serve
                raise ApiError(500, "server_error", str(e)) from None
            if len(self._ids) >= 10_000:  # names asked for at random must not grow it forever
                self._ids.clear()
            self._ids[name] = cached
        if cached[1] is None:
            raise ApiError(
                404,
                "not_found_error",
                f"no model {name!r} is published: GET /v1/models lists the models served",
            )
        return cached[1]

    def list(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        if self._models is None or now - self._models[0] > self.cache_s:
            self._models = (now, self.store.list_models())
        return self._models[1]


# ---- the model deployment -----------------------------------------------------------------------
class ModelServer:
    """Loads models from the store on demand and generates for batches of requests."""

    def __init__(self, settings: dict[str, Any]) -> None:
        import torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.settings = s = ServeSettings.model_validate(settings)
        store = Store(s.store)
        use_gpu = s.num_gpus > 0 and torch.cuda.is_available()
        device = "cuda" if use_gpu else "cpu"
        # One generating thread: `generate` calls take turns, and a seed set before one holds.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate")

        async def load(model_id: str) -> LoadedModel:
            name, _, version = model_id.partition("@")
            lm = await asyncio.to_thread(load_model, store, name, version, device, s.dtype)
            replica_log.info("loaded %s on %s in %.2f s", model_id, device, lm.load_seconds)
            return lm

        # Wrapped here rather than decorated, so that their sizes are settings.
        self._get_model = serve.multiplexed(max_num_models_per_replica=s.models_per_replica)(load)
        batch = serve.batch(
            max_batch_size=s.max_batch_size,
            batch_wait_timeout_s=s.batch_wait_timeout_s,
            batch_size_fn=count_rows,
        )
        self._complete_batch = batch(self._complete)
        # (serve.batch takes async generators too; its type hints do not say so.)
        self._stream_batch: Callable[[GenerationJob], AsyncIterator[GenerationEvent]] = cast(
            Any, batch
        )(self._stream)

    async def generate(self, job: GenerationJob) -> GenerationResult:
        """A whole answer; the request waits in a batch with the others for its model."""
        return await self._complete_batch(job)

    async def generate_stream(self, job: GenerationJob) -> AsyncIterator[GenerationEvent]:
        """The answer as it is generated: events every `stream_interval_s`, the last `done`."""
        async for event in self._stream_batch(job):
            yield event

    async def _complete(self, jobs: list[GenerationJob]) -> list[GenerationResult]:
        model = await self._get_model(serve.get_multiplexed_model_id())
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, generate_batch, model, jobs)

    async def _stream(self, jobs: list[GenerationJob]) -> AsyncIterator[list[Any]]:
        model = await self._get_model(serve.get_multiplexed_model_id())
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[list[GenerationEvent] | None] = asyncio.Queue()

        def on_events(events: list[GenerationEvent]) -> None:  # in the generating thread
            loop.call_soon_threadsafe(queue.put_nowait, events)

        run = partial(generate_batch, model, jobs, on_events, self.settings.stream_interval_s)
        future = loop.run_in_executor(self._executor, run)
        future.add_done_callback(lambda _: queue.put_nowait(None))
        done = [False] * len(jobs)
        while (events := await queue.get()) is not None:
            # One item per request; StopIteration ends the stream of a request already done.
            out: list[Any] = []
            for i, event in enumerate(events):
                out.append(StopIteration if done[i] else event)
                done[i] = done[i] or event.done
            yield out
        await future  # raises what generation raised


ModelServerDeployment = serve.deployment(name="ModelServer")(ModelServer)


# ---- the ingress ----------------------------------------------------------------------------------
def _cause(exc: BaseException) -> BaseException:
    """The user exception inside a Ray task error (Ray re-raises it as a subclass of both)."""
    return getattr(exc, "cause", None) or exc


def _to_api_error(exc: BaseException, model_id: str) -> ApiError:
    model = model_id.partition("@")[0]
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, BackPressureError):
        return ApiError(
            503,
            "overloaded_error",
            f"the endpoint is overloaded ({exc.message}): retry in a moment",
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, DeploymentUnavailableError):
        return ApiError(503, "overloaded_error", f"no model replica is available: {exc.message}")
    if isinstance(exc, ModelNotFoundError):
        return ApiError(404, "not_found_error", str(_cause(exc)))
    if isinstance(exc, RayActorError):  # a replica died; Serve starts another
        return ApiError(
            503, "overloaded_error", f"the replica serving {model!r} failed: retry in a moment"
        )
    log.warning("request for %s failed: %r", model, exc)
    return ApiError(500, "server_error", f"generation with {model!r} failed: {_cause(exc)}")


class ModelClient:
    """Calls the model replicas for the ingress, with a deadline on every answer."""

    def __init__(self, handle: DeploymentHandle, timeout_s: float) -> None:
        self.handle = handle
        self.timeout_s = timeout_s

    def _timeout(self, model_id: str) -> ApiError:
        model = model_id.partition("@")[0]
        return ApiError(
            504, "timeout_error", f"{model!r} did not answer within {self.timeout_s:g} s"
        )

    async def complete(self, model_id: str, job: GenerationJob) -> GenerationResult:
        """The whole answer. A replica that dies on the request is retried once, on another
        replica or the one Serve starts in its place, within the same deadline: a request that
        only waits for its answer is safe to run again."""
        deadline = time.monotonic() + self.timeout_s
        retries = 1
        while True:
            response = self.handle.options(multiplexed_model_id=model_id).generate.remote(job)

            async def answer(response: Any = response) -> GenerationResult:
                result: GenerationResult = await response
                return result

            try:
                return await asyncio.wait_for(answer(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                response.cancel()
                raise self._timeout(model_id) from None
            except RayActorError as e:
                if retries == 0 or time.monotonic() >= deadline:
                    raise _to_api_error(e, model_id) from e
                retries -= 1
                replica_log.warning("a replica died serving %s: retrying once", model_id)
            except Exception as e:
                raise _to_api_error(e, model_id) from e

    async def stream(self, model_id: str, job: GenerationJob) -> AsyncIterator[GenerationEvent]:
        """The answer as it comes. Not retried: part of it may have reached the client."""
        handle = self.handle.options(multiplexed_model_id=model_id, stream=True)
        events = handle.generate_stream.remote(job)
        assert isinstance(events, DeploymentResponseGenerator)  # stream=True gives one
        deadline = time.monotonic() + self.timeout_s
        finished = False
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                try:
                    event: GenerationEvent = await asyncio.wait_for(events.__anext__(), left)
                except StopAsyncIteration:
                    finished = True
                    return
                yield event
        except TimeoutError:
            raise self._timeout(model_id) from None
        except Exception as e:
            raise _to_api_error(e, model_id) from e
        finally:
            if not finished:  # an error, a timeout, or the client went away
                events.cancel()


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


def _presented_keys(request: Request) -> list[str]:
    """The keys a request carries: `Authorization: Bearer <key>` and `X-API-Key: <key>`."""
    keys = []
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        keys.append(credentials.strip())
    if request.headers.get("x-api-key", "").strip():
        keys.append(request.headers["x-api-key"].strip())
    return keys


def authorize(keys: ApiKeys, request: Request) -> None:
    """ApiError 401 unless the request carries a valid key; the message never repeats a key."""
    presented = _presented_keys(request)
    if not presented:
        message = (
            "this endpoint needs an API key: send `Authorization: Bearer <key>` "
            "(or `X-API-Key: <key>`)"
        )
    elif any([keys.check(k) for k in presented]):  # a list: every key sent is checked
        return
    else:
        message = "the API key sent is not valid: ask the endpoint's operator for one"
    raise ApiError(401, "authentication_error", message, headers={"WWW-Authenticate": "Bearer"})


def keyed_route_class(keys: ApiKeys) -> type[APIRoute]:
    """A route that checks the key before anything else, the request's body included."""

    class KeyedRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def checked(request: Request) -> Response:
                authorize(keys, request)
                return await handler(request)

            return checked

    return KeyedRoute


def build_api(
    catalog: Catalog, models: ModelClient, store_uri: str, keys: ApiKeys | None = None
) -> FastAPI:
    """The HTTP API. With `keys`, the API's routes need a key; /healthz and the page do not."""
    api = FastAPI(title="murmur", description="Many tweet bots, one endpoint.")
    if keys is None:
        router = APIRouter()
    else:
        # KeyedRoute enforces; the two schemes (never raising themselves) document it in
        # /openapi.json, so that clients and generated ones know to send a key.
        schemes = [
            Security(HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")),
            Security(APIKeyHeader(name="X-API-Key", auto_error=False, description="the key")),
        ]
        router = APIRouter(route_class=keyed_route_class(keys), dependencies=schemes)
    auth = (401,) if keys is not None else ()
    generation_errors = error_responses(400, *auth, 404, 422, 500, 503, 504)

    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @api.exception_handler(StarletteHTTPException)  # FastAPI's and Starlette's own: 400, 404, 405
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        error = ApiError(exc.status_code, kind, str(exc.detail))
        return JSONResponse(error.body(), status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        error = ApiError(422, "invalid_request_error", _validation_message(exc))
        return JSONResponse(error.body(), status_code=422)

    async def model_id(name: str) -> str:
        return await asyncio.to_thread(catalog.model_id, name)

    async def answer(name: str, job: GenerationJob) -> GenerationResult:
        result = await models.complete(await model_id(name), job)
        if result.error:
            raise ApiError(422, "invalid_request_error", result.error)
        return result

    streamed: dict[int | str, dict[str, Any]] = {
        200: {
            "model": CompletionResponse,
            "description": "The completion; with `stream`, server-sent events ending [DONE]",
            "content": {
                "text/event-stream": {  # schema: one event (as OpenAPI 3.2's itemSchema)
                    "schema": {
                        "type": "object",
                        "properties": {
                            "data": {
                                "type": "string",
                                "description": "a completion chunk or an error, as JSON; "
                                "[DONE] last",
                            }
                        },
                        "required": ["data"],
                    }
                }
            },
        }
    }

    @router.post(
        "/v1/completions", response_model=None, responses={**streamed, **generation_errors}
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
        job = GenerationJob(prompt=req.prompt, n=req.n, min_length=MIN_LENGTH)
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
    if (
        importlib.util.find_spec("murmur.serving.page") is not None
    ):  # the page (issue 5), once built
        from murmur.serving.page import mount_pages

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


# ---- building and running -------------------------------------------------------------------------
def build_app(args: dict[str, Any] | ServeSettings | None = None) -> Application:
    """The Serve application: an Ingress in front of the ModelServer deployment."""
    settings = args if isinstance(args, ServeSettings) else ServeSettings.model_validate(args or {})
    if "://" not in settings.store:
        settings = settings.model_copy(update={"store": os.path.abspath(settings.store)})
    if settings.api_keys_file is not None:
        keys_file = os.path.abspath(settings.api_keys_file)
        settings = settings.model_copy(update={"api_keys_file": keys_file})
    ApiKeys.load(settings.api_keys_file)  # a missing or empty key file fails here, not in a replica
    config = settings.model_dump()
    model_server = ModelServerDeployment.options(
        ray_actor_options={"num_cpus": settings.num_cpus, "num_gpus": settings.num_gpus},
        autoscaling_config={
            "min_replicas": settings.min_replicas,
            "initial_replicas": max(settings.min_replicas, 1),
            "max_replicas": settings.max_replicas,
            "target_ongoing_requests": settings.target_ongoing_requests,
        },
        max_ongoing_requests=settings.max_ongoing_requests,
        max_queued_requests=settings.max_queued_requests,
    ).bind(config)
    return IngressDeployment.options(
        num_replicas=settings.ingress_replicas,
        ray_actor_options={"num_cpus": 0.5},
        max_ongoing_requests=settings.ingress_max_ongoing_requests,
    ).bind(model_server, config)


def start_local(
    settings: ServeSettings,
    host: str = "127.0.0.1",
    port: int = 8000,
    name: str = "murmur",
    route_prefix: str = "/",
) -> str:
    """Run the app on this process's Ray (an embedded local one if none); return its base URL.

    HTTP options are cluster-wide: where Serve already runs, its host and port stay as they are.
    """
    import ray

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    serve.start(http_options={"host": host, "port": port})
    serve.run(build_app(settings), name=name, route_prefix=route_prefix, blocking=False)
    return f"http://{host}:{port}{route_prefix.rstrip('/')}"


def settings_from_config(path: str) -> dict[str, Any]:
    """The `args` of the first application in a Serve config file (serve/config.yaml)."""
    import yaml

    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f) or {}
    apps = config.get("applications") or [{}]
    args: dict[str, Any] = apps[0].get("args") or {}
    return args
