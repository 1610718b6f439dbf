"""Weights & Biases, optional: runs, artifacts and tables when wandb is installed and enabled.

W&B is configured the way its users configure it, through its own environment variables:

    WANDB_MODE      online | offline | disabled (W&B's `dryrun` and `run` too); unset: online
                    with an API key (WANDB_API_KEY or `wandb login`), else offline
    WANDB_DIR       where run files go (W&B writes `$WANDB_DIR/wandb/...`); unset: <store>/wandb
                    for a local store, else W&B's default (./wandb)
    WANDB_PROJECT   the project (default PROJECT, "murmur")
    WANDB_ENTITY    the team or user (default: the API key's)

A job's Ray workers get these through `wandb_env()` (the API key excepted: a cluster's nodes log
in themselves). Offline runs are written locally (sync later with `wandb sync`) and never block;
`--no-wandb` (or `WANDB_MODE=disabled`, or `WANDB_DISABLED` true as murmur.core.env reads it:
1/on/yes/true) turns tracking off. Nothing here ever puts a secret in a run: configs pass
through `scrub` first. Any W&B failure is logged and ignored: tracking must
never fail a training job.
"""

from __future__ import annotations

import functools
import logging
import netrc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from murmur.core.env import env_flag

log = logging.getLogger(__name__)
PROJECT = "murmur"
_SECRET_WORDS = ("token", "secret", "key", "password", "bearer", "credential")
# W&B's own settings that a job's Ray workers need from the driver (never the API key: a
# runtime_env is readable on the cluster's dashboard).
FORWARDED_ENV = (
    "WANDB_MODE",
    "WANDB_DIR",
    "WANDB_PROJECT",
    "WANDB_ENTITY",
    "WANDB_BASE_URL",
    "WANDB_DISABLED",
    "WANDB_SILENT",
)
_MODES = {"online": "online", "run": "online", "offline": "offline", "dryrun": "offline"}
# huggingtweets' four figures per handle (murmur.core.manifest.HandleStats), as W&B logs them.
STAT_FIELDS = ("tweets_downloaded", "retweets", "short_tweets", "tweets_kept")


def scrub(config: Mapping[str, Any]) -> dict[str, Any]:
    """Drop any entry whose name suggests a secret, recursively."""
    out: dict[str, Any] = {}
    for k, v in config.items():
        if any(w in str(k).lower() for w in _SECRET_WORDS):
            continue
        out[k] = scrub(v) if isinstance(v, Mapping) else v
    return out


def wandb_env() -> dict[str, str]:
    """This process's W&B settings (FORWARDED_ENV that are set) for a Ray worker's runtime_env;
    WANDB_DIR made absolute, since a worker runs in another folder."""
    env = {name: os.environ[name] for name in FORWARDED_ENV if os.environ.get(name)}
    if (directory := run_directory(None)) is not None:
        env["WANDB_DIR"] = directory
    return env


def _has_api_key() -> bool:
    """WANDB_API_KEY, or a `wandb login` entry in ~/.netrc for W&B's host (WANDB_BASE_URL's)."""
    if os.environ.get("WANDB_API_KEY"):
        return True
    host = urlparse(os.environ.get("WANDB_BASE_URL") or "https://api.wandb.ai").hostname
    try:
        return netrc.netrc().authenticators(host or "") is not None
    except (OSError, netrc.NetrcParseError):
        return False


def wandb_mode() -> str | None:
    """ "online", "offline", or None when tracking is off or wandb is not installed.
    WANDB_MODE=online without an API key is offline (tracking never waits on a login prompt)."""
    mode = os.environ.get("WANDB_MODE", "").strip().lower()
    if mode in ("disabled", "off") or env_flag("WANDB_DISABLED"):  # yes/on too, as HF reads it
        return None
    try:
        import wandb  # noqa: F401
    except ImportError:
        return None
    if _MODES.get(mode) == "offline":
        return "offline"
    if not _has_api_key():
        if mode:
            _warn_once(f"WANDB_MODE={mode} but no W&B API key: runs are written offline")
        return "offline"
    return "online"


@functools.cache
def _warn_once(message: str) -> None:
    log.warning(message)


def run_directory(default: str | None) -> str | None:
    """Where a run's files go: $WANDB_DIR when set (absolute), else `default` (murmur passes
    <store>/wandb for a local store), else None (W&B's own default, ./wandb)."""
    configured = os.environ.get("WANDB_DIR")
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    return default


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
    """A W&B run (or None when off); finished when the block ends, whatever happens inside.
    Its files go to `run_directory(directory)`; its project and entity are WANDB_PROJECT's
    (default PROJECT) and WANDB_ENTITY's (default: the API key's)."""
    mode = wandb_mode() if enabled else None
    if mode is None:
        yield None
        return
    import wandb

    run = None
    try:
        directory = run_directory(directory)
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
        run = wandb.init(
            project=os.environ.get("WANDB_PROJECT") or PROJECT,
            entity=os.environ.get("WANDB_ENTITY") or None,
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


def is_offline(run: Any | None) -> bool:
    """Whether `run` is written offline (no URL, no artifacts used by name)."""
    try:
        return bool(run is not None and run.offline)
    except Exception:
        return True


def run_url(run: Any | None) -> str | None:
    """The run's web page, when online."""
    if run is None or is_offline(run):
        return None
    try:
        return str(run.url) if run.url else None
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
    """Log (or, with use=True, use as input) an artifact of files and/or a folder. An offline
    run cannot use an artifact (W&B: "Cannot use artifact when in offline mode"): there `use`
    does nothing, and callers record what the artifact would name in the run's config."""
    if run is None or (use and is_offline(run)):
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
    """A W&B table under `key` (one row per inner list, in `columns`' order)."""
    if run is None:
        return
    try:
        import wandb

        run.log({key: wandb.Table(columns=list[Any](columns), data=rows)})
    except Exception as e:
        log.warning("W&B table %s not logged: %s", key, e)


def log_summary(run: Any | None, values: Mapping[str, Any]) -> None:
    """Values into the run's summary (its one figure per key in the runs table)."""
    if run is None:
        return
    try:
        run.summary.update(dict(values))
    except Exception as e:
        log.warning("W&B summary not logged: %s", e)


def log_handle_stats(run: Any | None, stats: Sequence[Mapping[str, Any]]) -> None:
    """huggingtweets' four figures per handle (HandleStats.to_json() dicts), as the summary keys
    `data/<handle>/<figure>` and a `data` table with one row per handle."""
    if run is None:
        return
    summary = {f"data/{s['handle']}/{f}": int(s[f]) for s in stats for f in STAT_FIELDS}
    log_summary(run, summary)
    rows = [[s["handle"], *(int(s[f]) for f in STAT_FIELDS)] for s in stats]
    log_table(run, "data", ["handle", *STAT_FIELDS], rows)
