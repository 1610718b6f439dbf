"""The ingress's side of a model call: a deadline on every answer, one retry where it is safe,
and Ray's failures mapped to the API's errors (503 overloaded, 404, 504 timeout, 500)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from ray.exceptions import RayActorError
from ray.serve.exceptions import BackPressureError, DeploymentUnavailableError
from ray.serve.handle import DeploymentHandle, DeploymentResponseGenerator

from murmur.core.errors import ModelNotFoundError
from murmur.serving.catalog import routing_id  # LoRA bots: by load; full models: multiplexed
from murmur.serving.events import (
    EngineOverloaded,
    GenerationEvent,
    GenerationResult,
    GenerationSpec,
)
from murmur.serving.schema import ApiError

log = logging.getLogger(__name__)
replica_log = logging.getLogger("ray.serve")  # what a replica logs here lands in Serve's logs


def _cause(exc: BaseException) -> BaseException:
    """The user exception inside a Ray task error (Ray re-raises it as a subclass of both)."""
    return getattr(exc, "cause", None) or exc


def _to_api_error(exc: BaseException, model_id: str) -> ApiError:
    """What the client is told when a model call fails."""
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
    if isinstance(exc, EngineOverloaded) or isinstance(_cause(exc), EngineOverloaded):
        return ApiError(503, "overloaded_error", f"{_cause(exc)}", headers={"Retry-After": "1"})
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

    async def complete(self, model_id: str, spec: GenerationSpec) -> GenerationResult:
        """The whole answer. A replica that dies on the request is retried once, on another
        replica or the one Serve starts in its place, within the same deadline: a request that
        only waits for its answer is safe to run again."""
        deadline = time.monotonic() + self.timeout_s
        retries = 1
        while True:
            handle = self.handle.options(multiplexed_model_id=routing_id(model_id))
            response = handle.generate.remote(spec, model_id)

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

    async def stream(self, model_id: str, spec: GenerationSpec) -> AsyncIterator[GenerationEvent]:
        """The answer as it comes. Not retried: part of it may have reached the client."""
        handle = self.handle.options(multiplexed_model_id=routing_id(model_id), stream=True)
        events = handle.generate_stream.remote(spec, model_id)
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
