"""`import_path: serve.app:app` for a Serve config run from the repository root; the app itself
is `murmur.serving.app:app` (what serve/config.yaml names), importable from an installed wheel."""

from murmur.serving.app import app

__all__ = ["app"]
