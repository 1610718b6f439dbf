"""Serving: every published model behind one Ray Serve endpoint, as one Serve application.

    HTTP ──► Ingress (FastAPI, murmur.serving.ingress): validates, looks the model up in the
             store, maps errors to 401 / 404 / 422 / 503 / 504 ──► ModelServer replicas
             (murmur.serving.replica; CPU or GPU, autoscaled): `@serve.multiplexed` keeps up to
             `models_per_replica` models loaded (LRU) and `@serve.batch` runs the pending requests
             of one model in as few `generate` calls as fit (murmur.serving.batching).

`build_app(args)` is the application builder shared by `serve run` / `serve deploy` (`app`, the
`import_path: murmur.serving.app:app` of serve/config.yaml, whose `args` are a ServeSettings) and
`murmur serve` (`start_local`).
"""

from __future__ import annotations

import os
from typing import Any

from ray import serve
from ray.serve import Application

from murmur.serving.auth import ApiKeys
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


def app(args: dict[str, Any]) -> Application:
    """The application builder Serve calls with a config file's `args` (serve/config.yaml)."""
    return build_app(ServeSettings.model_validate(args))


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
