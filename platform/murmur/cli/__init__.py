"""The `murmur` command line: a thin typer app (`murmur.cli.main`); each command lives in its own
module here and registers itself on the app when imported, which this package does."""

from __future__ import annotations

from murmur.cli import (  # noqa: F401  (each registers its commands)
    eval,
    export,
    jobs,
    models,
    optout,
    prepare,
    push,
    refresh,
    serve,
    train,
    versions,
)
from murmur.cli.main import app

__all__ = ["app", "main"]


def main() -> None:
    """The `murmur` console script."""
    app()
