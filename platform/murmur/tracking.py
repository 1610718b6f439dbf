"""Weights & Biases, optional: runs, artifacts and tables when wandb is installed and enabled.

With no API key configured, runs are written offline (sync later with `wandb sync`) and never
block; `--no-wandb` (or `WANDB_MODE=disabled`) turns tracking off. Nothing here ever puts a secret
in a run: configs pass through `scrub` first. Any W&B failure is logged and ignored: tracking
must never fail a training job.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
PROJECT = "murmur"
_SECRET_WORDS = ("token", "secret", "key", "password", "bearer", "credential")


def scrub(config: Mapping[str, Any]) -> dict[str, Any]:
    """Drop any entry whose name suggests a secret, recursively."""
    out: dict[str, Any] = {}
    for k, v in config.items():
        if any(w in str(k).lower() for w in _SECRET_WORDS):
            continue
        out[k] = scrub(v) if isinstance(v, Mapping) else v
    return out


def _has_api_key() -> bool:
    if os.environ.get("WANDB_API_KEY"):
        return True
    netrc = Path.home() / ".netrc"
    try:
        return netrc.is_file() and "api.wandb.ai" in netrc.read_text()
    except OSError:
        return False


def wandb_mode() -> str | None:
    """ "online", "offline", or None when tracking is off or wandb is not installed."""
    mode = os.environ.get("WANDB_MODE", "").lower()
    if mode in ("disabled", "off") or os.environ.get("WANDB_DISABLED", "").lower() in ("1", "true"):
        return None
    try:
        import wandb  # noqa: F401
    except ImportError:
        return None
    if mode in ("online", "offline"):
        return mode if mode == "offline" or _has_api_key() else "offline"
    return "online" if _has_api_key() else "offline"


@contextmanager
def wandb_run(
    *,
    enabled: bool,
    job_type: str,
    name: str,
    config: Mapping[str, Any],
    group: str | None = None,
    directory: str | None = None,
) -> Iterator[Any | None]:
    """A W&B run (or None when off); finished when the block ends, whatever happens inside."""
    mode = wandb_mode() if enabled else None
    if mode is None:
        yield None
        return
    import wandb

    run = None
    try:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
        run = wandb.init(
            project=os.environ.get("WANDB_PROJECT", PROJECT),
            job_type=job_type,
            name=name,
            group=group,
            config=scrub(config),
            mode=mode,  # type: ignore[arg-type]
            dir=directory,
            reinit="create_new",
            settings=wandb.Settings(silent=True, init_timeout=60, console="off"),
        )
    except Exception as e:  # never let tracking fail the work
        log.warning("W&B disabled for %s: %s", name, e)
    try:
        yield run
    finally:
        if run is not None:
            try:
                run.finish()
            except Exception as e:
                log.warning("W&B run %s did not finish cleanly: %s", name, e)


def run_url(run: Any | None) -> str | None:
    """The run's web page, when online."""
    try:
        return str(run.url) if run is not None and run.url else None
    except Exception:
        return None


def log_artifact(
    run: Any | None,
    name: str,
    kind: str,
    *,
    files: Mapping[str, str | Path] | None = None,
    directory: str | Path | None = None,
    metadata: Mapping[str, Any] | None = None,
    use: bool = False,
) -> None:
    """Log (or, with use=True, use as input) an artifact of files and/or a folder."""
    if run is None:
        return
    try:
        import wandb

        art = wandb.Artifact(name, type=kind, metadata=scrub(metadata or {}))
        for arc_name, path in (files or {}).items():
            art.add_file(str(path), name=arc_name)
        if directory is not None:
            art.add_dir(str(directory))
        if use:
            run.use_artifact(art)
        else:
            run.log_artifact(art)
    except Exception as e:
        log.warning("W&B artifact %s not logged: %s", name, e)


def log_table(run: Any | None, key: str, columns: list[str], rows: list[list[Any]]) -> None:
    if run is None:
        return
    try:
        import wandb

        run.log({key: wandb.Table(columns=list[Any](columns), data=rows)})
    except Exception as e:
        log.warning("W&B table %s not logged: %s", key, e)
