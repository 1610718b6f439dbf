"""The Ray Serve application's entry point (`serve run serve/config.yaml` from the repo root).

Not to be confused with `ray.serve`: this package is only ever imported as `serve.app` by Ray's
config loader; murmur's code imports `from ray import serve`, which this never shadows.
"""
