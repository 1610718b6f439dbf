"""A shim for Serve configs that name `serve.app:app` (run from the repo root); serve/config.yaml
names `murmur.serving.app:app`, which an installed murmur provides.

Not to be confused with `ray.serve`: this package is only ever imported as `serve.app` by Ray's
config loader; murmur's code imports `from ray import serve`, which this never shadows.
"""
