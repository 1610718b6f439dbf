"""The Serve application for `serve run` / `serve deploy serve/config.yaml`.

`app` is an application builder: Serve calls it with config.yaml's `args` (murmur's
ServeSettings). Everything it builds lives in murmur.serving.app, so that `murmur serve` and Ray's
workers import it from the installed package.
"""

from __future__ import annotations

from typing import Any

from ray.serve import Application

from murmur.serving.app import ServeSettings, build_app


def app(args: dict[str, Any]) -> Application:
    return build_app(ServeSettings.model_validate(args))
