"""Serving: every published model behind one Ray Serve endpoint, as one Serve application.

    HTTP ──► Ingress (FastAPI, murmur.serving.ingress): validates, looks the model up in the
             store, maps errors to 401 / 404 / 422 / 503 / 504 ──► ModelServer replicas
             (murmur.serving.replica; CPU or GPU, autoscaled): `@serve.multiplexed` keeps up to
             `models_per_replica` full models loaded (LRU), LoRA bots resident over their base,
             and the engine (murmur.serving.decode_loop) runs every request's rows in shared
             decode steps over one KV cache, rows joining and leaving at every iteration.

`build_app(args)` is the application builder shared by `serve run` / `serve deploy` (`app`, the
`import_path: murmur.serving.app:app` of serve/config.yaml, whose `args` are a ServeSettings) and
`murmur serve` (`start_local`).

Safe by default: `app`, the builder a Serve config names (the cluster path, whose bind address it
cannot see), refuses to start without API keys unless its args say `allow_unauthenticated: true`
(`require_keys`); `murmur serve` decides by its --host (murmur.cli.serve).

Ray's `RAY_SERVE_THROUGHPUT_OPTIMIZED=1` (set where Ray starts) is not set: measured against the
default on the 2-core CPU, endpoint only, alternated twice, it gave no consistent gain (2,543 vs
2,768 and 2,076 vs 1,827 tokens/s at load average 8-28;
bench/results/serve_throughput_optimized-2026-12-07.json).
"""

from __future__ import annotations

import os
from typing import Any

from ray import serve
from ray.serve import Application

from murmur.core.errors import ConfigError
from murmur.core.ray_init import init_ray
from murmur.serving.auth import ENV_VAR, ApiKeys
from murmur.serving.ingress import IngressDeployment
from murmur.serving.replica import ModelServerDeployment
from murmur.serving.settings import ServeSettings


def build_app(args: dict[str, Any] | ServeSettings | None = None) -> Application:
    """The Serve application: an Ingress in front of the ModelServer deployment.

    Relative paths (a local store, the API key file) are made absolute here, where the app is
    built. Raises ConfigError for a key file that is missing or holds no key, pydantic's
    ValidationError for invalid settings.
    """
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
            # Serve counts requests; the engine holds rows: the target is the slots' worth of
            # huggingtweets' requests (ServeSettings.replica_target_ongoing).
            "target_ongoing_requests": settings.replica_target_ongoing(),
        },
        max_ongoing_requests=settings.replica_max_ongoing(),
        max_queued_requests=settings.max_queued_requests,
    ).bind(config)
    return IngressDeployment.options(
        num_replicas=settings.ingress_replicas,
        ray_actor_options={"num_cpus": 0.5},
        max_ongoing_requests=settings.ingress_max_ongoing_requests,
    ).bind(model_server, config)


def app(args: dict[str, Any]) -> Application:
    """The application builder Serve calls with a config file's `args` (serve/config.yaml).
    Raises ConfigError without API keys unless `allow_unauthenticated` (`require_keys`)."""
    settings = ServeSettings.model_validate(args)
    require_keys(settings)
    return build_app(settings)


def require_keys(settings: ServeSettings, environ: dict[str, str] | None = None) -> None:
    """ConfigError in one line, saying what to set, where neither `api_keys_file` nor
    $MURMUR_API_KEYS (in this process, where Serve builds the app) gives a key and
    `allow_unauthenticated` is not set."""
    if settings.allow_unauthenticated:
        return
    if (
        settings.api_keys_file is None
        and not (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    ):
        raise ConfigError(
            f"the endpoint would serve without API keys: set ${ENV_VAR} (comma-separated keys) on "
            "every node, or api_keys_file: in the config's args; or, behind your own "
            "authentication only, allow_unauthenticated: true"
        )


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
    init_ray()
    serve.start(http_options={"host": host, "port": port})
    serve.run(build_app(settings), name=name, route_prefix=route_prefix, blocking=False)
    return f"http://{host}:{port}{route_prefix.rstrip('/')}"
